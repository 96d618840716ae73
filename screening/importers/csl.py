"""The trade.gov Consolidated Screening List CSV (plain or gzipped): UTF-8 with a header row,
one row per listing of one of 13 US export-control and sanctions lists (SDN, Entity List,
Denied Persons, Unverified, Military End User, ...). Cells holding several values separate
them with `;`; an `ids` value reads "country, [issue date, expiry date,] number, type"."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from .base import Importer, Sniff, SourceInfo, csv_rows, decode_text, read_bytes
from .records import (
    AIRCRAFT,
    AKA,
    ENTITY,
    PERSON,
    UNKNOWN,
    VESSEL,
    Address,
    EntryRecord,
    Identifier,
    ImportFormatError,
)
from .text import clean, country_code, partial_dates, split_list

REQUIRED = ("_id", "source", "name", "alt_names", "addresses", "ids")
SCHEMAS = {
    "individual": PERSON,
    "entity": ENTITY,
    "vessel": VESSEL,
    "aircraft": AIRCRAFT,
    "": UNKNOWN,
}
DETAIL_COLUMNS = (
    "title",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "source_list_url",
    "source_information_url",
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def list_code(source: str) -> str:
    """The short code of a CSL source: "Entity List (EL) - Bureau ..." gives "EL"."""
    found = re.search(r"\(([^)]+)\)", source)
    return (found.group(1) if found else source).replace(" List", "").replace(" ", "_")


class CslImporter(Importer):
    format = "trade_gov_csl"
    label = "trade.gov Consolidated Screening List CSV"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        header = head.lstrip("\ufeff").lstrip("ï»¿").split("\n", 1)[0]
        if header.startswith("_id,") and "entity_number" in header and "alt_names" in header:
            return Sniff(cls.format, str(path.resolve()))
        return None

    @property
    def source(self) -> SourceInfo:
        return SourceInfo(
            "us_csl",
            "US Consolidated Screening List (trade.gov)",
            "US Department of Commerce, International Trade Administration",
        )

    def entries(self) -> Iterator[EntryRecord]:
        (path,) = self.paths
        data = read_bytes(path)
        self.publisher_date = _gzip_date(path)
        rows = csv_rows(path, decode_text(path, data, "utf-8-sig"))
        _line, header = next(rows, (0, []))
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise ImportFormatError(path, 1, f"the header lacks the columns {', '.join(missing)}")
        seen: dict[str, int] = {}
        for line, row in rows:
            if len(row) != len(header):
                raise ImportFormatError(
                    path, line, f"has {len(row)} fields where the header has {len(header)}"
                )
            yield self._record(path, line, dict(zip(header, row, strict=True)), seen)

    def _record(self, path: Path, line: int, row: dict, seen: dict[str, int]) -> EntryRecord:
        name, code = clean(row["name"]), list_code(row["source"])
        kind = clean(row.get("type")).lower()
        if not name or not row["_id"] or kind not in SCHEMAS:
            problem = "has no name" if not name else "has no _id" if not row["_id"] else ""
            raise ImportFormatError(path, line, problem or f"unknown type {row['type']!r}")
        self.stats["rows"] += 1
        self.stats[f"list_{code}"] += 1
        entry_id = f"{code}-{clean(row['_id'])}"
        # A list can carry the same listing twice (differing only in a URL): keep both rows.
        seen[entry_id] = seen.get(entry_id, 0) + 1
        if seen[entry_id] > 1:
            entry_id = f"{entry_id}-{seen[entry_id]}"
        record = EntryRecord(
            entry_id=entry_id,
            schema=SCHEMAS[kind],
            primary_name=name,
            programmes=split_list(row.get("programs")),
            remarks=clean(row.get("remarks")),
        )
        record.details = {"list": code, "source": clean(row["source"])}
        record.details.update({c: clean(row[c]) for c in DETAIL_COLUMNS if clean(row.get(c))})
        for alias in split_list(row["alt_names"]):
            self.stats["alt_names"] += 1
            record.add_name(alias, AKA)
        for column in ("citizenships", "nationalities"):
            for value in split_list(row.get(column)):
                record.add_country(country_code(value))
        for value in split_list(row.get("dates_of_birth")):
            for day in partial_dates(value):
                record.add_unique("dates_of_birth", day)
        places = split_list(row.get("places_of_birth"))
        if places:
            record.details["places_of_birth"] = places
        for text in split_list(row["addresses"]):
            record.add_address(_address(text))
        for text in split_list(row["ids"]):
            if identifier := _identifier(text):
                record.add_unique("identifiers", identifier)
        return record


def _address(text: str) -> Address:
    """ "street, city, [state,] [postal code,] CC": the country code is the last part."""
    parts = [part.strip() for part in text.split(",")]
    code = country_code(parts[-1]) if len(parts[-1]) == 2 else ""
    if code:
        parts = parts[:-1]
    return Address(street=", ".join(parts), country=code, country_code=code)


def _identifier(text: str) -> Identifier | None:
    parts = [part.strip() for part in text.split(",")]
    if len(parts) < 2 or not parts[-2] or ":" in parts[-1]:
        return None
    country = country_code(parts[0]) if len(parts) > 2 and len(parts[0]) == 2 else ""
    dates = [part for part in parts[1:-2] if _DATE.match(part)]
    return Identifier(type=parts[-1], value=parts[-2], country=country, note=" to ".join(dates))


def _gzip_date(path: Path):
    """The date in a gzip header (when the publisher compressed the file), if any."""
    with path.open("rb") as raw:
        header = raw.read(8)
    if header[:2] != b"\x1f\x8b":
        return None
    stamp = int.from_bytes(header[4:8], "little")
    return datetime.fromtimestamp(stamp, tz=UTC).date() if stamp else None
