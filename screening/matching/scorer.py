"""The explainable scorer: one query against one candidate name, a score in [0, 1] and why.

How a score is made (issue 4, point 5):
1. Name similarity. The two names' tokens are aligned one to one, greedily by similarity;
   tokens left over on both sides may then be joined ("abdul rahman" / "abdulrahman", the
   pinyin syllables of a Chinese name / "Dingwen", "ms 13" / "ms13"). A token pair's
   similarity is the best of equality, normalised Levenshtein similarity (rapidfuzz),
   phonetic agreement (same metaphone key, jellyfish: lifts the edit similarity halfway to
   1) and, across an abjad script, agreement of consonant skeletons. Pairs below
   MATCH_FLOOR count as unmatched. Legal forms of the same kind (rigour's "llc", "jsc")
   agree however they are spelt.
2. Weights and coverage. Each token weighs by its kind (normalize.KIND_WEIGHT): names and
   numbers 1, the generic words of organisations' names 0.4, stop words, legal forms and
   titles little, so they confirm a match but cannot make one. The similarity is
   QUERY_SHARE of the query's weight that found a partner plus the rest of the
   candidate's: "Vladimir Putin" scores high against "PUTIN, Vladimir Vladimirovich".
3. Deliberate caps, each named in the explanation ("capped"): no agreeing name word (legal
   forms, titles, generic words or numbers beside unmatched names alone) -> NO_CORE_CAP;
   one word against a person's several ("Leila" / "VASEGHI, Leila") -> ONE_WORD_CAP; a
   family name written "LAST, First" that the other name lacks -> FAMILY_CAP. Numbers only
   match the same number, codes of letters and digits only codes with the same digits, and
   a name of one word of three letters or fewer ("VEB") only matches exactly.
4. Script. A query and a candidate in the same non-Latin script are compared in that script
   (the list's original-script names); otherwise through their ASCII transliterations, and
   across an abjad script (Arabic, Hebrew) also by the whole names' consonant skeletons.
5. Adjustments: country agreement / conflict, date of birth agreement / conflict (at the
   precision both sides give), identifier agreement (given, or a number in the name), schema
   conflict. Missing data on either side changes nothing, so it never hides a hit.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .normalize import (
    ABJAD_SCRIPTS,
    CORE_KINDS,
    GENERIC,
    HONORIFIC,
    LEGAL,
    NAME,
    NUMBER,
    ORG_SCHEMAS,
    STOP,
    NormalisedName,
    normalise_name,
    phonetic_key,
    romanization_fold,
    skeleton,
)
from .types import Candidate, Query

KIND_LABEL = {
    NAME: "name",
    NUMBER: "number",
    LEGAL: "legal form",
    HONORIFIC: "honorific",
    STOP: "stop word",
    GENERIC: "generic word",
}
JOINABLE = NAME + NUMBER + STOP + GENERIC
ONE_WORD_CAP = 0.7
PHONETIC_MIN_LENGTH = 5  # metaphone keys of shorter words say too little ("suni" / "sanai")
SHORT_WORD = 4  # one word this short never finds a longer name
FAMILY_CAP = 0.75
MATCH_FLOOR = 0.7  # a token pair less similar than this is no match
JOIN_FLOOR = 0.75  # joined tokens must agree better than single ones
SKELETON_FACTOR = 0.9
WHOLE_SKELETON_FACTOR = 0.95
INITIAL_SIMILARITY = 0.7
QUERY_SHARE = 0.7
NO_CORE_CAP = 0.3
MAX_JOIN = 3
CDIST_MIN_PAIRS = 9  # from this many token pairs on, one rapidfuzz call beats a Python loop

COUNTRY_AGREE = 0.03
COUNTRY_CONFLICT = -0.08
BIRTH_DAY_AGREE = 0.05
BIRTH_YEAR_AGREE = 0.02
BIRTH_NEAR_CONFLICT = -0.05  # one year apart: a typing or calendar slip is plausible
BIRTH_CONFLICT = -0.15
IDENTIFIER_AGREE = 0.15
SCHEMA_CONFLICT = -0.15


def score_pair(query: Query, candidate: Candidate) -> tuple[float, dict[str, Any]]:
    """Score one query against one candidate name, with the explanation of every feature."""
    return score_normalised(query, query_normalise(query), candidate, explain=True)


def query_normalise(query: Query) -> NormalisedName:
    return normalise_name(query.name, query.schema)


def candidate_normalise(candidate: Candidate) -> NormalisedName:
    if candidate.normalised is None:
        candidate.normalised = normalise_name(candidate.name, candidate.schema)
    return candidate.normalised


def score_normalised(
    query: Query,
    qn: NormalisedName,
    candidate: Candidate,
    *,
    explain: bool = False,
    memo: dict[tuple[int, bool | None], float] | None = None,
) -> tuple[float, dict[str, Any]]:
    """The scorer proper, on a query already normalised (the index normalises once per query
    and calls this for every shortlisted name). Without `explain` it skips building the
    explanation but computes the same score; `memo` (one dict per query) keeps the name
    similarity of each normal form, which names repeated across lists share."""
    cn = candidate_normalise(candidate)
    if "person" in (query.schema, candidate.schema):
        person: bool | None = True
    elif query.schema in ORG_SCHEMAS or candidate.schema in ORG_SCHEMAS:
        person = False
    else:
        person = None
    if explain or memo is None:
        name_score, name_detail, mode = name_similarity(qn, cn, explain=explain, person=person)
    else:
        key = (id(cn), person)
        name_score = memo.get(key, -1.0)
        if name_score < 0:
            name_score = memo[key] = name_similarity(qn, cn, person=person)[0]
    total = name_score
    if not explain:
        # The same adjustments as below, only for the facts both sides give.
        if query.country and candidate.countries:
            total += _country_effect(query, qn, candidate)[0]
        if query.birth_date and candidate.birth_dates:
            total += _birth_date_effect(query, qn, candidate)[0]
        if candidate.identifiers and _asked_identifiers(query.identifiers, qn.tokens, qn.kinds):
            total += _identifier_effect(query, qn, candidate)[0]
        if query.schema not in ("any", candidate.schema, "") and candidate.schema != "unknown":
            total += _schema_effect(query, qn, candidate)[0]
        return round(min(1.0, max(0.0, total)), 4), {}
    effects: dict[str, Any] = {}
    for feature, adjust in (
        ("country", _country_effect),
        ("birth_date", _birth_date_effect),
        ("identifier", _identifier_effect),
        ("schema", _schema_effect),
    ):
        effect, detail = adjust(query, qn, candidate)
        total += effect
        effects[feature] = detail
    score = round(min(1.0, max(0.0, total)), 4)
    explanation = {
        "name": name_detail,
        "phonetic": {
            "agreeing": [
                [t["query"], t["candidate"]] for t in name_detail["tokens"] if t["phonetic"]
            ],
        },
        **effects,
        "script": mode,
    }
    return score, explanation


# --- name similarity --------------------------------------------------------------------


def token_similarity(
    a: str,
    b: str,
    *,
    strict: bool = False,
    abjad: bool = False,
    a_kind: str = NAME,
    b_kind: str = NAME,
    a_key: str | None = None,
    b_key: str | None = None,
) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and how it was found (exact, edit, phonetic,
    skeleton, initial).

    Numbers match only the same number; letters-and-digits codes ("ms13", "source1herbs")
    only codes with the same digits. Tokens of a short name (`strict`) match only exactly.
    A single letter matches a word it begins (an initial). Agreeing metaphone keys (words of
    four letters or more) lift the edit similarity halfway to 1: "mohammed" / "muhammad"
    0.81, "vladimr" / "vladimir" 0.94, but "hosein" / "hassan" only 0.75."""
    if a == b:
        return 1.0, "exact"
    if strict:
        return 0.0, "different"
    if a_kind == NUMBER or b_kind == NUMBER:
        digits = _digits(a)
        if a_kind != b_kind or not digits or digits != _digits(b) or a.isdigit() or b.isdigit():
            return 0.0, "different"
        return Levenshtein.normalized_similarity(a, b), "edit"
    if len(a) == 1 or len(b) == 1:
        if a[0] == b[0] and max(len(a), len(b)) >= 3:
            return INITIAL_SIMILARITY, "initial"
        return 0.0, "different"
    best = Levenshtein.normalized_similarity(a, b)
    how = "edit"
    if best < 1.0 and a.isascii() and b.isascii():
        if min(len(a), len(b)) >= PHONETIC_MIN_LENGTH:
            pa = a_key if a_key is not None else phonetic_key(a)
            pb = b_key if b_key is not None else phonetic_key(b)
            if pa == pb and len(pa) >= 2:
                best, how = (1.0 + best) / 2, "phonetic"
        if abjad:
            sk = Levenshtein.normalized_similarity(skeleton(a), skeleton(b)) * SKELETON_FACTOR
            if sk > best:
                best, how = sk, "skeleton"
    return best, how


