"""Rule kind `party_match`: each party's name and aliases against the restricted-party lists.

Parameters: {"lists": [list source codes] (empty: every active list), "threshold": a score
that raises (never lowers) the lists' own thresholds, "roles": party roles (empty: all)}.

Each party name is screened once per run whatever the number of party-match rules (the
context keeps the engine's answer). A hit names the party and the list entry; its evidence
explains the match (list and version, entry, matched name and its kind, score, threshold and
the scorer's per-feature explanation, the entry's content hash).

Known false matches: an official who dismissed the match of an organisation's party with a
list entry may have recorded it as a known false match; it is not raised again for the same
organisation, party (normalised name and country), list and entry, as long as the entry is
unchanged (same content hash) and has stayed listed in every version of its list since.
"""

from __future__ import annotations

from screening.models import EntryName, KnownFalseMatch, ListEntry, ListVersion, Rule

from . import Hit, party_key
from .context import ScreeningContext, party_evidence, party_names, party_schema


def party_match_check(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    parameters = rule.parameters
    lists = set(parameters.get("lists") or ())
    roles = set(parameters.get("roles") or ())
    raised = parameters.get("threshold") or 0.0

    best: dict[tuple[int, str, str], tuple] = {}
    for party in context.parties:
        if roles and party.role not in roles:
            continue
        schema = party_schema(party.kind)
        country = party.country.code or None
        for name, source in party_names(party):
            result = context.screen(name=name, schema=schema, country=country)
            for match in result.matches:
                if lists and match.list not in lists:
                    continue
                threshold = max(float(match.explanation.get("threshold", 0.0)), raised)
                if match.score < threshold:
                    continue
                key = (party.pk, match.list, match.entry_id)
                if key not in best or match.score > best[key][1].score:
                    best[key] = (party, match, name, source, threshold)
    if not best:
        return []

    entries = _entries(context, {(code, entry_id) for _pk, code, entry_id in best})
    hits = []
    for (_pk, code, entry_id), (party, match, name, source, threshold) in best.items():
        entry = entries.get((code, entry_id))
        if entry is None:  # the index is older than the lists: the next run will see
            continue
        if _known_false_match(context, party, code, entry):
            continue
        hits.append(_hit(party, match, name, source, threshold, entry))
    return sorted(hits, key=lambda hit: hit.fingerprint)


def _entries(context: ScreeningContext, wanted: set[tuple[str, str]]) -> dict:
    """The matched entries of the active list versions, with their names."""
    codes = {code for code, _ in wanted}
    entry_ids = {entry_id for _, entry_id in wanted}
    rows = (
        ListEntry.objects.filter(
            version__status=ListVersion.Status.ACTIVE,
            version__source__code__in=codes,
            entry_id__in=entry_ids,
        )
        .select_related("version__source")
        .prefetch_related("names")
    )
    return {
        (row.version.source.code, row.entry_id): row
        for row in rows
        if (row.version.source.code, row.entry_id) in wanted
    }


def _hit(party, match, name, source, threshold, entry: ListEntry) -> Hit:
    code = entry.version.source.code
    kinds = {each.name: each.kind for each in entry.names.all()}
    kind = kinds.get(match.matched_name, EntryName.Kind.PRIMARY)
    kind_label = EntryName.Kind(kind).label if kind in EntryName.Kind.values else kind
    via = f" (its alias “{name}”)" if source == "alias" else ""
    alias = "" if kind == EntryName.Kind.PRIMARY else f" as “{match.matched_name}”"
    return Hit(
        fingerprint=f"party:{party.pk}:{code}/{entry.entry_id}",
        summary=(
            f"{party.get_role_display()} “{party.name}”{via} matches {entry.primary_name}"
            f"{alias} on {code} (score {match.score:.2f}, threshold {threshold:.2f})."
        )[:500],
        evidence={
            "party": party_evidence(party),
            "screened_name": name,
            "screened_name_source": source,
            "list": code,
            "list_name": entry.version.source.name,
            "list_version_id": entry.version_id,
            "entry_id": entry.entry_id,
            "entry_name": entry.primary_name,
            "entry_schema": entry.schema,
            "entry_programmes": entry.programmes,
            "entry_countries": entry.countries,
            "entry_content_hash": entry.content_hash,
            "matched_name": match.matched_name,
            "matched_name_kind": kind,
            "matched_name_kind_label": kind_label,
            "score": match.score,
            "threshold": threshold,
            "explanation": match.explanation,
        },
        party_id=party.pk,
        list_version_id=entry.version_id,
    )


def _known_false_match(context: ScreeningContext, party, code: str, entry: ListEntry) -> bool:
    """Whether an official's known false match still stands for this party and entry."""
    recorded = context.fact(
        "known_false_matches",
        lambda: list(
            KnownFalseMatch.objects.filter(organisation=context.organisation).values_list(
                "party_key", "party_country", "list_code", "entry_id", "entry_hash", "listed_in_id"
            )
        ),
    )
    if not recorded:
        return False
    key, country = party_key(party.name), (party.country.code or "")
    for r_key, r_country, r_list, r_entry, r_hash, listed_in_id in recorded:
        if (r_key, r_country, r_list, r_entry) != (key, country, code, entry.entry_id):
            continue
        if r_hash != entry.content_hash:
            continue  # the entry changed since: raise it again
        delisted_since = (
            ListVersion.objects.filter(source__code=code, pk__gt=listed_in_id)
            .exclude(entries__entry_id=entry.entry_id)
            .exists()
        )
        if not delisted_since:
            return True
    return False
