"""Rule kind `licence_requirement`: does the Country Chart require a licence?

Parameters: {"flag_refer": true to also hit when the determination is "refer" (the data
cannot decide alone, e.g. a licence-requirement row that needs review)}. When the control data
itself lapsed or was retired at a sunset review, every item is referred to an official.

For each item with a control code and each destination (the countries of the end users and
consignees), the licence determination service (screening.controls.determination) is asked;
a hit carries the reasons that require a licence, their citations and the data version.
"""

from __future__ import annotations

from licensing.models import Party
from screening.models import Rule

from . import Hit
from .context import ScreeningContext

DESTINATION_ROLES = (Party.Role.END_USER, Party.Role.ULTIMATE_END_USER, Party.Role.CONSIGNEE)


def licence_requirement_check(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    flag_refer = bool(rule.parameters.get("flag_refer"))
    destinations = sorted(
        {p.country.code for p in context.parties if p.role in DESTINATION_ROLES and p.country.code}
    )
    hits = []
    for item in context.items:
        code = (item.control_code or "").strip()
        if not code:
            continue
        for iso2 in destinations:
            result = context.licence_determination(control_code=code, destination=iso2)
            if result is None:
                continue
            required = result.get("licence_required")
            if required is True:
                outcome = "required"
            elif required == "refer" and (flag_refer or result.get("control_data_ended")):
                outcome = "refer"
            else:
                continue
            reasons = [
                reason
                for reason in result.get("reasons") or ()
                if reason.get("required") is True or reason.get("required") == "refer"
            ]
            labels = ", ".join(str(reason.get("reason", "")) for reason in reasons)
            if result.get("control_data_ended"):
                labels = "no control data in force"
            verdict = "a licence is required" if outcome == "required" else "refer to an official"
            hits.append(
                Hit(
                    fingerprint=f"licence:item:{item.pk}:{iso2}",
                    summary=f"{code} to {iso2}: {verdict} ({labels or '—'}).",
                    evidence={
                        "control_code": code,
                        "item": {"id": item.pk, "description": item.description},
                        "destination": iso2,
                        "licence_required": required,
                        "reasons": reasons,
                        "citations": [r.get("citation") for r in reasons if r.get("citation")],
                        "data_version": result.get("data_version"),
                        "determination": result,
                    },
                    item_id=item.pk,
                )
            )
    return hits
