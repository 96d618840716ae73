"""Rule kind `destination`: where the parties are.

Parameters: {"embargoed": true to hit destinations whose Country Chart row sends the reader
to the embargo rules (15 CFR Part 746) instead of giving marks, "arms_embargo": [ISO codes]
with "arms_embargo_source" (the citation), "country_groups": ["E:1", "E:2", ...]}.

Each party's country is checked; a hit names the rule's reason and the destination, and lists
the parties there (so two parties in one country make one hit).
"""

from __future__ import annotations

from screening.models import Rule

from . import Hit
from .context import ScreeningContext


def destination_check(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    parameters = rule.parameters
    embargoed = bool(parameters.get("embargoed"))
    arms = set(parameters.get("arms_embargo") or ())
    groups_wanted = set(parameters.get("country_groups") or ())

    by_country: dict[str, list] = {}
    for party in context.parties:
        if party.country.code:
            by_country.setdefault(party.country.code, []).append(party)

    hits = []
    for iso2, parties in sorted(by_country.items()):
        name = parties[0].country.name
        involved = [
            {"id": p.pk, "name": p.name, "role": p.role, "role_label": p.get_role_display()}
            for p in parties
        ]
        base = {"country": iso2, "country_name": str(name), "parties": involved}
        first = parties[0].pk
        if embargoed:
            row = context.chart_row(iso2)
            if row is not None and row.is_embargoed:
                hits.append(
                    Hit(
                        fingerprint=f"destination:embargoed:{iso2}",
                        summary=f"{name} is an embargoed destination: {row.embargo_pointer}"[:500],
                        evidence={
                            **base,
                            "reason": "embargoed",
                            "chart_row": row.name,
                            "embargo_pointer": row.embargo_pointer,
                            "data_version": _dataset_label(row),
                        },
                        party_id=first,
                    )
                )
        if iso2 in arms:
            source = parameters.get("arms_embargo_source", "")
            hits.append(
                Hit(
                    fingerprint=f"destination:arms-embargo:{iso2}",
                    summary=f"{name} is under an arms embargo ({source})."[:500],
                    evidence={**base, "reason": "arms_embargo", "source": source},
                    party_id=first,
                )
            )
        if groups_wanted:
            found = sorted(context.country_groups(iso2) & groups_wanted)
            for group in found:
                hits.append(
                    Hit(
                        fingerprint=f"destination:group-{group}:{iso2}",
                        summary=f"{name} is in Country Group {group} (15 CFR Part 740, Supp. 1).",
                        evidence={**base, "reason": "country_group", "group": group},
                        party_id=first,
                    )
                )
    return hits


def _dataset_label(row) -> str:
    dataset = getattr(row, "dataset", None)
    return getattr(dataset, "version_label", "") if dataset is not None else ""
