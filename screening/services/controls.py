"""Importing control data: the CCL, the Commerce Country Chart, the Country Groups, the
licence exception catalogue and EU Annex I, one versioned ControlDataset per file.

An import is all or nothing. The file is parsed completely first (screening.controls.importers);
the same file (by sha256) as the active dataset of its kind changes nothing; otherwise the
new dataset becomes active and the previous one is superseded, in one transaction that also
writes the audit event.
"""

import datetime
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from ..controls.importers import FILE_NAMES, ControlDataError, ParsedDataset, control_file_parse
from ..models import (
    ControlDataset,
    ControlEntry,
    CountryChartRow,
    CountryGroupMembership,
    LicenceException,
    LicenceRequirement,
)
from .notices import control_dataset_notice_publish

IMPORT_PERMISSION = "screening.import_controldataset"
BATCH_SIZE = 2000


def control_dataset_import(
    *, actor: User | None, path: Path | str, kind: str | None = None
) -> ControlDataset:
    """Import one control-data file as the active dataset of its kind (detected unless given).

    `actor` is None for the system (the command, the demo seeding). A file that cannot be
    read completely raises ApplicationError and changes nothing.
    """
    if actor is not None and not actor.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("You may not import control data.")
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise ApplicationError(f"{path.name} cannot be read: {error}", code="unreadable") from error
    try:
        parsed = control_file_parse(content, kind=kind)
    except ControlDataError as error:
        raise ApplicationError(
            f"{path.name} was not imported: {error}", code="malformed_control_data"
        ) from error
    return _control_dataset_store(
        actor=actor,
        parsed=parsed,
        file_name=path.name,
        sha256=hashlib.sha256(content).hexdigest(),
    )


def control_data_import_all(
    *, actor: User | None = None, folder: Path | str | None = None
) -> list[ControlDataset]:
    """Import the five control-data files of `folder` (default settings.CONTROL_DATA_DIR)."""
    folder = Path(folder or settings.CONTROL_DATA_DIR)
    missing = [name for name in FILE_NAMES.values() if not (folder / name).is_file()]
    if missing:
        raise ApplicationError(f"{folder} lacks {', '.join(missing)}.", code="control_data_missing")
    return [
        control_dataset_import(actor=actor, path=folder / name, kind=kind)
        for kind, name in FILE_NAMES.items()
    ]


@transaction.atomic
def _control_dataset_store(
    *, actor: User | None, parsed: ParsedDataset, file_name: str, sha256: str
) -> ControlDataset:
    active = ControlDataset.objects.select_for_update().filter(
        kind=parsed.kind, status=ControlDataset.Status.ACTIVE
    )
    previous = active.first()
    if previous is not None and previous.sha256 == sha256:
        return previous
    if previous is not None:
        previous.status = ControlDataset.Status.SUPERSEDED
        previous.save(update_fields=["status"])
    today = timezone.localdate()
    dataset = ControlDataset.objects.create(
        kind=parsed.kind,
        status=ControlDataset.Status.ACTIVE,
        citation=parsed.citation[:300],
        source_url=parsed.source_url,
        issue_date=parsed.issue_date,
        file_name=file_name,
        sha256=sha256,
        imported_at=timezone.now(),
        imported_by=actor if actor is not None and actor.is_authenticated else None,
        row_count=parsed.row_count,
        needs_review_count=parsed.needs_review_count,
        payload=parsed.payload,
        effective_from=today,
        sunset_on=today + datetime.timedelta(days=settings.CONTROL_DATA_SUNSET_DAYS),
        justification=_justification_default(parsed),
    )
    _rows_store(dataset=dataset, parsed=parsed)
    audit_record(
        actor=actor,
        verb=AuditEvent.Verb.CONTROL_DATA_IMPORTED,
        target=dataset,
        to_status=dataset.status,
        payload={
            "kind": dataset.kind,
            "file": file_name,
            "sha256": sha256,
            "issue_date": dataset.issue_date.isoformat(),
            "rows": dataset.row_count,
            "requirement_rows": parsed.payload.get("requirement_rows", 0),
            "needs_review": dataset.needs_review_count,
            "superseded": previous.pk if previous is not None else None,
        },
    )
    control_dataset_notice_publish(dataset=dataset, actor=actor)
    return dataset


def _justification_default(parsed: ParsedDataset) -> str:
    """Why the data applies, until a sunset review writes a better reason: its legal source."""
    source = f", published at {parsed.source_url}" if parsed.source_url else ""
    return f"The edition of {parsed.citation} issued on {parsed.issue_date:%Y-%m-%d}{source}."


def _rows_store(*, dataset: ControlDataset, parsed: ParsedDataset) -> None:
    for entry in parsed.entries:
        entry.dataset = dataset
    entries = ControlEntry.objects.bulk_create(parsed.entries, batch_size=BATCH_SIZE)
    requirements = []
    for entry in entries:
        for row in parsed.requirements.get(entry.code, []):
            row.entry = entry
            requirements.append(row)
    LicenceRequirement.objects.bulk_create(requirements, batch_size=BATCH_SIZE)
    for rows, model in (
        (parsed.chart_rows, CountryChartRow),
        (parsed.memberships, CountryGroupMembership),
        (parsed.exceptions, LicenceException),
    ):
        for row in rows:
            row.dataset = dataset
        model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
