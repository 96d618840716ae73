"""OFAC's legacy CSV sets: the SDN list (sdn.csv, add.csv, alt.csv, sdn_comments.csv) and the
Consolidated non-SDN list (cons_prim.csv, cons_add.csv, cons_alt.csv, cons_comments.csv).

The files are Windows-1252 (Latin-1) text without a header row; `-0-` (often followed by a
space) stands for an empty value; lines end in CRLF and the file in a Ctrl-Z byte. Each file's
role is recognised by its number of columns: 12 for the primary records, 6 for addresses,
5 for aliases and 2 for the remarks that overflow the primary file's 1,000-character field.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .base import Importer, Sniff, SourceInfo, csv_rows, read_bytes, read_head
from .ofac_remarks import remarks_apply
from .records import (
    AIRCRAFT,
    AKA,
    ENTITY,
    FKA,
    NKA,
    PERSON,
    VESSEL,
    Address,
    EntryRecord,
    ImportFormatError,
)
from .text import clean, country_code

PRIMARY, ADDRESS, ALIAS, COMMENTS = "primary", "address", "alias", "comments"
ROLE_BY_COLUMNS = {12: PRIMARY, 6: ADDRESS, 5: ALIAS, 2: COMMENTS}
COLUMNS_BY_ROLE = {role: columns for columns, role in ROLE_BY_COLUMNS.items()}
NULL = "-0-"
SCHEMAS = {"individual": PERSON, "vessel": VESSEL, "aircraft": AIRCRAFT, "": ENTITY}
ALIAS_KINDS = {"aka": AKA, "fka": FKA, "nka": NKA}
SOURCES = {
    "sdn": SourceInfo(
        "us_ofac_sdn",
        "OFAC Specially Designated Nationals (SDN) List",
        "US Treasury, Office of Foreign Assets Control",
    ),
    "cons": SourceInfo(
        "us_ofac_consolidated",
        "OFAC Consolidated (non-SDN) Sanctions List",
        "US Treasury, Office of Foreign Assets Control",
    ),
}
VESSEL_DETAILS = ("call_sign", "vessel_type", "tonnage", "gross_registered_tonnage", "vessel_flag")


def _family(path: Path) -> str:
    """OFAC names the non-SDN set's files cons_*.csv; the layout is the same as the SDN set's."""
    return "cons" if path.name.lower().startswith("cons_") else "sdn"


def _value(cell: str) -> str:
    text = clean(cell)
    return "" if text == NULL else text


def decode(path: Path) -> str:
    data = read_bytes(path)
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined: plain Latin-1 then
        text = data.decode("latin-1")
    return text.rstrip("\x1a\r\n ")


class OfacCsvImporter(Importer):
    format = "ofac_csv"
    label = "OFAC legacy CSV set"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        first_line = head.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
        if not first_line or not first_line.split(",", 1)[0].strip().isdigit():
            return None
        try:
            row = next(csv.reader(io.StringIO(first_line)))
        except (csv.Error, StopIteration):
            return None
        role = ROLE_BY_COLUMNS.get(len(row))
        cells = [_value(cell).lower() for cell in row]
        if (
            role is None
            or (role == PRIMARY and cells[2] not in SCHEMAS)
            or (role in (ADDRESS, ALIAS) and not cells[1].isdigit())
            or (role == ALIAS and cells[2].replace(".", "") not in ALIAS_KINDS)
        ):
            return None
        family = _family(path)
        return Sniff(cls.format, f"{family}:{path.resolve().parent}", role)

    @property
    def source(self) -> SourceInfo:
        return SOURCES[_family(self.paths[0])]

    def entries(self) -> Iterator[EntryRecord]:
        files = self._files_by_role()
        if PRIMARY not in files:
            raise ImportFormatError(
                self.paths[0],
                None,
                "an OFAC CSV set needs its primary file (sdn.csv or cons_prim.csv)",
            )
        records = self._read_primary(files[PRIMARY])
        remarks = {entry_id: record.remarks for entry_id, record in records.items()}
        if ADDRESS in files:
            self._read_addresses(files[ADDRESS], records)
        if ALIAS in files:
            self._read_aliases(files[ALIAS], records)
        if COMMENTS in files:
            self._read_comments(files[COMMENTS], remarks)
        for entry_id, record in records.items():
            record.remarks = remarks[entry_id]
            remarks_apply(record, record.remarks)
            yield record

    def _files_by_role(self) -> dict[str, Path]:
        files: dict[str, Path] = {}
        for path in self.paths:
            sniff = self.sniff(path, read_head(path))
            if sniff is None:
                raise ImportFormatError(path, 1, "is not an OFAC legacy CSV file")
            if sniff.role in files:
                raise ImportFormatError(
                    path, None, f"is a second {sniff.role} file (with {files[sniff.role].name})"
                )
            files[sniff.role] = path
        return files

    def _rows(self, path: Path, role: str) -> Iterator[tuple[int, list[str]]]:
        expected = COLUMNS_BY_ROLE[role]
        for line, row in csv_rows(path, decode(path)):
            if len(row) != expected:
                raise ImportFormatError(
                    path,
                    line,
                    f"has {len(row)} fields where OFAC's {role} file has {expected}",
                )
            if not row[0].strip().isdigit():
                raise ImportFormatError(path, line, f"the entry number {row[0]!r} is not a number")
            self.stats[f"{role}_rows"] += 1
            yield line, [_value(cell) for cell in row]

    def _read_primary(self, path: Path) -> dict[str, EntryRecord]:
        records: dict[str, EntryRecord] = {}
        types: Counter[str] = Counter()
        for line, row in self._rows(path, PRIMARY):
            ent_num, name, sdn_type, programs, title, *vessel, owner, remarks = row
            if not name:
                raise ImportFormatError(path, line, f"entry {ent_num} has no name")
            kind = sdn_type.lower()
            if kind not in SCHEMAS:
                raise ImportFormatError(path, line, f"unknown entry type {sdn_type!r}")
            if ent_num in records:
                raise ImportFormatError(path, line, f"entry number {ent_num} appears twice")
            types[kind or "entity"] += 1
            record = EntryRecord(
                entry_id=ent_num,
                schema=SCHEMAS[kind],
                primary_name=name,
                programmes=[clean(p) for p in re.split(r"\]\s*\[", programs.strip("[] ")) if p],
                remarks=remarks,
            )
            details = dict(zip(VESSEL_DETAILS, vessel, strict=True))
            details.update(title=title, vessel_owner=owner)
            record.details = {key: value for key, value in details.items() if value}
            records[ent_num] = record
        self.stats.update({f"primary_{kind}": count for kind, count in types.items()})
        return records

    def _read_addresses(self, path: Path, records: dict[str, EntryRecord]) -> None:
        entities = set()
        for _line, row in self._rows(path, ADDRESS):
            ent_num, _add_num, street, city, country, note = row
            entities.add(ent_num)
            record = records.get(ent_num)
            if record is None:
                self.stats["address_rows_without_entry"] += 1
                continue
            address = Address(
                street=street,
                city=city,
                country=country,
                country_code=country_code(country),
                note=note,
            )
            record.add_address(address)
        self.stats["address_entities"] = len(entities)

    def _read_aliases(self, path: Path, records: dict[str, EntryRecord]) -> None:
        entities = set()
        for line, row in self._rows(path, ALIAS):
            ent_num, _alt_num, alt_type, alt_name, _alt_remarks = row
            kind = ALIAS_KINDS.get(alt_type.lower().replace(".", ""))
            if kind is None:
                raise ImportFormatError(path, line, f"unknown alias type {alt_type!r}")
            if not alt_name:
                raise ImportFormatError(path, line, f"alias of entry {ent_num} has no name")
            entities.add(ent_num)
            self.stats[f"alias_{alt_type.lower()}"] += 1
            record = records.get(ent_num)
            if record is None:
                self.stats["alias_rows_without_entry"] += 1
                continue
            record.add_name(alt_name, kind)
        self.stats["alias_entities"] = len(entities)

    def _read_comments(self, path: Path, remarks: dict[str, str]) -> None:
        text = decode(path)
        for line, row in csv_rows(path, text):
            if len(row) != COLUMNS_BY_ROLE[COMMENTS] or not row[0].strip().isdigit():
                raise ImportFormatError(path, line, "is not an OFAC remarks-overflow row")
            self.stats["comments_rows"] += 1
            ent_num, overflow = row[0].strip(), row[1]
            if ent_num in remarks:
                # The primary file cut the remarks at 1,000 characters, mid-word: join as is.
                remarks[ent_num] = remarks[ent_num] + overflow
            else:
                self.stats["comments_rows_without_entry"] += 1


def ofac_csv_component_read(path: Path) -> tuple[str, list[list[str]]]:
    """Read one file of a set on its own (its role and its rows, `-0-` made empty):
    for checking a file such as an alt.csv whose primary file is not at hand."""
    importer = OfacCsvImporter([path])
    role = importer._files_by_role()
    (role_name,) = role
    return role_name, [row for _line, row in importer._rows(path, role_name)]
