"""OFAC's "Enhanced XML" (SDN_ENHANCED.XML, CONS_ENHANCED.XML, also as .ZIP): root
`sanctionsData` in the ENHANCED_XML namespace, with reference values (countries and their ISO
codes) before the `entities`. Each `entity` has names with translations (Latin and other
scripts), addresses, features (birth dates, nationalities, ...) and identity documents."""

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from lxml import etree

from .base import (
    Importer,
    Sniff,
    SourceInfo,
    child_text,
    children,
    descendants,
    read_head,
    xml_elements,
)
from .records import (
    AIRCRAFT,
    AKA,
    ENTITY,
    FKA,
    LOW_QUALITY,
    NKA,
    ORIGINAL_SCRIPT,
    PERSON,
    UNKNOWN,
    VESSEL,
    Address,
    EntryRecord,
    Identifier,
    ImportFormatError,
)
from .text import clean, country_code, partial_dates

SCHEMAS = {"individual": PERSON, "entity": ENTITY, "vessel": VESSEL, "aircraft": AIRCRAFT}
ALIAS_KINDS = {"a.k.a.": AKA, "f.k.a.": FKA, "n.k.a.": NKA}
COUNTRY_FEATURES = {"Nationality Country", "Citizenship Country", "Nationality of Registration"}
IDENTIFIER_FEATURES = {
    "Website",
    "Email Address",
    "SWIFT/BIC",
    "ISIN",
    "Equity Ticker",
    "BIK (RU)",
    "Phone Number",
    "Vessel Registration Identification",
    "MMSI",
    "Aircraft Tail Number",
    "Aircraft Manufacturer's Serial Number (MSN)",
    "Digital Currency Address - XBT",
}
ADDRESS_PARTS = {
    "ADDRESS1": "street",
    "ADDRESS2": "street",
    "ADDRESS3": "street",
    "CITY": "city",
    "STATE/PROVINCE": "region",
    "REGION": "region",
    "POSTAL CODE": "postal_code",
}
PUBLISHER = "US Treasury, Office of Foreign Assets Control"


