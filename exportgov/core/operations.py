"""The officials' operations dashboard: how the case queues, the deadlines, the screening
pipeline and the workers stand right now.

Everything is read in a fixed number of queries however many cases there are: one aggregate
over the open cases (queue sizes by tier, deadline and failure counts), one page of cases near
or past their deadline, one of screening runs in progress, one of cases whose screening failed,
one of re-screen batches in progress (with their progress counted in the same query), and the
health check (whose database check is one `SELECT 1`; Redis and Celery are pinged, and shown as
down rather than failing the page when they do not answer).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils import timezone

from exportgov.accounts.models import User
from licensing import deadlines
from licensing.models import Application, Tier
from licensing.selectors import application_list_for_user
from screening.models import RescreenBatch, ScreeningRun

from .health import health_check

VIEW_PERMISSION = "licensing.view_application"
ROW_LIMIT = 50

Status = Application.Status
RunStatus = ScreeningRun.Status
# Cases an official still has to finish; their deadline clock runs unless it is paused.
OPEN_STATUSES = [
    Status.SUBMITTED,
    Status.SCREENING,
    Status.SCREENING_FAILED,
    Status.TRIAGE,
    Status.UNDER_REVIEW,
    Status.INFO_REQUESTED,
    Status.IN_CONSULTATION,
    Status.RECOMMENDED,
]
UNTIERED = "untiered"
OVERDUE, DUE_SOON = deadlines.DeadlineState.OVERDUE, deadlines.DeadlineState.DUE_SOON


@dataclass(frozen=True)
class TierQueue:
    tier: str
    label: str
    triage: int
    under_review: int
    open: int


@dataclass(frozen=True)
class DeadlineRow:
    application: Application
    days_left: int
    state: str

    @property
    def label(self) -> str:
        return deadlines.days_left_label(self.days_left)

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE


@dataclass(frozen=True)
class BatchProgress:
    batch: RescreenBatch
    done: int
    failed: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class OperationsReport:
    today: date
    tiers: list[TierQueue]
    totals: dict[str, int]
    overdue: list[DeadlineRow]
    due_soon: list[DeadlineRow]
    runs_in_progress: list[ScreeningRun]
    runs_queued: int
    runs_running: int
    oldest_run_queued_at: datetime | None
    failed_cases: list[Application]
    batches: list[BatchProgress]
    health: dict
    row_limit: int = ROW_LIMIT

    @property
    def deadline_rows(self) -> list[DeadlineRow]:
        """The overdue cases, then those due soon: the rows of the deadlines table."""
        return [*self.overdue, *self.due_soon]


def operations_report_for_user(*, user: User, today: date | None = None) -> OperationsReport:
    """The whole dashboard for an official with `licensing.view_application` (else 403)."""
    if not user.is_authenticated or not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied("Only officials can see the operations dashboard.")
    today = today or timezone.localdate()
    cases = application_list_for_user(user=user)
    tiers, totals = _queues_by_tier(cases, today)
    overdue, due_soon = _deadline_rows(cases, today)
    runs = _runs_in_progress()
    return OperationsReport(
        today=today,
        tiers=tiers,
        totals=totals,
        overdue=overdue,
        due_soon=due_soon,
        runs_in_progress=runs["rows"],
        runs_queued=runs["queued"],
        runs_running=runs["running"],
        oldest_run_queued_at=runs["oldest"],
        failed_cases=_failed_cases(cases),
        batches=rescreen_batches_in_progress(),
        health=health_check(),
    )


def _queues_by_tier(cases, today: date) -> tuple[list[TierQueue], dict[str, int]]:
    rows = (
        cases.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values("tier")
        .annotate(
            triage=Count("pk", filter=Q(status=Status.TRIAGE)),
            under_review=Count("pk", filter=Q(status=Status.UNDER_REVIEW)),
            open=Count("pk"),
            overdue=Count("pk", filter=deadlines.deadline_state_q(state=OVERDUE, today=today)),
            due_soon=Count("pk", filter=deadlines.deadline_state_q(state=DUE_SOON, today=today)),
            paused=Count("pk", filter=Q(clock_paused_since__isnull=False)),
            screening_failed=Count("pk", filter=Q(status=Status.SCREENING_FAILED)),
        )
    )
    by_tier = {row["tier"] or UNTIERED: row for row in rows}
    labels = [(tier.value, tier.label) for tier in Tier] + [(UNTIERED, "Not yet tiered")]
    tiers = [
        TierQueue(
            tier=tier,
            label=label,
            triage=by_tier.get(tier, {}).get("triage", 0),
            under_review=by_tier.get(tier, {}).get("under_review", 0),
            open=by_tier.get(tier, {}).get("open", 0),
        )
        for tier, label in labels
    ]
    keys = ("triage", "under_review", "open", "overdue", "due_soon", "paused", "screening_failed")
    totals = {key: sum(row[key] for row in by_tier.values()) for key in keys}
    return tiers, totals


def _deadline_rows(cases, today: date) -> tuple[list[DeadlineRow], list[DeadlineRow]]:
    """Cases past or near their deadline, most overdue first (at most ROW_LIMIT of them)."""
    near = (
        cases.filter(
            deadlines.deadline_state_q(state=OVERDUE, today=today)
            | deadlines.deadline_state_q(state=DUE_SOON, today=today),
            status__in=OPEN_STATUSES,
        )
        .select_related("organisation", "assigned_officer")
        .order_by("deadline_on", "pk")[:ROW_LIMIT]
    )
    overdue, due_soon = [], []
    for application in near:
        left = deadlines.working_days_left(deadline=application.deadline_on, today=today)
        state = deadlines.deadline_status(days_left=left)
        row = DeadlineRow(application=application, days_left=left, state=state.value)
        (overdue if state == OVERDUE else due_soon).append(row)
    return overdue, due_soon


def _runs_in_progress() -> dict:
    """Runs queued or running: their counts and the oldest, and the oldest ROW_LIMIT rows."""
    in_progress = ScreeningRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
    counts = in_progress.aggregate(
        queued=Count("pk", filter=Q(status=RunStatus.QUEUED)),
        running=Count("pk", filter=Q(status=RunStatus.RUNNING)),
        oldest=Min("queued_at"),
    )
    rows = list(in_progress.select_related("application").order_by("queued_at", "pk")[:ROW_LIMIT])
    return {**counts, "rows": rows}


def _failed_cases(cases) -> list[Application]:
    """Cases whose screening failed, longest waiting first, each with its last run's error."""
    last_failure = ScreeningRun.objects.filter(
        application=OuterRef("pk"), status=RunStatus.FAILED
    ).order_by("-queued_at", "-pk")
    return list(
        cases.filter(status=Status.SCREENING_FAILED)
        .select_related("organisation")
        .annotate(
            last_error=Subquery(last_failure.values("error")[:1]),
            last_failed_at=Subquery(last_failure.values("finished_at")[:1]),
        )
        .order_by("submitted_at", "pk")[:ROW_LIMIT]
    )


def rescreen_batches_in_progress() -> list[BatchProgress]:
    """Unfinished re-screen batches, newest first, with the same done/failed/total figures as
    `screening.selectors_runs.rescreen_progress`, counted in one query for all of them."""
    batches = (
        RescreenBatch.objects.filter(finished_at__isnull=True)
        .select_related("list_version__source", "rule", "requested_by")
        .annotate(
            done=Count("runs", filter=Q(runs__status=RunStatus.COMPLETED)),
            failed=Count("runs", filter=Q(runs__status=RunStatus.FAILED)),
        )
        .order_by("-created_at", "-pk")[:ROW_LIMIT]
    )
    return [
        BatchProgress(batch=batch, done=batch.done, failed=batch.failed, total=batch.total)
        for batch in batches
    ]