def _digits(token: str) -> str:
    return "".join(ch for ch in token if ch.isdigit())


def _join_pairs(q_tokens, q_kinds, c_tokens, c_kinds, q_free, c_free):
    """Pairs of one token on one side and adjacent tokens joined on the other, among the
    tokens the one-to-one alignment left unmatched ("abdul rahman" / "abdulrahman")."""
    pairs = []
    for tokens, kinds, free, others, other_free, query_side in (
        (q_tokens, q_kinds, q_free, c_tokens, c_free, True),
        (c_tokens, c_kinds, c_free, q_tokens, q_free, False),
    ):
        lengths = [(len(others[j]), j) for j in other_free]
        longest = max(length for length, _ in lengths)
        for start in free:
            if kinds[start] not in JOINABLE:
                continue
            total, end = len(tokens[start]), start + 1
            while end in free and kinds[end] in JOINABLE and end - start < MAX_JOIN:
                total += len(tokens[end])
                end += 1
                if total > longest + 2:
                    break
                joined = None
                for length, j in lengths:
                    if abs(length - total) > 2:
                        continue
                    joined = joined or "".join(tokens[start:end])
                    sim = Levenshtein.normalized_similarity(joined, others[j])
                    if sim < JOIN_FLOOR:
                        continue
                    if query_side:
                        pairs.append((sim, start, end, j, j + 1))
                    else:
                        pairs.append((sim, j, j + 1, start, end))
    return pairs


