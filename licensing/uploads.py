"""Validation of uploaded supporting documents by their content, not their name.

Exporters attach supporting documents that case officers open on their own machines, so the
browser's claimed content type and the file name are both untrusted: a file is accepted only
when its bytes are one of the allowed kinds *and* its name's extension agrees with them (a PNG
named ``report.pdf`` would open in the wrong program, or not at all). Detection is pure Python
(magic numbers and ``zipfile``) so it needs no libmagic on the servers.

Settings, read on every call so tests can override them:

- ``LICENSING_UPLOAD_MAX_BYTES``: largest accepted file, default 10 MiB.
- ``LICENSING_UPLOAD_ALLOWED_TYPES``: MIME types accepted, default every kind in
  ``ALLOWED_KINDS``; it may only narrow that list.
"""

import codecs
import os
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
TEXT = "text/plain"

# Recognised only so the error can say what the file looks like; never accepted.
DOCM = "application/vnd.ms-word.document.macroEnabled.12"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.12"
ZIP = "application/zip"
EXE = "application/vnd.microsoft.portable-executable"
ELF = "application/x-executable"
GIF = "image/gif"
OLE = "application/x-ole-storage"

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

Upload = File | IO[bytes]  # an UploadedFile, a FieldFile or a plain binary stream


@dataclass(frozen=True)
class DocumentKind:
    mime: str
    description: str  # completes "The file looks like ..."
    group: str  # completes "not a PDF, image, ... file"; kinds may share a group
    extensions: tuple[str, ...]


ALLOWED_KINDS: dict[str, DocumentKind] = {
    kind.mime: kind
    for kind in (
        DocumentKind(PDF, "a PDF", "PDF", (".pdf",)),
        DocumentKind(PNG, "a PNG image", "image", (".png",)),
        DocumentKind(JPEG, "a JPEG image", "image", (".jpg", ".jpeg")),
        DocumentKind(DOCX, "a Word document (.docx)", "Word", (".docx",)),
        DocumentKind(XLSX, "an Excel spreadsheet (.xlsx)", "spreadsheet", (".xlsx",)),
        DocumentKind(ODT, "an OpenDocument text file (.odt)", "OpenDocument", (".odt",)),
        # The bytes cannot tell plain text from CSV, so both names fit the one kind.
        DocumentKind(TEXT, "a plain text file", "text", (".txt", ".csv")),
    )
}

_OTHER_DESCRIPTIONS = {
    DOCM: "a macro-enabled Word document (.docm)",
    XLSM: "a macro-enabled Excel workbook (.xlsm)",
    ZIP: "a ZIP archive",
    EXE: "a Windows program",
    ELF: "a Linux program",
    GIF: "a GIF image",
    OLE: "an old-format Office file (.doc or .xls)",
    "application/vnd.oasis.opendocument.spreadsheet": "an OpenDocument spreadsheet (.ods)",
    "application/vnd.oasis.opendocument.presentation": "an OpenDocument presentation (.odp)",
}

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"\x7fELF", ELF),
    (b"MZ", EXE),
)
_ZIP_SIGNATURE = b"PK\x03\x04"
_HEAD_BYTES = 8
_TEXT_CHUNK_BYTES = 64 * 1024
_MIMETYPE_ENTRY_MAX_BYTES = 100
_OPENDOCUMENT_PREFIX = "application/vnd.oasis.opendocument."


def detect_document_type(file: Upload) -> str | None:
    """The MIME type recognised from the file's bytes, or None; the file is left at offset 0.

    Also recognises a few kinds that are never accepted (programs, ZIP archives, old Office
    files, macro-enabled Office files) so the error can say what the file looks like.
    """
    file.seek(0)
    try:
        return _detect(file)
    finally:
        file.seek(0)


def validate_document(file: Upload) -> str:
    """The detected MIME type of an acceptable document; otherwise a user-facing ValidationError.

    Checks, in order: empty, too large, not an allowed kind, and a name whose extension does
    not match the content. A file with no name at all (a bare stream) skips the last check.
    """
    size = _size(file)
    if size == 0:
        raise ValidationError(
            "The file is empty. Check you chose the right file and try again.", code="empty"
        )
    limit = max_upload_bytes()
    if size > limit:
        size_text, limit_text = _human_size(size), _human_size(limit)
        if size_text == limit_text:
            size_text, limit_text = f"{size:,} bytes", f"{limit:,} bytes"
        raise ValidationError(
            f"The file is {size_text}; the limit is {limit_text}.", code="file_too_large"
        )

    mime = detect_document_type(file)
    allowed = allowed_kinds()
    if mime is None:
        raise ValidationError(
            f"The file is not {_accepted_list(allowed)} file.", code="file_type_not_allowed"
        )
    if mime not in allowed:
        raise ValidationError(
            f"The file looks like {_describe(mime)}, which is not accepted. "
            f"Upload {_accepted_list(allowed)} file.",
            code="file_type_not_allowed",
        )
    _check_extension(name=getattr(file, "name", None), kind=allowed[mime])
    return mime


