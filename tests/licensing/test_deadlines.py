"""Working-day deadlines. Pure date arithmetic against the `holidays` package: no database."""

from datetime import date, datetime, timedelta

import holidays
import pytest

from licensing.deadlines import (
    DeadlineState,
    add_working_days,
    deadline_for,
    deadline_status,
    is_working_day,
    working_days_between,
    working_days_left,
)

FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)
MONDAY = date(2026, 3, 9)


@pytest.fixture(autouse=True)
def _default_calendar(settings):
    """Pin the calendar to the defaults so a local settings file cannot change the answers."""
    settings.LICENSING_HOLIDAY_COUNTRY = "GB"
    settings.LICENSING_HOLIDAY_SUBDIVISION = None
    settings.LICENSING_TIER_WORKING_DAYS = {"low": 5, "medium": 20, "high": 40}


def test_is_working_day_false_at_weekends():
    assert is_working_day(FRIDAY)
    assert not is_working_day(SATURDAY)
    assert not is_working_day(SATURDAY + timedelta(days=1))
    assert is_working_day(MONDAY)


@pytest.mark.parametrize(
    "bank_holiday",
    [date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1), date(2026, 4, 3)],
    ids=["christmas", "boxing-day", "new-year", "good-friday"],
)
def test_is_working_day_false_on_a_gb_bank_holiday(bank_holiday):
    assert bank_holiday in holidays.country_holidays("GB", subdiv="ENG", years=bank_holiday.year)
    assert bank_holiday.weekday() < 5
    assert not is_working_day(bank_holiday)


def test_is_working_day_false_on_a_substitute_bank_holiday():
    # Boxing Day 2026 is a Saturday, so Monday 28 December is the day off.
    assert not is_working_day(date(2026, 12, 28))
    assert is_working_day(date(2026, 12, 29))


def test_is_working_day_refuses_a_datetime():
    with pytest.raises(TypeError, match=r"datetime\.date"):
        is_working_day(datetime(2025, 12, 25, 9, 0))  # noqa: DTZ001


def test_add_working_days_skips_the_weekend():
    assert add_working_days(FRIDAY, 1) == MONDAY
    assert add_working_days(SATURDAY, 1) == MONDAY
    assert add_working_days(FRIDAY, 5) == date(2026, 3, 13)
    assert add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)


def test_add_working_days_does_not_count_the_start_day():
    assert add_working_days(FRIDAY, 0) == FRIDAY
    assert add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)


def test_add_working_days_skips_christmas_and_new_year():
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)
    assert add_working_days(date(2025, 12, 31), 1) == date(2026, 1, 2)
    # 22, 23, 24, 29, 30, 31 Dec and 2 Jan.
    assert add_working_days(date(2025, 12, 19), 7) == date(2026, 1, 2)


def test_add_working_days_skips_good_friday():
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 6)


def test_add_working_days_refuses_negative_days():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(FRIDAY, -1)


def test_working_days_between_counts_after_start_up_to_and_including_end():
    assert working_days_between(FRIDAY, FRIDAY) == 0
    assert working_days_between(FRIDAY, SATURDAY) == 0
    assert working_days_between(FRIDAY, MONDAY) == 1
    assert working_days_between(date(2026, 3, 2), date(2026, 3, 16)) == 10


def test_working_days_between_skips_holidays_across_the_year_end():
    # 22, 23, 24, 29, 30, 31 Dec, 2 and 5 Jan.
    assert working_days_between(date(2025, 12, 19), date(2026, 1, 5)) == 8


def test_working_days_between_is_negative_when_end_is_before_start():
    assert working_days_between(MONDAY, FRIDAY) == -1
    assert working_days_between(date(2026, 1, 5), date(2025, 12, 19)) == -8


def test_working_days_between_agrees_with_add_working_days_over_a_long_span():
    start = date(2025, 11, 3)
    for days in range(90):
        assert working_days_between(start, add_working_days(start, days)) == days


@pytest.mark.parametrize(
    ("tier", "deadline"),
    [
        ("low", date(2026, 3, 9)),
        ("medium", date(2026, 3, 30)),
        # Eight weeks would be Monday 27 April; Good Friday pushes it one working day.
        ("high", date(2026, 4, 28)),
    ],
)
def test_deadline_for_uses_the_tier_defaults(tier, deadline):
    assert deadline_for(submitted_on=date(2026, 3, 2), tier=tier) == deadline


