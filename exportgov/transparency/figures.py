"""The published performance figures, computed from the database for a date range.

Each public function takes the first and last day of a period (both included, local dates)
and returns plain data (dicts, lists, numbers, None) ready for a page, CSV or JSON.

Which cases count where:

- turnaround, deadline and the outcome rates: a case counts in the month it was closed, i.e.
  decided (`decided_at`, approved or refused) or withdrawn (the time of its withdrawal in the
  audit log). Turnaround is the working days from submission to decision, minus the working
  days the clock was paused (`paused_working_days`); working days skip weekends and the
  licensing calendar's public holidays (licensing.deadlines).
- appeals: an appeal counts in the month it was lodged, with the outcome it has now.
- flags: a case counts in the month it was submitted, with its live (not pilot) flags.
- rule precision: a live flag counts in the month it was raised; precision = confirmed /
  disposed (confirmed + dismissed) for each version of a live (not pilot) rule.

Small counts are suppressed so no applicant can be singled out: every figure computed from
fewer than `min_count()` cases (TRANSPARENCY_MIN_COUNT, default 5) is None, and so is the
count of cases itself. Suppression applies per cell (per tier, per month, per rule), and None
in these figures always means "suppressed".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from appeals.models import Appeal
from exportgov.audit.models import AuditEvent
from licensing import deadlines
from licensing.models import Application, Tier
from screening.models import Flag, Rule

MIN_COUNT = 5
Status = Application.Status
DECIDED = (Status.APPROVED, Status.REFUSED)
APPEAL_OUTCOMES = (
    Appeal.Status.UPHELD,
    Appeal.Status.OVERTURNED,
    Appeal.Status.REMITTED,
    Appeal.Status.WITHDRAWN,
    Appeal.Status.LATE_REJECTED,
)
Disposition = Flag.Disposition


def min_count() -> int:
    """The fewest cases a published figure may rest on (setting TRANSPARENCY_MIN_COUNT)."""
    return int(getattr(settings, "TRANSPARENCY_MIN_COUNT", MIN_COUNT))


def suppressed_text() -> str:
    return f"suppressed (fewer than {min_count()} cases)"


# Helpers -------------------------------------------------------------------------------------


def month_keys(start: date, end: date) -> list[str]:
    """The months of the period as "YYYY-MM", oldest first."""
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (as PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    position = (len(ordered) - 1) * fraction
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def case_working_days(*, submitted_on: date, decided_on: date, paused_working_days: int) -> int:
    """Working days after submission up to and including the decision, less the paused ones."""
    elapsed = deadlines.working_days_between(submitted_on, decided_on)
    return max(0, elapsed - paused_working_days)


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _month_of(moment: datetime) -> str:
    return timezone.localdate(moment).strftime("%Y-%m")


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1)


def _suppressed_cell(measures: Iterable[str]) -> dict:
    return {**dict.fromkeys(measures, None), "suppressed": True}


def _cells(
    rows: list, *, key: Callable, groups: list[str], cell: Callable[[list], dict], name: str
) -> list[dict]:
    by_group: dict[str, list] = defaultdict(list)
    for row in rows:
        by_group[key(row)].append(row)
    return [{name: group, **cell(by_group.get(group, []))} for group in groups]


def _by_tier(cases: list[dict], cell: Callable[[list], dict]) -> list[dict]:
    return _cells(
        cases, key=lambda case: case["tier"], groups=list(Tier.values), cell=cell, name="tier"
    )


def _by_month(
    cases: list[dict], start: date, end: date, cell: Callable[[list], dict]
) -> list[dict]:
    return _cells(
        cases,
        key=lambda case: case["month"],
        groups=month_keys(start, end),
        cell=cell,
        name="month",
    )


def _breakdowns(
    cases: list[dict], start: date, end: date, cell: Callable[[list], dict], *, by_tier: bool
) -> dict:
    """A figure's cell overall, then by tier (if `by_tier`) and by month."""
    tiers = {"by_tier": _by_tier(cases, cell)} if by_tier else {}
    return {"overall": cell(cases), **tiers, "by_month": _by_month(cases, start, end, cell)}


