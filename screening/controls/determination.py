"""Licence determination: for a control code and a destination, does the Commerce Country
Chart require a licence, reason by reason, and on what authority?

The procedure is 15 CFR 738.4(a)(2): take each reason for control of the ECCN and the chart
column it names; an X in the destination's cell means a licence is required for that reason
(unless a licence exception applies). Embargoes and Country Group E come first. What the chart
cannot answer (rows that point elsewhere in the EAR, embargo pointer rows, destinations
without a row, footnotes that add requirements) is answered "refer": a person must look.
An empty cell is never a clearance: end-use and end-user controls (Part 744) and the General
Prohibitions still apply, and every result says so.
"""

import re
from dataclasses import asdict, dataclass, field

from django_countries import countries

from exportgov.core.exceptions import ApplicationError

from .importers import REASON_LABELS
from .lookup import (
    ControlCode,
    ControlSnapshot,
    Kind,
    control_code_parse,
    control_snapshot,
    destination_normalise,
    groups_in,
)

REFER = "refer"
MAY_BE_AVAILABLE = "may be available; check the conditions"
END_USE_NOTE = (
    "End-use and end-user controls (15 CFR Part 744) and General Prohibitions Four to Ten "
    "(15 CFR 736.2(b)) apply whatever the chart says: an empty chart cell is not a clearance "
    "(15 CFR 738.4(a)(2)(ii)(B))."
)
HEADLINES = {
    True: "A licence is needed",
    False: "A licence is probably not needed, but end-use and end-user checks apply",
    REFER: "Refer: ask us",
}
CCL_CITATION = "15 CFR 774 Supp. 1"
CHART_CITATION = "15 CFR 738 Supp. 1, Commerce Country Chart"
_NOT_AVAILABLE = re.compile(r"^\s*N/?A\.?\s*$", re.IGNORECASE)
_PART_746 = re.compile(r"(?:part|§)\s*746", re.IGNORECASE)
_ALL_DESTINATIONS = re.compile(r"^(\d[A-E]\d{3})((?:\.[a-z0-9]+)*)\s*(\(.*\))?\s*$")


class ControlDataMissingError(ApplicationError):
    """No CCL or no Country Chart is active: nothing can be determined."""

    def __init__(self):
        super().__init__(
            "No control data has been imported: run `manage.py import_controls`.",
            code="control_data_missing",
        )


@dataclass
class ReasonResult:
    reason: str  # "NS2"; "EMBARGO", "E:1", "ALL", "FN6" for results not from a chart column
    column: str  # "NS 2", or "" when the result does not come from a chart column
    required: bool | str  # True, False or "refer"
    citation: str
    label: str = ""
    scope: str = ""
    chart_text: str = ""
    needs_review: bool = False


@dataclass
class Determination:
    control_code: str  # as normalised for display: "3A001.b.2"
    entry_code: str  # "3A001", "EAR99", or "" when unknown
    paragraph: str
    destination: str  # ISO alpha-2
    licence_required: bool | str = REFER
    reasons: list[ReasonResult] = field(default_factory=list)
    data_version: dict[str, str] = field(default_factory=dict)
    heading: str = ""
    reasons_for_control: list[str] = field(default_factory=list)
    destination_name: str = ""
    chart_row: str = ""  # the chart row used ("China" for Hong Kong)
    territory: str = ""  # why another row governs the destination
    embargo: dict | None = None
    country_groups: list[str] = field(default_factory=list)
    footnotes: list[dict] = field(default_factory=list)
    licence_exceptions: list[dict] = field(default_factory=list)
    eu_annex: dict | None = None
    notes: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # {"code", "message"}

    @property
    def headline(self) -> str:
        return HEADLINES[self.licence_required]

    @property
    def problem_codes(self) -> set[str]:
        return {problem["code"] for problem in self.problems}

    def as_dict(self) -> dict:
        return {**asdict(self), "headline": self.headline}


