"""The in-memory screening index: every name of the active list versions, pre-normalised.

Why two stages (issue 4, point 3): the explainable scorer costs tens of microseconds a name,
too much for ~75,000 names per query. So a query first retrieves candidates cheaply, then
the scorer runs on that shortlist only:

1. Retrieval over keys. Each name's keys are its name, number and generic-word tokens, plus
   auxiliary keys: adjacent tokens joined ("abdul rahman" -> "abdulrahman"), its
   original-script tokens and its whole-name consonant skeleton (for queries in Arabic
   script). A query key finds index keys that are equal, within the scorer's edit tolerance
   (a symmetric-deletion table: every key and every key with one character deleted, stored
   as sorted 64-bit hashes in numpy, so a lookup is a binary search; the query side deletes
   up to two characters of long words), or that share its metaphone key (and, for queries
   in an abjad script, its consonant skeleton). Each found key adds similarity x inverse
   document frequency to the names that carry it (numpy postings): rare tokens decide,
   common ones ("mohammed") weigh little. Names are ranked by the share of the query's and
   of the name's own weight found, which approximates the scorer's coverage measure.
2. The top SHORTLIST names (schema-filtered; names tied with the last come along, up to
   SHORTLIST_MAX) go through `scorer.score_normalised`; names whose normal form is identical
   (the CSL repeats the SDN) share one name comparison. Each entry is reported once, with
   its best name, and only the reported hits get an explanation.

`search_exhaustive` runs the scorer on every name: the ground truth the benchmark measures
the retrieval's recall against (benchmarks/screening.py).

The index is read-only after `build`; `engine.engine_get` swaps whole indexes.
"""

from __future__ import annotations

import gc
import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .normalize import (
    ABJAD_SCRIPTS,
    CORE_KINDS,
    NAME,
    NUMBER,
    NormalisedName,
    normalise_name,
    phonetic_key,
    skeleton,
    syllable_key,
)
from .scorer import (
    JOINABLE,
    MATCH_FLOOR,
    identifier_key,
    query_normalise,
    score_normalised,
    token_similarity,
)
from .types import Candidate, Hit, Query

SHORTLIST = 40
_DIGIT = re.compile(r"\d")
SHORTLIST_MAX = 150
AUX_FACTOR = 0.5
EXPAND_MARGIN = 0.1  # entries this close below the lowest reportable score: all names scored
SKELETON_PREFIX = "~"  # whole-name skeleton keys, apart from the tokens
SYLLABLE_PREFIX = "^"  # whole-name folded syllables (normalize.syllable_key)
# Keys shorter than this are only found exactly: one edit in three letters is another name.
FUZZY_MIN_LENGTH = 4
# From this length on, normalised Levenshtein similarity stays >= MATCH_FLOOR over two edits.
TWO_EDITS_MIN_LENGTH = 7
PREFIX_LENGTH = 4
NEAR = 0.9  # a key this similar (one edit in ten letters) makes the two-edit look-up moot
PHONETIC_MIN_LENGTH = 3
MAX_PHONETIC_KEYS = 300  # a metaphone code shared by more keys than this says nothing
SCHEMA_ALLOWED = {
    "any": None,
    "person": ("person", "unknown"),
    "entity": ("entity", "unknown"),
    "vessel": ("vessel", "unknown"),
    "aircraft": ("aircraft", "unknown"),
}


@dataclass(frozen=True, slots=True)
class IndexStats:
    names: int
    entries: int
    keys: int
    deletion_keys: int
    build_seconds: float


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def _deletions(key: str) -> set[str]:
    """The key with one character deleted: two keys one edit apart share a variant."""
    return {key[:i] + key[i + 1 :] for i in range(len(key))}


