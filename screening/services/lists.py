"""Every change to restricted-party lists: importing a version, rejecting a malformed file,
and fetching a list from its publisher."""

import hashlib
import logging
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from ..importers import EntryRecord, Importer, ImportFormatError, detect
from ..models import EntryName, ListEntry, ListSource, ListVersion
from .notices import list_version_notice_publish

logger = logging.getLogger(__name__)
Verb = AuditEvent.Verb
BATCH_SIZE = 2000
FETCH_SCHEMES = ("https", "http", "file")
FETCH_MAX_BYTES = 500 * 1024 * 1024


class ListFetchError(Exception):
    """The publisher could not be reached or sent nothing usable; worth another try later."""


def list_version_import(
    *,
    actor: User | None,
    paths: Sequence[Path | str],
    publisher_date: date | None = None,
    skip_if_unchanged: bool = False,
) -> ListVersion:
    """Import the file(s) of one version of one list and make it the source's active version.

    The files are detected by content and parsed completely before anything is written; a
    malformed file raises ApplicationError naming the file and line, writes a rejection to the
    audit log and leaves the active version in force. `actor` is None for the system (the
    command and the scheduled fetch). With `skip_if_unchanged`, files identical to the active
    version's return that version and import nothing.
    """
    if actor is not None and not actor.has_perm("screening.import_listversion"):
        raise PermissionDenied("You may not import lists.")
    paths = [Path(path) for path in paths]
    try:
        files = _file_digests(paths)
        importer = detect(paths)
        records = importer.parse()
    except ImportFormatError as error:
        list_import_reject(actor=actor, paths=paths, error=error)
        raise ApplicationError(
            f"The list was not imported: {error}",
            code="malformed_list",
            extra={"file": error.file, "line": error.line},
        ) from error
    return _list_version_store(
        actor=actor,
        importer=importer,
        records=records,
        files=files,
        publisher_date=publisher_date or importer.publisher_date,
        skip_if_unchanged=skip_if_unchanged,
    )


def list_import_reject(
    *, actor: User | None, paths: Sequence[Path | str], error: ImportFormatError
) -> None:
    """Record that files were refused, and why, in the audit log."""
    audit_record(
        actor=actor,
        verb=Verb.LIST_IMPORT_REJECTED,
        payload={
            "files": [Path(path).name for path in paths],
            "file": error.file,
            "line": error.line,
            "error": str(error),
        },
    )


@transaction.atomic
def _list_version_store(
    *,
    actor: User | None,
    importer: Importer,
    records: list[EntryRecord],
    files: list[dict],
    publisher_date: date | None,
    skip_if_unchanged: bool,
) -> ListVersion:
    info = importer.source
    source, _ = ListSource.objects.get_or_create(
        code=info.code, defaults={"name": info.name, "publisher": info.publisher}
    )
    # One import per source at a time: lock the source row, then read its active version.
    source = ListSource.objects.select_for_update().get(pk=source.pk)
    previous = ListVersion.objects.filter(source=source, status=ListVersion.Status.ACTIVE).first()
    digest = _combined_digest(files)
    if skip_if_unchanged and previous is not None and previous.sha256 == digest:
        return previous

    hashes = {record.entry_id: record.content_hash() for record in records}
    old = {}
    if previous is not None:
        old = dict(
            ListEntry.objects.filter(version=previous).values_list("entry_id", "content_hash")
        )
        previous.supersede()
        previous.save(update_fields=["status"])
    common = hashes.keys() & old.keys()
    version = ListVersion.objects.create(
        source=source,
        format=importer.format,
        publisher_date=publisher_date,
        imported_at=timezone.now(),
        imported_by=actor,
        sha256=digest,
        files=files,
        entry_count=len(records),
        alias_count=sum(len(record.aliases) for record in records),
        address_count=sum(len(record.addresses) for record in records),
        previous=previous,
        added_count=len(hashes.keys() - old.keys()),
        removed_count=len(old.keys() - hashes.keys()),
        changed_count=sum(1 for entry_id in common if hashes[entry_id] != old[entry_id]),
        stats=dict(sorted(importer.stats.items())),
    )
    _entries_store(version, records, hashes)
    # The new version is in force: re-screen open cases and active licences after the commit.
    from .runs import rescreen_after_list_import

    rescreen_after_list_import(version=version)
    audit_record(
        actor=actor,
        verb=Verb.LIST_VERSION_IMPORTED,
        target=version,
        to_status=version.status,
        payload={
            "source": source.code,
            "format": version.format,
            "files": files,
            "publisher_date": publisher_date,
            "entries": version.entry_count,
            "aliases": version.alias_count,
            "addresses": version.address_count,
            "previous_version": previous.pk if previous else None,
            "added": version.added_count,
            "removed": version.removed_count,
            "changed": version.changed_count,
        },
    )
    list_version_notice_publish(version=version, actor=actor)
    return version