def licence_determine(*, control_code: str, destination: str) -> Determination:
    """The licence determination for one control code and one ISO alpha-2 destination.

    Never raises for a bad code or destination: the result is "refer" with a `problems`
    entry ("unknown_control_code", "unknown_destination"). Raises ControlDataMissingError
    when no CCL or Country Chart has been imported.
    """
    snapshot = control_snapshot()
    if Kind.CCL not in snapshot.datasets or Kind.COUNTRY_CHART not in snapshot.datasets:
        raise ControlDataMissingError()
    code = control_code_parse(control_code)
    result = Determination(
        control_code=code.display or code.typed,
        entry_code=code.entry,
        paragraph=code.paragraph,
        destination=destination_normalise(destination),
        data_version={kind: ds.version_label for kind, ds in sorted(snapshot.datasets.items())},
    )
    row = _destination(result, snapshot)
    _embargo(result, snapshot, row)
    if code.is_ear99:
        result.heading = "Items subject to the EAR but not on the Commerce Control List"
        result.notes.append(
            "EAR99 items have no entry on the Commerce Control List, so the Country Chart "
            "sets no licence requirement for them. Embargoes and sanctions (15 CFR Part 746) "
            "and end-use and end-user controls (15 CFR Part 744) still apply."
        )
    elif code.entry in snapshot.ccl:
        _ccl_reasons(result, snapshot, code, row)
    elif code.entry in snapshot.eu:
        result.notes.append(
            f"{code.entry} is an entry of the EU dual-use list (Annex I) but not of the US "
            "Commerce Control List, so the US Country Chart cannot be applied to it."
        )
    else:
        result.problems.append(
            {
                "code": "unknown_control_code",
                "message": f"“{code.typed}” is not an ECCN of the Commerce Control List, "
                "an EU Annex I entry, or EAR99.",
            }
        )
    _footnote_reasons(result, snapshot, code, row)
    if code.entry in snapshot.eu:
        entry = snapshot.eu[code.entry]
        dataset = snapshot.datasets[Kind.EU_ANNEX]
        result.eu_annex = {
            "code": entry.code,
            "heading": entry.heading,
            "citation": dataset.citation,
            "note": "Informational: the same code is an entry of EU Annex I.",
        }
        result.heading = result.heading or entry.heading
    result.licence_required = _overall(result, code, snapshot)
    result.notes.append(END_USE_NOTE)
    return result


def _destination(result: Determination, snapshot: ControlSnapshot):
    iso = result.destination
    parent = snapshot.territory_rows.get(iso)
    row = snapshot.chart.get(parent or iso)
    known = bool(re.fullmatch(r"[A-Z]{2}", iso)) and (
        iso in snapshot.chart or parent is not None or bool(countries.alpha2(iso))
    )
    result.destination_name = str(countries.name(iso)) if known and countries.name(iso) else ""
    if not known:
        result.problems.append(
            {
                "code": "unknown_destination",
                "message": f"“{iso}” is not a destination: use an ISO 3166 alpha-2 code, e.g. DE.",
            }
        )
        return None
    if row is None:
        note = snapshot.chart_payload.get("territory_inheritance_note", "")
        result.notes.append(
            f"{result.destination_name or iso} has no row in the Commerce Country Chart and no "
            f"published territory rule, so the chart cannot be applied. {note}".strip()
        )
        return None
    result.destination_name = result.destination_name or row.name
    result.chart_row = row.name
    if parent is not None:
        basis = (snapshot.chart_payload.get("territory_basis") or {}).get(iso, "")
        result.territory = f"Governed by the chart row for {row.name}. {basis}".strip()
    result.country_groups = sorted(groups_in(snapshot, iso))
    labels = snapshot.chart_payload.get("footnotes") or {}
    result.footnotes = [
        {"number": number, "text": labels.get(str(number), "")} for number in row.footnotes
    ]
    return row


