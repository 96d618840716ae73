"""The public dashboard and its CSV and JSON downloads, for an anonymous visitor."""

import csv
import io
import json

import pytest
import time_machine
from django.urls import reverse

from .conftest import TODAY

pytestmark = pytest.mark.django_db

SUPPRESSED = "suppressed (fewer than 5 cases)"


def _get(client, name: str, **params):
    with time_machine.travel(TODAY, tick=False):
        return client.get(reverse(f"transparency:{name}"), params)


def test_dashboard_renders_each_chart_and_table_for_anonymous_visitors(client, december):
    response = _get(client, "dashboard", period="2025-12")

    assert response.status_code == 200
    html = response.content.decode()
    page = response.context
    assert page["period"].label == "December 2025"
    assert [section.slug for section in page["sections"]] == [
        "turnaround-tier",
        "turnaround-month",
        "deadline-tier",
        "deadline-month",
        "outcomes",
        "appeals",
        "flags",
        "rule-precision",
    ]
    assert html.count('data-testid="chart"') == 8
    assert html.count('data-testid="table"') == 8
    assert 'role="img"' in html
    assert "<title>Medium, Median: 10 days</title>" in html
    assert 'aria-label="Medium, 90th percentile: 11.6 days"' in html
    assert "<title>Low, Median: " + SUPPRESSED + "</title>" in html
    assert ' style="' not in html  # the CSP forbids inline styles
    tier_table = page["sections"][0].table
    assert tier_table.columns == [
        "Tier",
        "Cases decided",
        "Median (working days)",
        "90th percentile (working days)",
    ]
    assert tier_table.rows == [
        ("Low", [SUPPRESSED] * 3),
        ("Medium", ["5", "10", "11.6"]),
        ("High", [SUPPRESSED] * 3),
        ("All tiers", ["5", "10", "11.6"]),
    ]
    assert '<th scope="row">Medium</th>' in html
    assert '<th scope="col">Median (working days)</th>' in html
    assert "<caption>Licence turnaround by tier in working days (december 2025)</caption>" in html
    assert "<td>60%</td>" in html  # decided within deadline
    assert reverse("transparency:dashboard") in html  # the footer link


def test_dashboard_defaults_to_the_last_12_months(client, december):
    response = _get(client, "dashboard")

    period = response.context["period"]
    assert (period.value, str(period.start), str(period.end)) == (
        "last-12-months",
        "2025-02-01",
        "2026-01-20",
    )
    assert len(response.context["sections"][1].table.rows) == 12 + 1  # months and whole period


def test_dashboard_unknown_period_says_so_and_keeps_the_input(client):
    response = _get(client, "dashboard", period="1999-01")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a period from the list" in html
    assert "1999-01" in html
    assert response.context["period"].value == "last-12-months"


def test_figures_csv_has_the_same_figures_with_suppressed_values_empty(client, december):
    response = _get(client, "figures_csv", period="2025-12")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "exportgov-figures-2025-12-01-to-2025-12-31.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    index = {(r["figure"], r["breakdown"], r["group"], r["measure"]): r for r in rows}
    median = index["turnaround", "by_tier", "medium", "median_working_days"]
    assert (median["value"], median["suppressed"]) == ("10.0", "false")
    assert index["turnaround", "overall", "all", "p90_working_days"]["value"] == "11.6"
    low = index["turnaround", "by_tier", "low", "median_working_days"]
    assert (low["value"], low["suppressed"]) == ("", "true")
    assert index["deadline", "overall", "all", "percent_within_deadline"]["value"] == "60.0"
    assert index["outcomes", "overall", "all", "percent_withdrawn"]["value"] == "16.7"
    assert index["rule_precision", "by_rule", "r1 v1", "percent_precision"]["value"] == "50.0"
    assert index["rule_precision", "by_rule", "r2 v1", "percent_precision"]["value"] == ""
    assert index["appeals", "overall", "all", "lodged"]["suppressed"] == "true"


def test_figures_json_has_the_same_figures_with_suppressed_values_null(client, december):
    response = _get(client, "figures_json", period="2025-12")

    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["period"] == {"start": "2025-12-01", "end": "2025-12-31", "label": "December 2025"}
    assert data["min_count"] == 5
    assert data["turnaround"]["overall"]["median_working_days"] == 10.0
    assert data["turnaround"]["by_tier"][0] == {
        "tier": "low",
        "cases": None,
        "median_working_days": None,
        "p90_working_days": None,
        "suppressed": True,
    }
    assert data["outcomes"]["overall"]["approved"] == 3
    assert data["flags"]["overall"]["percent_confirmed"] == 57.1
    assert data["appeals"]["overall"]["lodged"] is None


def test_figures_downloads_refuse_an_unknown_period(client):
    assert _get(client, "figures_csv", period="nonsense").status_code == 400
    assert _get(client, "figures_json", period="nonsense").status_code == 400
