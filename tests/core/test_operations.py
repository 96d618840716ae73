"""The officials' operations dashboard: queue sizes by tier, cases near or past their deadline
(working days and holidays included), screening runs in progress or failed, re-screens in
progress, the workers' health, and a fixed query budget."""

import datetime
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from exportgov.accounts.models import User
from exportgov.core.operations import operations_report_for_user
from licensing.deadlines import due_soon_before
from licensing.models import Application
from licensing.services import applications as application_services
from licensing.services import cases as case_services
from screening.models import RescreenBatch, ScreeningRun
from screening.selectors_runs import rescreen_progress
from tests.licensing.factories import make_approved, make_draft, make_submitted, make_under_review
from tests.screening.factories import ScreeningRunFactory

pytestmark = pytest.mark.django_db

# Thursday 30 April 2026; Monday 4 May 2026 is a bank holiday in England (the default calendar).
TODAY = datetime.date(2026, 4, 30)
RunStatus = ScreeningRun.Status


def _deadline(application: Application, deadline_on: datetime.date, **fields) -> Application:
    Application.objects.filter(pk=application.pk).update(deadline_on=deadline_on, **fields)
    return Application.objects.get(pk=application.pk)


def _screening_failed(world, error: str = "Worker lost") -> Application:
    application = make_draft(world)
    application_services.application_submit(actor=world.exporter, application=application)
    application.screening_runs.update(status=RunStatus.FAILED, error=error)
    case_services.case_fail_screening(application=application, error=error)
    return Application.objects.get(pk=application.pk)


def _queued(world) -> Application:
    """Submitted: its screening run stays queued (the test's transaction never commits)."""
    application = make_draft(world)
    application_services.application_submit(actor=world.exporter, application=application)
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def cases(world):
    """Cases with known tiers, statuses and deadlines relative to TODAY."""
    return {
        "low_triage": _deadline(make_submitted(world, tier="low"), datetime.date(2026, 5, 29)),
        "high_triage": _deadline(make_submitted(world, tier="high"), datetime.date(2026, 5, 7)),
        "high_review_overdue": _deadline(
            make_under_review(world, tier="high"), datetime.date(2026, 4, 29)
        ),
        "medium_review_due_today": _deadline(make_under_review(world, tier="medium"), TODAY),
        "medium_review_due_soon": _deadline(
            make_under_review(world, tier="medium"), datetime.date(2026, 5, 6)
        ),
        "paused_overdue": _deadline(
            make_under_review(world, tier="low"),
            datetime.date(2026, 4, 1),
            clock_paused_since=datetime.date(2026, 3, 30),
        ),
        "decided_overdue": _deadline(make_approved(world, tier="low"), datetime.date(2026, 4, 1)),
    }


def test_due_soon_before_counts_working_days_and_skips_the_bank_holiday():
    # Fri 1 May, (Mon 4 May holiday), Tue 5, Wed 6 are the three working days; Thu 7 is the 4th.
    assert due_soon_before(TODAY) == datetime.date(2026, 5, 7)


def test_operations_report_counts_queues_by_tier(world, cases):
    report = operations_report_for_user(user=world.case_officer, today=TODAY)

    by_tier = {row.tier: (row.triage, row.under_review, row.open) for row in report.tiers}
    assert by_tier == {
        "low": (1, 1, 2),  # the paused case is open and under review; the decided one is not
        "medium": (0, 2, 2),
        "high": (1, 1, 2),
        "untiered": (0, 0, 0),
    }
    assert report.totals["triage"] == 2
    assert report.totals["under_review"] == 4
    assert report.totals["open"] == 6
    assert report.totals["paused"] == 1


def test_operations_report_lists_cases_past_and_near_their_deadline(world, cases):
    report = operations_report_for_user(user=world.case_officer, today=TODAY)

    assert [(row.application.pk, row.days_left, row.label) for row in report.overdue] == [
        (cases["high_review_overdue"].pk, -1, "Overdue by 1 working day")
    ]
    assert [(row.application.pk, row.days_left, row.label) for row in report.due_soon] == [
        (cases["medium_review_due_today"].pk, 0, "Due today"),
        (cases["medium_review_due_soon"].pk, 3, "3 working days left"),
    ]
    # the high-tier triage case is due on the 4th working day: on track, not listed
    assert (report.totals["overdue"], report.totals["due_soon"]) == (1, 2)


def test_operations_report_counts_runs_in_progress_and_lists_failed_screenings(world):
    queued = _queued(world)
    running = _queued(world)
    running.screening_runs.update(status=RunStatus.RUNNING)
    failed = _screening_failed(world, error="Timed out reading the consolidated list")

    report = operations_report_for_user(user=world.case_officer, today=TODAY)

    assert (report.runs_queued, report.runs_running) == (1, 1)
    assert [run.application_id for run in report.runs_in_progress] == [queued.pk, running.pk]
    assert report.oldest_run_queued_at == queued.screening_runs.get().queued_at
    assert [application.pk for application in report.failed_cases] == [failed.pk]
    assert report.failed_cases[0].last_error == "Timed out reading the consolidated list"
    assert report.totals["screening_failed"] == 1


