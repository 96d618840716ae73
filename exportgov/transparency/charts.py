"""Bar charts as plain geometry, drawn as inline SVG by templates/includes/bar_chart.html.

No JavaScript and no inline styles (the CSP forbids them): the template uses SVG presentation
attributes only. Each bar carries the text of its value for its <title> and aria-label, and a
suppressed value is drawn as a marker on the axis instead of a bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 36, 248
COLOURS = ("#005ea2", "#c05600", "#008817", "#8168b3")
LABEL_CHARS = 14


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    label: str
    suppressed: bool

    def __post_init__(self):
        for name in ("x", "y", "width", "height"):
            object.__setattr__(self, name, round(getattr(self, name), 2))


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class LegendEntry:
    x: float
    fill: str
    name: str


@dataclass
class Chart:
    title: str
    description: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[LegendEntry] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = BOTTOM


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten at or above `value` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    *,
    title: str,
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    unit: str = "",
    suppressed_text: str,
    maximum: float | None = None,
) -> Chart:
    """Grouped bars: one group per category, one bar per series. None is a suppressed value."""
    values = [value for _name, points in series for value in points if value is not None]
    top_value = maximum or _nice_ceiling(max(values, default=0))
    chart = Chart(
        title=title,
        description=(
            f"Bar chart of {title.lower()}: {', '.join(name for name, _ in series)} "
            f"for each of {len(categories)} groups. The table below gives the same figures."
        ),
    )
    plot_height = chart.bottom - chart.top
    chart.ticks = [
        Tick(
            y=round(chart.bottom - plot_height * step / 4, 2),
            text=_number(top_value * step / 4) + unit,
        )
        for step in range(5)
    ]
    slot = (chart.right - chart.left) / max(len(categories), 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    for index, category in enumerate(categories):
        slot_left = chart.left + slot * index
        chart.labels.append(Label(x=round(slot_left + slot / 2, 2), text=_short(category)))
        for position, (name, points) in enumerate(series):
            value = points[index]
            x = slot_left + slot * 0.1 + bar_width * position
            fill = COLOURS[position % len(COLOURS)]
            if value is None:
                label = f"{category}, {name}: {suppressed_text}"
                chart.bars.append(Bar(x, chart.bottom - 4, bar_width, 4, "#a9aeb1", label, True))
                continue
            height = plot_height * min(value, top_value) / top_value
            chart.bars.append(
                Bar(
                    x,
                    chart.bottom - height,
                    bar_width,
                    height,
                    fill,
                    f"{category}, {name}: {_number(value)}{unit}",
                    suppressed=False,
                )
            )
    if len(series) > 1:
        chart.legend = [
            LegendEntry(
                x=chart.left + 180 * position, fill=COLOURS[position % len(COLOURS)], name=n
            )
            for position, (n, _points) in enumerate(series)
        ]
    return chart


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