def _name_keys(nn: NormalisedName, *, query: bool = False) -> tuple[set[str], set[str]]:
    """The retrieval keys of a normalised name (see the module docstring): its own tokens,
    which measure how much of it was found, and auxiliary keys (adjacent tokens joined,
    original-script tokens, whole-name skeletons), which help find it but would count its
    tokens twice. Whole-name skeletons are indexed for names not in an abjad script and
    asked for by queries in one."""
    tokens, kinds = nn.tokens, nn.kinds
    keys = {t for t, k in zip(tokens, kinds, strict=True) if k in CORE_KINDS} or set(tokens)
    extra = set()
    for i in range(len(tokens) - 1):
        if kinds[i] in JOINABLE and kinds[i + 1] in JOINABLE and NAME in kinds[i : i + 2]:
            extra.add(tokens[i] + tokens[i + 1])
    if nn.native:
        extra.update(t for t, k in zip(nn.native, nn.native_kinds, strict=True) if k in CORE_KINDS)
    if (nn.script in ABJAD_SCRIPTS) == query:
        extra.update(SKELETON_PREFIX + s for s in nn.skeletons if len(s) >= 3)
    if (nn.script == "Hangul") == query and (key := syllable_key(nn)):
        extra.add(SYLLABLE_PREFIX + key)
    return keys, extra - keys