def test_operations_report_shows_rescreen_batches_in_progress_as_rescreen_progress_does(world):
    application = make_under_review(world)
    batch = RescreenBatch.objects.create(trigger=RescreenBatch.Trigger.MANUAL, total=4)
    for status in (RunStatus.COMPLETED, RunStatus.COMPLETED, RunStatus.FAILED, RunStatus.QUEUED):
        ScreeningRunFactory(application=application, batch=batch, status=status)
    finished = RescreenBatch.objects.create(
        trigger=RescreenBatch.Trigger.MANUAL,
        total=1,
        finished_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
    )
    ScreeningRunFactory(application=application, batch=finished)

    report = operations_report_for_user(user=world.case_officer, today=TODAY)

    assert [(p.batch.pk, p.done, p.failed, p.total) for p in report.batches] == [
        (batch.pk, 2, 1, 4)
    ]
    assert rescreen_progress(batch=batch) == {"done": 2, "failed": 1, "total": 4}
    assert report.batches[0].percent == 50


@pytest.mark.parametrize("actor", ["exporter", "advisor", "policy_admin"])
def test_operations_report_is_refused_to_users_without_view_application(world, actor):
    with pytest.raises(PermissionDenied):
        operations_report_for_user(user=getattr(world, actor))


def test_operations_page_shows_the_figures_with_links_to_the_cases(client, world, cases, settings):
    settings.HEALTH_CHECK_TIMEOUT = 0.2
    failed = _screening_failed(world)
    client.force_login(world.senior_official)

    with time_machine.travel(datetime.datetime(2026, 4, 30, 10, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("core:operations"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<td data-testid="tier-high-triage">1</td>' in html
    assert '<td data-testid="tier-medium-under-review">2</td>' in html
    assert '<td data-testid="total-open">7</td>' in html  # six plus the failed screening
    assert '<strong data-testid="overdue-count">1</strong>' in html
    overdue = cases["high_review_overdue"]
    row = html.split(f'data-testid="overdue-{overdue.reference}"')[1].split("</tr>")[0]
    assert reverse("licensing:case_detail", args=[overdue.pk]) in row
    assert "Overdue by 1 working day" in row
    failed_row = html.split(f'data-testid="failed-{failed.reference}"')[1].split("</tr>")[0]
    assert reverse("licensing:case_detail", args=[failed.pk]) in failed_row
    assert "Worker lost" in failed_row
    assert 'data-testid="health-database"' in html


def test_operations_page_lists_overdue_then_due_soon_cases_each_marked(
    client, world, cases, settings
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # the health check answers at once
    client.force_login(world.case_officer)

    with time_machine.travel(datetime.datetime(2026, 4, 30, 10, tzinfo=datetime.UTC), tick=False):
        html = client.get(reverse("core:operations")).content.decode()

    table = html.split('data-testid="deadline-cases"')[1].split("</table>")[0]
    rows = re.findall(
        r'<tr class="([^"]+)" data-testid="([^"]+)">.*?<span class="usa-tag ([^"]+)">([^<]+)<',
        table,
        re.S,
    )
    overdue, today, soon = (
        cases[name].reference
        for name in ("high_review_overdue", "medium_review_due_today", "medium_review_due_soon")
    )
    red, amber = ("bg-error-lighter", "bg-error"), ("bg-warning-lighter", "bg-warning text-ink")
    assert rows == [
        (red[0], f"overdue-{overdue}", red[1], "Overdue by 1 working day"),
        (amber[0], f"due-soon-{today}", amber[1], "Due today"),
        (amber[0], f"due-soon-{soon}", amber[1], "3 working days left"),
    ]


def test_operations_page_renders_when_redis_is_down(client, world, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    _screening_failed(world)
    client.force_login(world.case_officer)

    response = client.get(reverse("core:operations"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "A service is down" in html
    redis_row = html.split('data-testid="health-redis"')[1].split("</tr>")[0]
    celery_row = html.split('data-testid="health-celery"')[1].split("</tr>")[0]
    assert ">down<" in redis_row
    assert ">down<" in celery_row
    assert "Redis is down" in celery_row
    assert ">ok<" in html.split('data-testid="health-database"')[1].split("</tr>")[0]


def test_operations_report_uses_a_fixed_number_of_queries(
    world, settings, django_assert_num_queries
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # no network wait; the queries are the same

    def measure() -> int:
        official = User.objects.get(pk=world.case_officer.pk)  # permissions not yet cached
        # 2 for the official's permissions, 7 for the report (the health check's SELECT 1 too)
        with django_assert_num_queries(9) as captured:
            operations_report_for_user(user=official, today=TODAY)
        return len(captured)

    few = measure()
    for _ in range(3):
        _deadline(make_under_review(world, tier="high"), datetime.date(2026, 4, 20))
        _screening_failed(world)
        _queued(world)
    batch = RescreenBatch.objects.create(trigger=RescreenBatch.Trigger.MANUAL, total=2)
    ScreeningRunFactory(application=make_under_review(world), batch=batch)

    assert measure() == few


def test_operations_page_stays_within_its_query_budget(
    client, world, cases, settings, django_assert_max_num_queries
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    _screening_failed(world)
    _queued(world)
    client.force_login(world.case_officer)

    # session and user 2, permissions 2, the report 7, navigation and notifications 2, and
    # the session saved again 3 (savepoint, update, release)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("core:operations"))
    for _ in range(3):
        _deadline(make_under_review(world, tier="high"), datetime.date(2026, 4, 20))
        _screening_failed(world)
    with django_assert_max_num_queries(16):
        more = client.get(reverse("core:operations"))

    assert response.status_code == more.status_code == 200


def test_operations_is_in_the_officials_navigation(client, world):
    url = reverse("core:operations")
    client.force_login(world.case_officer)
    assert f'href="{url}"' in client.get(reverse("core:dashboard")).content.decode()
    client.force_login(world.exporter)
    assert f'href="{url}"' not in client.get(reverse("core:dashboard")).content.decode()
