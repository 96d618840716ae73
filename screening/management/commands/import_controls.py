"""python manage.py import_controls [--folder DIR] : import the five control-data files.

The CCL, the Commerce Country Chart, the Country Groups, the licence exception catalogue and
EU Annex I (data/controls by default; see its SOURCES.md). Each file prints one line: its kind,
issue date, sha256 prefix, row counts, and whether it was imported or already active. A file
that cannot be read stops the command with its message and a non-zero exit.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from exportgov.core.exceptions import ApplicationError
from screening.models import ControlDataset
from screening.services.controls import control_data_import_all


class Command(BaseCommand):
    help = "Import the control-data files (CCL, Country Chart, Country Groups, exceptions, EU)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folder", help="Folder of the files (default: CONTROL_DATA_DIR).")

    def handle(self, *args, folder: str | None = None, **options) -> None:
        started = timezone.now()
        try:
            datasets = control_data_import_all(actor=None, folder=folder)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        for dataset in datasets:
            self.stdout.write(dataset_line(dataset, new=dataset.imported_at >= started))


def dataset_line(dataset: ControlDataset, *, new: bool) -> str:
    counts = f"{dataset.row_count} rows"
    requirements = dataset.payload.get("requirement_rows")
    if requirements is not None:
        counts += f", {requirements} licence-requirement rows"
    if dataset.needs_review_count:
        counts += f", {dataset.needs_review_count} needing review"
    state = "imported" if new else "unchanged (already active)"
    return f"{dataset.version_label} {dataset.file_name}: {counts}; {state}"
