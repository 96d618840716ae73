"""OFAC's legacy files put much of an entry in its free-text Remarks, as `;`-separated
statements: "DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); a.k.a. 'BNC'.".
This module reads those statements into the record.

Aliases quoted in the remarks are OFAC's *weak* aliases (the strong ones are in alt.csv):
"a.k.a. 'X'" becomes a low-quality alias; f.k.a. and n.k.a. keep their kind.
"""

import re

from .records import FKA, LOW_QUALITY, NKA, EntryRecord, Identifier
from .text import clean, country_code, partial_dates

_ALIAS = re.compile(r"\b([afn])\.k\.a\.,?\s*'(.+?)'(?=\s*(?:[;,)]|\.(?:\s|$)|$))")
_ALIAS_KINDS = {"a": LOW_QUALITY, "f": FKA, "n": NKA}
_ALT = re.compile(r"^alt\.\s+", re.IGNORECASE)
_DOB = re.compile(r"^DOB\s+(.+)$")
_POB = re.compile(r"^POB\s+(.+)$")
_NATIONALITY = re.compile(r"^(nationality|citizen)\s+(.+)$", re.IGNORECASE)
_GENDER = re.compile(r"^Gender\s+(\w+)$")
_LINKED = re.compile(r"^Linked To:\s*(.+)$")
_URL_OR_EMAIL = re.compile(r"^(Website|Email Address)\s+(\S+)$")
_IDENTIFIER = re.compile(
    r"^(?P<type>[A-Za-z][^:;]*?)\s+(?P<value>[^\s()]*\d[^\s()]*)"
    r"(?:\s+\((?P<country>[^)]+)\))?(?:\s+(?:issued|expires|valid|\().*)?$"
)
# Words that make a statement an identifier ("Passport ...", "Tax ID No. ...", "IMO ...");
# statements such as "Organization Established Date 2001" are details, not identifiers.
_IDENTIFIER_WORDS = re.compile(
    r"(?i)(passport|\bid\b|\bno\b|number|identification|cedula|c\.u\.r\.p|curp|r\.f\.c|\brfc\b|"
    r"d\.n\.i|\bnit\b|swift|\bbic\b|\bimo\b|mmsi|registration|\btax\b|v\.a\.t|licen[cs]e|"
    r"certificate|address|phone|folio|matricula|serial|\bcode\b|uscc|\bruc\b|gazette|\bcard\b|"
    r"permit|isin|ticker|d-u-n-s|call sign)"
)


def remarks_apply(record: EntryRecord, remarks: str) -> None:
    """Add what the remarks state (weak aliases, dates and places of birth, nationalities,
    gender, identifiers, links) to the record; the remarks themselves stay as they are."""
    for match in _ALIAS.finditer(remarks):
        record.add_name(match.group(2), _ALIAS_KINDS[match.group(1)])
    for statement in remarks.split(";"):
        _statement_apply(record, _ALT.sub("", clean(statement)).rstrip("."))


def _statement_apply(record: EntryRecord, statement: str) -> None:
    if not statement or re.match(r"^[afn]\.k\.a\.", statement):
        return
    if match := _DOB.match(statement):
        for day in partial_dates(match.group(1)):
            record.add_unique("dates_of_birth", day)
    elif match := _POB.match(statement):
        place = match.group(1)
        record.details.setdefault("places_of_birth", []).append(place)
        record.add_country(country_code(place.rsplit(",", 1)[-1]))
    elif match := _NATIONALITY.match(statement):
        key = "nationalities" if match.group(1).lower() == "nationality" else "citizenships"
        record.details.setdefault(key, []).append(match.group(2))
        record.add_country(country_code(match.group(2)))
    elif match := _GENDER.match(statement):
        record.details["gender"] = match.group(1)
    elif match := _LINKED.match(statement):
        record.details.setdefault("linked_to", []).append(match.group(1))
    elif identifier := _identifier(statement):
        record.add_unique("identifiers", identifier)


def _identifier(statement: str) -> Identifier | None:
    if match := _URL_OR_EMAIL.match(statement):
        return Identifier(type=match.group(1), value=match.group(2))
    match = _IDENTIFIER.match(statement)
    if not match or not _IDENTIFIER_WORDS.search(match.group("type")):
        return None
    country_text = clean(match.group("country"))
    code = country_code(country_text)
    return Identifier(
        type=match.group("type"),
        value=match.group("value").rstrip(".,"),
        country=code,
        note="" if code or not country_text else country_text,
    )
