"""The filing window (issue 6, point 2) with time frozen: APPEALS_WINDOW_DAYS calendar days
from the local date of the decision notice, up to the end of that day in the configured time
zone; a late appeal needs a reason for lateness, which the reviewer accepts or rejects first."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied

from appeals import services
from appeals.models import Appeal
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing import deadlines
from tests.licensing import factories as licensing

from . import factories
from .factories import appeal_events, refresh

S = Appeal.Status
Verb = AuditEvent.Verb
UTC = datetime.UTC

# A Monday in March 2026, away from public holidays.
NOTICE = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def draft_refused_at(world, when: datetime.datetime) -> Appeal:
    with time_machine.travel(when, tick=False):
        application = licensing.make_refused(world)
        return factories.make_refused_appeal_draft(world, application=application)


def lodge_at(world, appeal: Appeal, when: datetime.datetime, *, reason: str = "") -> Appeal:
    with time_machine.travel(when, tick=False):
        if reason:
            services.appeal_save(
                actor=world.exporter, appeal=appeal, data={"lateness_reason": reason}
            )
        services.appeal_lodge(actor=world.exporter, appeal=appeal)
    return refresh(appeal)


def test_appeal_start_sets_the_filing_deadline_from_the_notice(world):
    appeal = draft_refused_at(world, NOTICE)

    assert appeal.notice_at == NOTICE
    assert appeal.filing_deadline == datetime.date(2026, 3, 30)  # 28 calendar days


def test_appeal_lodge_on_the_last_day_at_23_59_is_in_time(world):
    appeal = draft_refused_at(world, NOTICE)

    appeal = lodge_at(world, appeal, datetime.datetime(2026, 3, 30, 23, 59, 59, tzinfo=UTC))

    assert appeal.is_late is False
    assert appeal.status == S.UNDER_REVIEW
    assert appeal_events(appeal, Verb.APPEAL_LODGED).exists()


def test_appeal_lodge_at_midnight_the_next_day_is_late_and_needs_a_reason(world):
    appeal = draft_refused_at(world, NOTICE)
    midnight = datetime.datetime(2026, 3, 31, 0, 0, tzinfo=UTC)

    with (
        time_machine.travel(midnight, tick=False),
        pytest.raises(ApplicationError, match="say why you are appealing late"),
    ):
        services.appeal_lodge(actor=world.exporter, appeal=appeal)
    assert refresh(appeal).status == S.DRAFT

    appeal = lodge_at(world, appeal, midnight, reason="Our director was in hospital.")

    assert appeal.status == S.LATE_REVIEW
    assert appeal.is_late is True
    assert appeal.lodged_at == midnight
    assert appeal.lateness_reason == "Our director was in hospital."
    assert appeal.reviewer == world.appeals_reviewer  # assigned first, to decide the lateness
    assert appeal.deadline_on is None  # the review has not started
    event = appeal_events(appeal, Verb.APPEAL_LODGED_LATE).get()
    assert (event.from_status, event.to_status) == (S.DRAFT, S.LATE_REVIEW)
    assert Notification.objects.filter(
        recipient=world.exporter, subject__contains="received late"
    ).exists()


def test_appeal_lodge_in_time_drops_a_lateness_reason(world):
    appeal = draft_refused_at(world, NOTICE)

    appeal = lodge_at(world, appeal, NOTICE + datetime.timedelta(days=1), reason="Just in case.")

    assert appeal.is_late is False
    assert appeal.lateness_reason == ""


def test_appeal_filing_window_boundary_is_in_the_configured_time_zone(world, settings):
    settings.TIME_ZONE = "Pacific/Auckland"  # UTC+13 in March (daylight saving time)
    # 12:00 UTC on 2 March is 01:00 on 3 March in Auckland: the window counts from 3 March.
    appeal = draft_refused_at(world, datetime.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert appeal.filing_deadline == datetime.date(2026, 3, 31)
    auckland = ZoneInfo("Pacific/Auckland")

    on_time = draft_refused_at(world, datetime.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    on_time = lodge_at(world, on_time, datetime.datetime(2026, 3, 31, 23, 59, tzinfo=auckland))
    assert on_time.is_late is False

    # 00:00 on 1 April in Auckland is still 31 March in UTC, yet it is late.
    late_at = datetime.datetime(2026, 4, 1, 0, 0, tzinfo=auckland)
    assert late_at.astimezone(UTC).date() == datetime.date(2026, 3, 31)
    appeal = lodge_at(world, appeal, late_at, reason="Time difference.")
    assert appeal.is_late is True
    assert appeal.status == S.LATE_REVIEW


def test_appeal_window_days_is_configurable(world, settings):
    settings.APPEALS_WINDOW_DAYS = 10
    appeal = draft_refused_at(world, NOTICE)
    assert appeal.filing_deadline == datetime.date(2026, 3, 12)

    late = lodge_at(
        world, appeal, datetime.datetime(2026, 3, 13, 9, 0, tzinfo=UTC), reason="Post strike."
    )
    assert late.is_late is True


# --- The reviewer's lateness decision ----------------------------------------------------------


@pytest.fixture
def late(world) -> Appeal:
    appeal = draft_refused_at(world, NOTICE)
    return lodge_at(
        world, appeal, datetime.datetime(2026, 4, 2, 9, 0, tzinfo=UTC), reason="Flooded office."
    )


def test_appeal_lateness_decide_accept_starts_the_review(world, late):
    accepted_on = datetime.datetime(2026, 4, 6, 9, 0, tzinfo=UTC)  # Easter Monday (GB)
    with time_machine.travel(accepted_on, tick=False):
        services.appeal_lateness_decide(
            actor=world.appeals_reviewer, appeal=late, accept=True, reason="  Good reason.  "
        )

    appeal = refresh(late)
    assert appeal.status == S.UNDER_REVIEW
    assert appeal.lateness_decision_reason == "Good reason."
    assert appeal.deadline_on == deadlines.add_working_days(
        datetime.date(2026, 4, 6), settings.APPEALS_WORKING_DAYS
    )
    verbs = [
        (e.verb, e.to_status)
        for e in appeal_events(appeal).filter(
            verb__in=[Verb.APPEAL_LATENESS_ACCEPTED, Verb.APPEAL_ASSIGNED]
        )
    ]
    assert verbs[-2:] == [
        (Verb.APPEAL_LATENESS_ACCEPTED, S.LODGED),
        (Verb.APPEAL_ASSIGNED, S.UNDER_REVIEW),
    ]
    message = Notification.objects.get(recipient=world.exporter, subject__contains="accepted")
    assert "Good reason." in message.body


def test_appeal_lateness_decide_reject_is_final_and_publishes_the_reason(world, late):
    services.appeal_lateness_decide(
        actor=world.appeals_reviewer, appeal=late, accept=False, reason="No reason given why."
    )
    services.appeal_lateness_decide(  # again: nothing more
        actor=world.appeals_reviewer, appeal=late, accept=False, reason="Again."
    )

    appeal = refresh(late)
    assert appeal.status == S.LATE_REJECTED
    assert appeal.lateness_decision_reason == "No reason given why."
    assert appeal_events(appeal, Verb.APPEAL_LATENESS_REJECTED).count() == 1
    message = Notification.objects.get(recipient=world.exporter, subject__contains="not accepted")
    assert "No reason given why." in message.body
    with pytest.raises(ApplicationError, match="already been appealed"):
        services.appeal_start(
            actor=world.exporter, subject=Appeal.Subject.REFUSAL, application=appeal.application
        )
    with pytest.raises(ApplicationError):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=appeal, outcome=S.OVERTURNED, reasons="x"
        )


def test_appeal_lateness_decide_needs_a_reason(world, late):
    with pytest.raises(ApplicationError, match="reason"):
        services.appeal_lateness_decide(
            actor=world.appeals_reviewer, appeal=late, accept=True, reason=" "
        )
    assert refresh(late).status == S.LATE_REVIEW


@pytest.mark.parametrize("who", ["exporter", "case_officer", "senior_official", "auditor"])
def test_appeal_lateness_decide_refused_for_non_reviewers(world, late, who):
    with pytest.raises(PermissionDenied):
        services.appeal_lateness_decide(
            actor=world.actor(who), appeal=late, accept=True, reason="Fine."
        )
    assert refresh(late).status == S.LATE_REVIEW


def test_appeal_lateness_decide_only_by_the_assigned_reviewer(world, late):
    second = factories.make_second_reviewer()
    with pytest.raises(PermissionDenied, match="assigned reviewer"):
        services.appeal_lateness_decide(actor=second, appeal=late, accept=True, reason="Fine.")


def test_appeal_lateness_decide_needs_a_reviewer_assigned_first(world):
    world.appeals_reviewer.is_active = False
    world.appeals_reviewer.save(update_fields=["is_active"])
    appeal = draft_refused_at(world, NOTICE)
    appeal = lodge_at(
        world, appeal, datetime.datetime(2026, 4, 2, 9, 0, tzinfo=UTC), reason="Flooded office."
    )
    assert (appeal.status, appeal.reviewer) == (S.LATE_REVIEW, None)
    second = factories.make_second_reviewer()

    with pytest.raises(ApplicationError, match="Assign the appeal"):
        services.appeal_lateness_decide(actor=second, appeal=appeal, accept=True, reason="Fine.")

    services.appeal_assign(actor=second, appeal=appeal, reviewer=second)
    assert refresh(appeal).status == S.LATE_REVIEW  # assigning does not decide the lateness
    services.appeal_lateness_decide(actor=second, appeal=appeal, accept=True, reason="Fine.")
    assert refresh(appeal).status == S.UNDER_REVIEW
