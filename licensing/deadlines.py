"""Working-day deadlines for licence cases.

Case deadlines are promised to exporters in working days, so weekends and the public holidays
of the configured country (``LICENSING_HOLIDAY_COUNTRY``, optionally narrowed by
``LICENSING_HOLIDAY_SUBDIVISION``) never count. A queue page computes a deadline and the days
left for up to 100 rows, so nothing here walks the calendar one day at a time: weekdays are
counted arithmetically and only the handful of weekday holidays in a range are looked at.

Settings are read on every call, not at import, so ``override_settings`` and the pytest-django
``settings`` fixture take effect immediately.
"""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import models

DEFAULT_HOLIDAY_COUNTRY = "GB"
DEFAULT_TIER_WORKING_DAYS: dict[str, int] = {"low": 5, "medium": 20, "high": 40}
DUE_SOON_WORKING_DAYS = 3

_WEEKDAYS_PER_WEEK = 5


class DeadlineState(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    ON_TRACK = "on_track", "On track"


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday in the configured country."""
    day = _checked_date(day)
    return day.weekday() < _WEEKDAYS_PER_WEEK and day not in _weekday_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start`; `start` itself is never counted.

    Weekdays are added arithmetically first; the weekday holidays that fall inside the range
    are then added on as further weekdays, repeating until the newly added stretch holds no
    holiday. That settles in one or two rounds instead of one holiday lookup per day.
    """
    start = _checked_date(start)
    if days < 0:
        raise ValueError(f"days must not be negative, got {days}")
    if days == 0:
        return start
    counted_until, result = start, _add_weekdays(start, days)
    while missed := _weekday_holidays_in(after=counted_until, upto=result):
        counted_until, result = result, _add_weekdays(result, missed)
    return result


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`.

    Antisymmetric: when `end` is before `start` the result is minus the working days after
    `end` up to and including `start`, so an overdue case gets a negative count.
    """
    start, end = _checked_date(start), _checked_date(end)
    if end < start:
        return -working_days_between(end, start)
    weekdays = _weekdays_upto(end) - _weekdays_upto(start)
    return weekdays - _weekday_holidays_in(after=start, upto=end)


def deadline_for(*, submitted_on: date, tier: str, paused_working_days: int = 0) -> date:
    """The tier's working days after submission, extended by the working days it was paused.

    Pausing (e.g. while waiting for the exporter to answer a question) stops the clock, so
    each paused working day pushes the deadline out by one working day.
    """
    if paused_working_days < 0:
        raise ValueError(f"paused_working_days must not be negative, got {paused_working_days}")
    return add_working_days(submitted_on, tier_working_days(tier=tier) + paused_working_days)


def working_days_left(*, deadline: date, today: date) -> int:
    """Working days from `today` until `deadline`: 0 when due today, negative when overdue.

    Once `today` is past the deadline the answer is at least -1 even if every day since was a
    weekend or holiday (a Friday deadline seen on Saturday), so "overdue" never reads as 0.
    """
    left = working_days_between(today, deadline)
    return min(left, -1) if today > deadline else left


def deadline_status(*, days_left: int) -> DeadlineState:
    """Overdue below 0, due soon within `DUE_SOON_WORKING_DAYS` working days, else on track."""
    if days_left < 0:
        return DeadlineState.OVERDUE
    if days_left <= DUE_SOON_WORKING_DAYS:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TRACK


def days_left_label(days_left: int) -> str:
    """How a clock reads: "Overdue by 2 working days", "Due today", "1 working day left"."""
    if days_left < 0:
        return f"Overdue by {_working_days(-days_left)}"
    if days_left == 0:
        return "Due today"
    return f"{_working_days(days_left)} left"


def _working_days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def due_soon_before(today: date) -> date:
    """The first deadline that is not yet "due soon" today (the first day with more working days
    left than DUE_SOON_WORKING_DAYS): a running clock is due soon or overdue exactly when its
    deadline falls before this day."""
    return add_working_days(today, DUE_SOON_WORKING_DAYS + 1)


def deadline_state_q(*, state: str, today: date) -> models.Q:
    """The rows (cases, appeals: anything with `deadline_on` and `clock_paused_since`) whose
    running clock is in `state` today, as `deadline_status` would say of each: overdue before
    today; due soon from today while no more than DUE_SOON_WORKING_DAYS working days are left;
    on track after that. A paused clock is in no state."""
    running = models.Q(deadline_on__isnull=False, clock_paused_since__isnull=True)
    too_far = due_soon_before(today)
    if state == DeadlineState.OVERDUE:
        return running & models.Q(deadline_on__lt=today)
    if state == DeadlineState.DUE_SOON:
        return running & models.Q(deadline_on__gte=today, deadline_on__lt=too_far)
    if state == DeadlineState.ON_TRACK:
        return running & models.Q(deadline_on__gte=too_far)
    raise ValueError(f"Unknown deadline state {state!r}.")


def tier_working_days(*, tier: str) -> int:
    """The working days a case of this tier is given, from `LICENSING_TIER_WORKING_DAYS`."""
    tiers: dict[str, int] = getattr(settings, "LICENSING_TIER_WORKING_DAYS", None) or (
        DEFAULT_TIER_WORKING_DAYS
    )
    try:
        return tiers[str(tier)]
    except KeyError:
        known = ", ".join(sorted(tiers))
        raise ValueError(f"Unknown licensing tier {tier!r}; known tiers: {known}") from None


def _checked_date(value: date) -> date:
    # A datetime is a date subclass but never equals the date in the holiday set, so passing
    # one would silently ignore every holiday. Refuse it instead.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"Expected a datetime.date, got {type(value).__name__}")
    return value


def _weekdays_upto(day: date) -> int:
    """Weekdays from 0001-01-01 (a Monday) up to and including `day`."""
    weeks, extra = divmod(day.toordinal(), 7)
    return weeks * _WEEKDAYS_PER_WEEK + min(extra, _WEEKDAYS_PER_WEEK)


def _add_weekdays(start: date, days: int) -> date:
    """The date `days` (>= 1) weekdays after `start`, ignoring holidays."""
    if start.weekday() >= _WEEKDAYS_PER_WEEK:  # counting from a weekend = counting from Friday
        start -= timedelta(days=start.weekday() - 4)
    weeks, extra = divmod(days, _WEEKDAYS_PER_WEEK)
    if extra == 0:  # land on the same weekday `weeks` weeks later, never on a weekend
        return start + timedelta(weeks=weeks)
    skip_weekend = 2 if start.weekday() + extra >= _WEEKDAYS_PER_WEEK else 0
    return start + timedelta(weeks=weeks, days=extra + skip_weekend)


def _weekday_holidays_in(*, after: date, upto: date) -> int:
    """How many Monday-to-Friday holidays fall after `after` up to and including `upto`."""
    return sum(
        after < holiday <= upto
        for year in range(after.year, upto.year + 1)
        for holiday in _weekday_holidays(year)
    )


def _weekday_holidays(year: int) -> frozenset[date]:
    country = getattr(settings, "LICENSING_HOLIDAY_COUNTRY", None) or DEFAULT_HOLIDAY_COUNTRY
    subdivision = getattr(settings, "LICENSING_HOLIDAY_SUBDIVISION", None)
    return _weekday_holidays_cached(country, subdivision, year)


@lru_cache(maxsize=256)
def _weekday_holidays_cached(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    # Only weekday holidays matter (a weekend is never a working day), and keeping a frozenset
    # rather than the HolidayBase matters too: with its default expand=True, looking up a date
    # in another year silently adds that year to a cached, shared object. Observed ("substitute")
    # days such as Boxing Day (observed) on 28 Dec 2026 are included, and the library files
    # each one under the year it falls in, so one year's set is self-contained.
    calendar = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(day for day in calendar if day.weekday() < _WEEKDAYS_PER_WEEK)
