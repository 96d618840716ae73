"""Reads of the active control data, cheap enough to call per item and destination.

The active datasets' rows are held in one in-memory snapshot per process, keyed by the ids
of the active datasets: each call asks the database only for those ids (one small query) and
reloads the snapshot when they change, i.e. after an import. Rows of a dataset are never
edited, so the key is enough.
"""

import re
import threading
from dataclasses import dataclass, field

from ..models import (
    ControlDataset,
    ControlEntry,
    CountryChartRow,
    CountryGroupMembership,
    LicenceException,
    LicenceRequirement,
)

Kind = ControlDataset.Kind
EAR99 = "EAR99"
_CODE = re.compile(r"^(?:ECCN\s*)?(\d[A-E]\d{3})(?:[\s.]*(.*))?$", re.IGNORECASE)


@dataclass(frozen=True)
class CclEntry:
    entry: ControlEntry
    requirements: tuple[LicenceRequirement, ...]


@dataclass
class ControlSnapshot:
    key: tuple
    datasets: dict[str, ControlDataset] = field(default_factory=dict)
    ccl: dict[str, CclEntry] = field(default_factory=dict)
    eu: dict[str, ControlEntry] = field(default_factory=dict)
    chart: dict[str, CountryChartRow] = field(default_factory=dict)
    territory_rows: dict[str, str] = field(default_factory=dict)
    groups: dict[str, frozenset[str]] = field(default_factory=dict)
    exceptions: dict[str, LicenceException] = field(default_factory=dict)

    @property
    def chart_payload(self) -> dict:
        dataset = self.datasets.get(Kind.COUNTRY_CHART)
        return dataset.payload if dataset is not None else {}


_lock = threading.Lock()
_snapshot: ControlSnapshot | None = None


def control_snapshot() -> ControlSnapshot:
    """The rows of the active datasets, reloaded when the set of active datasets changes."""
    global _snapshot  # the per-process cache
    key = tuple(
        ControlDataset.objects.filter(status=ControlDataset.Status.ACTIVE)
        .order_by("kind")
        .values_list("kind", "pk")
    )
    snapshot = _snapshot
    if snapshot is not None and snapshot.key == key:
        return snapshot
    with _lock:
        if _snapshot is None or _snapshot.key != key:
            _snapshot = _snapshot_load(key)
        return _snapshot


def _snapshot_load(key: tuple) -> ControlSnapshot:
    ids = dict(key)
    snapshot = ControlSnapshot(key=key)
    snapshot.datasets = {
        dataset.kind: dataset for dataset in ControlDataset.objects.filter(pk__in=ids.values())
    }
    if Kind.CCL in ids:
        entries = (
            ControlEntry.objects.filter(dataset_id=ids[Kind.CCL])
            .defer("text")
            .prefetch_related("requirements")
        )
        snapshot.ccl = {
            entry.code: CclEntry(entry, tuple(entry.requirements.all())) for entry in entries
        }
    if Kind.EU_ANNEX in ids:
        snapshot.eu = {
            entry.code: entry
            for entry in ControlEntry.objects.filter(dataset_id=ids[Kind.EU_ANNEX]).only(
                "code", "category", "heading", "dataset_id"
            )
        }
    if Kind.COUNTRY_CHART in ids:
        snapshot.chart = {
            row.country: row
            for row in CountryChartRow.objects.filter(dataset_id=ids[Kind.COUNTRY_CHART])
        }
        snapshot.territory_rows = dict(snapshot.chart_payload.get("territory_rows") or {})
    if Kind.COUNTRY_GROUPS in ids:
        groups: dict[str, set[str]] = {}
        memberships = CountryGroupMembership.objects.filter(dataset_id=ids[Kind.COUNTRY_GROUPS])
        for country, group in memberships.values_list("country", "group"):
            groups.setdefault(country, set()).add(group)
        snapshot.groups = {country: frozenset(names) for country, names in groups.items()}
    if Kind.LICENCE_EXCEPTIONS in ids:
        snapshot.exceptions = {
            row.symbol: row
            for row in LicenceException.objects.filter(dataset_id=ids[Kind.LICENCE_EXCEPTIONS])
        }
    return snapshot