def _decided_cases(start: date, end: date) -> list[dict]:
    """The cases decided in the period, read once for turnaround, deadline and outcomes; each
    with its month and day of decision and, once submitted, its working days."""
    after, before = _bounds(start, end)
    rows = Application.objects.filter(
        status__in=DECIDED, decided_at__gte=after, decided_at__lt=before
    ).values(
        "pk", "tier", "status", "submitted_at", "decided_at", "paused_working_days", "deadline_on"
    )
    cases = []
    for row in rows:
        decided_on = timezone.localdate(row["decided_at"])
        working_days = None
        if row["submitted_at"] is not None:
            working_days = case_working_days(
                submitted_on=timezone.localdate(row["submitted_at"]),
                decided_on=decided_on,
                paused_working_days=row["paused_working_days"],
            )
        cases.append(
            {
                **row,
                "month": _month_of(row["decided_at"]),
                "decided_on": decided_on,
                "working_days": working_days,
            }
        )
    return cases


def _submitted(decided: list[dict]) -> list[dict]:
    """The decided cases that went through submission (turnaround and outcomes count these)."""
    return [case for case in decided if case["submitted_at"] is not None]


# Turnaround ----------------------------------------------------------------------------------

TURNAROUND_MEASURES = ("cases", "median_working_days", "p90_working_days")


def _turnaround_cell(cases: list[dict]) -> dict:
    if len(cases) < min_count():
        return _suppressed_cell(TURNAROUND_MEASURES)
    days = [case["working_days"] for case in cases]
    return {
        "cases": len(cases),
        "median_working_days": round(percentile(days, 0.5), 1),
        "p90_working_days": round(percentile(days, 0.9), 1),
        "suppressed": False,
    }


def turnaround(start: date, end: date, *, decided: list[dict] | None = None) -> dict:
    """Working days from submission to decision of the cases decided in the period: median
    and 90th percentile, overall, by tier and by month of decision. `decided`: the period's
    decided cases when the caller has read them already."""
    cases = _submitted(_decided_cases(start, end) if decided is None else decided)
    return _breakdowns(cases, start, end, _turnaround_cell, by_tier=True)


# Deadline ------------------------------------------------------------------------------------

DEADLINE_MEASURES = ("cases", "within_deadline", "percent_within_deadline")


def _deadline_cell(cases: list[dict]) -> dict:
    if len(cases) < min_count():
        return _suppressed_cell(DEADLINE_MEASURES)
    within = sum(case["decided_on"] <= case["deadline_on"] for case in cases)
    return {
        "cases": len(cases),
        "within_deadline": within,
        "percent_within_deadline": _percent(within, len(cases)),
        "suppressed": False,
    }


def deadline_share(start: date, end: date, *, decided: list[dict] | None = None) -> dict:
    """Of the cases decided in the period (that had a deadline), how many were decided on or
    before their deadline: overall, by tier and by month of decision. `decided` as for
    `turnaround`."""
    decided = _decided_cases(start, end) if decided is None else decided
    cases = [case for case in decided if case["deadline_on"] is not None]
    return _breakdowns(cases, start, end, _deadline_cell, by_tier=True)


# Outcomes ------------------------------------------------------------------------------------

OUTCOME_MEASURES = (
    "cases",
    "approved",
    "refused",
    "withdrawn",
    "percent_approved",
    "percent_refused",
    "percent_withdrawn",
)


