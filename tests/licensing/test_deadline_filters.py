"""The deadline filter of the queues (cases and appeals) against the state each row shows."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from licensing.deadlines import (
    DeadlineState,
    deadline_state_q,
    deadline_status,
    working_days_left,
)
from licensing.models import Application
from tests.licensing.factories import make_draft


@pytest.fixture(autouse=True)
def _default_calendar(settings):
    settings.LICENSING_HOLIDAY_COUNTRY = "GB"
    settings.LICENSING_HOLIDAY_SUBDIVISION = None


@pytest.mark.django_db
def test_deadline_state_q_agrees_with_deadline_status_around_weekends_and_holidays(world):
    """The queues' filter and the badge on each row must say the same: for every deadline from
    ten days back to three weeks ahead of the Thursday before Easter, a case is in exactly the
    state that `deadline_status` gives its working days left."""
    today = date(2026, 4, 2)  # Good Friday and Easter Monday follow
    case = make_draft(world)
    for offset in range(-10, 22):
        deadline = today + timedelta(days=offset)
        Application.objects.filter(pk=case.pk).update(deadline_on=deadline)
        expected = deadline_status(days_left=working_days_left(deadline=deadline, today=today))
        found = [
            state
            for state in DeadlineState
            if Application.objects.filter(deadline_state_q(state=state, today=today), pk=case.pk)
        ]
        assert found == [expected], deadline

    Application.objects.filter(pk=case.pk).update(clock_paused_since=timezone.now())
    assert not any(
        Application.objects.filter(deadline_state_q(state=state, today=today)).exists()
        for state in DeadlineState
    )