def _token_pairs(q_tokens, q_kinds, q_keys, c_tokens, c_kinds, c_keys, strict, abjad):
    """(similarity, i, j, how) for every token pair at or above MATCH_FLOOR.

    This is token_similarity inlined, since it is the hot path of every search. For long
    names, rapidfuzz's cdist computes all edit similarities in one call and only the pairs
    that can reach the floor (by edit distance, by an equal metaphone key or as an initial)
    are examined; for names transliterated from Arabic script (skeletons) every pair is."""
    q_range, c_range = range(len(q_tokens)), range(len(c_tokens))
    if strict:
        return [
            (1.0, i, j, "exact") for i in q_range for j in c_range if q_tokens[i] == c_tokens[j]
        ]
    if len(q_tokens) * len(c_tokens) >= CDIST_MIN_PAIRS and not abjad:
        matrix = process.cdist(
            q_tokens,
            c_tokens,
            scorer=Levenshtein.normalized_similarity,
            score_cutoff=MATCH_FLOOR,
        )
        rows, cols = matrix.nonzero()
        todo = set(zip(rows.tolist(), cols.tolist(), strict=True))
        if q_keys:
            by_key: dict[str, list[int]] = {}
            for j, key in enumerate(c_keys):
                by_key.setdefault(key, []).append(j)
            for i, key in enumerate(q_keys):
                todo.update((i, j) for j in by_key.get(key, ()))
        for i in q_range:
            if len(q_tokens[i]) == 1:
                todo.update((i, j) for j in c_range)
        for j in c_range:
            if len(c_tokens[j]) == 1:
                todo.update((i, j) for i in q_range)
        candidates = sorted(todo)
    else:
        candidates = [(i, j) for i in q_range for j in c_range]
    pairs = []
    for i, j in candidates:
        a, b = q_tokens[i], c_tokens[j]
        if a == b:
            pairs.append((1.0, i, j, "exact"))
            continue
        sim, how = token_similarity(
            a,
            b,
            abjad=abjad,
            a_kind=q_kinds[i],
            b_kind=c_kinds[j],
            a_key=q_keys[i] if q_keys else "",
            b_key=c_keys[j] if c_keys else "-",
        )
        if sim >= MATCH_FLOOR:
            pairs.append((sim, i, j, how))
    return pairs


