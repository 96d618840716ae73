"""Pages for officials who look after the lists: the sources and their versions, and one
version's entries. Both find what they show through the selectors.

The search page lets every official screen a name against the active lists with the
matching engine, and shows each hit with its explanation.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..forms import ScreeningSearchForm
from ..selectors import (
    VIEW_PERMISSION,
    list_entry_list,
    list_source_list_for_user,
    list_version_get_for_user,
    list_version_list_for_user,
)

VERSIONS_PER_PAGE = 25
ENTRIES_PER_PAGE = 50


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def source_list(request: HttpRequest) -> HttpResponse:
    """Every source with its active version, and all versions (newest first, paged)."""
    source_code = request.GET.get("source", "")
    versions = list_version_list_for_user(user=request.user, source_code=source_code)
    page = Paginator(versions, VERSIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "sources": list_source_list_for_user(user=request.user),
        "source_code": source_code,
        "page": page,
    }
    return render(request, "screening/source_list.html", context)


@login_required
@permission_required(VIEW_PERMISSION, raise_exception=True)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One version: its files, counts and differences, and its entries (paged, searchable)."""
    version = list_version_get_for_user(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()[:200]
    entries = list_entry_list(version=version, query=query)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    template = "screening/version_detail.html"
    if request.htmx:
        template += "#entries"
    return render(request, template, {"version": version, "query": query, "page": page})


SEARCH_PERMISSION = "screening.search_lists"


@login_required
@permission_required(SEARCH_PERMISSION, raise_exception=True)
def search(request: HttpRequest) -> HttpResponse:
    """Screen one name (GET form) against the active lists; each hit with its explanation."""
    form = ScreeningSearchForm(request.GET if "name" in request.GET else None)
    context: dict = {"form": form, "result": None}
    if form.is_bound and form.is_valid():
        from ..matching.engine import screen  # the engine loads on first use

        result = screen(**form.cleaned_data).as_dict()
        result["hits"] = [hit_present(hit) for hit in result["matches"]]
        context.update(result=result, threshold_text=threshold_text(result["threshold"]))
    return render(request, "screening/search.html", context)


# --- Explanations, in words ------------------------------------------------------------------
# The engine explains each hit as a dict (screening.matching.scorer.score_pair): "name"
# (similarity, coverage, tokens), "phonetic", "country", "birth_date", "identifier", "schema"
# (each with its "effect" on the score), "script" and the list's "threshold". These put it
# into words for the search page and `manage.py screen`. A feature the engine adds later is
# shown as it is rather than breaking the page.

EXPLANATION_LABELS = {
    "name": "Name",
    "phonetic": "Sound",
    "country": "Country",
    "birth_date": "Date of birth",
    "identifier": "Identifier",
    "schema": "Kind of party",
    "script": "Script",
    "threshold": "Threshold of this list",
}
HOW_LABELS = {
    "exact": "same",
    "edit": "spelling",
    "phonetic": "sounds alike",
    "skeleton": "same consonants",
    "initial": "initial",
    "joined": "joined words",
}
SCRIPT_LABELS = {
    "same script": "compared in the same script",
    "cross-script via transliteration": "compared across scripts, through transliteration",
}


def threshold_text(threshold) -> str:
    """The threshold of a ScreenResult in words: one number, or one per list."""
    if isinstance(threshold, dict):
        return ", ".join(f"{code} {_number(value)}" for code, value in threshold.items())
    return _number(threshold)


def hit_present(hit: dict) -> dict:
    """One hit of ScreenResult.as_dict() with its explanation in words, ready to render:
    `tokens` (searched and listed token, similarity, how, kind) and `features`
    ({"key", "label", "text", "effect"}, in a fixed order)."""
    explanation = hit.get("explanation") or {}
    name = explanation.get("name")
    tokens = name.get("tokens", []) if isinstance(name, dict) else []
    return {
        **hit,
        "tokens": [_token(token) for token in tokens if isinstance(token, dict)],
        "features": explanation_features(explanation),
    }


def explanation_features(explanation: dict) -> list[dict]:
    """Each feature of an explanation as {"key", "label", "text", "effect"}; `effect` is the
    signed adjustment to the score when the feature has one, else None."""
    order = list(EXPLANATION_LABELS)
    keys = sorted(explanation, key=lambda key: order.index(key) if key in order else len(order))
    return [
        {
            "key": key,
            "label": EXPLANATION_LABELS.get(key, key.replace("_", " ").capitalize()),
            "text": _feature_text(key, explanation[key]),
            "effect": _effect(explanation[key]),
        }
        for key in keys
    ]


def explanation_summary(explanation: dict, *, top: int = 4) -> str:
    """The features that mattered, on one line: the name's similarity and its best tokens,
    the adjustments that moved the score, sound-alike tokens, and the script path."""
    parts = []
    name = explanation.get("name")
    if isinstance(name, dict):
        tokens = [_token(token) for token in name.get("tokens", []) if isinstance(token, dict)]
        # in the order of the searched name, names and numbers before titles and legal forms
        tokens.sort(key=lambda token: token["kind"] not in ("name", "number", ""))
        pairs = ", ".join(_pair(token) for token in tokens[:top])
        similarity = _number(name.get("similarity"))
        parts.append(f"name {similarity}" + (f" ({pairs})" if pairs else ""))
    for feature in explanation_features(explanation):
        key = feature["key"]
        if feature["effect"]:
            label = {"birth_date": "born", "schema": "kind"}.get(key, key.replace("_", " "))
            parts.append(f"{label} {_signed(feature['effect'])}")
        elif key == "phonetic" and _phonetic_pairs(explanation[key]):
            parts.append(f"sounds alike: {_phonetic_pairs(explanation[key])}")
    if isinstance(explanation.get("script"), str):
        parts.append(explanation["script"])
    return "; ".join(parts)


def _pair(token: dict) -> str:
    sign = "=" if token["how"] == "exact" or token["similarity"] == 1 else "~"
    return (
        f"{token['query'] or '∅'}{sign}{token['candidate'] or '∅'} {_number(token['similarity'])}"
    )


def _token(token: dict) -> dict:
    how = token.get("how") or ""
    return {
        "query": token.get("query") or "",
        "candidate": token.get("candidate") or "",
        "similarity": token.get("similarity"),
        "how": how,
        "how_text": HOW_LABELS.get(how, how.replace("_", " ")),
        "kind": token.get("kind") or "",
    }


def _effect(value) -> float | None:
    if isinstance(value, dict) and isinstance(value.get("effect"), int | float):
        return float(value["effect"])
    return None


def _number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "—" if value is None else str(value)
    return f"{value:.2f}"


def _signed(value: float) -> str:
    return f"{value:+.2f}".replace("-", "\u2212")


def _listed(value) -> str:
    if value in (None, "", [], (), {}):
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(_listed(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} {_listed(item)}" for key, item in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return _number(value) if isinstance(value, float) else str(value)


def _phonetic_pairs(value) -> str:
    pairs = value.get("agreeing") if isinstance(value, dict) else None
    if not isinstance(pairs, list):
        return ""
    return ", ".join(
        " ≈ ".join(str(part) for part in pair) if isinstance(pair, list | tuple) else str(pair)
        for pair in pairs
    )


def _adjustment(effect: float | None, *, agree: str, conflict: str) -> str:
    if effect is None:
        return ""
    if effect > 0:
        return f"{agree}, {_signed(effect)}"
    if effect < 0:
        return f"{conflict}, {_signed(effect)}"
    return "no effect"


def _compared(value: dict, what: str, *, agree: str, conflict: str) -> str:
    """A searched-against-listed feature (country, date of birth, kind of party)."""
    query, candidate = value.get("query"), value.get("candidate")
    effect = _effect(value)
    if query in (None, "", "any"):
        return f"not searched for, so no effect (listed: {_listed(candidate)})"
    if candidate in (None, "", [], "unknown"):
        return f"searched {query}; the list gives no {what}, so no effect"
    outcome = _adjustment(effect, agree=agree, conflict=conflict)
    return f"searched {query}; listed {_listed(candidate)}; {outcome}"


def _feature_text(key: str, value) -> str:
    """One feature of the explanation in words."""
    if key == "script" and isinstance(value, str):
        return SCRIPT_LABELS.get(value, value)
    if key == "threshold":
        return f"{_number(value)}: a hit scores at least this"
    if not isinstance(value, dict):
        return _listed(value)
    if key == "name":
        return _name_text(value)
    if key == "phonetic":
        pairs = _phonetic_pairs(value)
        return f"sound alike: {pairs}" if pairs else "no token matched by sound alone"
    if key == "country":
        return _compared(value, "country", agree="agrees", conflict="conflicts")
    if key == "birth_date":
        return _compared(value, "date of birth", agree="agrees", conflict="conflicts")
    if key == "schema":
        return _compared(value, "kind", agree="agrees", conflict="differs")
    if key == "identifier":
        matched = value.get("matched")
        if matched:
            outcome = _adjustment(_effect(value), agree="agrees", conflict="conflicts")
            return f"matched {_listed(matched)}; {outcome}"
        return "no identifier matched, so no effect"
    details = [f"{name.replace('_', ' ')} {_listed(item)}" for name, item in value.items()]
    return "; ".join(details) or "—"


def _name_text(value: dict) -> str:
    parts = [f"similarity {_number(value.get('similarity'))}"]
    if "query_coverage" in value or "candidate_coverage" in value:
        parts.append(
            f"{_percent(value.get('query_coverage'))} of the searched name and "
            f"{_percent(value.get('candidate_coverage'))} of the listed name agree"
        )
    unmatched = [
        f"{side} {', '.join(map(str, value[key]))}"
        for key, side in (("unmatched_query", "searched"), ("unmatched_candidate", "listed"))
        if value.get(key)
    ]
    if unmatched:
        parts.append("without a partner: " + "; ".join(unmatched))
    for note in ("capped", "short_name"):
        if value.get(note):
            parts.append(str(value[note]))
    return "; ".join(parts)


def _percent(value) -> str:
    return f"{value:.0%}" if isinstance(value, int | float) else "—"
