"""What every importer shares: opening (possibly compressed) files, safe XML and CSV reading."""

import csv
import gzip
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, ClassVar

from lxml import etree

from .records import EntryRecord, ImportFormatError
from .text import clean

HEAD_BYTES = 16 * 1024
# A zip or gzip member that expands beyond this is refused rather than read (decompression bomb).
MAX_EXPANDED_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class SourceInfo:
    code: str
    name: str
    publisher: str


@dataclass(frozen=True)
class Sniff:
    """What detection learnt from one file: its format, the group of files that make one
    version together (e.g. the sdn.csv, add.csv and alt.csv of one folder) and its role."""

    format: str
    group: str
    role: str = ""


class Importer:
    """Reads the file(s) of one version of one list. Subclasses set `format` and `label`,
    recognise their files in `sniff` and yield records from `entries`."""

    format: ClassVar[str]
    label: ClassVar[str]

    def __init__(self, paths: Iterable[Path | str]):
        self.paths = [Path(path) for path in paths]
        self.stats: Counter[str] = Counter()
        self.publisher_date: date | None = None

    def __repr__(self):
        return f"<{type(self).__name__} {[path.name for path in self.paths]}>"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        """Recognise a file by its content; `head` is its first bytes, decoded as Latin-1."""
        raise NotImplementedError

    @property
    def source(self) -> SourceInfo:
        raise NotImplementedError

    def entries(self) -> Iterator[EntryRecord]:
        raise NotImplementedError

    def parse(self) -> list[EntryRecord]:
        """Every entry, checked to have a distinct id."""
        records = []
        seen: set[str] = set()
        for record in self.entries():
            if record.entry_id in seen:
                raise ImportFormatError(
                    self.paths[0], None, f"entry id {record.entry_id} appears twice"
                )
            seen.add(record.entry_id)
            records.append(record)
        return records


# --- files ---------------------------------------------------------------------------------


def open_binary(path: Path) -> IO[bytes]:
    """The file's content, gunzipped or taken out of a one-list ZIP archive if need be."""
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise ImportFormatError(path, None, f"cannot be read ({exc.strerror})") from exc
    magic = raw.read(4)
    raw.seek(0)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if magic == b"PK\x03\x04":
        return _zip_member(path, raw)
    return raw


def _zip_member(path: Path, raw: IO[bytes]) -> IO[bytes]:
    try:
        archive = zipfile.ZipFile(raw)
    except zipfile.BadZipFile as exc:
        raise ImportFormatError(path, None, f"is not a readable ZIP archive ({exc})") from exc
    members = [info for info in archive.infolist() if not info.is_dir()]
    if not members:
        raise ImportFormatError(path, None, "the ZIP archive is empty")
    member = max(members, key=lambda info: info.file_size)
    if member.file_size > MAX_EXPANDED_BYTES:
        raise ImportFormatError(path, None, f"{member.filename} is too large to import")
    return archive.open(member)


def read_bytes(path: Path) -> bytes:
    with open_binary(path) as stream:
        try:
            data = stream.read(MAX_EXPANDED_BYTES + 1)
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise ImportFormatError(path, None, f"cannot be decompressed ({exc})") from exc
    if len(data) > MAX_EXPANDED_BYTES:
        raise ImportFormatError(path, None, "is too large to import")
    return data


def read_head(path: Path) -> str:
    with open_binary(path) as stream:
        try:
            return stream.read(HEAD_BYTES).decode("latin-1")
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise ImportFormatError(path, None, f"cannot be decompressed ({exc})") from exc


def decode_text(path: Path, data: bytes, encoding: str) -> str:
    """Decode, naming the line of the first byte that is not valid in the encoding."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(path, line, f"is not valid {encoding} text") from exc


# --- CSV -----------------------------------------------------------------------------------


def csv_rows(path: Path, text: str, **options) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) for every non-blank row; a broken quote names its line."""
    reader = csv.reader(io.StringIO(text, newline=""), **options)
    try:
        for row in reader:
            if row and any(cell.strip() for cell in row):
                yield reader.line_num, row
    except csv.Error as exc:
        raise ImportFormatError(path, reader.line_num, f"is not valid CSV ({exc})") from exc


# --- XML -----------------------------------------------------------------------------------


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def xml_elements(path: Path, tags: Iterable[str]) -> Iterator[etree._Element]:
    """Stream the elements with these (namespace-free) tags, parsed safely: no entity
    expansion, no DTD loading, no network. Each element is freed once the caller moves on."""
    if "<!ENTITY" in read_head(path):
        raise ImportFormatError(path, None, "declares XML entities, which are not accepted")
    wanted = [f"{{*}}{tag}" for tag in tags]
    with open_binary(path) as stream:
        context = etree.iterparse(
            stream,
            events=("end",),
            tag=wanted,
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
        )
        try:
            for _event, element in context:
                yield element
                element.clear(keep_tail=True)
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as exc:
            message = exc.msg if hasattr(exc, "msg") else str(exc)
            raise ImportFormatError(
                path, exc.lineno, f"is not well-formed XML ({message})"
            ) from exc
        except (OSError, EOFError, zipfile.BadZipFile) as exc:
            raise ImportFormatError(path, None, f"cannot be decompressed ({exc})") from exc


def child_text(element: etree._Element, tag: str) -> str:
    """The cleaned text of the first child with this local name ("" if none)."""
    for child in element:
        if isinstance(child.tag, str) and local_name(child) == tag:
            return clean(child.text)
    return ""


def children(element: etree._Element, tag: str) -> list[etree._Element]:
    return [child for child in element if isinstance(child.tag, str) and local_name(child) == tag]


def descendants(element: etree._Element, tag: str) -> list[etree._Element]:
    return list(element.iter(f"{{*}}{tag}"))
