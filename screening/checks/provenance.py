"""Rule kind `provenance`: who the applicant is and what was refused before.

Parameters: {"signal": "new_exporter" | "earlier_refusals" | "party_in_refused_case", and
with it "new_exporter_days", "min_refusals" or "threshold"}.

- new_exporter: this is the organisation's first submitted application, or the organisation
  was registered fewer than `new_exporter_days` days ago.
- earlier_refusals: the organisation has at least `min_refusals` refused applications
  (this one aside).
- party_in_refused_case: a party of this application (its name or an alias) scores at least
  `threshold` with the matching engine against a party of a refused application of any
  organisation: "ACME Ltd" and "Acme Limited" are one party, exact spelling is not needed.
  The refused cases' parties are read once per worker process (context.refused_parties).
"""

from __future__ import annotations

from datetime import timedelta

from licensing.models import Application
from screening.matching import engine
from screening.models import Rule

from . import Hit
from .context import ScreeningContext, party_evidence, party_names, party_schema, refused_parties


def provenance_check(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    signal = rule.parameters["signal"]
    if signal == "new_exporter":
        return _new_exporter(rule.parameters["new_exporter_days"], context)
    if signal == "earlier_refusals":
        return _earlier_refusals(rule.parameters["min_refusals"], context)
    return _party_in_refused_case(float(rule.parameters["threshold"]), context)


def _new_exporter(days: int, context: ScreeningContext) -> list[Hit]:
    application, organisation = context.application, context.organisation
    first = context.fact(
        "first_submitted",
        lambda: (
            Application.objects.filter(organisation=organisation, submitted_at__isnull=False)
            .order_by("submitted_at", "pk")
            .values_list("pk", "reference")
            .first()
        ),
    )
    registered = organisation.created_at.date()
    age = (context.today - registered).days
    first_here = first is None or first[0] == application.pk
    young = registered > context.today - timedelta(days=days)
    if not (first_here or young):
        return []
    reasons = []
    if first_here:
        reasons.append("this is its first submitted application")
    if young:
        reasons.append(f"it registered {age} day{'s' if age != 1 else ''} ago (under {days})")
    return [
        Hit(
            fingerprint="provenance:new-exporter",
            summary=f"{organisation.name} is a new exporter: {' and '.join(reasons)}.",
            evidence={
                "organisation": organisation.name,
                "registered_on": registered.isoformat(),
                "age_days": age,
                "new_exporter_days": days,
                "first_application": first_here,
                "first_submitted_reference": first[1] if first else application.reference,
            },
        )
    ]


def _earlier_refusals(minimum: int, context: ScreeningContext) -> list[Hit]:
    application, organisation = context.application, context.organisation
    references = context.fact(
        "earlier_refusals",
        lambda: list(
            Application.objects.filter(organisation=organisation, status=Application.Status.REFUSED)
            .exclude(pk=application.pk)
            .order_by("-decided_at", "-pk")
            .values_list("reference", flat=True)
        ),
    )
    if len(references) < minimum:
        return []
    count = len(references)
    return [
        Hit(
            fingerprint="provenance:earlier-refusals",
            summary=(
                f"{organisation.name} has {count} earlier refused application"
                f"{'s' if count != 1 else ''} (at least {minimum} flag)."
            ),
            evidence={
                "organisation": organisation.name,
                "refusals": count,
                "min_refusals": minimum,
                "references": references[:20],
            },
        )
    ]


def _party_in_refused_case(threshold: float, context: ScreeningContext) -> list[Hit]:
    block = context.fact("refused_parties", refused_parties.get)
    if not len(block):
        return []
    application = context.application
    best: dict[tuple[int, int], tuple] = {}
    for party in context.parties:
        schema = party_schema(party.kind)
        for name, _source in party_names(party):
            for refused_name, _schema, refused in block.candidates(name, schema):
                if refused.application_id == application.pk:
                    continue
                score = engine.compare(name, refused_name, schema)
                if score < threshold:
                    continue
                key = (party.pk, refused.application_id)
                if key not in best or score > best[key][0]:
                    best[key] = (score, party, name, refused)
    hits = []
    for (_party, _case), (score, party, name, refused) in sorted(best.items()):
        hits.append(
            Hit(
                fingerprint=f"provenance:refused-case:{party.pk}:{refused.reference}",
                summary=(
                    f"“{name}” ({party.get_role_display()}) resembles “{refused.name}”, a party "
                    f"of refused case {refused.reference} (score {score:.2f})."
                )[:500],
                evidence={
                    "refused_reference": refused.reference,
                    "refused_application_id": refused.application_id,
                    "refused_party_name": refused.name,
                    "refused_party_role": refused.role,
                    "refused_party_country": refused.country,
                    "same_organisation": refused.organisation_id == context.organisation.pk,
                    "party": party_evidence(party),
                    "name": name,
                    "score": score,
                    "threshold": threshold,
                },
                party_id=party.pk,
            )
        )
    return hits
