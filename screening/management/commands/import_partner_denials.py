"""python manage.py import_partner_denials FILE : import partner states' denial notices.

The CSV's header names the columns partner, reference, notified_on, party_name,
party_country, party_address, control_code, description, reason. A notice already imported
(same partner and reference) is updated, not duplicated. A bad row stops the import with the
line numbers of every bad row and a non-zero exit; nothing is written then.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exportgov.core.exceptions import ApplicationError
from screening.services.rules import partner_denial_import


class Command(BaseCommand):
    help = "Import a CSV of partner denial notices (idempotent by partner and reference)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The CSV file.")

    def handle(self, *args, path: str, **options) -> None:
        try:
            count = partner_denial_import(actor=None, path=path)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{count} partner denial notice{'s' if count != 1 else ''} imported.")