def _entries_store(version: ListVersion, records: list[EntryRecord], hashes: dict) -> None:
    for start in range(0, len(records), BATCH_SIZE):
        batch = records[start : start + BATCH_SIZE]
        entries = ListEntry.objects.bulk_create(
            [
                ListEntry(
                    version=version,
                    entry_id=record.entry_id,
                    schema=record.schema,
                    primary_name=record.primary_name,
                    programmes=record.programmes,
                    countries=record.countries,
                    dates_of_birth=record.dates_of_birth,
                    identifiers=[vars(identifier) for identifier in record.identifiers],
                    addresses=[vars(address) for address in record.addresses],
                    remarks=record.remarks,
                    details=record.details,
                    content_hash=hashes[record.entry_id],
                )
                for record in batch
            ]
        )
        EntryName.objects.bulk_create(
            [
                EntryName(
                    entry=entry, version=version, name=name.name, kind=name.kind, script=name.script
                )
                for entry, record in zip(entries, batch, strict=True)
                for name in record.names
            ],
            batch_size=BATCH_SIZE * 2,
        )


def _file_digests(paths: list[Path]) -> list[dict]:
    files = []
    for path in paths:
        if not path.is_file():
            raise ImportFormatError(path, None, "no such file")
        digest = hashlib.sha256()
        with path.open("rb") as stream:
            for chunk in iter(lambda stream=stream: stream.read(1024 * 1024), b""):
                digest.update(chunk)
        files.append({"name": path.name, "sha256": digest.hexdigest(), "size": path.stat().st_size})
    return files


def _combined_digest(files: list[dict]) -> str:
    """One SHA-256 for the set: over the files' own digests, in name order."""
    if len(files) == 1:
        return files[0]["sha256"]
    joined = "\n".join(
        f"{file['name']} {file['sha256']}" for file in sorted(files, key=lambda file: file["name"])
    )
    return hashlib.sha256(joined.encode()).hexdigest()


# --- fetching from the publisher -----------------------------------------------------------


def list_fetch_urls(*, source_code: str) -> list[str]:
    """Where to fetch a source from: settings.SCREENING_LIST_FETCH_URLS[code] (a URL or a list
    of URLs, for a set such as sdn.csv + add.csv + alt.csv), else the source's fetch_url."""
    configured = getattr(settings, "SCREENING_LIST_FETCH_URLS", {}).get(source_code)
    if configured:
        return [configured] if isinstance(configured, str) else list(configured)
    source = ListSource.objects.filter(code=source_code).first()
    return [source.fetch_url] if source is not None and source.fetch_url else []


def list_fetch(*, source_code: str) -> ListVersion | None:
    """Download a source's configured URL(s) and import them as the system; an unchanged
    download keeps the active version. None when no URL is configured for the source."""
    urls = list_fetch_urls(source_code=source_code)
    if not urls:
        logger.info("No fetch URL is configured for list %s", source_code)
        return None
    with tempfile.TemporaryDirectory(prefix="exportgov-list-") as folder:
        paths = [list_download(url=url, folder=Path(folder)) for url in urls]
        return list_version_import(actor=None, paths=paths, skip_if_unchanged=True)


def list_fetch_all() -> list[str]:
    """Queue a fetch of every source that has a URL configured; returns their codes."""
    from ..tasks import list_fetch as list_fetch_task

    codes = set(getattr(settings, "SCREENING_LIST_FETCH_URLS", {}))
    codes |= set(ListSource.objects.exclude(fetch_url="").values_list("code", flat=True))
    for code in sorted(codes):
        list_fetch_task.delay_on_commit(code)
    return sorted(codes)


def list_download(*, url: str, folder: Path) -> Path:
    """Save one URL into the folder under the URL's own file name (the OFAC CSV importer
    tells the SDN set from the consolidated one by the cons_ prefix of its file names)."""
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in FETCH_SCHEMES:
        raise ListFetchError(f"{url} is not an http(s) or file URL")
    name = Path(urllib.parse.unquote(parsed.path)).name or "download"
    target = folder / name
    timeout = getattr(settings, "SCREENING_LIST_FETCH_TIMEOUT", 120)
    try:
        # The scheme is checked above; the URLs come from settings, not from users.
        with (
            urllib.request.urlopen(url, timeout=timeout) as response,  # noqa: S310
            target.open("wb") as out,
        ):
            shutil.copyfileobj(response, out, length=1024 * 1024)
    except (urllib.error.URLError, OSError) as exc:
        raise ListFetchError(f"Could not download {url}: {exc}") from exc
    if target.stat().st_size > FETCH_MAX_BYTES:
        raise ListFetchError(f"{url} is larger than {FETCH_MAX_BYTES} bytes")
    return target
