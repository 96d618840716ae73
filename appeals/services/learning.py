"""Outcomes feed learning: which rule versions' flags an appealed decision rested on, and
each rule's appeal record (lost = overturned, won = upheld, remitted) for sunset reviews."""

from django.db.models import Count, Q, QuerySet

from screening.models import Flag, Rule

from ..models import Appeal

Status = Appeal.Status


def involved_rules_for(appeal: Appeal) -> QuerySet[Rule]:
    """For a match appeal, the appealed flag's rule; otherwise the rule versions of the case's
    confirmed live flags."""
    if appeal.subject == Appeal.Subject.MATCH and appeal.flag_id is not None:
        return Rule.objects.filter(flags__pk=appeal.flag_id)
    return Rule.objects.filter(
        pk__in=Flag.objects.filter(
            application_id=appeal.application_id,
            shadow=False,
            disposition=Flag.Disposition.CONFIRMED,
        ).values("rule")
    )


def rule_appeal_record(*, code: str) -> dict[int, dict[str, int]]:
    """{version: {"overturned": n, "upheld": n, "remitted": n}} for every version of the rule
    `code`, in one query."""
    rows = (
        Rule.objects.filter(code=code)
        .annotate(
            **{
                outcome: Count("appeals", filter=Q(appeals__status=outcome), distinct=True)
                for outcome in (Status.OVERTURNED, Status.UPHELD, Status.REMITTED)
            }
        )
        .order_by("version")
        .values_list("version", Status.OVERTURNED, Status.UPHELD, Status.REMITTED)
    )
    return {
        version: {"overturned": overturned, "upheld": upheld, "remitted": remitted}
        for version, overturned, upheld, remitted in rows
    }