class OfacXmlImporter(Importer):
    format = "ofac_xml"
    label = "OFAC Enhanced XML"

    @classmethod
    def sniff(cls, path: Path, head: str) -> Sniff | None:
        if "<sanctionsData" in head and "ENHANCED_XML" in head:
            return Sniff(cls.format, str(path.resolve()))
        return None

    @property
    def source(self) -> SourceInfo:
        head = read_head(self.paths[0])
        lists = re.search(r"<sanctionsLists>(.*?)</sanctionsLists>", head, re.DOTALL)
        if lists and "SDN List" not in lists.group(1):
            return SourceInfo(
                "us_ofac_consolidated", "OFAC Consolidated (non-SDN) Sanctions List", PUBLISHER
            )
        return SourceInfo(
            "us_ofac_sdn", "OFAC Specially Designated Nationals (SDN) List", PUBLISHER
        )

    def entries(self) -> Iterator[EntryRecord]:
        (path,) = self.paths
        if as_of := re.search(r"<dataAsOf>(\d{4}-\d{2}-\d{2})", read_head(path)):
            self.publisher_date = date.fromisoformat(as_of.group(1))
        self.countries: dict[str, str] = {}
        for element in xml_elements(path, ("referenceValue", "entity")):
            if etree.QName(element).localname == "referenceValue":
                if child_text(element, "type") == "COUNTRY":
                    iso = child_text(element, "isoCode") or country_code(
                        child_text(element, "value")
                    )
                    self.countries[element.get("refId", "")] = iso
                continue
            yield self._record(path, element)

    def _country(self, element: etree._Element | None) -> str:
        if element is None:
            return ""
        return self.countries.get(element.get("refId", ""), "") or country_code(element.text)

    def _record(self, path: Path, element: etree._Element) -> EntryRecord:
        entry_id = element.get("id", "")
        info = children(element, "generalInfo")
        entity_type = child_text(info[0], "entityType").lower() if info else ""
        primary = self._primary_name(element)
        if not entry_id or not primary:
            raise ImportFormatError(
                path, element.sourceline, "has no id or no primary name", where="<entity>"
            )
        self.stats[f"entity_{entity_type or 'untyped'}"] += 1
        record = EntryRecord(
            entry_id=entry_id,
            schema=SCHEMAS.get(entity_type, UNKNOWN),
            primary_name=primary,
            programmes=[clean(p.text) for p in descendants(element, "sanctionsProgram")],
            remarks=child_text(info[0], "remarks") if info else "",
        )
        record.details["lists"] = [clean(s.text) for s in descendants(element, "sanctionsList")]
        for name in _names(element):
            self._names(name, record)
        for address in descendants(element, "address"):
            record.add_address(self._address(address))
        for feature in descendants(element, "feature"):
            self._feature(feature, record)
        for document in descendants(element, "identityDocument"):
            country = self._country(next(iter(descendants(document, "issuingCountry")), None))
            record.add_unique(
                "identifiers",
                Identifier(
                    type=child_text(document, "type"),
                    value=child_text(document, "documentNumber"),
                    country=country,
                ),
            )
        return record

    def _primary_name(self, element: etree._Element) -> str:
        for name in _names(element):
            if child_text(name, "isPrimary") == "true":
                for translation in descendants(name, "translation"):
                    if child_text(translation, "isPrimary") == "true":
                        return child_text(translation, "formattedFullName")
        return ""

    def _names(self, name: etree._Element, record: EntryRecord) -> None:
        is_primary = child_text(name, "isPrimary") == "true"
        if child_text(name, "isLowQuality") == "true":
            kind = LOW_QUALITY
        else:
            kind = ALIAS_KINDS.get(child_text(name, "aliasType").lower(), AKA)
        for translation in descendants(name, "translation"):
            full_name = child_text(translation, "formattedFullName")
            if child_text(translation, "isPrimary") != "true":
                record.add_name(full_name, ORIGINAL_SCRIPT)
            elif not is_primary:
                record.add_name(full_name, kind)

    def _address(self, element: etree._Element) -> Address:
        country_element = next(iter(children(element, "country")), None)
        parts: dict[str, list[str]] = {}
        for part in descendants(element, "addressPart"):
            field = ADDRESS_PARTS.get(child_text(part, "type"), "street")
            parts.setdefault(field, []).append(child_text(part, "value"))
        return Address(
            **{field: ", ".join(values) for field, values in parts.items()},
            country=clean(country_element.text) if country_element is not None else "",
            country_code=self._country(country_element),
        )

    def _feature(self, feature: etree._Element, record: EntryRecord) -> None:
        kind = child_text(feature, "type")
        value = child_text(feature, "value")
        if kind == "Birthdate":
            for day in partial_dates(value) or _value_date(feature):
                record.add_unique("dates_of_birth", day)
        elif kind in COUNTRY_FEATURES:
            code = self.countries.get(child_text(feature, "valueRefId"), "") or country_code(value)
            record.add_country(code)
            record.details.setdefault("nationalities", []).append(value)
        elif kind == "Place of Birth":
            record.details.setdefault("places_of_birth", []).append(value)
        elif kind == "Gender":
            record.details["gender"] = value
        elif kind in IDENTIFIER_FEATURES and value:
            record.add_unique("identifiers", Identifier(type=kind, value=value))
        elif value:
            record.details.setdefault("features", []).append({"type": kind, "value": value})


def _names(entity: etree._Element) -> list[etree._Element]:
    """The entity's names (identity documents have `name` elements too: not those)."""
    return [name for block in children(entity, "names") for name in children(block, "name")]


def _value_date(feature: etree._Element) -> list[str]:
    dates = descendants(feature, "valueDate")
    if not dates:
        return []
    start = child_text(dates[0], "fromDateBegin")[:10]
    end = child_text(dates[0], "toDateEnd")[:10]
    if start and start == end:
        return partial_dates(start)
    if start[:4] == end[:4] and start[5:] == "01-01" and end[5:] == "12-31":
        return [start[:4]]
    return partial_dates(f"{start[:4]} to {end[:4]}") if start and end else []
