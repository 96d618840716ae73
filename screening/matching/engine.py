"""The screening engine a worker process uses: one index, swapped when the lists change.

Why this shape (issue 4, point 3): building the index takes seconds, a query milliseconds,
so each worker process builds the index once, lazily, on its first query. Every call checks
the set of active list versions (one small indexed query); when an import has changed it,
the call that notices rebuilds the index under a lock and swaps the module-level reference
in one assignment. Readers never wait for a rebuild when an index exists: they keep the
reference they hold (and other threads keep getting the old index) until the new one is
ready, so an import never interrupts screening.

`screen` applies the per-list thresholds of settings SCREENING_THRESHOLDS (list code ->
float, with "default"); `compare` scores two names directly with the same scorer.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

from .index import ScreeningIndex
from .scorer import score_pair
from .types import Candidate, Query, ScreenResult

logger = logging.getLogger(__name__)

DEFAULT_THRESHOLD = 0.8

_lock = threading.Lock()
_index: ScreeningIndex | None = None


def active_version_key() -> tuple[int, ...]:
    """The ids of the list versions in force, sorted: what the current index must cover."""
    from screening.models import ListVersion

    return tuple(
        ListVersion.objects.filter(status=ListVersion.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def engine_get() -> ScreeningIndex:
    """This process's index of the active list versions, rebuilt when they have changed."""
    global _index
    wanted = active_version_key()
    current = _index
    if current is not None and current.version_key == wanted:
        return current
    if current is not None and not _lock.acquire(blocking=False):
        return current  # another thread is rebuilding; the old index serves meanwhile
    if current is None:
        _lock.acquire()
    try:
        current = _index
        if current is None or current.version_key != wanted:
            built = ScreeningIndex.build(version_ids=wanted)
            logger.info(
                "screening index built: %d names of versions %s in %.1f s",
                built.stats.names,
                built.version_key,
                built.stats.build_seconds,
            )
            _index = current = built
        return current
    finally:
        _lock.release()


def engine_reset() -> None:
    """Forget the index (tests; the next engine_get builds afresh)."""
    global _index
    with _lock:
        _index = None


def thresholds() -> dict[str, float]:
    configured = getattr(settings, "SCREENING_THRESHOLDS", None) or {}
    values = {code: float(value) for code, value in configured.items()}
    values.setdefault("default", DEFAULT_THRESHOLD)
    return values


def threshold_for(list_code: str, table: dict[str, float] | None = None) -> float:
    table = table if table is not None else thresholds()
    return table.get(list_code, table["default"])


def screen(
    *,
    name: str,
    schema: str | None = "any",
    country: str | None = None,
    birth_date: str | None = None,
    limit: int = 10,
    index: ScreeningIndex | None = None,
) -> ScreenResult:
    """Screen one name against the lists in force: hits at or above their list's threshold,
    best first, at most `limit`."""
    query = Query(
        name=name,
        schema=schema or "any",
        country=(country or None) and country.upper(),
        birth_date=birth_date or None,
    )
    table = thresholds()
    index = index or engine_get()
    # Ask for more than `limit`: hits of lists with a higher threshold may drop out.
    hits = index.search(query, limit=limit + 10, min_score=min(table.values()))
    matches = []
    for hit in hits:
        threshold = threshold_for(hit.list, table)
        if hit.score >= threshold:
            hit.explanation["threshold"] = threshold
            matches.append(hit)
    return ScreenResult(query=query, threshold=table["default"], matches=matches[:limit])


def compare(left: str, right: str, schema: str | None = "any") -> float:
    """Score two names against each other with the scorer screening uses (left as the query,
    right as the listed name); no list, country or date is involved."""
    schema = schema or "any"
    candidate = Candidate(
        list_code="",
        entry_id="",
        entry_name=right,
        name=right,
        schema=schema if schema != "any" else "unknown",
    )
    score, _explanation = score_pair(Query(name=left, schema=schema), candidate)
    return score


def compare_explained(left: str, right: str, schema: str | None = "any") -> tuple[float, dict]:
    """`compare` with the scorer's explanation."""
    schema = schema or "any"
    candidate = Candidate(
        list_code="",
        entry_id="",
        entry_name=right,
        name=right,
        schema=schema if schema != "any" else "unknown",
    )
    return score_pair(Query(name=left, schema=schema), candidate)