def name_similarity(
    qn: NormalisedName,
    cn: NormalisedName,
    *,
    explain: bool = False,
    person: bool | None = None,
) -> tuple[float, dict[str, Any], str]:
    """Name similarity in [0, 1], its detail and the comparison mode (same script or
    cross-script via transliteration). `person` says whether a person is compared (True),
    an organisation, vessel or aircraft (False) or either (None): one word does not find a
    person listed under several ("Leila" is not "VASEGHI, Leila"), while "Rosneft" may
    find "ROSNEFT TRADING"."""
    if qn.native and cn.native and qn.script == cn.script:
        q_tokens, q_kinds, c_tokens, c_kinds = (
            qn.native,
            qn.native_kinds,
            cn.native,
            cn.native_kinds,
        )
        q_keys: tuple[str, ...] = ()
        c_keys: tuple[str, ...] = ()
        mode, abjad, hangul = "same script", False, False
    else:
        q_tokens, q_kinds, c_tokens, c_kinds = qn.tokens, qn.kinds, cn.tokens, cn.kinds
        q_keys, c_keys = qn.phonetic, cn.phonetic
        same = qn.script == cn.script or not qn.script or not cn.script
        mode = "same script" if same else "cross-script via transliteration"
        abjad = not same and (qn.script in ABJAD_SCRIPTS or cn.script in ABJAD_SCRIPTS)
        hangul = not same and "Hangul" in (qn.script, cn.script)
        if hangul:
            # Korean: compare with the romanization systems' differences folded away.
            q_tokens = tuple(romanization_fold(t) for t in q_tokens)
            c_tokens = tuple(romanization_fold(t) for t in c_tokens)
            q_keys = tuple(phonetic_key(t) for t in q_tokens)
            c_keys = tuple(phonetic_key(t) for t in c_tokens)
    if not q_tokens or not c_tokens:
        return 0.0, _detail(0.0, 0.0, 0.0, [], q_tokens, c_tokens, set(), set()), mode
    strict = qn.short or cn.short

    # 1. Every token pair that agrees enough, best first, assigned greedily one to one.
    pairs = _token_pairs(q_tokens, q_kinds, q_keys, c_tokens, c_kinds, c_keys, strict, abjad)
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    q_used: set[int] = set()
    c_used: set[int] = set()
    chosen: list[tuple[int, int, int, int, float, str]] = []
    for sim, i, j, how in pairs:
        if i in q_used or j in c_used:
            continue
        q_used.add(i)
        c_used.add(j)
        chosen.append((i, i + 1, j, j + 1, sim, how))
    # 2. Tokens left on both sides may be one name written as one word or as several.
    if not strict and len(q_used) < len(q_tokens) and len(c_used) < len(c_tokens):
        q_free = [i for i in range(len(q_tokens)) if i not in q_used]
        c_free = [j for j in range(len(c_tokens)) if j not in c_used]
        joins = _join_pairs(q_tokens, q_kinds, c_tokens, c_kinds, q_free, c_free)
        joins.sort(key=lambda p: -p[0])
        for sim, qs, qe, cs, ce in joins:
            if any(i in q_used for i in range(qs, qe)) or any(j in c_used for j in range(cs, ce)):
                continue
            q_used.update(range(qs, qe))
            c_used.update(range(cs, ce))
            chosen.append((qs, qe, cs, ce, sim, "joined"))

    # 3. Legal forms of the same kind agree however they are written ("LLC" / "Limited
    # Liability Company", "OOO" / "Ltd").
    q_legal: list[int] = []
    c_legal: list[int] = []
    if qn.legal_forms & cn.legal_forms and LEGAL in q_kinds and LEGAL in c_kinds:
        q_legal = [i for i, k in enumerate(q_kinds) if k == LEGAL and i not in q_used]
        c_legal = [j for j, k in enumerate(c_kinds) if k == LEGAL and j not in c_used]
        if q_legal and c_legal:
            q_used.update(q_legal)
            c_used.update(c_legal)
        else:
            q_legal, c_legal = [], []
    if q_keys:
        q_weights, c_weights = qn.weights, cn.weights
    else:
        q_weights, c_weights = qn.native_weights, cn.native_weights
    q_matched = sum(q_weights[i] for i in q_legal)
    c_matched = sum(c_weights[j] for j in c_legal)
    names_agree = numbers_agree = False
    for qs, qe, cs, ce, sim, how in chosen:
        q_matched += sim * sum(q_weights[qs:qe])
        c_matched += sim * sum(c_weights[cs:ce])
        q_span, c_span = q_kinds[qs:qe], c_kinds[cs:ce]
        # An initial, or a one-letter word, confirms a name but does not make a match.
        names_agree = names_agree or (
            NAME in q_span
            and NAME in c_span
            and how != "initial"
            and len(q_tokens[qs]) > 1
            and len(c_tokens[cs]) > 1
        )
        numbers_agree = numbers_agree or (NUMBER in q_span and NUMBER in c_span)
    q_cover = q_matched / (qn.weight if q_keys else qn.native_weight)
    c_cover = c_matched / (cn.weight if c_keys else cn.native_weight)
    score = QUERY_SHARE * q_cover + (1 - QUERY_SHARE) * c_cover
    # Legal forms, titles and generic words never make a match on their own, and numbers
    # only when no name word is left over ("11420 Corp." / "11420 Corporation", but not
    # "MS-20" / "EL 20").
    names_left = any(k in NAME + GENERIC and i not in q_used for i, k in enumerate(q_kinds)) or any(
        k in NAME + GENERIC and j not in c_used for j, k in enumerate(c_kinds)
    )
    core_agrees = names_agree or (numbers_agree and not names_left)
    if not core_agrees:
        score = min(score, NO_CORE_CAP)
    one_word = False
    q_core = [t for t, k in zip(q_tokens, q_kinds, strict=True) if k in CORE_KINDS]
    c_core = [t for t, k in zip(c_tokens, c_kinds, strict=True) if k in CORE_KINDS]
    if (
        min(len(q_core), len(c_core)) == 1
        and max(len(q_core), len(c_core)) > 1
        and names_left
        and score > ONE_WORD_CAP
    ):
        single = (q_core if len(q_core) == 1 else c_core)[0]
        person_like = person is not False and not (
            LEGAL in q_kinds or LEGAL in c_kinds or GENERIC in q_kinds or GENERIC in c_kinds
        )
        # One word against several: never a person, and never a short word ("Won" /
        # "SONG WON"); an organisation may be found by its one distinctive word.
        if person_like or len(single) <= SHORT_WORD:
            score, one_word = ONE_WORD_CAP, True
    family_missing = False
    if q_keys and score > FAMILY_CAP:
        # A listed family name ("LAST, First") that the other name lacks: relatives and
        # namesakes share given names, so such a pair is at most worth a look.
        for normal, used in ((cn, c_used), (qn, q_used)):
            if normal.family and not any(i in used for i in normal.family):
                score, family_missing = FAMILY_CAP, True
    whole = None
    if abjad:
        whole = _whole_skeleton_similarity(qn, cn)
    elif hangul:
        whole = _whole_syllable_similarity(qn, cn)
    if whole is not None and whole[0] > score:
        score = whole[0]
        family_missing = one_word = False  # the whole name, family name too, agrees
    detail: dict[str, Any] = {}
    if explain:
        token_rows = [
            {
                "query": " ".join(q_tokens[qs:qe]),
                "candidate": " ".join(c_tokens[cs:ce]),
                "similarity": round(sim, 3),
                "how": how,
                "kind": KIND_LABEL[q_kinds[qs]],
                "phonetic": how == "phonetic",
            }
            for qs, qe, cs, ce, sim, how in sorted(chosen)
        ]
        if q_legal:
            token_rows.append(
                {
                    "query": " ".join(q_tokens[i] for i in q_legal),
                    "candidate": " ".join(c_tokens[j] for j in c_legal),
                    "similarity": 1.0,
                    "how": "same kind of legal form",
                    "kind": KIND_LABEL[LEGAL],
                    "phonetic": False,
                }
            )
        detail = _detail(score, q_cover, c_cover, token_rows, q_tokens, c_tokens, q_used, c_used)
        if not core_agrees:
            detail["capped"] = "no name agrees: legal forms, titles or numbers alone"
        if one_word:
            detail["capped"] = "one word of a person's name is not a match"
        if family_missing:
            detail["capped"] = "the family name is missing"
        if whole is not None:
            detail["skeleton"] = {
                "query": whole[1],
                "candidate": whole[2],
                "similarity": round(whole[0], 4),
                "used": whole[0] >= score,
            }
        if strict:
            detail["short_name"] = "a name of one short word only matches exactly"
    return score, detail, mode


