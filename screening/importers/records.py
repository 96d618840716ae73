"""The normalised shape every importer yields, whatever the publisher's format."""

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .text import clean, name_script

# Kinds and schemas are the values of screening.models.EntryName.Kind and Schema; they are
# repeated as plain strings so that the parsers need no Django.
PRIMARY, AKA, FKA, NKA, LOW_QUALITY, ORIGINAL_SCRIPT = (
    "primary",
    "aka",
    "fka",
    "nka",
    "low_quality",
    "original_script",
)
PERSON, ENTITY, VESSEL, AIRCRAFT, UNKNOWN = "person", "entity", "vessel", "aircraft", "unknown"


class ImportFormatError(Exception):
    """A file is not what its format promises. The message names the file and the line
    (or the element) so that whoever supplied it can find the fault."""

    def __init__(self, path: Path | str, line: int | None, problem: str, *, where: str = ""):
        self.file = Path(path).name
        self.line = line
        self.problem = problem
        place = ", ".join(part for part in (where, f"line {line}" if line else "") if part)
        super().__init__(f"{self.file}{', ' + place if place else ''}: {problem}")


@dataclass
class NameRecord:
    name: str
    kind: str
    script: str = ""

    def __post_init__(self):
        self.name = clean(self.name)
        if not self.script:
            self.script = name_script(self.name)


@dataclass
class Identifier:
    type: str
    value: str
    country: str = ""  # ISO-2 where derivable
    note: str = ""


@dataclass
class Address:
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""  # as published
    country_code: str = ""  # ISO-2 where derivable
    note: str = ""

    def is_empty(self) -> bool:
        return not any(
            (self.street, self.city, self.region, self.postal_code, self.country, self.country_code)
        )


@dataclass
class EntryRecord:
    entry_id: str
    schema: str
    primary_name: str
    names: list[NameRecord] = field(default_factory=list)  # the primary name first
    programmes: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    dates_of_birth: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    remarks: str = ""
    details: dict = field(default_factory=dict)

    def __post_init__(self):
        self.primary_name = clean(self.primary_name)
        if not self.names:
            self.names = [NameRecord(self.primary_name, PRIMARY)]

    @property
    def aliases(self) -> list[NameRecord]:
        return [name for name in self.names if name.kind != PRIMARY]

    def add_name(self, name: str | None, kind: str) -> None:
        """Add an alias unless it is empty or already there with the same kind."""
        record = NameRecord(name or "", kind)
        if record.name and all(
            (known.name, known.kind) != (record.name, record.kind) for known in self.names
        ):
            self.names.append(record)

    def add_country(self, code: str) -> None:
        if code and code not in self.countries:
            self.countries.append(code)

    def add_unique(self, attribute: str, value) -> None:
        values = getattr(self, attribute)
        if value and value not in values:
            values.append(value)

    def add_address(self, address: Address) -> None:
        if not address.is_empty() and address not in self.addresses:
            self.addresses.append(address)
            self.add_country(address.country_code)

    def as_dict(self) -> dict:
        return asdict(self)

    def content_hash(self) -> str:
        """SHA-256 of everything the entry says, to tell a changed entry from an unchanged one."""
        message = json.dumps(self.as_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(message.encode()).hexdigest()