def _embargo(result: Determination, snapshot: ControlSnapshot, row) -> None:
    group_e = [group for group in result.country_groups if group.startswith("E:")]
    if row is None or not (row.is_embargoed or group_e):
        return
    groups_dataset = snapshot.datasets.get(Kind.COUNTRY_GROUPS)
    labels = groups_dataset.payload.get("labels", {}) if groups_dataset is not None else {}
    result.embargo = {
        "embargoed": row.is_embargoed,
        "pointer": row.embargo_pointer,
        "country_group_e": group_e,
        "citation": f"{CHART_CITATION}, row “{row.name}”: {row.embargo_pointer}".strip(),
    }
    if row.is_embargoed:
        result.reasons.append(
            ReasonResult(
                reason="EMBARGO",
                column="",
                required=REFER,
                label="Embargoed destination",
                citation=result.embargo["citation"],
                chart_text=row.embargo_pointer,
            )
        )
    for group in group_e:
        result.reasons.append(
            ReasonResult(
                reason=group,
                column="",
                required=REFER,
                label=f"Country Group {group}: {labels.get(group, '')}".rstrip(": "),
                citation=f"15 CFR 740 Supp. 1, Country Group {group}; see 15 CFR Part 746.",
            )
        )


def _ccl_reasons(result: Determination, snapshot: ControlSnapshot, code: ControlCode, row) -> None:
    ccl = snapshot.ccl[code.entry]
    entry = ccl.entry
    result.heading = entry.heading
    result.reasons_for_control = list(entry.reasons)
    _all_destinations(result, snapshot, code)
    for requirement in ccl.requirements:
        eccn_row = f"{CCL_CITATION}, ECCN {entry.code}, License Requirements: “{requirement.scope}”"
        family = requirement.reason.rstrip("123")
        label = REASON_LABELS.get(family, "")
        if requirement.needs_review or not requirement.column:
            hint = ""
            if "Country Group" in requirement.chart_text and result.country_groups:
                hint = f" The destination's Country Groups: {', '.join(result.country_groups)}."
            result.reasons.append(
                ReasonResult(
                    reason=requirement.reason,
                    column="",
                    required=REFER,
                    label=label,
                    citation=f"{eccn_row} → “{requirement.chart_text}” (no chart column: "
                    f"read the cited provision).{hint}",
                    scope=requirement.scope,
                    chart_text=requirement.chart_text,
                    needs_review=True,
                )
            )
            continue
        if row is None or row.is_embargoed:
            required: bool | str = REFER
            cell = "no chart cell applies" if row is None else f"row “{row.name}” points elsewhere"
        else:
            required = requirement.column in row.marks
            cell = f"row “{row.name}”: " + ("X (licence required)" if required else "no X")
            if row.footnotes:
                cell += f", footnotes {', '.join(str(n) for n in row.footnotes)}"
        result.reasons.append(
            ReasonResult(
                reason=requirement.reason,
                column=requirement.column,
                required=required,
                label=label,
                citation=f"{eccn_row} → {requirement.column}. {CHART_CITATION}, column "
                f"{requirement.column}, {cell}.",
                scope=requirement.scope,
                chart_text=requirement.chart_text,
            )
        )
    # A reason the entry lists but no row of its table names (1C350's CW and AT: its table
    # was merged in the source) cannot be judged from the data. FP rows name no reason.
    named = {requirement.reason.rstrip("123") for requirement in ccl.requirements}
    if ccl.requirements:
        for family in entry.reasons:
            if family in named or family == "FP":
                continue
            result.reasons.append(
                ReasonResult(
                    reason=family,
                    column="",
                    required=REFER,
                    label=REASON_LABELS.get(family, ""),
                    citation=f"{CCL_CITATION}, ECCN {entry.code}: {family} is a reason for "
                    "control of this entry, but no License Requirements row of the data "
                    "names its chart column. Read the entry.",
                    needs_review=True,
                )
            )
    if not ccl.requirements and not any(r.reason == "ALL" for r in result.reasons):
        result.reasons.append(
            ReasonResult(
                reason="",
                column="",
                required=REFER,
                label="No License Requirements table",
                citation=f"{CCL_CITATION}, ECCN {entry.code}: the data names no reason for "
                f"control and chart column (reasons as published: "
                f"“{entry.reasons_raw or 'none'}”). Read the entry.",
                needs_review=True,
            )
        )
    _exceptions(result, snapshot, entry)