def _whole_skeleton_similarity(qn: NormalisedName, cn: NormalisedName):
    """The best agreement of the two names' whole skeletons (see normalize.whole_skeletons),
    times WHOLE_SKELETON_FACTOR: (similarity, query skeleton, candidate skeleton) or None.
    Skeletons shorter than five letters must be equal."""
    best = None
    for q in qn.skeletons:
        for c in cn.skeletons:
            if min(len(q), len(c)) < 3:
                continue
            if min(len(q), len(c)) < 5:
                sim = 1.0 if q == c else 0.0
            else:
                sim = Levenshtein.normalized_similarity(q, c)
            sim *= WHOLE_SKELETON_FACTOR
            if best is None or sim > best[0]:
                best = (sim, q, c)
    return best


def _whole_syllable_similarity(qn: NormalisedName, cn: NormalisedName):
    """Across Hangul: the whole names' syllables joined and folded (normalize.syllable_key),
    the listed name also in its written order, family name first ("KIM, Jong Un" ->
    "kimjonkun"), times WHOLE_SKELETON_FACTOR: (similarity, query form, candidate form)."""
    forms = []
    for normal in (qn, cn):
        names = [t for t, k in zip(normal.tokens, normal.kinds, strict=True) if k == NAME]
        orders = [names]
        if normal.family:
            family = [normal.tokens[i] for i in normal.family]
            orders.append(family + [t for t in names if t not in family])
        forms.append({romanization_fold("".join(order)) for order in orders if order})
    best = None
    for q in forms[0]:
        for c in forms[1]:
            if min(len(q), len(c)) < 4:
                continue
            sim = Levenshtein.normalized_similarity(q, c) * WHOLE_SKELETON_FACTOR
            if best is None or sim > best[0]:
                best = (sim, q, c)
    return best


