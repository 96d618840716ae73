"""The UN Security Council Consolidated List XML (root `CONSOLIDATED_LIST`, see the UN's
sc-sanctions.xsd): INDIVIDUALS/INDIVIDUAL and ENTITIES/ENTITY, with aliases of quality
Good / Low / a.k.a. / f.k.a., names in original script, addresses, dates and places of birth
and documents."""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from .base import Importer, Sniff, SourceInfo, child_text, children, read_head, xml_elements
from .records import (
    AKA,
    ENTITY,
    FKA,
    LOW_QUALITY,
    NKA,
    ORIGINAL_SCRIPT,
    PERSON,
    Address,
    EntryRecord,
    Identifier,
    ImportFormatError,
)
from .text import clean, country_code, partial_dates

ALIAS_KINDS = {"good": AKA, "a.k.a.": AKA, "low": LOW_QUALITY, "f.k.a.": FKA, "n.k.a.": NKA}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


class UnXmlImporter(Importer):
    format = "un_xml"
    label = "UN Security Council Consolidated List XML"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        if "<CONSOLIDATED_LIST" in head:
            return Sniff(cls.format, str(path.resolve()))
        return None

    @property
    def source(self) -> SourceInfo:
        return SourceInfo(
            "un_sc", "UN Security Council Consolidated List", "United Nations Security Council"
        )

    def entries(self) -> Iterator[EntryRecord]:
        (path,) = self.paths
        if generated := re.search(r'dateGenerated="(\d{4}-\d{2}-\d{2})', read_head(path)):
            self.publisher_date = date.fromisoformat(generated.group(1))
        for element in xml_elements(path, ("INDIVIDUAL", "ENTITY")):
            tag = etree.QName(element).localname
            yield self._record(path, element, PERSON if tag == "INDIVIDUAL" else ENTITY)

    def _record(self, path: Path, element: etree._Element, schema: str) -> EntryRecord:
        tag = "INDIVIDUAL" if schema == PERSON else "ENTITY"
        data_id = child_text(element, "DATAID")
        if not data_id:
            raise ImportFormatError(path, element.sourceline, "has no DATAID", where=f"<{tag}>")
        name = " ".join(part for part in (child_text(element, p) for p in NAME_PARTS) if part)
        if not name:
            raise ImportFormatError(
                path, element.sourceline, f"{data_id} has no FIRST_NAME", where=f"<{tag}>"
            )
        self.stats[f"{schema}s"] += 1
        record = EntryRecord(
            entry_id=data_id,
            schema=schema,
            primary_name=name,
            programmes=[child_text(element, "UN_LIST_TYPE")],
            remarks=child_text(element, "COMMENTS1"),
        )
        for original in children(element, "NAME_ORIGINAL_SCRIPT"):
            self.stats["original_script_names"] += bool(clean(original.text))
            record.add_name(original.text, ORIGINAL_SCRIPT)
        self._aliases(path, element, record, f"{tag}_ALIAS")
        for nationality in children(element, "NATIONALITY"):
            for value in _values(nationality):
                record.details.setdefault("nationalities", []).append(value)
                record.add_country(country_code(value))
        for address in children(element, f"{tag}_ADDRESS"):
            record.add_address(_address(address))
        for birth in children(element, "INDIVIDUAL_DATE_OF_BIRTH"):
            for day in _birth_dates(birth):
                record.add_unique("dates_of_birth", day)
        for place in children(element, "INDIVIDUAL_PLACE_OF_BIRTH"):
            _birth_place(place, record)
        for document in children(element, "INDIVIDUAL_DOCUMENT"):
            if identifier := _document(document):
                record.add_unique("identifiers", identifier)
                record.add_country(identifier.country)
        details = {
            "reference_number": child_text(element, "REFERENCE_NUMBER"),
            "listed_on": child_text(element, "LISTED_ON"),
            "gender": child_text(element, "GENDER"),
            "titles": [v for t in children(element, "TITLE") for v in _values(t)],
            "designations": [v for d in children(element, "DESIGNATION") for v in _values(d)],
        }
        record.details.update({key: value for key, value in details.items() if value})
        return record

    def _aliases(self, path, element, record: EntryRecord, tag: str) -> None:
        for alias in children(element, tag):
            self.stats[f"{tag.lower()}_elements"] += 1
            name = child_text(alias, "ALIAS_NAME")
            if not name:
                continue
            quality = child_text(alias, "QUALITY").lower()
            kind = ALIAS_KINDS.get(quality or "good")
            if kind is None:
                raise ImportFormatError(
                    path, alias.sourceline, f"unknown alias quality {quality!r}", where=f"<{tag}>"
                )
            self.stats[f"{tag.lower()}_names"] += 1
            record.add_name(name, kind)
            for day in partial_dates(child_text(alias, "DATE_OF_BIRTH")):
                record.add_unique("dates_of_birth", day)


def _values(element: etree._Element) -> list[str]:
    return [text for text in (clean(v.text) for v in children(element, "VALUE")) if text]


def _address(element: etree._Element) -> Address:
    country = child_text(element, "COUNTRY")
    return Address(
        street=child_text(element, "STREET"),
        city=child_text(element, "CITY"),
        region=child_text(element, "STATE_PROVINCE"),
        postal_code=child_text(element, "ZIP_CODE"),
        country=country,
        country_code=country_code(country),
        note=child_text(element, "NOTE"),
    )


def _birth_dates(element: etree._Element) -> list[str]:
    kind = child_text(element, "TYPE_OF_DATE").upper()
    if kind == "BETWEEN":
        start, end = child_text(element, "FROM_YEAR"), child_text(element, "TO_YEAR")
        return partial_dates(f"{start} to {end}") if start and end else partial_dates(start)
    return partial_dates(child_text(element, "DATE")) or partial_dates(child_text(element, "YEAR"))


def _birth_place(element: etree._Element, record: EntryRecord) -> None:
    parts = [child_text(element, tag) for tag in ("CITY", "STATE_PROVINCE", "COUNTRY")]
    place = ", ".join(part for part in parts if part)
    if place:
        record.details.setdefault("places_of_birth", []).append(place)
        record.add_country(country_code(parts[2]))


def _document(element: etree._Element) -> Identifier | None:
    number = child_text(element, "NUMBER")
    if not number:
        return None
    kind = " / ".join(
        t
        for t in (child_text(element, "TYPE_OF_DOCUMENT"), child_text(element, "TYPE_OF_DOCUMENT2"))
        if t
    )
    issuer = child_text(element, "ISSUING_COUNTRY") or child_text(element, "COUNTRY_OF_ISSUE")
    note = "; ".join(
        text for text in (child_text(element, "DATE_OF_ISSUE"), child_text(element, "NOTE")) if text
    )
    return Identifier(type=kind, value=number, country=country_code(issuer), note=note)