def active_control_datasets() -> dict[str, ControlDataset]:
    """The active dataset of each kind that has one, by kind."""
    return dict(control_snapshot().datasets)


def destination_normalise(destination: str | None) -> str:
    return (destination or "").strip().upper()


def chart_row_for(destination: str) -> CountryChartRow | None:
    """The Country Chart row that governs an ISO alpha-2 destination, or None.

    Territory rules of the chart apply: Hong Kong is governed by the China row,
    Liechtenstein by Switzerland's, the Cayman Islands by the United Kingdom's. Embargoed
    destinations (Cuba, Iran, North Korea, Syria) return their pointer row (`is_embargoed`).
    """
    snapshot = control_snapshot()
    code = destination_normalise(destination)
    return snapshot.chart.get(snapshot.territory_rows.get(code, code))


def territory_parent(destination: str) -> str | None:
    """The destination whose chart row governs this one (HK -> CN), if a territory rule says so."""
    return control_snapshot().territory_rows.get(destination_normalise(destination))


def country_groups_of(destination: str) -> set[str]:
    """The Country Groups (15 CFR 740 Supp. 1) of an ISO alpha-2 destination: {"A:1", "D:5"}.

    A territory without memberships of its own takes those of the destination whose chart
    row governs it (Hong Kong those of China).
    """
    return groups_in(control_snapshot(), destination)


def groups_in(snapshot: ControlSnapshot, destination: str) -> set[str]:
    code = destination_normalise(destination)
    groups = snapshot.groups.get(code)
    if groups is None and code in snapshot.territory_rows:
        groups = snapshot.groups.get(snapshot.territory_rows[code])
    return set(groups or ())


@dataclass(frozen=True)
class ControlCode:
    """A control code as typed, split: "3a001.b.2" -> entry "3A001", paragraph "b.2"."""

    typed: str
    entry: str  # "3A001", "EAR99", or "" when the text is no control code
    paragraph: str

    @property
    def display(self) -> str:
        return f"{self.entry}.{self.paragraph}" if self.paragraph else self.entry

    @property
    def is_ear99(self) -> bool:
        return self.entry == EAR99


def control_code_parse(code: str | None) -> ControlCode:
    typed = (code or "").strip()
    if typed.upper().replace(" ", "") == EAR99:
        return ControlCode(typed, EAR99, "")
    match = _CODE.match(typed)
    if match is None:
        return ControlCode(typed, "", "")
    paragraph = (match.group(2) or "").strip().strip(".").lower()
    return ControlCode(typed, match.group(1).upper(), paragraph)


def control_code_search(query: str, *, limit: int = 10) -> list[dict]:
    """Control codes matching a code prefix or words of their heading, CCL entries first.

    Each match is {"code", "heading", "list"} with list "ccl" or "eu_annex"; EAR99 matches
    its own name. Every word of a text query must occur in the heading (case-insensitive).
    """
    text = " ".join((query or "").split())[:100]
    if not text:
        return []
    snapshot = control_snapshot()
    parsed = control_code_parse(text)
    matches: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(code: str, heading: str, source: str) -> None:
        if (code, source) not in seen and len(matches) < limit:
            seen.add((code, source))
            matches.append({"code": code, "heading": heading, "list": source})

    if EAR99.startswith(text.upper().replace(" ", "")) and len(text) >= 2:
        add(EAR99, "Items subject to the EAR but not on the Commerce Control List", "ear99")
    prefix = parsed.entry or text.upper()
    if re.fullmatch(r"[0-9][A-E0-9]{0,4}", prefix.replace(" ", "")):
        for source, entries in (("ccl", snapshot.ccl), ("eu_annex", snapshot.eu)):
            for code in sorted(entries):
                if code.startswith(prefix):
                    entry = entries[code]
                    add(code, (entry.entry if source == "ccl" else entry).heading, source)
    words = text.casefold().split()
    if len(text) >= 3:
        for source, entries in (("ccl", snapshot.ccl), ("eu_annex", snapshot.eu)):
            for code in sorted(entries):
                entry = entries[code]
                heading = (entry.entry if source == "ccl" else entry).heading
                folded = heading.casefold()
                if all(word in folded for word in words):
                    add(code, heading, source)
    return matches