def _outcome_cell(cases: list[dict]) -> dict:
    if len(cases) < min_count():
        return _suppressed_cell(OUTCOME_MEASURES)
    counts = {
        name: sum(case["status"] == status for case in cases)
        for name, status in (
            ("approved", Status.APPROVED),
            ("refused", Status.REFUSED),
            ("withdrawn", Status.WITHDRAWN),
        )
    }
    return {
        "cases": len(cases),
        **counts,
        **{f"percent_{name}": _percent(count, len(cases)) for name, count in counts.items()},
        "suppressed": False,
    }


def _withdrawn_cases(start: date, end: date) -> list[dict]:
    """Applications withdrawn in the period (and still withdrawn), dated by the audit log."""
    after, before = _bounds(start, end)
    withdrawn_at: dict[str, datetime] = {}
    events = AuditEvent.objects.filter(
        verb=AuditEvent.Verb.WITHDRAWN,
        target_type=Application._meta.label_lower,
        created_at__gte=after,
        created_at__lt=before,
    ).values_list("target_id", "created_at")
    for target_id, created_at in events:
        withdrawn_at[target_id] = max(created_at, withdrawn_at.get(target_id, created_at))
    pks = [int(pk) for pk in withdrawn_at if pk.isdigit()]
    rows = Application.objects.filter(pk__in=pks, status=Status.WITHDRAWN).values(
        "pk", "tier", "status"
    )
    return [{**row, "month": _month_of(withdrawn_at[str(row["pk"])])} for row in rows]


def outcomes(start: date, end: date, *, decided: list[dict] | None = None) -> dict:
    """Cases closed in the period (approved, refused or withdrawn) and the share of each,
    overall and by month of closing. `decided` as for `turnaround`."""
    decided = _decided_cases(start, end) if decided is None else decided
    cases = _submitted(decided) + _withdrawn_cases(start, end)
    return _breakdowns(cases, start, end, _outcome_cell, by_tier=False)


# Appeals -------------------------------------------------------------------------------------

APPEAL_MEASURES = ("lodged", *(str(status) for status in APPEAL_OUTCOMES), "pending")


def _appeal_cell(appeals: list[dict]) -> dict:
    if len(appeals) < min_count():
        return _suppressed_cell(APPEAL_MEASURES)
    outcome_counts = {
        str(status): sum(appeal["status"] == status for appeal in appeals)
        for status in APPEAL_OUTCOMES
    }
    return {
        "lodged": len(appeals),
        **outcome_counts,
        "pending": len(appeals) - sum(outcome_counts.values()),
        "suppressed": False,
    }


def appeals(start: date, end: date) -> dict:
    """Appeals lodged in the period and the outcome each has now (pending while undecided),
    overall and by month of lodging."""
    after, before = _bounds(start, end)
    rows = Appeal.objects.filter(lodged_at__gte=after, lodged_at__lt=before).values(
        "status", "lodged_at"
    )
    lodged = [{**row, "month": _month_of(row["lodged_at"])} for row in rows]
    return _breakdowns(lodged, start, end, _appeal_cell, by_tier=False)


# Flags ---------------------------------------------------------------------------------------

FLAG_MEASURES = (
    "cases",
    "flags",
    "flags_per_case",
    "disposed",
    "confirmed",
    "percent_confirmed",
)


def _flag_cell(cases: list[dict]) -> dict:
    if len(cases) < min_count():
        return _suppressed_cell(FLAG_MEASURES)
    flags = sum(case["flags"] for case in cases)
    disposed = sum(case["disposed"] for case in cases)
    confirmed = sum(case["confirmed"] for case in cases)
    # The share confirmed rests only on the cases that had a flag disposed of.
    shown = sum(case["disposed"] > 0 for case in cases) >= min_count()
    return {
        "cases": len(cases),
        "flags": flags,
        "flags_per_case": round(flags / len(cases), 2),
        "disposed": disposed if shown else None,
        "confirmed": confirmed if shown else None,
        "percent_confirmed": _percent(confirmed, disposed) if shown else None,
        "suppressed": False,
    }