def test_deadline_for_extends_by_the_paused_working_days():
    submitted = date(2026, 3, 2)
    assert deadline_for(submitted_on=submitted, tier="low", paused_working_days=2) == date(
        2026, 3, 11
    )
    # Paused over the weekend still means two more *working* days: Friday -> Tuesday.
    assert deadline_for(submitted_on=date(2026, 3, 3), tier="low", paused_working_days=2) == date(
        2026, 3, 12
    )


def test_deadline_for_rejects_an_unknown_tier_and_negative_pause():
    with pytest.raises(ValueError, match="Unknown licensing tier 'urgent'"):
        deadline_for(submitted_on=FRIDAY, tier="urgent")
    with pytest.raises(ValueError, match="negative"):
        deadline_for(submitted_on=FRIDAY, tier="low", paused_working_days=-1)


def test_deadline_for_reads_tier_working_days_from_settings(settings):
    settings.LICENSING_TIER_WORKING_DAYS = {"low": 1, "urgent": 2}
    assert deadline_for(submitted_on=FRIDAY, tier="low") == MONDAY
    assert deadline_for(submitted_on=FRIDAY, tier="urgent") == date(2026, 3, 10)
    with pytest.raises(ValueError, match="known tiers: low, urgent"):
        deadline_for(submitted_on=FRIDAY, tier="medium")


def test_working_days_left_counts_down_to_zero_on_the_deadline():
    deadline = date(2026, 3, 13)
    assert working_days_left(deadline=deadline, today=FRIDAY) == 5
    assert working_days_left(deadline=deadline, today=SATURDAY) == 5
    assert working_days_left(deadline=deadline, today=deadline) == 0


def test_working_days_left_is_negative_when_overdue():
    assert working_days_left(deadline=FRIDAY, today=date(2026, 3, 10)) == -2
    assert working_days_left(deadline=FRIDAY, today=MONDAY) == -1


def test_working_days_left_is_overdue_the_weekend_after_a_friday_deadline():
    assert working_days_left(deadline=FRIDAY, today=SATURDAY) == -1
    assert deadline_status(days_left=working_days_left(deadline=FRIDAY, today=SATURDAY)) == (
        DeadlineState.OVERDUE
    )


@pytest.mark.parametrize(
    ("days_left", "state"),
    [
        (-5, "overdue"),
        (-1, "overdue"),
        (0, "due_soon"),
        (3, "due_soon"),
        (4, "on_track"),
        (40, "on_track"),
    ],
)
def test_deadline_status(days_left, state):
    assert deadline_status(days_left=days_left) == state


def test_deadline_status_has_labels_for_templates():
    assert DeadlineState.DUE_SOON.label == "Due soon"


def test_settings_holiday_country_override(settings):
    german_unity_day = date(2025, 10, 3)  # a Friday
    assert is_working_day(german_unity_day)

    settings.LICENSING_HOLIDAY_COUNTRY = "DE"
    assert not is_working_day(german_unity_day)
    assert add_working_days(date(2025, 10, 2), 1) == date(2025, 10, 6)


def test_settings_holiday_subdivision_override(settings):
    easter_monday = date(2026, 4, 6)
    # Easter Monday is not a UK-wide holiday (Scotland works), so plain "GB" counts it.
    assert is_working_day(easter_monday)

    settings.LICENSING_HOLIDAY_SUBDIVISION = "ENG"
    assert not is_working_day(easter_monday)
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert deadline_for(submitted_on=date(2026, 3, 2), tier="high") == date(2026, 4, 29)


@pytest.mark.parametrize(
    ("days_left", "label"),
    [
        (-2, "Overdue by 2 working days"),
        (-1, "Overdue by 1 working day"),
        (0, "Due today"),
        (1, "1 working day left"),
        (7, "7 working days left"),
    ],
)
def test_days_left_label_reads_as_the_queues_show_it(days_left, label):
    from licensing.deadlines import days_left_label

    assert days_left_label(days_left) == label
