"""Reads for sunset reviews: the queue of open reviews and the evidence for one rule version.

The evidence of a version comes from its flags (live and shadow, dispositions, month by month),
the cases its live flags touched (grouped by the case's tier) and the appeals that involved it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from appeals.models import Appeal
from exportgov.accounts.models import User
from licensing.models import Application, Tier

from .models import Flag, Rule, SunsetReview
from .selectors_rules import VIEW_RULE_PERMISSION, _figures_shown, _with_figures, precision_of

Disposition = Flag.Disposition


def _authorise(user: User) -> None:
    if not user.has_perm(VIEW_RULE_PERMISSION):
        raise PermissionDenied("Only policy admins and auditors may see sunset reviews.")


def sunset_review_queue_for_user(
    *, user: User, today: datetime.date | None = None
) -> list[SunsetReview]:
    """Open reviews, soonest due first; each with `overdue` and `days_left`."""
    _authorise(user)
    today = today or timezone.localdate()
    reviews = list(
        SunsetReview.objects.filter(status=SunsetReview.Status.OPEN)
        .select_related("rule", "rule__owner")
        .order_by("due_on", "id")
    )
    for review in reviews:
        review.days_left = (review.due_on - today).days
        review.overdue = review.days_left < 0
    return reviews


def sunset_review_get_for_user(*, user: User, pk: int) -> SunsetReview:
    _authorise(user)
    return get_object_or_404(
        SunsetReview.objects.select_related("rule", "rule__owner", "decided_by"), pk=pk
    )


def rule_review_evidence(*, rule: Rule) -> dict:
    """The figures a reviewer weighs for one rule version."""
    figures = _figures_shown(_with_figures(Rule.objects.filter(pk=rule.pk)).get())
    tiers = dict(Tier.choices)
    by_tier = (
        Application.objects.filter(flags__rule=rule, flags__shadow=False)
        .values("tier")
        .annotate(cases=Count("id", distinct=True))
        .order_by("tier")
    )
    cases_by_tier = [
        {
            "tier": row["tier"],
            "label": tiers.get(row["tier"], row["tier"] or "Not tiered"),
            "cases": row["cases"],
        }
        for row in by_tier
    ]
    appeals = list(
        Appeal.objects.filter(involved_rules=rule)
        .select_related("application")
        .order_by("-created_at")
    )
    outcomes = {
        status: sum(1 for appeal in appeals if appeal.status == status) for status in Appeal.DECIDED
    }
    monthly = (
        Flag.objects.filter(rule=rule)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            live=Count("id", filter=Q(shadow=False)),
            shadow=Count("id", filter=Q(shadow=True)),
            confirmed=Count("id", filter=Q(disposition=Disposition.CONFIRMED)),
            dismissed=Count("id", filter=Q(disposition=Disposition.DISMISSED)),
            cases=Count("application", distinct=True),
        )
        .order_by("month")
    )
    trend = []
    for row in monthly:
        precision = precision_of(row["confirmed"], row["dismissed"])
        trend.append(
            {**row, "precision_percent": None if precision is None else round(precision * 100)}
        )
    return {
        "figures": figures,
        "cases_by_tier": cases_by_tier,
        "cases_total": sum(row["cases"] for row in cases_by_tier),
        "appeals": appeals,
        "appeal_outcomes": [
            {"label": Appeal.Status(status).label, "count": count}
            for status, count in outcomes.items()
        ],
        "trend": trend,
    }
