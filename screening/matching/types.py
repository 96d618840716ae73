"""The shapes that pass between the matching engine and its callers.

`Query` is what an official (or the flagging pipeline) asks about; `Candidate` is one name of
one listed entry, pre-normalised when the index is built; `Hit` is one listed entry found for a
query with the name that matched best and the explanation of its score; `ScreenResult` is what
`engine.screen` returns. The `as_dict()` shapes are the output contract of the `screen`
command and the search API, so they stay exactly as the issue gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .normalize import NormalisedName

SCHEMAS = ("any", "person", "entity", "vessel", "aircraft")


@dataclass(frozen=True, slots=True)
class Query:
    """A name to screen, with what else the caller knows about the party.

    `schema` is person, entity, vessel, aircraft or "any"; `country` an ISO 3166-1 alpha-2
    code; `birth_date` a partial date (YYYY, YYYY-MM or YYYY-MM-DD). `identifiers` (passport,
    registration or IMO numbers) are optional; numbers written in the name count as well.
    Every field but `name` may be empty: missing data never lowers a score.
    """

    name: str
    schema: str = "any"
    country: str | None = None
    birth_date: str | None = None
    identifiers: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "schema": self.schema,
            "country": self.country,
            "birth_date": self.birth_date,
        }


@dataclass(slots=True)
class Candidate:
    """One name (primary, alias or original-script) of one listed entry.

    The entry's facts (countries, dates of birth, identifiers) are shared tuples: every name
    of an entry points at the same objects, so they cost memory once per entry. `normalised`
    is filled by the index at build time (or lazily by the scorer for ad-hoc comparisons).
    """

    list_code: str
    entry_id: str
    entry_name: str
    name: str
    kind: str = "primary"
    schema: str = "unknown"
    countries: tuple[str, ...] = ()
    birth_dates: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    normalised: NormalisedName | None = field(default=None, repr=False)


@dataclass(slots=True)
class Hit:
    """One listed entry found for a query: the best-scoring of its names and why it scored."""

    list: str
    entry_id: str
    name: str
    matched_name: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "entry_id": self.entry_id,
            "name": self.name,
            "matched_name": self.matched_name,
            "score": self.score,
            "explanation": self.explanation,
        }


@dataclass(slots=True)
class ScreenResult:
    """The answer to one query: hits at or above their list's threshold, best first.

    `threshold` is the default threshold (settings SCREENING_THRESHOLDS["default"]); a list
    with its own threshold states it in each of its hits' explanation ("threshold").
    In `as_dict()`, "query" is the name screened (the `query` column of a batch file).
    """

    query: Query
    threshold: float
    matches: list[Hit] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query.name,
            "threshold": self.threshold,
            "matches": [hit.as_dict() for hit in self.matches],
        }
