"""What the checks read about one application: the ScreeningContext.

`context_build` loads the application with its items, parties and organisation in three
queries; every other fact is computed when a check first asks for it and kept on the context
(`context.fact`), so a fact that no rule in force needs costs nothing.

Facts that are the same for every application (the parties of refused cases, the partner
denial notices) are built once per worker process (`ProcessCache`) and rebuilt when a cheap
aggregate over their table (count, latest id or time) says they have changed: a re-screen of
thousands of cases reads them once.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from django.utils import timezone

from licensing.models import Application, Item, Party

T = TypeVar("T")


def party_schema(kind: str) -> str:
    """The matching engine's schema for a Party.kind: people are persons, the rest entities."""
    return "person" if kind == Party.Kind.PERSON else "entity"


def party_names(party: Party) -> list[tuple[str, str]]:
    """The party's name and each of its alias lines, as (name, "name" | "alias")."""
    names = [(party.name.strip(), "name")]
    for line in (party.aliases or "").splitlines():
        alias = line.strip()
        if alias and alias.casefold() not in {name.casefold() for name, _ in names}:
            names.append((alias, "alias"))
    return [(name, source) for name, source in names if name]


def party_evidence(party: Party) -> dict:
    """The party as a flag's evidence records it."""
    return {
        "id": party.pk,
        "name": party.name,
        "role": party.role,
        "country": party.country.code or "",
    }


