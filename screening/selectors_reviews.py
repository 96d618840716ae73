"""Reads for sunset reviews: the queue of open reviews and the evidence for one subject.

The evidence of a rule version comes from its flags (live and shadow, dispositions, month by
month), the cases its live flags touched (grouped by the case's tier) and the appeals that
involved it. The evidence of a control dataset comes from the screening runs that applied it
and the licence-requirement flags those runs raised.
"""

from __future__ import annotations

import datetime
import math

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from appeals.models import Appeal
from exportgov.accounts.models import User
from exportgov.transparency.charts import bar_chart
from licensing.models import Application, Tier

from .models import ControlDataset, Flag, Rule, ScreeningRun, SunsetReview
from .selectors_rules import VIEW_RULE_PERMISSION, _figures_shown, _with_figures, precision_of

Disposition = Flag.Disposition
TREND_SERIES = (
    ("Live flags", "live"),
    ("Shadow flags", "shadow"),
    ("Confirmed", "confirmed"),
    ("Dismissed", "dismissed"),
)


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
        .select_related("rule", "rule__owner", "control_dataset")
        .order_by("due_on", "id")
    )
    for review in reviews:
        review.days_left = (review.due_on - today).days
        review.overdue = review.days_left < 0
    return reviews


def sunset_review_counts_for_user(*, user: User, today: datetime.date | None = None) -> dict:
    """How many reviews are open, and how many of those are past their due date."""
    _authorise(user)
    today = today or timezone.localdate()
    return SunsetReview.objects.filter(status=SunsetReview.Status.OPEN).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today))
    )


def sunset_review_get_for_user(*, user: User, pk: int) -> SunsetReview:
    _authorise(user)
    return get_object_or_404(
        SunsetReview.objects.select_related("rule", "rule__owner", "control_dataset", "decided_by"),
        pk=pk,
    )


def rule_review_evidence(*, rule: Rule) -> dict:
    """The figures a reviewer weighs for one rule version."""
    figures = _figures_shown(_with_figures(Rule.objects.filter(pk=rule.pk)).get())
    live_flags = Flag.objects.filter(rule=rule, shadow=False)
    appeals = list(
        Appeal.objects.filter(involved_rules=rule)
        .select_related("application")
        .order_by("-created_at")
    )
    outcomes = {
        status: sum(1 for appeal in appeals if appeal.status == status) for status in Appeal.DECIDED
    }
    return {
        "figures": figures,
        **_cases_by_tier(live_flags),
        "appeals": appeals,
        "appeal_outcomes": [
            {"label": Appeal.Status(status).label, "count": count}
            for status, count in outcomes.items()
        ],
        **_trend(Flag.objects.filter(rule=rule), title=f"Flags of {rule.code} v{rule.version}"),
    }


def dataset_review_evidence(*, dataset: ControlDataset) -> dict:
    """The figures a reviewer weighs for one control dataset: how much screening leaned on it
    and how the licence-requirement flags raised with it were judged."""
    runs = ScreeningRun.objects.filter(control_datasets=dataset)
    flags = Flag.objects.filter(run__in=runs, rule__kind=Rule.Kind.LICENCE_REQUIREMENT)
    totals = flags.aggregate(
        live_count=Count("id", filter=Q(shadow=False)),
        shadow_count=Count("id", filter=Q(shadow=True)),
        confirmed_count=Count("id", filter=Q(disposition=Disposition.CONFIRMED)),
        dismissed_count=Count("id", filter=Q(disposition=Disposition.DISMISSED)),
        pending_count=Count("id", filter=Q(shadow=False, disposition=Disposition.PENDING)),
    )
    counts = {name.removesuffix("_count"): value for name, value in totals.items()}
    precision = precision_of(counts["confirmed"], counts["dismissed"])
    return {
        "runs": runs.count(),
        "figures": {
            **counts,
            "precision_percent": None if precision is None else round(precision * 100),
        },
        **_cases_by_tier(flags.filter(shadow=False)),
        **_trend(flags, title=f"Licence-requirement flags raised with {dataset}"),
    }


def _cases_by_tier(live_flags) -> dict:
    tiers = dict(Tier.choices)
    by_tier = (
        Application.objects.filter(flags__in=live_flags)
        .values("tier")
        .annotate(cases=Count("id", distinct=True))
        .order_by("tier")
    )
    rows = [
        {
            "tier": row["tier"],
            "label": tiers.get(row["tier"], row["tier"] or "Not tiered"),
            "cases": row["cases"],
        }
        for row in by_tier
    ]
    return {"cases_by_tier": rows, "cases_total": sum(row["cases"] for row in rows)}


def _trend(flags, *, title: str) -> dict:
    """The flags month by month, as a table and as a bar chart of the same figures."""
    monthly = (
        flags.annotate(month=TruncMonth("created_at"))
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
    chart = None
    if trend:
        # A series that is zero every month (shadow flags of a live rule, live flags of a
        # pilot) is left out; the axis counts in whole flags.
        series = [
            (name, [row[key] for row in trend])
            for name, key in TREND_SERIES
            if any(row[key] for row in trend)
        ]
        highest = max((value for _name, points in series for value in points), default=0)
        chart = bar_chart(
            title=f"{title}, by month",
            categories=[f"{row['month']:%Y-%m}" for row in trend],
            series=series,
            suppressed_text="",
            maximum=4 * math.ceil(max(highest, 1) / 4),
        )
    return {"trend": trend, "trend_chart": chart}
