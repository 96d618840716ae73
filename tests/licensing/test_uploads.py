"""Supporting-document uploads are judged by their bytes. Files are built in memory: no database."""

import io
import re
import zipfile

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from licensing.uploads import (
    DOCX,
    JPEG,
    ODT,
    PDF,
    PNG,
    TEXT,
    XLSX,
    DocumentField,
    detect_document_type,
    validate_document,
)

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n"
    b"%%EOF\n"
)
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64  # legacy .doc/.xls
EXE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@pytest.fixture(autouse=True)
def _default_limits(settings):
    """Pin the defaults so a local settings file cannot change the answers."""
    settings.LICENSING_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    settings.LICENSING_UPLOAD_ALLOWED_TYPES = None


def _image(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), color=(200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if stored_first:  # OpenDocument wants `mimetype` first and uncompressed
            archive.writestr(stored_first, entries.pop(stored_first), zipfile.ZIP_STORED)
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx(*, macros: bool = False) -> bytes:
    entries = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
        "word/document.xml": b'<?xml version="1.0"?><w:document/>',
    }
    if macros:
        entries["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    return _zip(entries)


def _xlsx() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
        }
    )


def _odt(mimetype: bytes = ODT.encode()) -> bytes:
    return _zip(
        {"mimetype": mimetype, "content.xml": b'<?xml version="1.0"?><office:document-content/>'},
        stored_first="mimetype",
    )


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "build", "mime"),
    [
        ("licence-terms.pdf", lambda: MINIMAL_PDF, PDF),
        ("diagram.png", lambda: _image("PNG"), PNG),
        ("photo.jpg", lambda: _image("JPEG"), JPEG),
        ("photo.JPEG", lambda: _image("JPEG"), JPEG),
        ("end-user-statement.docx", _docx, DOCX),
        ("parts-list.xlsx", _xlsx, XLSX),
        ("letter.odt", _odt, ODT),
        ("notes.txt", lambda: "Export of 3 units to Zürich.\r\n".encode(), TEXT),
        ("parts.csv", lambda: b"part,quantity\nencoder,3\n", TEXT),
    ],
)
def test_validate_document_accepts_allowed_kinds_by_content(name, build, mime):
    upload = _upload(name, build())
    assert detect_document_type(upload) == mime
    assert validate_document(upload) == mime


def test_detect_document_type_leaves_the_file_at_the_start():
    upload = _upload("terms.pdf", MINIMAL_PDF)
    upload.read(3)
    assert detect_document_type(upload) == PDF
    assert upload.tell() == 0
    assert upload.read() == MINIMAL_PDF


def test_detect_document_type_returns_none_for_unrecognised_bytes():
    assert detect_document_type(io.BytesIO(b"")) is None
    assert detect_document_type(io.BytesIO(b"caf\xe9 latin-1")) is None
    assert detect_document_type(io.BytesIO("UTF-16 text".encode("utf-16"))) is None
    assert detect_document_type(io.BytesIO(b"PK\x03\x04 not really a zip")) is None


def test_validate_document_reads_a_temporary_uploaded_file_from_disk():
    upload = TemporaryUploadedFile("statement.docx", "application/octet-stream", 0, None)
    upload.write(_docx())
    upload.size = upload.tell()
    try:
        assert validate_document(upload) == DOCX
        assert upload.tell() == 0
    finally:
        upload.close()


def test_validate_document_accepts_a_bare_stream_without_a_name():
    assert validate_document(io.BytesIO(MINIMAL_PDF)) == PDF


def test_validate_document_rejects_an_exe_renamed_to_pdf():
    with pytest.raises(ValidationError) as excinfo:
        validate_document(_upload("report.pdf", EXE_HEADER))
    assert excinfo.value.code == "file_type_not_allowed"
    assert excinfo.value.messages == [
        "The file looks like a Windows program, which is not accepted. "
        "Upload a PDF, image, Word, spreadsheet, OpenDocument or text file."
    ]


def test_validate_document_rejects_a_png_named_pdf():
    with pytest.raises(ValidationError) as excinfo:
        validate_document(_upload("report.pdf", _image("PNG")))
    assert excinfo.value.code == "file_extension_mismatch"
    assert excinfo.value.messages == [
        "The file is named “report.pdf” but it is really a PNG image. "
        "Rename it to end in .png, or choose the right file."
    ]


def test_validate_document_rejects_text_named_as_a_web_page():
    with pytest.raises(ValidationError, match=r"named “page.html” but it is really a plain text"):
        validate_document(_upload("page.html", b"<script>alert(1)</script>"))


