"""The EU Financial Sanctions Files XML, written against the published `fsdexport` schema
(namespace http://eu.europa.ec/fpi/fsd/export):

    <export generationDate="...">
      <sanctionEntity logicalId="..." euReferenceNumber="..." unitedNationId="...">
        <remark>...</remark>
        <regulation programme="..." .../>
        <subjectType code="person|enterprise" classificationCode="P|E"/>
        <nameAlias wholeName="..." firstName="..." middleName="..." lastName="..."
                   nameLanguage="RU" strong="true|false" .../>
        <citizenship countryIso2Code="..."/>
        <birthdate birthdate="YYYY-MM-DD" year="..." monthOfYear="..." dayOfMonth="..."
                   circa="false" countryIso2Code="..." city="..."/>
        <identification number="..." identificationTypeCode="passport"
                        identificationTypeDescription="..." countryIso2Code="..."/>
        <address street="..." city="..." zipCode="..." region="..." countryIso2Code="..."
                 countryDescription="..."/>
      </sanctionEntity>
    </export>

The first nameAlias is the entry's name; a nameAlias with strong="false" is a weak
(low-quality) alias; one written in a script other than Latin is kept as original script.
"""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from .base import Importer, Sniff, SourceInfo, children, read_head, xml_elements
from .records import (
    AKA,
    ENTITY,
    LOW_QUALITY,
    ORIGINAL_SCRIPT,
    PERSON,
    UNKNOWN,
    Address,
    EntryRecord,
    Identifier,
    ImportFormatError,
    NameRecord,
)
from .text import clean, country_code, partial_dates

SCHEMAS = {"person": PERSON, "enterprise": ENTITY, "p": PERSON, "e": ENTITY}


def _attr(element: etree._Element, name: str) -> str:
    return clean(element.get(name))


def _whole_name(alias: etree._Element) -> str:
    whole = _attr(alias, "wholeName")
    if whole:
        return whole
    parts = (_attr(alias, key) for key in ("firstName", "middleName", "lastName"))
    return " ".join(part for part in parts if part)


class EuXmlImporter(Importer):
    format = "eu_fsf_xml"
    label = "EU Financial Sanctions Files XML"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        if "<export" in head and ("fsd/export" in head or "<sanctionEntity" in head):
            return Sniff(cls.format, str(path.resolve()))
        return None

    @property
    def source(self) -> SourceInfo:
        return SourceInfo(
            "eu_fsf",
            "EU Consolidated Financial Sanctions List",
            "European Commission (DG FISMA)",
        )

    def entries(self) -> Iterator[EntryRecord]:
        (path,) = self.paths
        if generated := re.search(r'generationDate="(\d{4}-\d{2}-\d{2})', read_head(path)):
            self.publisher_date = date.fromisoformat(generated.group(1))
        for element in xml_elements(path, ("sanctionEntity",)):
            yield self._record(path, element)

    def _record(self, path: Path, element: etree._Element) -> EntryRecord:
        logical_id = _attr(element, "logicalId")
        aliases = [alias for alias in children(element, "nameAlias") if _whole_name(alias)]
        if not logical_id or not aliases:
            raise ImportFormatError(
                path, element.sourceline, "has no logicalId or no name", where="<sanctionEntity>"
            )
        subject = children(element, "subjectType")
        kind = ""
        if subject:
            kind = (_attr(subject[0], "code") or _attr(subject[0], "classificationCode")).lower()
        self.stats["entities"] += 1
        record = EntryRecord(
            entry_id=logical_id,
            schema=SCHEMAS.get(kind, UNKNOWN),
            primary_name=_whole_name(aliases[0]),
            programmes=_unique(_attr(r, "programme") for r in children(element, "regulation")),
            remarks=" ".join(clean(remark.text) for remark in children(element, "remark")),
        )
        for alias in aliases[1:]:
            self.stats["name_aliases"] += 1
            name = _whole_name(alias)
            if NameRecord(name, AKA).script not in ("Latin", ""):
                record.add_name(name, ORIGINAL_SCRIPT)
            else:
                record.add_name(name, LOW_QUALITY if _attr(alias, "strong") == "false" else AKA)
        for citizenship in children(element, "citizenship"):
            record.add_country(country_code(_attr(citizenship, "countryIso2Code")))
        for birth in children(element, "birthdate"):
            self._birth(birth, record)
        for document in children(element, "identification"):
            if number := _attr(document, "number") or _attr(document, "latinNumber"):
                record.add_unique(
                    "identifiers",
                    Identifier(
                        type=_attr(document, "identificationTypeDescription")
                        or _attr(document, "identificationTypeCode"),
                        value=number,
                        country=country_code(_attr(document, "countryIso2Code")),
                    ),
                )
        for address in children(element, "address"):
            record.add_address(
                Address(
                    street=_attr(address, "street"),
                    city=_attr(address, "city"),
                    region=_attr(address, "region"),
                    postal_code=_attr(address, "zipCode"),
                    country=_attr(address, "countryDescription"),
                    country_code=country_code(_attr(address, "countryIso2Code")),
                )
            )
        details = {
            "eu_reference_number": _attr(element, "euReferenceNumber"),
            "un_id": _attr(element, "unitedNationId"),
        }
        record.details.update({key: value for key, value in details.items() if value})
        return record

    def _birth(self, birth: etree._Element, record: EntryRecord) -> None:
        days = partial_dates(_attr(birth, "birthdate"))
        if not days and _attr(birth, "year"):
            parts = [_attr(birth, "year"), _attr(birth, "monthOfYear"), _attr(birth, "dayOfMonth")]
            numbers = [int(part) for part in parts if part.isdigit()]
            days = partial_dates("-".join(f"{n:02d}" for n in numbers))
        for day in days:
            record.add_unique("dates_of_birth", day)
        place = ", ".join(p for p in (_attr(birth, "city"), _attr(birth, "place")) if p)
        if place:
            record.details.setdefault("places_of_birth", []).append(place)
        record.add_country(country_code(_attr(birth, "countryIso2Code")))


def _unique(values) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))
