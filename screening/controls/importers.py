"""Parsers for the control-data files in data/controls (see its SOURCES.md).

Each parser reads one published JSON file and returns a ParsedDataset: the dataset's facts
(citation, source, issue date, payload) and its rows as unsaved model instances. Nothing is
written here; screening.services.controls stores the result. A file that cannot be read
completely (an unknown country name, a missing key) raises ControlDataError naming the
problem: control data is never imported in part.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pycountry

from ..models import (
    ControlDataset,
    ControlEntry,
    CountryChartRow,
    CountryGroupMembership,
    LicenceException,
    LicenceRequirement,
)

Kind = ControlDataset.Kind

# The file each kind is published as, in the order an import of all of them runs.
FILE_NAMES = {
    Kind.CCL: "ccl.json",
    Kind.COUNTRY_CHART: "country-chart.json",
    Kind.COUNTRY_GROUPS: "country-groups.json",
    Kind.LICENCE_EXCEPTIONS: "license-exception-catalog.json",
    Kind.EU_ANNEX: "annex.json",
}

# Reasons for control (15 CFR 742 and Part 774 Supp. 1), plus FP for the CCL's
# "foreign policy" entries (the Russia and Belarus sanctions rows of the 0Y99x entries).
REASON_LABELS = {
    "NS": "National security",
    "MT": "Missile technology",
    "NP": "Nuclear nonproliferation",
    "CB": "Chemical and biological weapons",
    "RS": "Regional stability",
    "FC": "Firearms convention",
    "CC": "Crime control",
    "AT": "Anti-terrorism",
    "UN": "United Nations sanctions",
    "CW": "Chemical Weapons Convention",
    "EI": "Encryption items",
    "SI": "Significant items",
    "SL": "Surreptitious listening",
    "SS": "Short supply",
    "FP": "Foreign policy",
}
# Reasons the Country Chart has columns for.
CHART_REASONS = ("CB", "NP", "NS", "MT", "RS", "FC", "CC", "AT")

_REASON = re.compile(r"\b(NS|MT|NP|CB|RS|FC|CC|AT|UN|CW|EI|SI|SL|SS)(?:\s*[1-3])?\b")
_FOREIGN_POLICY = re.compile(r"foreign\s+policy", re.IGNORECASE)
_FILLER = re.compile(r"\b(?:and|or)\b|[\s,;.&/]+", re.IGNORECASE)
_COLUMN = re.compile(r"\b(CB|NP|NS|MT|RS|FC|CC|AT)\s+Column\s+([1-3])\b")
_BARE_COLUMN = re.compile(r"^\s*Column\s+([1-3])\.?\s*$")
_APPLIES = re.compile(r"^\s*(NS|MT|NP|CB|RS|FC|CC|AT|UN|CW|EI|SI|SL|SS)\s+(?:also\s+)?appl")


class ControlDataError(ValueError):
    """The file is not the control data it claims to be, or holds something unreadable."""


@dataclass
class ParsedDataset:
    kind: str
    citation: str
    source_url: str
    issue_date: date
    payload: dict
    # Unsaved rows. CCL entries carry their requirements in `requirements` (by entry code),
    # because an entry's primary key exists only once it is stored.
    entries: list[ControlEntry] = field(default_factory=list)
    requirements: dict[str, list[LicenceRequirement]] = field(default_factory=dict)
    chart_rows: list[CountryChartRow] = field(default_factory=list)
    memberships: list[CountryGroupMembership] = field(default_factory=list)
    exceptions: list[LicenceException] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        """The dataset's primary rows: entries, chart rows, memberships or exceptions (a CCL
        entry's requirement rows are counted in the payload's `requirement_rows`)."""
        return (
            len(self.entries) + len(self.chart_rows) + len(self.memberships) + len(self.exceptions)
        )

    @property
    def needs_review_count(self) -> int:
        return sum(row.needs_review for rows in self.requirements.values() for row in rows)


# --- Reasons and licence-requirement rows ----------------------------------------------------


def reasons_normalise(raw: str | None) -> list[str]:
    """The reasons for control in a raw CCL string, as codes in their published order.

    "NS, MT and AT" -> ["NS", "MT", "AT"]; "CC 1" and "CC1" -> ["CC"]; "AT." -> ["AT"];
    "RS AT" -> ["RS", "AT"]; "AT, foreign policy" -> ["AT", "FP"]; None or "" -> [].
    Text that is none of these raises ControlDataError, so a new spelling is noticed.
    """
    if not raw or not raw.strip():
        return []
    found: list[tuple[int, str]] = [(m.start(), "FP") for m in _FOREIGN_POLICY.finditer(raw)]
    rest = _FOREIGN_POLICY.sub(" ", raw)
    found += [(m.start(), m.group(1)) for m in _REASON.finditer(rest.upper())]
    leftover = _FILLER.sub("", _REASON.sub(" ", rest.upper()))
    if leftover:
        raise ControlDataError(f"Unknown reason for control in “{raw}”: {leftover}")
    reasons: list[str] = []
    for _, code in sorted(found):
        if code not in reasons:
            reasons.append(code)
    return reasons


@dataclass(frozen=True)
class RequirementRow:
    reason: str  # "NS1"; for a row naming no column, the reason it applies to ("UN") or ""
    column: str  # "NS 1", or "" when the row names no chart column
    scope: str
    chart_text: str
    needs_review: bool


def requirement_parse(
    control: str, chart_text: str, *, single_cell: bool = False, cell_empty: bool = False
) -> list[RequirementRow]:
    """One row of an ECCN's License Requirements table as requirement rows.

    "NS Column 1." -> NS1 / "NS 1". A merged single-cell row ("CB applies to entire entry CB
    Column 2.") is read from the merged text; a row naming two columns gives two rows; a
    cell saying only "Column 1." takes its reason from the control cell ("AT applies to …").
    Anything else (a section of the EAR, "any destination worldwide", Country Group rules)
    is one row with its raw text, marked needs_review.
    """
    control = (control or "").strip()
    chart_text = (chart_text or "").strip()
    applies = _APPLIES.match(control)
    family = applies.group(1) if applies else ""
    text = "" if cell_empty else chart_text
    if single_cell:
        first = _COLUMN.search(text)
        if first is not None:
            control = text[: first.start()].strip()
    columns = [] if cell_empty else _COLUMN.findall(text)
    if columns:
        return [
            RequirementRow(f"{reason}{number}", f"{reason} {number}", control, chart_text, False)
            for reason, number in columns
        ]
    bare = _BARE_COLUMN.match(text)
    if bare and family in CHART_REASONS:
        number = bare.group(1)
        return [RequirementRow(f"{family}{number}", f"{family} {number}", control, text, False)]
    return [RequirementRow(family, "", control, chart_text, True)]


# --- Country names -----------------------------------------------------------------------------

# Names pycountry does not know (or knows by another name), in the spellings the eCFR files use.
COUNTRY_NAMES = {
    "bahamas": "BS",
    "brunei": "BN",
    "burma": "MM",
    "cape verde": "CV",
    "china (prc)": "CN",
    "congo (democratic republic of the)": "CD",
    "congo (democratic republic of)": "CD",
    "congo (republic of the)": "CG",
    "cote d'ivoire": "CI",
    "cote d'lvoire": "CI",  # sic: a lower-case L in the Country Groups table
    "gambia": "GM",
    "korea, north": "KP",
    "korea, south": "KR",
    "kosovo": "XK",
    "laos": "LA",
    "macau": "MO",
    "micronesia (federated state of)": "FM",
    "micronesia, federated states of": "FM",
    "russia": "RU",
    "seycheles": "SC",  # sic, the Country Chart's spelling
    "sint maarten (the dutch two-fifths of the island of saint martin)": "SX",
    "south sudan, republic of": "SS",
    "taiwan": "TW",
    "vatican city": "VA",
}


def _name_key(name: str) -> str:
    key = " ".join(name.replace("&", " and ").split()).casefold()
    key = re.sub(r"^st\. ", "saint ", key)
    key = re.sub(r"^the ", "", key)
    return re.sub(r", the$", "", key)


def country_code(name: str, aliases: dict[str, str] | None = None) -> str:
    """ISO 3166-1 alpha-2 for a country name of the control files; ControlDataError if none.

    The file's own aliases (lower-case alias -> the name it stands for) are tried first, then
    the explicit names above, then pycountry's names (exact, never fuzzy: a wrong country is
    worse than a failed import).
    """
    aliases = {_name_key(alias): target for alias, target in (aliases or {}).items()}
    key = _name_key(name)
    if key in aliases and _name_key(aliases[key]) != key:
        key = _name_key(aliases[key])
    if key in COUNTRY_NAMES:
        return COUNTRY_NAMES[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        raise ControlDataError(f"Unknown country name “{name}”: add it to the mapping.") from None


# --- The files ----------------------------------------------------------------------------------


def _issue_date(value: str | None, what: str) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ControlDataError(f"{what} has no readable issue date ({value!r}).") from None


def _require(data: dict, *keys: str, what: str) -> None:
    missing = [key for key in keys if key not in data]
    if missing:
        raise ControlDataError(f"{what} lacks {', '.join(missing)}.")


def ccl_parse(data: dict) -> ParsedDataset:
    _require(data, "entries", "ecfrIssueDate", what="The CCL file")
    parsed = ParsedDataset(
        kind=Kind.CCL,
        citation=data.get("citation", "15 C.F.R. Part 774, Supplement No. 1"),
        source_url=(data.get("source") or {}).get("url", ""),
        issue_date=_issue_date(data["ecfrIssueDate"], "The CCL file"),
        payload={
            "retrieved_at": data.get("retrievedAt", ""),
            "deep_categories": data.get("deepCategories", []),
            "deep_category_note": data.get("deepCategoryNote", ""),
            "entry_count": data.get("entryCount"),
            "source_requirement_rows": 0,
        },
    )
    seen = set()
    for raw in data["entries"]:
        code = str(raw.get("eccn", "")).strip().upper()
        if not re.fullmatch(r"\d[A-E]\d{3}", code) or code in seen:
            raise ControlDataError(f"The CCL file has a bad or repeated ECCN {code!r}.")
        seen.add(code)
        items = raw.get("items") or []
        parsed.entries.append(
            ControlEntry(
                code=code,
                category=str(raw.get("category") or code[0]),
                product_group=str(raw.get("productGroup") or code[1]),
                heading=raw.get("heading") or "",
                reasons=reasons_normalise(raw.get("reasonForControl")),
                reasons_raw=raw.get("reasonForControl") or "",
                text="\n".join(
                    f"{item['paragraph']} {item['text']}" if item.get("paragraph") else item["text"]
                    for item in items
                    if item.get("text")
                ),
                details={
                    "licence_exception_flags": raw.get("licenceExceptionFlags") or {},
                    "sta_special_conditions": raw.get("staSpecialConditions") or "",
                    "related_controls": raw.get("relatedControls") or "",
                    "top_level_paragraphs": raw.get("topLevelParagraphs") or {},
                },
            )
        )
        rows = []
        for source_row in raw.get("countryChart") or []:
            parsed.payload["source_requirement_rows"] += 1
            for row in requirement_parse(
                source_row.get("control", ""),
                source_row.get("countryChart", ""),
                single_cell=bool(source_row.get("singleCellRow")),
                cell_empty=bool(source_row.get("requirementCellEmptyInSource")),
            ):
                rows.append(
                    LicenceRequirement(
                        position=len(rows),
                        reason=row.reason,
                        column=row.column,
                        scope=row.scope,
                        chart_text=row.chart_text,
                        needs_review=row.needs_review,
                    )
                )
        parsed.requirements[code] = rows
    parsed.payload["requirement_rows"] = sum(len(rows) for rows in parsed.requirements.values())
    return parsed


def country_chart_parse(data: dict) -> ParsedDataset:
    _require(
        data, "countries", "columns", "embargoed", "footnotes", "ecfrIssueDate", what="The chart"
    )
    aliases = data.get("aliases") or {}
    columns = data["columns"]
    parsed = ParsedDataset(
        kind=Kind.COUNTRY_CHART,
        citation=data.get("citation", "15 C.F.R. Part 738, Supplement No. 1"),
        source_url=(data.get("source") or {}).get("url", ""),
        issue_date=_issue_date(data["ecfrIssueDate"], "The Country Chart file"),
        payload={
            "columns": columns,
            "column_labels": data.get("columnLabels") or {},
            "footnotes": {str(number): text for number, text in data["footnotes"].items()},
            "aliases": aliases,
            "territory_inheritance": data.get("territoryInheritance") or {},
            "territory_inheritance_note": data.get("territoryInheritanceNote", ""),
            "all_destinations_entries": data.get("allDestinationsEntries") or {},
            "procedure": data.get("procedure") or {},
            "notes": data.get("notes") or {},
            "retrieved_at": data.get("retrievedAt", ""),
        },
    )
    codes: dict[str, str] = {}

    def add(name: str, marks: list, footnotes: list, pointer: str = "") -> None:
        code = country_code(name, aliases)
        if code in codes:
            raise ControlDataError(f"The chart has two rows for {code}: {codes[code]}, {name}.")
        unknown = [mark for mark in marks if mark not in columns]
        if unknown:
            raise ControlDataError(f"The chart row {name} marks unknown columns {unknown}.")
        missing = [n for n in footnotes if str(n) not in parsed.payload["footnotes"]]
        if missing:
            raise ControlDataError(f"The chart row {name} cites unknown footnotes {missing}.")
        codes[code] = name
        parsed.chart_rows.append(
            CountryChartRow(
                country=code,
                name=name,
                marks=list(marks),
                footnotes=[int(n) for n in footnotes],
                embargo_pointer=pointer,
            )
        )

    for name, row in data["countries"].items():
        add(name, row.get("marks") or [], row.get("footnotes") or [])
    for name, row in data["embargoed"].items():
        pointer = (row.get("pointer") or "").strip()
        if not pointer:
            raise ControlDataError(f"The embargoed row {name} has no pointer text.")
        add(name, [], row.get("footnotes") or [], pointer)
    parsed.payload["territory_rows"] = {
        country_code(territory, aliases): country_code(rule["row"], aliases)
        for territory, rule in parsed.payload["territory_inheritance"].items()
    }
    parsed.payload["territory_basis"] = {
        country_code(territory, aliases): rule.get("basis", "")
        for territory, rule in parsed.payload["territory_inheritance"].items()
    }
    for territory, row in parsed.payload["territory_rows"].items():
        if row not in codes:
            raise ControlDataError(f"Territory {territory} inherits {row}, which has no row.")
    return parsed


def country_groups_parse(data: dict) -> ParsedDataset:
    _require(data, "groups", "ecfrIssueDate", what="The Country Groups file")
    aliases = data.get("aliases") or {}
    parsed = ParsedDataset(
        kind=Kind.COUNTRY_GROUPS,
        citation=data.get("citation", "15 C.F.R. Part 740, Supplement No. 1"),
        source_url=(data.get("source") or {}).get("url", ""),
        issue_date=_issue_date(data["ecfrIssueDate"], "The Country Groups file"),
        payload={
            "labels": data.get("labels") or {},
            "notes": data.get("notes") or {},
            "aliases": aliases,
            "group_sizes": {group: len(names) for group, names in data["groups"].items()},
            "retrieved_at": data.get("retrievedAt", ""),
        },
    )
    for group, names in data["groups"].items():
        for code in sorted({country_code(name, aliases) for name in names}):
            parsed.memberships.append(CountryGroupMembership(country=code, group=group))
    return parsed


def licence_exceptions_parse(data: dict) -> ParsedDataset:
    _require(data, "exceptions", "ecfrIssueDate", what="The licence exception catalogue")
    parsed = ParsedDataset(
        kind=Kind.LICENCE_EXCEPTIONS,
        citation=data.get("citation", "15 C.F.R. Part 740"),
        source_url=(data.get("source") or {}).get("url", ""),
        issue_date=_issue_date(data["ecfrIssueDate"], "The licence exception catalogue"),
        payload={
            "sections": len(data["exceptions"]),
            "retrieved_at": data.get("retrievedAt", ""),
        },
    )
    for raw in data["exceptions"]:
        symbols = raw.get("symbols") or []
        if not symbols or not raw.get("sectionNumber"):
            raise ControlDataError(f"A licence exception lacks its symbol or section: {raw}.")
        for symbol in symbols:
            parsed.exceptions.append(
                LicenceException(
                    symbol=symbol, section=raw["sectionNumber"], title=raw.get("title", "")
                )
            )
    return parsed


def eu_annex_parse(data: dict) -> ParsedDataset:
    _require(data, "entries", "valid_from", what="The EU Annex I file")
    parsed = ParsedDataset(
        kind=Kind.EU_ANNEX,
        citation=f"Regulation (EU) 2021/821, Annex I (consolidated {data.get('corpus_version')})",
        source_url=data.get("source_url", ""),
        issue_date=_issue_date(data["valid_from"], "The EU Annex I file"),
        payload={
            "corpus_version": data.get("corpus_version", ""),
            "celex": data.get("celex", ""),
            "attribution": data.get("attribution", ""),
            "retrieved_at": data.get("retrieved_at", ""),
            "general_authorisations": [
                {"id": gea.get("id"), "title": gea.get("title")} for gea in data.get("geas") or []
            ],
            "documents": [doc.get("title") for doc in data.get("docs") or []],
        },
    )
    seen = set()
    for raw in data["entries"]:
        code = str(raw.get("entry_code", "")).strip().upper()
        if not code or code in seen:
            raise ControlDataError(f"The EU Annex I file has a bad or repeated entry {code!r}.")
        seen.add(code)
        text = raw.get("verbatim_text") or ""
        first_line = text.split("\n", 1)[0]
        parsed.entries.append(
            ControlEntry(
                code=code,
                category=str(raw.get("category") or code[0]),
                product_group=code[1] if len(code) > 1 else "",
                heading=first_line.removeprefix(code).strip(),
                text=text,
                details={
                    "parameters": raw.get("parameters") or [],
                    "notes": raw.get("applicable_notes") or [],
                },
            )
        )
    return parsed


PARSERS: dict[str, Callable[[dict], ParsedDataset]] = {
    Kind.CCL: ccl_parse,
    Kind.COUNTRY_CHART: country_chart_parse,
    Kind.COUNTRY_GROUPS: country_groups_parse,
    Kind.LICENCE_EXCEPTIONS: licence_exceptions_parse,
    Kind.EU_ANNEX: eu_annex_parse,
}


def kind_detect(data: dict) -> str:
    """Which kind of control data a parsed file holds, from its keys."""
    entries = data.get("entries")
    if isinstance(entries, list) and entries and "eccn" in entries[0]:
        return Kind.CCL
    if isinstance(entries, list) and entries and "entry_code" in entries[0]:
        return Kind.EU_ANNEX
    if "countries" in data and "columns" in data:
        return Kind.COUNTRY_CHART
    if "groups" in data:
        return Kind.COUNTRY_GROUPS
    if "exceptions" in data:
        return Kind.LICENCE_EXCEPTIONS
    raise ControlDataError("The file is none of the known kinds of control data.")


def control_file_parse(content: bytes, *, kind: str | None = None) -> ParsedDataset:
    """Parse the bytes of one control-data file; its kind is detected unless given."""
    try:
        data = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ControlDataError(f"The file is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise ControlDataError("The file is not a JSON object.")
    detected = kind_detect(data)
    if kind and kind != detected:
        raise ControlDataError(f"The file holds {detected} data, not {kind}.")
    try:
        return PARSERS[detected](data)
    except (KeyError, TypeError, AttributeError) as error:
        raise ControlDataError(f"The {detected} file is malformed: {error!r}") from error
