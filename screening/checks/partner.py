"""Rule kind `partner_denial`: a partner state refused an essentially identical transaction.

Parameters: {"threshold": the engine score at which a notified party is this party}.

A hit when a notice in force (not withdrawn) names a party that matches a party of this
application (engine.compare at least `threshold`, and the countries agree when both are
given) for the same control entry as one of its items: "3A001.b.2" and "3A001" are both
entry 3A001; EAR99 (not on the control list) never matches. The notices are read once per
worker process, by control entry (context.partner_denials).
"""

from __future__ import annotations

import re

from screening.matching import engine
from screening.models import Rule

from . import Hit
from .context import ScreeningContext, partner_denials, party_evidence, party_names, party_schema

NOT_LISTED = {"EAR99", "NLR"}
_SPACES = re.compile(r"\s+")


def control_entry(code: str) -> str:
    """The control entry a code belongs to: the part before the first dot, upper-cased
    ("3a001.b.2" -> "3A001", "ML10.a" -> "ML10"); "" for EAR99 and other non-entries."""
    entry = _SPACES.sub("", code or "").upper().split(".", 1)[0]
    return "" if entry in NOT_LISTED else entry


def partner_denial_check(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    threshold = float(rule.parameters["threshold"])
    notices = context.fact("partner_denials", partner_denials.get)
    if not notices:
        return []
    # Each party's country, schema and names, worked out once for every item and notice.
    parties = [
        (party, party.country.code or "", party_schema(party.kind), party_names(party))
        for party in context.parties
    ]
    hits: dict[str, Hit] = {}
    for item in context.items:
        entry = control_entry(item.control_code)
        for denial in notices.get(entry, ()) if entry else ():
            denied_country = denial.party_country.code or ""
            for party, country, schema, names in parties:
                if denied_country and country and denied_country != country:
                    continue
                scored = [
                    (engine.compare(name, denial.party_name, schema), name)
                    for name, _source in names
                ]
                score, name = max(scored)
                if score < threshold:
                    continue
                fingerprint = f"partner-denial:{denial.partner.code}/{denial.reference}:{party.pk}"
                if fingerprint in hits and hits[fingerprint].evidence["score"] >= score:
                    continue
                hits[fingerprint] = Hit(
                    fingerprint=fingerprint,
                    summary=(
                        f"{denial.partner.name} refused {denial.control_code} to "
                        f"“{denial.party_name}” (notice {denial.reference}, "
                        f"{denial.notified_on:%Y-%m-%d}); “{name}” matches it "
                        f"(score {score:.2f}) for item {item.control_code}."
                    )[:500],
                    evidence={
                        "partner": denial.partner.code,
                        "partner_name": str(denial.partner.name),
                        "reference": denial.reference,
                        "notified_on": denial.notified_on.isoformat(),
                        "denied_party_name": denial.party_name,
                        "denied_party_country": denied_country,
                        "party": party_evidence(party),
                        "name": name,
                        "score": score,
                        "threshold": threshold,
                        "denied_control_code": denial.control_code,
                        "item_control_code": item.control_code,
                        "control_entry": entry,
                        "reason": denial.reason,
                    },
                    party_id=party.pk,
                    item_id=item.pk,
                )
    return [hits[key] for key in sorted(hits)]