class DocumentField(forms.FileField):
    """A FileField that only accepts allowed documents, checked by content.

    The returned UploadedFile carries `detected_content_type`, the MIME type to store and serve
    the file with, because the browser-supplied `content_type` is whatever the client claimed.
    """

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if isinstance(file, UploadedFile):  # not the stored initial file, nor False for "clear"
            file.detected_content_type = validate_document(file)  # type: ignore[attr-defined]
        return file

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Only a hint for the browser's file picker, computed when the form class is defined.
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            extensions = (ext for kind in allowed_kinds().values() for ext in kind.extensions)
            attrs["accept"] = ",".join(extensions)
        return attrs


def max_upload_bytes() -> int:
    return getattr(settings, "LICENSING_UPLOAD_MAX_BYTES", None) or DEFAULT_MAX_BYTES


def allowed_kinds() -> dict[str, DocumentKind]:
    """The kinds named by `LICENSING_UPLOAD_ALLOWED_TYPES`, in `ALLOWED_KINDS` order."""
    configured = getattr(settings, "LICENSING_UPLOAD_ALLOWED_TYPES", None)
    if configured is None:
        return ALLOWED_KINDS
    unknown = set(configured) - set(ALLOWED_KINDS)
    if not configured or unknown:
        raise ImproperlyConfigured(
            "LICENSING_UPLOAD_ALLOWED_TYPES must list some of "
            f"{sorted(ALLOWED_KINDS)}; these cannot be detected: {sorted(unknown)}"
        )
    return {mime: kind for mime, kind in ALLOWED_KINDS.items() if mime in configured}


def _detect(file: Upload) -> str | None:
    head = file.read(_HEAD_BYTES)
    if not head:
        return None
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    file.seek(0)
    if head.startswith(_ZIP_SIGNATURE):
        return _zip_type(file)
    return TEXT if _is_utf8_text(file) else None


def _zip_type(file: Upload) -> str | None:
    # Only the central directory and the tiny `mimetype` entry are read, never the documents
    # themselves, so a zip bomb costs nothing here.
    try:
        with zipfile.ZipFile(file) as archive:  # type: ignore[arg-type]
            names = {name.lower(): name for name in archive.namelist()}
            if "mimetype" in names:
                with archive.open(names["mimetype"]) as entry:
                    declared = entry.read(_MIMETYPE_ENTRY_MAX_BYTES).decode("ascii").strip()
                if declared.startswith(_OPENDOCUMENT_PREFIX):
                    return declared
            if "word/document.xml" in names:
                return DOCM if "word/vbaproject.bin" in names else DOCX
            if "xl/workbook.xml" in names:
                return XLSM if "xl/vbaproject.bin" in names else XLSX
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, NotImplementedError):
        return None  # damaged, encrypted or oddly compressed: not something we can vouch for
    return ZIP


def _is_utf8_text(file: Upload) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(_TEXT_CHUNK_BYTES):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _check_extension(*, name: str | None, kind: DocumentKind) -> None:
    if not name:
        return
    name = PurePath(name).name
    extension = PurePath(name).suffix.lower()
    if extension in kind.extensions:
        return
    wanted = " or ".join(kind.extensions)
    if not extension:
        raise ValidationError(
            f"The file name “{name}” has no extension, but the file is {kind.description}. "
            f"Rename it to end in {wanted} and upload it again.",
            code="file_extension_mismatch",
        )
    raise ValidationError(
        f"The file is named “{name}” but it is really {kind.description}. "
        f"Rename it to end in {wanted}, or choose the right file.",
        code="file_extension_mismatch",
    )


def _describe(mime: str) -> str:
    if mime in ALLOWED_KINDS:
        return ALLOWED_KINDS[mime].description
    return _OTHER_DESCRIPTIONS.get(mime, f"a file of type {mime}")


def _accepted_list(kinds: dict[str, DocumentKind]) -> str:
    """ "a PDF, image, Word, spreadsheet, OpenDocument or text" for the default kinds."""
    groups = list(dict.fromkeys(kind.group for kind in kinds.values()))
    listed = groups[0] if len(groups) == 1 else f"{', '.join(groups[:-1])} or {groups[-1]}"
    article = "an" if listed[0] in "aeiouAEIOU" else "a"
    return f"{article} {listed}"


def _size(file: Upload) -> int:
    size = getattr(file, "size", None)
    if size is None:
        size = file.seek(0, os.SEEK_END)
        file.seek(0)
    return size


def _human_size(num_bytes: int) -> str:
    """Binary units, as the limit is set in MiB: 12.3 MB, 10 MB, 512 KB, 900 bytes."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if num_bytes >= factor:
            return f"{f'{num_bytes / factor:.1f}'.removesuffix('.0')} {unit}"
    return f"{num_bytes} bytes"