class ScreeningIndex:
    """All names of a set of list versions, ready to search. Build with `build()`."""

    def __init__(self, candidates: list[Candidate], version_key: tuple[int, ...]):
        started = time.perf_counter()
        self.version_key = version_key
        self.candidates = candidates
        count = len(candidates)
        self._schemas = np.array([c.schema for c in candidates], dtype=object)
        self._schema_masks: dict[str, np.ndarray] = {}
        for schema, allowed in SCHEMA_ALLOWED.items():
            if allowed is not None:
                self._schema_masks[schema] = np.isin(self._schemas, allowed)
        del self._schemas

        key_ids: dict[str, int] = {}
        postings: list[list[int]] = []
        name_keys: list[list[int]] = []
        for position, candidate in enumerate(candidates):
            ids = []
            own, extra = _name_keys(candidate.normalised)
            for key in (*own, *extra):
                key_id = key_ids.get(key)
                if key_id is None:
                    key_id = key_ids[key] = len(postings)
                    postings.append([])
                postings[key_id].append(position)
                ids.append(key_id)
            name_keys.append(ids[: len(own)])
        self._key_ids = key_ids
        self._keys = list(key_ids)
        lengths = np.fromiter((len(p) for p in postings), dtype=np.int64, count=len(postings))
        self._posting_start = np.zeros(len(postings) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self._posting_start[1:])
        self._postings = np.fromiter(
            (p for plist in postings for p in plist), dtype=np.int32, count=int(lengths.sum())
        )
        self._idf = np.log1p(count / np.maximum(lengths, 1)).astype(np.float32)
        # Each name's total key weight, for the name-side share of the retrieval score.
        self._name_weight = np.fromiter(
            (float(self._idf[ids].sum()) if ids else 1.0 for ids in name_keys),
            dtype=np.float32,
            count=count,
        )
        del postings, name_keys

        hashes: list[int] = []
        owners: list[int] = []
        phonetic: dict[str, list[int]] = defaultdict(list)
        skeletons: dict[str, list[int]] = defaultdict(list)
        for key, key_id in key_ids.items():
            if len(key) >= FUZZY_MIN_LENGTH:
                for variant in _deletions(key) | {key}:
                    hashes.append(hash(variant))
                    owners.append(key_id)
            if len(key) >= PHONETIC_MIN_LENGTH and key.isascii() and key.isalpha():
                phonetic[phonetic_key(key)].append(key_id)
                skeletons[skeleton(key)].append(key_id)
        order = np.argsort(np.array(hashes, dtype=np.int64), kind="stable")
        self._deletion_hashes = np.array(hashes, dtype=np.int64)[order]
        self._deletion_owners = np.array(owners, dtype=np.int32)[order]
        prefixes: dict[str, list[int]] = defaultdict(list)
        for key, key_id in key_ids.items():
            if len(key) >= TWO_EDITS_MIN_LENGTH - 1 and key.isalpha():
                prefixes[key[:PREFIX_LENGTH]].append(key_id)
        self._prefixes = {
            prefix: np.array(ids, dtype=np.int32)
            for prefix, ids in prefixes.items()
            if len(ids) <= MAX_PHONETIC_KEYS
        }
        self._phonetic = {
            code: np.array(ids, dtype=np.int32)
            for code, ids in phonetic.items()
            if len(ids) <= MAX_PHONETIC_KEYS
        }
        self._skeletons = {
            code: np.array(ids, dtype=np.int32)
            for code, ids in skeletons.items()
            if len(ids) <= MAX_PHONETIC_KEYS
        }
        entry_names: dict[tuple[str, str], list[int]] = defaultdict(list)
        for position, candidate in enumerate(candidates):
            entry_names[(candidate.list_code, candidate.entry_id)].append(position)
        self._entry_names = {entry: tuple(names) for entry, names in entry_names.items()}
        self._entries = len(self._entry_names)
        self._setup_seconds = time.perf_counter() - started
        self.stats = IndexStats(
            names=count,
            entries=self._entries,
            keys=len(self._keys),
            deletion_keys=len(self._deletion_hashes),
            build_seconds=self._setup_seconds,
        )

    # --- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, version_ids: Iterable[int] | None = None) -> ScreeningIndex:
        """Load the names of the given list versions (default: every active version) with one
        query per table, normalise them and index them."""
        from screening.models import EntryName, ListEntry, ListVersion

        started = time.perf_counter()
        versions = ListVersion.objects.order_by("pk")
        if version_ids is None:
            versions = versions.filter(status=ListVersion.Status.ACTIVE)
        else:
            versions = versions.filter(pk__in=list(version_ids))
        list_codes = dict(versions.values_list("pk", "source__code"))
        version_key = tuple(sorted(list_codes))

        entries: dict[int, tuple] = {}
        rows = (
            ListEntry.objects.filter(version_id__in=version_key)
            .order_by()
            .values_list(
                "pk",
                "version_id",
                "entry_id",
                "schema",
                "primary_name",
                "countries",
                "dates_of_birth",
                "identifiers",
            )
        )
        for (
            pk,
            version_id,
            entry_id,
            schema,
            primary,
            countries,
            births,
            identifiers,
        ) in rows.iterator(chunk_size=5000):
            keys = {identifier_key(str(i.get("value", ""))) for i in identifiers or ()}
            keys.discard("")
            entries[pk] = (
                list_codes[version_id],
                entry_id,
                schema,
                primary,
                tuple(countries or ()),
                tuple(str(b) for b in births or ()),
                tuple(sorted(keys)),
            )
        names = (
            EntryName.objects.filter(version_id__in=version_key)
            .order_by("entry_id", "pk")
            .values_list("entry_id", "name", "kind")
        )
        candidates = cls._candidates(
            (entries[entry_pk], name, kind) for entry_pk, name, kind in names.iterator(5000)
        )
        index = cls(candidates, version_key)
        # The index is a million long-lived objects. Left to the cyclic garbage collector,
        # each full collection would rescan them all: a pause of several milliseconds in
        # whichever query triggers it. Frozen, they are skipped (and still freed by reference
        # counting once the index is dropped, since nothing in it forms a cycle).
        gc.collect()
        gc.freeze()
        index.stats = IndexStats(
            names=index.stats.names,
            entries=index.stats.entries,
            keys=index.stats.keys,
            deletion_keys=index.stats.deletion_keys,
            build_seconds=time.perf_counter() - started,
        )
        return index

    @staticmethod
    def _candidates(rows: Iterable[tuple[tuple, str, str]]) -> list[Candidate]:
        """Candidates from (entry facts, name, kind); equal names share one normal form."""
        normal: dict[tuple[str, str], NormalisedName] = {}
        build = normalise_name.__wrapped__
        candidates = []
        for (list_code, entry_id, schema, primary, countries, births, ids), name, kind in rows:
            if not name or not name.strip():
                continue
            cache_key = (name, schema)
            nn = normal.get(cache_key)
            if nn is None:
                nn = normal[cache_key] = build(name, schema)
            if not nn.tokens:
                continue
            candidates.append(
                Candidate(
                    list_code=list_code,
                    entry_id=entry_id,
                    entry_name=primary,
                    name=name,
                    kind=kind,
                    schema=schema,
                    countries=countries,
                    birth_dates=births,
                    identifiers=ids,
                    normalised=nn,
                )
            )
        return candidates

    @classmethod
    def from_candidates(
        cls, candidates: Sequence[Candidate], version_key: tuple[int, ...] = ()
    ) -> ScreeningIndex:
        """An index over candidates made in code (tests, evaluation)."""
        for candidate in candidates:
            if candidate.normalised is None:
                candidate.normalised = normalise_name(candidate.name, candidate.schema)
        return cls(list(candidates), version_key)

    def __len__(self) -> int:
        return len(self.candidates)

    # --- searching ------------------------------------------------------------------------

    def _key_matches(self, key: str, abjad: bool) -> dict[int, float]:
        """Index keys similar to a query key, with their similarity. A long key that finds
        nothing within one edit is looked up again allowing two (the scorer accepts two
        edits in a word of seven letters or more: "mkariam" / "maryam")."""
        found = self._similar_keys(key, abjad, twice=False)
        if len(key) >= TWO_EDITS_MIN_LENGTH and not any(sim >= NEAR for sim in found.values()):
            found.update(self._similar_keys(key, abjad, twice=True))
            if not any(sim >= NEAR for sim in found.values()):
                # Last resort for a long word: the keys that begin like it ("kirogebmash"
                # / "kirovgenmash", two edits the deletion table cannot bridge).
                found.update(self._prefixed_keys(key))
        return found

    def _prefixed_keys(self, key: str) -> dict[int, float]:
        ids = self._prefixes.get(key[:PREFIX_LENGTH])
        if ids is None:
            return {}
        keys = self._keys
        others = [keys[i] for i in ids.tolist()]
        scores = process.cdist(
            [key], others, scorer=Levenshtein.normalized_similarity, score_cutoff=MATCH_FLOOR
        )[0].tolist()
        return {
            int(key_id): sim
            for key_id, sim in zip(ids.tolist(), scores, strict=True)
            if sim >= MATCH_FLOOR and not _has_digit(keys[key_id])
        }

    def _similar_keys(self, key: str, abjad: bool, *, twice: bool) -> dict[int, float]:
        found: dict[int, float] = {}
        exact = self._key_ids.get(key)
        if exact is not None:
            found[exact] = 1.0
        if len(key) < FUZZY_MIN_LENGTH:
            return found
        similar: set[int] = set()
        variants = _deletions(key) | {key}
        if twice:
            # The index holds one deletion of each key: the query's side deletes two.
            variants = {v[:i] + v[i + 1 :] for v in variants for i in range(len(v))}
        hashes = np.array([hash(v) for v in variants], dtype=np.int64)
        # One search for both ends of each hash's run (hash + 1 is where the run ends).
        bounds = np.searchsorted(self._deletion_hashes, np.concatenate([hashes, hashes + 1]))
        half = len(hashes)
        for lo, hi in zip(bounds[:half].tolist(), bounds[half:].tolist(), strict=True):
            if hi > lo:
                similar.update(self._deletion_owners[lo:hi].tolist())
        sounding: set[int] = set()
        if key.isascii() and key.isalpha():
            codes = self._phonetic.get(phonetic_key(key))
            if codes is not None:
                sounding.update(codes.tolist())
            if abjad:
                codes = self._skeletons.get(skeleton(key))
                if codes is not None:
                    sounding.update(codes.tolist())
        similar.discard(-1 if exact is None else exact)
        sounding.discard(-1 if exact is None else exact)
        keys = self._keys
        key_kind = NUMBER if _has_digit(key) else NAME
        if similar and key_kind == NAME:
            # Edit similarity of all of them in one rapidfuzz call; only those that fall
            # short and might still agree by sound go through token_similarity below.
            ids = list(similar)
            scores = process.cdist(
                [key],
                [keys[i] for i in ids],
                scorer=Levenshtein.normalized_similarity,
                score_cutoff=MATCH_FLOOR,
                workers=1,
            )[0].tolist()
            for key_id, sim in zip(ids, scores, strict=True):
                if sim >= MATCH_FLOOR and not _has_digit(keys[key_id]):
                    found[key_id] = sim
                else:
                    sounding.add(key_id)
        else:
            sounding |= similar
        for key_id in sounding - found.keys():
            other = keys[key_id]
            sim, _how = token_similarity(
                key,
                other,
                abjad=abjad,
                a_kind=key_kind,
                b_kind=NUMBER if _has_digit(other) else NAME,
            )
            if sim >= MATCH_FLOOR:
                found[key_id] = sim
        return found

    def _query_keys(self, qn: NormalisedName) -> list[tuple[str, bool]]:
        """(key, auxiliary) for a query: see _name_keys."""
        own, extra = _name_keys(qn, query=True)
        return [(key, False) for key in own] + [(key, True) for key in extra]

    def _shortlist(self, query: Query, qn: NormalisedName, size: int) -> np.ndarray:
        """The `size` names that retrieval ranks first for a query (positions, best first)."""
        abjad = qn.script in ABJAD_SCRIPTS
        idf, starts, postings = self._idf, self._posting_start, self._postings
        max_idf = float(math.log1p(len(self.candidates)))
        query_weight = 0.0
        parts_rows: list[np.ndarray] = []
        parts_weights: list[np.ndarray] = []
        for key, auxiliary in self._query_keys(qn):
            matches = self._key_matches(key, abjad)
            if not auxiliary:
                query_weight += max((float(idf[k]) for k in matches), default=max_idf)
            if not matches:
                continue
            # Auxiliary keys count half (they repeat what the tokens say), except whole-name
            # skeletons for a query in an abjad script, its most reliable key.
            whole = key.startswith((SKELETON_PREFIX, SYLLABLE_PREFIX))
            factor = 1.0 if not auxiliary or whole else AUX_FACTOR
            # Ascending weight, so that after a stable sort by name the last of each name's
            # rows is the best key this query key found in it.
            ranked = sorted(
                (sim * float(idf[key_id]) * factor, key_id) for key_id, sim in matches.items()
            )
            rows = [postings[starts[key_id] : starts[key_id + 1]] for _w, key_id in ranked]
            weights = [
                np.full(len(r), w, dtype=np.float32)
                for (w, _k), r in zip(ranked, rows, strict=True)
            ]
            if len(rows) == 1:
                parts_rows.append(rows[0])
                parts_weights.append(weights[0])
                continue
            all_rows, all_weights = np.concatenate(rows), np.concatenate(weights)
            order = np.argsort(all_rows, kind="stable")
            all_rows, all_weights = all_rows[order], all_weights[order]
            last = np.empty(len(all_rows), dtype=bool)
            np.not_equal(all_rows[1:], all_rows[:-1], out=last[:-1])
            last[-1] = True
            parts_rows.append(all_rows[last])
            parts_weights.append(all_weights[last])
        if not parts_rows:
            return np.empty(0, dtype=np.int64)
        # Sum over the query's keys, per name.
        rows, weights = np.concatenate(parts_rows), np.concatenate(parts_weights)
        if len(parts_rows) > 1:
            order = np.argsort(rows, kind="stable")
            rows, weights = rows[order], weights[order]
            first = np.empty(len(rows), dtype=bool)
            first[0] = True
            np.not_equal(rows[1:], rows[:-1], out=first[1:])
            heads = np.flatnonzero(first)
            rows, weights = rows[heads], np.add.reduceat(weights, heads)
        mask = self._schema_masks.get(query.schema)
        if mask is not None:
            keep = mask[rows]
            rows, weights = rows[keep], weights[keep]
        rank = weights * (0.6 / query_weight) + weights / self._name_weight[rows] * 0.4
        if len(rows) > size:
            # Names tied with the last place come along (common names make many ties), up
            # to SHORTLIST_MAX.
            cutoff = -np.partition(-rank, size - 1)[size - 1]
            keep = np.flatnonzero(rank >= cutoff - 1e-6)
            if len(keep) > SHORTLIST_MAX:
                keep = keep[np.argpartition(-rank[keep], SHORTLIST_MAX - 1)[:SHORTLIST_MAX]]
            rows, rank = rows[keep], rank[keep]
        return rows[np.argsort(-rank, kind="stable")]

    def search(
        self,
        query: Query,
        limit: int = 10,
        *,
        min_score: float = 0.0,
        shortlist: int = SHORTLIST,
    ) -> list[Hit]:
        """The best `limit` entries for a query scoring at least `min_score`, best first
        (the engine passes its lowest threshold and applies each list's own)."""
        qn = query_normalise(query)
        if not qn.tokens:
            return []
        positions = self._shortlist(query, qn, max(shortlist, limit))
        return self._rank(query, qn, positions.tolist(), limit, min_score)

    def search_exhaustive(
        self, query: Query, limit: int = 10, *, min_score: float = 0.0
    ) -> list[Hit]:
        """The scorer on every name (schema-filtered like `search`): the ground truth."""
        qn = query_normalise(query)
        if not qn.tokens:
            return []
        mask = self._schema_masks.get(query.schema)
        positions = range(len(self.candidates)) if mask is None else np.flatnonzero(mask).tolist()
        return self._rank(query, qn, positions, limit, min_score)

    def _rank(
        self,
        query: Query,
        qn: NormalisedName,
        positions: Iterable[int],
        limit: int,
        min_score: float,
    ) -> list[Hit]:
        best: dict[tuple[str, str], tuple[float, int]] = {}
        candidates = self.candidates
        memo: dict[tuple[int, bool | None], float] = {}
        scored: set[int] = set()

        def score_all(chosen: Iterable[int]) -> None:
            for position in chosen:
                if position in scored:
                    continue
                scored.add(position)
                candidate = candidates[position]
                score, _ = score_normalised(query, qn, candidate, memo=memo)
                entry = (candidate.list_code, candidate.entry_id)
                seen = best.get(entry)
                if seen is None or score > seen[0]:
                    best[entry] = (score, position)

        score_all(positions)
        # An entry just below the lowest reportable score may have a better name that the
        # retrieval left out: score all its names.
        if min_score > 0:
            near = sorted(best.items(), key=lambda item: -item[1][0])[:limit]
            for entry, (score, _position) in near:
                if min_score - EXPAND_MARGIN <= score < min_score:
                    score_all(self._entry_names.get(entry, ()))
        ranked = sorted(
            (item for item in best.values() if item[0] >= min_score),
            key=lambda item: (-item[0], item[1]),
        )[:limit]
        hits = []
        for score, position in ranked:
            candidate = candidates[position]
            _score, explanation = score_normalised(query, qn, candidate, explain=True)
            hits.append(
                Hit(
                    list=candidate.list_code,
                    entry_id=candidate.entry_id,
                    name=candidate.entry_name,
                    matched_name=candidate.name,
                    score=score,
                    explanation=explanation,
                )
            )
        return hits