def flags(start: date, end: date) -> dict:
    """Live flags raised per case submitted in the period, and the share of those disposed of
    that officials confirmed, overall and by month of submission."""
    after, before = _bounds(start, end)
    live = Q(flags__shadow=False)
    rows = (
        Application.objects.filter(submitted_at__gte=after, submitted_at__lt=before)
        .exclude(status=Status.DRAFT)
        .annotate(
            live_flags=Count("flags", filter=live),
            live_disposed=Count("flags", filter=live & ~Q(flags__disposition=Disposition.PENDING)),
            live_confirmed=Count(
                "flags", filter=live & Q(flags__disposition=Disposition.CONFIRMED)
            ),
        )
        .values("submitted_at", "live_flags", "live_disposed", "live_confirmed")
    )
    cases = [
        {
            "month": _month_of(row["submitted_at"]),
            "flags": row["live_flags"],
            "disposed": row["live_disposed"],
            "confirmed": row["live_confirmed"],
        }
        for row in rows
    ]
    return _breakdowns(cases, start, end, _flag_cell, by_tier=False)


# Rule precision ------------------------------------------------------------------------------

RULE_MEASURES = ("cases", "disposed", "confirmed", "percent_precision")


def rule_precision(start: date, end: date) -> list[dict]:
    """Per version of a live rule that raised live flags in the period: how many of those flags
    officials disposed of, how many they confirmed, and precision = confirmed / disposed.
    Suppressed when the disposed flags come from fewer than the minimum number of cases."""
    after, before = _bounds(start, end)
    is_disposed = ~Q(disposition=Disposition.PENDING)
    raised = (
        Flag.objects.filter(
            shadow=False,
            rule__mode=Rule.Mode.ACTIVE,
            created_at__gte=after,
            created_at__lt=before,
        )
        .values("rule_id")
        .annotate(
            cases=Count("application", distinct=True, filter=is_disposed),
            disposed=Count("pk", filter=is_disposed),
            confirmed=Count("pk", filter=Q(disposition=Disposition.CONFIRMED)),
        )
    )
    figures = {row["rule_id"]: row for row in raised}
    rules = Rule.objects.filter(pk__in=figures).order_by("code", "version")
    result = []
    for rule in rules:
        row = figures[rule.pk]
        identity = {"rule": f"{rule.code} v{rule.version}", "title": rule.title}
        if not row["disposed"] or row["cases"] < min_count():
            result.append({**identity, **_suppressed_cell(RULE_MEASURES)})
            continue
        result.append(
            {
                **identity,
                "cases": row["cases"],
                "disposed": row["disposed"],
                "confirmed": row["confirmed"],
                "percent_precision": _percent(row["confirmed"], row["disposed"]),
                "suppressed": False,
            }
        )
    return result


# All of them ---------------------------------------------------------------------------------

FIGURES: dict[str, Callable[[date, date], dict | list]] = {
    "turnaround": turnaround,
    "deadline": deadline_share,
    "outcomes": outcomes,
    "appeals": appeals,
    "flags": flags,
    "rule_precision": rule_precision,
}


def all_figures(start: date, end: date) -> dict:
    """Every figure for the period, with the period and the suppression threshold. The
    period's decided cases are read once for the figures that share them."""
    decided = {"decided": _decided_cases(start, end)}
    shared = {"turnaround": decided, "deadline": decided, "outcomes": decided}
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "min_count": min_count(),
        **{name: compute(start, end, **shared.get(name, {})) for name, compute in FIGURES.items()},
    }


def all_figures_cached(start: date, end: date) -> dict:
    """`all_figures`, kept for settings.TRANSPARENCY_CACHE_SECONDS: the public pages and
    downloads are open to anyone, so a burst of requests computes the figures once."""
    key = f"transparency:figures:{start.isoformat()}:{end.isoformat()}:{min_count()}"
    return cache.get_or_set(
        key, lambda: all_figures(start, end), timeout=settings.TRANSPARENCY_CACHE_SECONDS
    )
