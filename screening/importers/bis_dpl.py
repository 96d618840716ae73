"""The BIS Denied Persons List text file: tab-separated, quoted, with a header row (Name,
Street_Address, City, State, Country, Postal_Code, Effective_Date, Expiration_Date,
Standard_Order, Last_Update, Action, FR_Citation). A person denied by several orders, or at
several addresses, has several rows; rows with the same name make one entry. The list gives
no ids, so an entry's id is derived from its name."""

import hashlib
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from .base import Importer, Sniff, SourceInfo, csv_rows, decode_text, read_bytes
from .records import UNKNOWN, Address, EntryRecord, ImportFormatError
from .text import clean, country_code

COLUMNS = (
    "Name",
    "Street_Address",
    "City",
    "State",
    "Country",
    "Postal_Code",
    "Effective_Date",
    "Expiration_Date",
    "Standard_Order",
    "Last_Update",
    "Action",
    "FR_Citation",
)


def dpl_entry_id(name: str) -> str:
    key = clean(name).upper()
    return "DPL-" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _us_date(text: str) -> date | None:
    try:
        return datetime.strptime(text, "%m/%d/%Y").date()  # noqa: DTZ007 (a calendar date)
    except ValueError:
        return None


class BisDplImporter(Importer):
    format = "bis_dpl"
    label = "BIS Denied Persons List (tab-separated text)"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        header = head.lstrip("\ufeff").split("\n", 1)[0]
        if "\t" in header and "Street_Address" in header and "Effective_Date" in header:
            return Sniff(cls.format, str(path.resolve()))
        return None

    @property
    def source(self) -> SourceInfo:
        return SourceInfo(
            "us_bis_dpl",
            "BIS Denied Persons List",
            "US Department of Commerce, Bureau of Industry and Security",
        )

    def entries(self) -> Iterator[EntryRecord]:
        (path,) = self.paths
        text = decode_text(path, read_bytes(path), "utf-8-sig")
        rows = csv_rows(path, text, delimiter="\t")
        _line, header = next(rows, (0, []))
        if tuple(clean(cell) for cell in header) != COLUMNS:
            raise ImportFormatError(path, 1, "the header is not the Denied Persons List's")
        records: dict[str, EntryRecord] = {}
        newest: date | None = None
        raw_names: set[str] = set()
        for line, row in rows:
            if len(row) != len(COLUMNS):
                raise ImportFormatError(
                    path, line, f"has {len(row)} fields where the header has {len(COLUMNS)}"
                )
            values = dict(zip(COLUMNS, (clean(cell) for cell in row), strict=True))
            if not values["Name"]:
                raise ImportFormatError(path, line, "has no name")
            effective = _us_date(values["Effective_Date"])
            if values["Effective_Date"] and effective is None:
                raise ImportFormatError(
                    path, line, f"the effective date {values['Effective_Date']!r} is not MM/DD/YYYY"
                )
            newest = max(filter(None, (newest, effective)), default=None)
            self.stats["rows"] += 1
            raw_names.add(row[0])
            self._add_row(records, values)
        self.publisher_date = newest
        # Names as written, before cleaning: " I. ASH" and "I. ASH" are two strings, one person.
        self.stats["distinct_names_as_written"] = len(raw_names)
        yield from records.values()

    def _add_row(self, records: dict[str, EntryRecord], values: dict[str, str]) -> None:
        entry_id = dpl_entry_id(values["Name"])
        record = records.get(entry_id)
        if record is None:
            record = records[entry_id] = EntryRecord(
                entry_id=entry_id, schema=UNKNOWN, primary_name=values["Name"]
            )
            record.details["orders"] = []
        record.add_address(
            Address(
                street=values["Street_Address"],
                city=values["City"],
                region=values["State"],
                postal_code=values["Postal_Code"],
                country=values["Country"],
                country_code=country_code(values["Country"]),
            )
        )
        order = {key.lower(): values[key] for key in COLUMNS[6:] if values[key]}
        if order not in record.details["orders"]:
            record.details["orders"].append(order)
