"""The figures laid out for people (a chart and a table per section) and for machines (CSV)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from appeals.models import Appeal
from licensing.models import Tier

from .charts import Chart, bar_chart

WHOLE_PERIOD = "Whole period"
ALL_TIERS = "All tiers"
CSV_COLUMNS = ["figure", "breakdown", "group", "measure", "value", "suppressed"]
GROUP_KEYS = ("tier", "month", "rule")


@dataclass
class Table:
    caption: str
    columns: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Section:
    slug: str
    heading: str
    intro: str
    chart: Chart
    table: Table


def month_label(key: str) -> str:
    year, month = key.split("-")
    return date(int(year), int(month), 1).strftime("%b %Y")


def _shown(value, suppressed_text: str, suffix: str = "") -> str:
    if value is None:
        return suppressed_text
    return f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def _table(
    caption: str,
    columns: list[tuple[str, str, str]],
    rows: list[tuple[str, dict]],
    suppressed_text: str,
) -> Table:
    """`columns` are (heading, measure, suffix); the first heading is the row headers'."""
    return Table(
        caption=caption,
        columns=[columns[0][0], *(heading for heading, _m, _s in columns[1:])],
        rows=[
            (
                header,
                [
                    _shown(cell[measure], suppressed_text, suffix)
                    for _h, measure, suffix in columns[1:]
                ],
            )
            for header, cell in rows
        ],
    )


