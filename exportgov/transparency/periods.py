"""The periods a visitor can choose on the transparency pages: the last 12 months, or a month."""

from dataclasses import dataclass
from datetime import date, timedelta

LAST_12_MONTHS = "last-12-months"
MONTHS_OFFERED = 24


@dataclass(frozen=True)
class Period:
    value: str
    label: str
    start: date
    end: date


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _month_end(first: date) -> date:
    return _month_start(first, -1) - timedelta(days=1)


def period_default(*, today: date) -> Period:
    """The 12 months up to today, counting the current month as the last."""
    return Period(LAST_12_MONTHS, "Last 12 months", _month_start(today, 11), today)


def period_choices(*, today: date) -> list[Period]:
    """The default period, then each of the last `MONTHS_OFFERED` months, newest first."""
    months = []
    for back in range(MONTHS_OFFERED):
        first = _month_start(today, back)
        months.append(
            Period(
                first.strftime("%Y-%m"),
                first.strftime("%B %Y"),
                first,
                min(_month_end(first), today),
            )
        )
    return [period_default(today=today), *months]


def period_get(*, value: str, today: date) -> Period | None:
    """The period a selector value names, or None when it names none on offer."""
    if not value:
        return period_default(today=today)
    return next((p for p in period_choices(today=today) if p.value == value), None)