def _detail(score, q_cover, c_cover, rows, q_tokens, c_tokens, q_used, c_used) -> dict:
    return {
        "similarity": round(score, 4),
        "query_coverage": round(q_cover, 3),
        "candidate_coverage": round(c_cover, 3),
        "tokens": rows,
        "unmatched_query": [t for i, t in enumerate(q_tokens) if i not in q_used],
        "unmatched_candidate": [t for j, t in enumerate(c_tokens) if j not in c_used],
    }


# --- adjustments --------------------------------------------------------------------------


def _country_effect(query: Query, qn: NormalisedName, candidate: Candidate):
    country = (query.country or "").strip().upper()
    if not country or not candidate.countries:
        return 0.0, {"query": country or None, "candidate": list(candidate.countries), "effect": 0}
    effect = COUNTRY_AGREE if country in candidate.countries else COUNTRY_CONFLICT
    return effect, {"query": country, "candidate": list(candidate.countries), "effect": effect}


def _birth_date_effect(query: Query, qn: NormalisedName, candidate: Candidate):
    asked = (query.birth_date or "").strip()
    detail: dict[str, Any] = {"query": asked or None, "candidate": list(candidate.birth_dates)}
    if not asked or not candidate.birth_dates:
        return 0.0, {**detail, "effect": 0}
    best = None
    for listed in candidate.birth_dates:
        effect = _date_effect(asked, listed)
        if effect is not None and (best is None or effect > best):
            best = effect
    best = best or 0.0
    return best, {**detail, "effect": best}


def _date_effect(asked: str, listed: str) -> float | None:
    """Agreement or conflict of two partial dates at the precision both give."""
    a, b = asked.split("-"), listed.split("-")
    if not a[0].isdigit() or not b[0].isdigit():
        return None
    precision = min(len(a), len(b))
    if a[:precision] == b[:precision]:
        return BIRTH_DAY_AGREE if precision == 3 else BIRTH_YEAR_AGREE
    if abs(int(a[0]) - int(b[0])) <= 1:
        return BIRTH_NEAR_CONFLICT
    return BIRTH_CONFLICT


def _normal_identifier(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())


@lru_cache(maxsize=1024)
def _asked_identifiers(identifiers: tuple[str, ...], tokens: tuple[str, ...], kinds: str):
    """The query's identifiers, and the registration, IMO or passport numbers written into
    its name (numbers of five characters or more), in identifier form."""
    asked = {_normal_identifier(v) for v in identifiers}
    asked |= {t.upper() for t, k in zip(tokens, kinds, strict=True) if k == NUMBER and len(t) >= 5}
    asked.discard("")
    return frozenset(asked)


def _identifier_effect(query: Query, qn: NormalisedName, candidate: Candidate):
    if not candidate.identifiers:
        return 0.0, {"matched": [], "effect": 0}
    asked = _asked_identifiers(query.identifiers, qn.tokens, qn.kinds)
    matched = sorted(asked & set(candidate.identifiers))
    effect = IDENTIFIER_AGREE if matched else 0.0
    return effect, {"matched": matched, "effect": effect}


def _schema_effect(query: Query, qn: NormalisedName, candidate: Candidate):
    asked = query.schema or "any"
    if asked == "any" or candidate.schema in ("unknown", asked):
        return 0.0, {"query": asked, "candidate": candidate.schema, "effect": 0}
    return SCHEMA_CONFLICT, {
        "query": asked,
        "candidate": candidate.schema,
        "effect": SCHEMA_CONFLICT,
    }


def identifier_key(value: str) -> str:
    """The form identifiers are compared in (upper case, letters and digits only)."""
    return _normal_identifier(value)
