"""python manage.py import_lists PATH... : import restricted-party list files.

Files of one list given together (an OFAC sdn.csv, add.csv, alt.csv and sdn_comments.csv
from one folder) make one version; every other file is a version of its own list. Each
imported version prints one line with its counts and its differences from the version
it replaces. A malformed file stops the command with its message and a non-zero exit.
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exportgov.accounts.models import User
from exportgov.core.exceptions import ApplicationError
from screening.importers import ImportFormatError, detect_groups
from screening.models import ListVersion
from screening.services import list_import_reject, list_version_import


class Command(BaseCommand):
    help = "Import restricted-party list files (format detected from their content)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="List files; a set's files together.")
        parser.add_argument(
            "--publisher-date",
            type=date.fromisoformat,
            help="The list's date (YYYY-MM-DD) when the file does not state it.",
        )
        parser.add_argument(
            "--actor", help="Username to record as the importer (default: the system)."
        )

    def handle(self, *args, paths: list[str], publisher_date, actor, **options) -> None:
        user = None
        if actor:
            user = User.objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"No user is called {actor}.")
        try:
            importers = detect_groups(paths)
        except ImportFormatError as error:
            list_import_reject(actor=user, paths=paths, error=error)
            raise CommandError(f"The list was not imported: {error}") from error
        for importer in importers:
            started = time.perf_counter()
            try:
                version = list_version_import(
                    actor=user, paths=importer.paths, publisher_date=publisher_date
                )
            except ApplicationError as error:
                raise CommandError(error.message) from error
            self.stdout.write(version_line(version, time.perf_counter() - started))


def version_line(version: ListVersion, seconds: float) -> str:
    published = version.publisher_date.isoformat() if version.publisher_date else "undated"
    if version.previous_id:
        differences = (
            f"{version.added_count} added, {version.removed_count} removed, "
            f"{version.changed_count} changed since version {version.previous_id}"
        )
    else:
        differences = "first version"
    return (
        f"{version.source.code} version {version.pk} ({published}; "
        f"{', '.join(version.file_names)}): {version.entry_count} entries, "
        f"{version.alias_count} aliases, {version.address_count} addresses; "
        f"{differences} [{seconds:.1f} s]"
    )
