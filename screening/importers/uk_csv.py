"""The UK OFSI Consolidated List CSV (ConList.csv), written against its published layout:
a first line with the date ("Last Updated,28/02/2024"), then the header

    Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script Type,
    Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport Number,
    Passport Details,National Identification Number,National Identification Details,Position,
    Address 1,...,Address 6,Post/Zip Code,Country,Other Information,Group Type,Alias Type,
    Alias Quality,Regime,Listed On,UK Sanctions List Date Designated,Last Updated,Group ID

and one row per name: the rows of one Group ID are one entry. Name 6 is the family name (or
the whole name of an entity), Name 1-5 the other names. Dates are DD/MM/YYYY with 00 for an
unknown day or month; cells listing several values number them "(1) ... (2) ...".
"""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from .base import Importer, Sniff, SourceInfo, csv_rows, decode_text, read_bytes
from .records import (
    AKA,
    ENTITY,
    FKA,
    LOW_QUALITY,
    NKA,
    ORIGINAL_SCRIPT,
    PERSON,
    PRIMARY,
    UNKNOWN,
    VESSEL,
    Address,
    EntryRecord,
    Identifier,
    ImportFormatError,
    NameRecord,
)
from .text import clean, country_code, partial_dates

REQUIRED = ("Name 6", "Name 1", "DOB", "Group Type", "Alias Type", "Regime", "Group ID")
SCHEMAS = {"individual": PERSON, "entity": ENTITY, "ship": VESSEL}
ALIAS_KINDS = {
    "primary name": PRIMARY,
    "primary name variation": AKA,
    "alias": AKA,
    "aka": AKA,
    "fka": FKA,
    "nka": NKA,
}
_NUMBERED = re.compile(r"\(\d+\)")
_DAY = re.compile(r"(\d{2})/(\d{2})/(\d{4})")


def numbered(text: str) -> list[str]:
    """ "(1) Russia (2) Ukraine" gives ["Russia", "Ukraine"]; plain text gives [text]."""
    return [part for part in (clean(piece).strip(" ,") for piece in _NUMBERED.split(text)) if part]


class UkCsvImporter(Importer):
    format = "uk_ofsi_csv"
    label = "UK OFSI Consolidated List CSV"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        lines = head.lstrip("\ufeff").split("\n", 2)
        if any(line.startswith("Name 6,Name 1,") for line in lines[:2]):
            return Sniff(cls.format, str(path.resolve()))
        return None

    @property
    def source(self) -> SourceInfo:
        return SourceInfo(
            "uk_ofsi",
            "UK Consolidated List of Financial Sanctions Targets",
            "HM Treasury, Office of Financial Sanctions Implementation",
        )

    def entries(self) -> Iterator[EntryRecord]:
        (path,) = self.paths
        rows = csv_rows(path, decode_text(path, read_bytes(path), "utf-8-sig"))
        _line, header = next(rows, (0, []))
        if header and header[0] != "Name 6":
            if found := _DAY.search(",".join(header)):
                day, month, year = (int(part) for part in found.groups())
                self.publisher_date = date(year, month, day)
            _line, header = next(rows, (0, []))
        header = [clean(cell) for cell in header]
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise ImportFormatError(path, _line, f"the header lacks {', '.join(missing)}")
        groups: dict[str, EntryRecord] = {}
        for line, row in rows:
            if len(row) != len(header):
                raise ImportFormatError(
                    path, line, f"has {len(row)} fields where the header has {len(header)}"
                )
            self._add_row(
                path, line, dict(zip(header, (clean(c) for c in row), strict=True)), groups
            )
        for record in groups.values():
            if not any(name.kind == PRIMARY for name in record.names):
                record.names.insert(0, NameRecord(record.primary_name, PRIMARY))
            yield record

    def _add_row(self, path: Path, line: int, row: dict, groups: dict) -> None:
        group_id = row["Group ID"]
        names = [row.get(f"Name {n}", "") for n in (1, 2, 3, 4, 5, 6)]
        name = " ".join(part for part in names if part)
        if not group_id or not name:
            raise ImportFormatError(path, line, "has no Group ID" if not name else "has no name")
        alias_type = row["Alias Type"].lower()
        kind = ALIAS_KINDS.get(alias_type) if alias_type else PRIMARY
        if kind is None:
            raise ImportFormatError(path, line, f"unknown Alias Type {row['Alias Type']!r}")
        group_type = row["Group Type"].lower()
        if group_type not in SCHEMAS and group_type:
            raise ImportFormatError(path, line, f"unknown Group Type {row['Group Type']!r}")
        self.stats["rows"] += 1
        record = groups.get(group_id)
        if record is None:
            record = groups[group_id] = EntryRecord(
                entry_id=group_id,
                schema=SCHEMAS.get(group_type, UNKNOWN),
                primary_name=name,
                names=[NameRecord(name, PRIMARY)] if kind == PRIMARY else [NameRecord(name, AKA)],
            )
            self.stats["groups"] += 1
        elif kind == PRIMARY and not any(n.kind == PRIMARY for n in record.names):
            record.primary_name = name
            record.names.insert(0, NameRecord(name, PRIMARY))
        elif kind == PRIMARY:
            record.add_name(name, AKA)
        if kind != PRIMARY:
            low = row.get("Alias Quality", "").lower() == "low"
            record.add_name(name, LOW_QUALITY if low else kind)
        record.add_name(row.get("Name Non-Latin Script"), ORIGINAL_SCRIPT)
        self._attributes(row, record)

    def _attributes(self, row: dict, record: EntryRecord) -> None:
        record.add_unique("programmes", row["Regime"])
        for day in partial_dates(row["DOB"]):
            record.add_unique("dates_of_birth", day)
        for nationality in numbered(row.get("Nationality", "")):
            record.add_country(country_code(nationality))
        record.add_country(country_code(row.get("Country of Birth")))
        for column, kind in (
            ("Passport Number", "Passport"),
            ("National Identification Number", "National Identification Number"),
        ):
            for number in numbered(row.get(column, "")):
                record.add_unique("identifiers", Identifier(type=kind, value=number))
        street = ", ".join(
            row.get(f"Address {n}", "") for n in range(1, 7) if row.get(f"Address {n}")
        )
        record.add_address(
            Address(
                street=street,
                postal_code=row.get("Post/Zip Code", ""),
                country=row.get("Country", ""),
                country_code=country_code(row.get("Country")),
            )
        )
        if row.get("Other Information") and row["Other Information"] not in record.remarks:
            record.remarks = clean(f"{record.remarks} {row['Other Information']}")
        for key, column in (
            ("title", "Title"),
            ("position", "Position"),
            ("town_of_birth", "Town of Birth"),
            ("listed_on", "Listed On"),
            ("uk_designated_on", "UK Sanctions List Date Designated"),
            ("last_updated", "Last Updated"),
        ):
            if row.get(column) and key not in record.details:
                record.details[key] = row[column]