@dataclass
class ScreeningContext:
    """One application as the checks see it, with lazily computed facts."""

    application: Application
    organisation: Any
    items: list[Item]
    parties: list[Party]
    today: date
    facts: dict[Hashable, Any] = field(default_factory=dict, repr=False)

    def fact(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The fact named `key`, computed on first use and kept for this application."""
        try:
            return self.facts[key]
        except KeyError:
            value = self.facts[key] = compute()
            return value

    def screen(self, *, name: str, schema: str, country: str | None):
        """engine.screen for one name, shared by every party-match rule of this run."""
        from screening.matching import engine

        return self.fact(
            ("screen", name, schema, country),
            lambda: engine.screen(name=name, schema=schema, country=country, limit=30),
        )

    def chart_row(self, iso2: str):
        """The Country Chart row of a destination (None when the chart has none)."""
        from screening.controls.lookup import chart_row_for

        return self.fact(("chart_row", iso2), lambda: chart_row_for(iso2))

    def country_groups(self, iso2: str) -> set[str]:
        from screening.controls.lookup import country_groups_of

        return self.fact(("country_groups", iso2), lambda: country_groups_of(iso2))

    def licence_determination(self, *, control_code: str, destination: str) -> dict | None:
        """The licence determination as a dict (see screening.controls.determination), or
        None when no control data has been imported."""
        return self.fact(
            ("licence", control_code, destination),
            lambda: _determine(control_code=control_code, destination=destination),
        )


def context_build(*, application: Application) -> ScreeningContext:
    application = (
        Application.objects.select_related("organisation")
        .prefetch_related("items", "parties")
        .get(pk=application.pk)
    )
    return ScreeningContext(
        application=application,
        organisation=application.organisation,
        items=list(application.items.all()),
        parties=list(application.parties.all()),
        today=timezone.localdate(),
    )


def _determine(*, control_code: str, destination: str) -> dict | None:
    """licence_determine as a dict; None when no control data was ever imported (the check
    has nothing to go on), "refer" when the data lapsed or was retired."""
    from screening.controls.determination import ControlDataMissingError, licence_determine

    try:
        return licence_determine(control_code=control_code, destination=destination).as_dict()
    except ControlDataMissingError:
        return _control_data_ended() if _control_data_has_ended() else None


def _control_data_has_ended() -> bool:
    """Whether the control data was retired or lapsed at a sunset review (rather than never
    imported): then an official must determine what the data no longer can."""
    from screening.models import ControlDataset

    return ControlDataset.objects.filter(
        status__in=(ControlDataset.Status.RETIRED, ControlDataset.Status.LAPSED)
    ).exists()


def _control_data_ended() -> dict:
    return {
        "licence_required": "refer",
        "reasons": [],
        "control_data_ended": True,
        "problems": ["The control data this check needs has lapsed or been retired."],
    }


# --- per-process caches --------------------------------------------------------------------


class ProcessCache(Generic[T]):
    """A value built once per process, rebuilt when `key()` changes."""

    def __init__(self, key: Callable[[], Hashable], build: Callable[[], T]):
        self._key_fn, self._build = key, build
        self._key: Hashable = object()
        self._value: T | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        key = self._key_fn()
        with self._lock:
            if self._value is None or key != self._key:
                self._value, self._key = self._build(), key
            return self._value

    def reset(self) -> None:
        with self._lock:
            self._value, self._key = None, object()


class NameBlock(Generic[T]):
    """Records keyed by name, found for a query name by the tokens (or their metaphone keys)
    they share with it: the short list that the scorer (engine.compare) then decides on."""

    def __init__(self, records: Iterable[tuple[str, str, T]]):
        self.records: list[tuple[str, str, T]] = []
        self._postings: dict[str, set[int]] = defaultdict(set)
        for name, schema, record in records:
            position = len(self.records)
            self.records.append((name, schema, record))
            for key in name_keys(name, schema):
                self._postings[key].add(position)

    def __len__(self) -> int:
        return len(self.records)

    def candidates(self, name: str, schema: str) -> list[tuple[str, str, T]]:
        positions: set[int] = set()
        for key in name_keys(name, schema):
            positions |= self._postings.get(key, set())
        return [self.records[position] for position in sorted(positions)]


def name_keys(name: str, schema: str) -> set[str]:
    from screening.matching.normalize import normalise_name

    normal = normalise_name(name, schema)
    core = set(normal.core) or set(normal.tokens)
    keys = {f"t:{token}" for token in core}
    for token, key in zip(normal.tokens, normal.phonetic, strict=False):
        if token in core and key:
            keys.add(f"p:{key}")
    return keys


@dataclass(frozen=True, slots=True)
class RefusedParty:
    application_id: int
    reference: str
    organisation_id: int
    party_id: int
    name: str
    role: str
    country: str


def _refused_key() -> Hashable:
    from django.db.models import Count, Max

    return tuple(
        Application.objects.filter(status=Application.Status.REFUSED)
        .aggregate(n=Count("id"), latest=Max("updated_at"), last=Max("id"))
        .values()
    )


def _refused_build() -> NameBlock[RefusedParty]:
    rows = Party.objects.filter(application__status=Application.Status.REFUSED).values_list(
        "pk",
        "name",
        "aliases",
        "kind",
        "role",
        "country",
        "application_id",
        "application__reference",
        "application__organisation_id",
    )
    records = []
    for pk, name, aliases, kind, role, country, app_id, reference, org_id in rows.iterator():
        party = Party(name=name, aliases=aliases)
        for each, _source in party_names(party):
            record = RefusedParty(app_id, reference, org_id, pk, each, role, str(country or ""))
            records.append((each, party_schema(kind), record))
    return NameBlock(records)


def _denials_key() -> Hashable:
    from django.db.models import Count, Max, Q

    from screening.models import PartnerDenial

    return tuple(
        PartnerDenial.objects.aggregate(
            n=Count("id"),
            last=Max("id"),
            imported=Max("imported_at"),
            withdrawn=Count("id", filter=Q(withdrawn_on__isnull=False)),
        ).values()
    )


def _denials_build() -> dict[str, list]:
    """Notices in force, by the control entry they name (see partner.control_entry)."""
    from screening.models import PartnerDenial

    from .partner import control_entry

    by_entry: dict[str, list] = defaultdict(list)
    for denial in PartnerDenial.objects.filter(withdrawn_on__isnull=True).order_by("pk"):
        entry = control_entry(denial.control_code)
        if entry:
            by_entry[entry].append(denial)
    return dict(by_entry)


refused_parties = ProcessCache(_refused_key, _refused_build)
partner_denials = ProcessCache(_denials_key, _denials_build)


def caches_reset() -> None:
    """Forget the per-process caches (tests)."""
    refused_parties.reset()
    partner_denials.reset()