def test_validate_document_rejects_a_name_without_extension():
    with pytest.raises(ValidationError, match=r"“README” has no extension.*\.txt or \.csv"):
        validate_document(_upload("README", b"hello\n"))


@pytest.mark.parametrize(
    ("name", "content", "looks_like"),
    [
        ("macros.docx", _docx(macros=True), "a macro-enabled Word document (.docm)"),
        ("bundle.zip", _zip({"a.txt": b"a"}), "a ZIP archive"),
        ("old.doc", OLE_HEADER, "an old-format Office file (.doc or .xls)"),
        (
            "sheet.ods",
            _odt(b"application/vnd.oasis.opendocument.spreadsheet"),
            "an OpenDocument spreadsheet (.ods)",
        ),
        ("anim.gif", _image("GIF"), "a GIF image"),
    ],
)
def test_validate_document_says_what_a_refused_file_looks_like(name, content, looks_like):
    with pytest.raises(ValidationError, match=re.escape(f"looks like {looks_like},")) as excinfo:
        validate_document(_upload(name, content))
    assert excinfo.value.code == "file_type_not_allowed"


def test_validate_document_rejects_unrecognised_bytes():
    with pytest.raises(ValidationError) as excinfo:
        validate_document(_upload("data.txt", b"binary\x00data"))
    assert excinfo.value.messages == [
        "The file is not a PDF, image, Word, spreadsheet, OpenDocument or text file."
    ]


def test_validate_document_rejects_an_empty_file():
    with pytest.raises(ValidationError, match="The file is empty") as excinfo:
        validate_document(_upload("empty.pdf", b""))
    assert excinfo.value.code == "empty"


def test_validate_document_rejects_a_file_over_the_default_limit():
    with pytest.raises(ValidationError) as excinfo:
        validate_document(_upload("scan.pdf", MINIMAL_PDF + b"0" * 12_900_000))
    assert excinfo.value.code == "file_too_large"
    assert excinfo.value.messages == ["The file is 12.3 MB; the limit is 10 MB."]


def test_validate_document_reads_the_limit_from_settings(settings):
    settings.LICENSING_UPLOAD_MAX_BYTES = 1024
    validate_document(_upload("terms.pdf", MINIMAL_PDF.ljust(1024, b"\n")))
    with pytest.raises(ValidationError, match=r"^\['The file is 1.5 KB; the limit is 1 KB.'\]$"):
        validate_document(_upload("terms.pdf", MINIMAL_PDF.ljust(1536, b"\n")))


def test_validate_document_gives_bytes_when_rounding_would_hide_the_excess(settings):
    settings.LICENSING_UPLOAD_MAX_BYTES = 2048
    with pytest.raises(ValidationError, match="is 2,049 bytes; the limit is 2,048 bytes"):
        validate_document(_upload("terms.pdf", MINIMAL_PDF.ljust(2049, b"\n")))


def test_validate_document_reads_allowed_types_from_settings(settings):
    settings.LICENSING_UPLOAD_ALLOWED_TYPES = [PDF]
    assert validate_document(_upload("terms.pdf", MINIMAL_PDF)) == PDF
    with pytest.raises(ValidationError, match=r"looks like a PNG image.*Upload a PDF file"):
        validate_document(_upload("diagram.png", _image("PNG")))

    settings.LICENSING_UPLOAD_ALLOWED_TYPES = ["application/x-shockwave-flash"]
    with pytest.raises(ImproperlyConfigured):
        validate_document(_upload("terms.pdf", MINIMAL_PDF))


class SupportingDocumentForm(forms.Form):
    document = DocumentField()
    optional = DocumentField(required=False)


def test_document_field_stores_the_detected_content_type():
    upload = SimpleUploadedFile("diagram.png", _image("PNG"), content_type="application/pdf")
    form = SupportingDocumentForm(data={}, files={"document": upload})

    assert form.is_valid(), form.errors
    cleaned = form.cleaned_data["document"]
    assert cleaned is upload
    assert cleaned.detected_content_type == PNG
    assert cleaned.content_type == "application/pdf"  # what the browser claimed, untouched
    assert form.cleaned_data["optional"] is None


def test_document_field_reports_the_error_on_the_field():
    form = SupportingDocumentForm(data={}, files={"document": _upload("report.pdf", EXE_HEADER)})

    assert not form.is_valid()
    assert form.errors["document"] == [
        "The file looks like a Windows program, which is not accepted. "
        "Upload a PDF, image, Word, spreadsheet, OpenDocument or text file."
    ]


def test_document_field_hints_the_accepted_extensions_to_the_browser():
    html = str(SupportingDocumentForm()["document"])
    assert 'accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.txt,.csv"' in html
