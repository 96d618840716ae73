"""Which check runs a rule of each kind, and which rule versions are in force."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder

from screening.models import Rule

from . import Hit
from .context import ScreeningContext
from .destination import destination_check
from .end_use import end_use_check
from .licence import licence_requirement_check
from .partner import partner_denial_check
from .party import party_match_check
from .provenance import provenance_check

Check = Callable[..., list[Hit]]
CHECKS: dict[str, Check] = {
    Rule.Kind.PARTY_MATCH: party_match_check,
    Rule.Kind.DESTINATION: destination_check,
    Rule.Kind.LICENCE_REQUIREMENT: licence_requirement_check,
    Rule.Kind.END_USE: end_use_check,
    Rule.Kind.PROVENANCE: provenance_check,
    Rule.Kind.PARTNER_DENIAL: partner_denial_check,
}


def rules_in_force(*, on: date) -> list[Rule]:
    """Every rule version in force on a day, live and pilot: status current and
    effective_from <= on <= sunset_on."""
    return list(
        Rule.objects.filter(
            status=Rule.Status.CURRENT, effective_from__lte=on, sunset_on__gte=on
        ).order_by("code", "mode")
    )


def check_run(*, rule: Rule, context: ScreeningContext) -> list[Hit]:
    """The hits of one rule version on one application; evidence is plain JSON."""
    hits = CHECKS[rule.kind](rule=rule, context=context)
    for hit in hits:
        hit.evidence = json.loads(json.dumps(hit.evidence, cls=DjangoJSONEncoder))
    return hits