def _all_destinations(result: Determination, snapshot: ControlSnapshot, code: ControlCode) -> None:
    """15 CFR 738.3(a)(1): entries that need a licence to every destination."""
    spec = snapshot.chart_payload.get("all_destinations_entries") or {}
    no_exceptions = spec.get("noLicenceExceptions") or []
    gov_only = spec.get("govOnly") or {}
    for raw in [*no_exceptions, *(gov_only.get("entries") or [])]:
        match = _ALL_DESTINATIONS.match(raw.strip())
        if match is None or match.group(1) != code.entry:
            continue
        paragraph = match.group(2).strip(".")
        qualified = bool(paragraph or match.group(3))
        applies = not qualified or (
            bool(paragraph)
            and not match.group(3)
            and (code.paragraph == paragraph or code.paragraph.startswith(paragraph + "."))
        )
        citation = (
            f"{spec.get('citation', '15 C.F.R. 738.3(a)(1)')}: a licence is required to all "
            f"destinations for {raw}; the Country Chart does not apply."
        )
        if raw in no_exceptions:
            citation += " No licence exception may be used."
        else:
            citation += f" {gov_only.get('condition', '')}".rstrip()
        if not applies:
            citation += " Check whether your item is the one named."
        result.reasons.append(
            ReasonResult(
                reason="ALL",
                column="",
                required=True if applies else REFER,
                label="All destinations",
                citation=citation,
                scope=raw,
            )
        )


def _footnote_reasons(
    result: Determination, snapshot: ControlSnapshot, code: ControlCode, row
) -> None:
    """Footnotes of the destination's row that add requirements the grid does not show: one
    naming this ECCN, or one sending the reader to the sanctions of Part 746."""
    if row is None or row.is_embargoed:
        return
    for footnote in result.footnotes:
        text = footnote["text"]
        names_entry = bool(code.entry) and code.entry in text
        if not (names_entry or _PART_746.search(text)):
            continue
        why = f"names {code.entry}" if names_entry else "points to sanctions in Part 746"
        result.reasons.append(
            ReasonResult(
                reason=f"FN{footnote['number']}",
                column="",
                required=REFER,
                label=f"Footnote {footnote['number']} of the chart row ({why})",
                citation=f"{CHART_CITATION}, footnote {footnote['number']} (row “{row.name}”): "
                f"{text}",
                needs_review=True,
            )
        )


def _exceptions(result: Determination, snapshot: ControlSnapshot, entry) -> None:
    flags = (entry.details or {}).get("licence_exception_flags") or {}
    for symbol, conditions in flags.items():
        if _NOT_AVAILABLE.match(str(conditions)):
            continue
        known = snapshot.exceptions.get(symbol)
        result.licence_exceptions.append(
            {
                "symbol": symbol,
                "section": known.section if known else "",
                "title": known.title if known else "",
                "conditions": conditions,
                "citation": f"15 CFR {known.section}" if known else f"ECCN {entry.code}",
                "note": MAY_BE_AVAILABLE,
            }
        )


def _overall(result: Determination, code: ControlCode, snapshot: ControlSnapshot) -> bool | str:
    if result.problems:
        return REFER
    if any(reason.required is True for reason in result.reasons):
        return True
    if any(reason.required == REFER for reason in result.reasons):
        return REFER
    if not result.chart_row:
        return REFER
    if not code.is_ear99 and code.entry not in snapshot.ccl:
        return REFER  # an EU-only code: the US chart says nothing
    return False
