"""Parsers for the official list formats. Each yields normalised `EntryRecord`s.

`detect(paths)` recognises the format of the files by their content and returns the importer
for them; `detect_groups(paths)` splits a mixed set of files into one importer per list
version (e.g. an OFAC sdn.csv + add.csv + alt.csv, and a UN XML beside them).
"""

from pathlib import Path

from .base import Importer, Sniff, SourceInfo, read_head
from .bis_dpl import BisDplImporter
from .csl import CslImporter
from .eu_xml import EuXmlImporter
from .ofac_csv import OfacCsvImporter
from .ofac_xml import OfacXmlImporter
from .records import EntryRecord, Identifier, ImportFormatError, NameRecord
from .uk_csv import UkCsvImporter
from .un_xml import UnXmlImporter

# Most specific first: the XML formats by their root element, then the headed text formats,
# and last the OFAC CSV files, which have no header and are recognised by their columns.
IMPORTERS: list[type[Importer]] = [
    OfacXmlImporter,
    UnXmlImporter,
    EuXmlImporter,
    CslImporter,
    BisDplImporter,
    UkCsvImporter,
    OfacCsvImporter,
]
IMPORTER_BY_FORMAT = {importer.format: importer for importer in IMPORTERS}

__all__ = [
    "IMPORTERS",
    "EntryRecord",
    "Identifier",
    "ImportFormatError",
    "Importer",
    "NameRecord",
    "SourceInfo",
    "detect",
    "detect_groups",
    "sniff",
]


def sniff(path: Path | str) -> Sniff:
    """The format (and group and role) of one file, recognised by its content."""
    path = Path(path)
    if not path.is_file():
        raise ImportFormatError(path, None, "no such file")
    head = read_head(path)
    for importer in IMPORTERS:
        if found := importer.sniff(path, head):
            return found
    raise ImportFormatError(path, None, "is not in any list format ExportGov reads")


def detect_groups(paths: list[Path | str] | tuple[Path | str, ...]) -> list[Importer]:
    """One importer per list version among the files, in the order the files were given."""
    groups: dict[tuple[str, str], list[Path]] = {}
    for path in paths:
        found = sniff(path)
        groups.setdefault((found.format, found.group), []).append(Path(path))
    return [IMPORTER_BY_FORMAT[format_](files) for (format_, _group), files in groups.items()]


def detect(paths: list[Path | str] | tuple[Path | str, ...]) -> Importer:
    """The importer for files that together make one version of one list."""
    if not paths:
        raise ImportFormatError("(no file)", None, "give at least one file")
    importers = detect_groups(paths)
    if len(importers) > 1:
        names = "; ".join(", ".join(path.name for path in imp.paths) for imp in importers)
        raise ImportFormatError(
            Path(paths[0]), None, f"these files are not one list but {len(importers)}: {names}"
        )
    return importers[0]