def dashboard_sections(figures: dict, *, suppressed_text: str) -> list[Section]:
    """One section per figure shown on /transparency/, its chart and table from `figures`."""
    hide = suppressed_text
    tiers = {str(value): label for value, label in Tier.choices}
    sections = []

    turnaround = figures["turnaround"]
    tier_rows = [(tiers[row["tier"]], row) for row in turnaround["by_tier"]]
    month_rows = [(month_label(row["month"]), row) for row in turnaround["by_month"]]
    turnaround_columns = [
        ("", "", ""),
        ("Cases decided", "cases", ""),
        ("Median (working days)", "median_working_days", ""),
        ("90th percentile (working days)", "p90_working_days", ""),
    ]
    for slug, heading, groups, rows, total in (
        ("turnaround-tier", "Turnaround by tier", "Tier", tier_rows, ALL_TIERS),
        ("turnaround-month", "Turnaround by month", "Month of decision", month_rows, WHOLE_PERIOD),
    ):
        sections.append(
            Section(
                slug=slug,
                heading=heading,
                intro=(
                    "Working days from submission to decision, not counting weekends, public "
                    "holidays or days the clock was paused while we waited for the exporter."
                ),
                chart=bar_chart(
                    title=f"Licence {heading.lower()}",
                    categories=[header for header, _row in rows],
                    series=[
                        ("Median", [row["median_working_days"] for _h, row in rows]),
                        ("90th percentile", [row["p90_working_days"] for _h, row in rows]),
                    ],
                    unit=" days",
                    suppressed_text=hide,
                ),
                table=_table(
                    f"Licence {heading.lower()} in working days",
                    [(groups, "", ""), *turnaround_columns[1:]],
                    [*rows, (total, turnaround["overall"])],
                    hide,
                ),
            )
        )

    deadline = figures["deadline"]
    deadline_columns = [
        ("Cases decided", "cases", ""),
        ("Decided within deadline", "within_deadline", ""),
        ("Share within deadline", "percent_within_deadline", "%"),
    ]
    for slug, heading, groups, rows in (
        (
            "deadline-tier",
            "Decided within the deadline, by tier",
            "Tier",
            [(tiers[row["tier"]], row) for row in deadline["by_tier"]],
        ),
        (
            "deadline-month",
            "Decided within the deadline, by month",
            "Month of decision",
            [(month_label(row["month"]), row) for row in deadline["by_month"]],
        ),
    ):
        sections.append(
            Section(
                slug=slug,
                heading=heading,
                intro="The share of decided cases decided on or before their deadline.",
                chart=bar_chart(
                    title=heading,
                    categories=[header for header, _row in rows],
                    series=[
                        ("Share within deadline", [r["percent_within_deadline"] for _h, r in rows])
                    ],
                    unit="%",
                    suppressed_text=hide,
                    maximum=100,
                ),
                table=_table(
                    heading,
                    [(groups, "", ""), *deadline_columns],
                    [*rows, (WHOLE_PERIOD, deadline["overall"])],
                    hide,
                ),
            )
        )

    results = figures["outcomes"]
    rows = [(month_label(row["month"]), row) for row in results["by_month"]]
    sections.append(
        Section(
            slug="outcomes",
            heading="Approvals, refusals and withdrawals",
            intro="Cases closed in each month: approved, refused, or withdrawn by the exporter.",
            chart=bar_chart(
                title="Approval, refusal and withdrawal rates by month",
                categories=[header for header, _row in rows],
                series=[
                    ("Approved", [row["percent_approved"] for _h, row in rows]),
                    ("Refused", [row["percent_refused"] for _h, row in rows]),
                    ("Withdrawn", [row["percent_withdrawn"] for _h, row in rows]),
                ],
                unit="%",
                suppressed_text=hide,
                maximum=100,
            ),
            table=_table(
                "Cases closed, by month of closing",
                [
                    ("Month closed", "", ""),
                    ("Cases closed", "cases", ""),
                    ("Approved", "approved", ""),
                    ("Refused", "refused", ""),
                    ("Withdrawn", "withdrawn", ""),
                    ("Approval rate", "percent_approved", "%"),
                    ("Refusal rate", "percent_refused", "%"),
                    ("Withdrawal rate", "percent_withdrawn", "%"),
                ],
                [*rows, (WHOLE_PERIOD, results["overall"])],
                hide,
            ),
        )
    )

    appeal_figures = figures["appeals"]
    overall = appeal_figures["overall"]
    statuses = dict(Appeal.Status.choices)
    outcome_columns = [
        (_appeal_outcome_label(statuses, name), name, "")
        for name in ("upheld", "overturned", "remitted", "withdrawn", "late_rejected")
    ]
    sections.append(
        Section(
            slug="appeals",
            heading="Appeals and their outcomes",
            intro="Appeals lodged in the period and the outcome each has today.",
            chart=bar_chart(
                title="Outcomes of appeals lodged in the period",
                categories=[heading for heading, _m, _s in outcome_columns] + ["Not decided yet"],
                series=[
                    (
                        "Appeals",
                        [overall[name] for _h, name, _s in outcome_columns] + [overall["pending"]],
                    )
                ],
                suppressed_text=hide,
            ),
            table=_table(
                "Appeals lodged, by month of lodging, and their outcomes",
                [
                    ("Month lodged", "", ""),
                    ("Appeals lodged", "lodged", ""),
                    *outcome_columns,
                    ("Not decided yet", "pending", ""),
                ],
                [
                    *((month_label(row["month"]), row) for row in appeal_figures["by_month"]),
                    (WHOLE_PERIOD, overall),
                ],
                hide,
            ),
        )
    )

    flag_figures = figures["flags"]
    rows = [(month_label(row["month"]), row) for row in flag_figures["by_month"]]
    sections.append(
        Section(
            slug="flags",
            heading="Screening flags",
            intro=(
                "Flags raised by the screening rules in force on the cases submitted each month, "
                "and the share that officials confirmed of those they looked at."
            ),
            chart=bar_chart(
                title="Flags raised per case by month of submission",
                categories=[header for header, _row in rows],
                series=[("Flags per case", [row["flags_per_case"] for _h, row in rows])],
                suppressed_text=hide,
            ),
            table=_table(
                "Flags raised per case, by month of submission",
                [
                    ("Month submitted", "", ""),
                    ("Cases submitted", "cases", ""),
                    ("Flags raised", "flags", ""),
                    ("Flags per case", "flags_per_case", ""),
                    ("Flags disposed of", "disposed", ""),
                    ("Confirmed", "confirmed", ""),
                    ("Share confirmed", "percent_confirmed", "%"),
                ],
                [*rows, (WHOLE_PERIOD, flag_figures["overall"])],
                hide,
            ),
        )
    )

    rules = figures["rule_precision"]
    sections.append(
        Section(
            slug="rule-precision",
            heading="Rule precision",
            intro=(
                "For each rule in force, the share of its flags that officials confirmed of "
                "those they confirmed or dismissed."
            ),
            chart=bar_chart(
                title="Precision of each rule",
                categories=[row["rule"] for row in rules],
                series=[("Precision", [row["percent_precision"] for row in rules])],
                unit="%",
                suppressed_text=hide,
                maximum=100,
            ),
            table=_table(
                "Precision of each rule",
                [
                    ("Rule", "", ""),
                    ("Title", "title", ""),
                    ("Cases", "cases", ""),
                    ("Flags disposed of", "disposed", ""),
                    ("Confirmed", "confirmed", ""),
                    ("Precision", "percent_precision", "%"),
                ],
                [(row["rule"], row) for row in rules],
                hide,
            ),
        )
    )
    return sections


def _appeal_outcome_label(statuses: dict, name: str) -> str:
    label = str(statuses[name])
    return label.split(": ", 1)[-1].capitalize() if ": " in label else label


def figures_rows(figures: dict) -> list[dict]:
    """The figures as long rows: figure, breakdown, group, measure, value, suppressed."""
    rows = []
    for figure, content in figures.items():
        if figure in ("period", "min_count"):
            continue
        breakdowns = {"by_rule": content} if isinstance(content, list) else content
        for breakdown, cells in breakdowns.items():
            for cell in [cells] if isinstance(cells, dict) else cells:
                group = next((str(cell[key]) for key in GROUP_KEYS if key in cell), "all")
                for measure, value in cell.items():
                    if measure in (*GROUP_KEYS, "title", "suppressed"):
                        continue
                    rows.append(
                        {
                            "figure": figure,
                            "breakdown": breakdown,
                            "group": group,
                            "measure": measure,
                            "value": value,
                            "suppressed": value is None,
                        }
                    )
    return rows


def figures_csv(figures: dict) -> str:
    """CSV of `figures_rows`; a suppressed value is an empty cell."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in figures_rows(figures):
        writer.writerow(
            {
                **row,
                "value": "" if row["value"] is None else row["value"],
                "suppressed": "true" if row["suppressed"] else "false",
            }
        )
    return out.getvalue()
