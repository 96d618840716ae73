"""The published figures against December 2025 cases worked out by hand (see conftest.py)."""

import datetime

import pytest

from appeals.models import Appeal
from exportgov.transparency import figures
from licensing.models import Application
from tests.appeals.factories import make_lodged_appeal

from .conftest import DEC_JAN, DECEMBER, at_noon

pytestmark = pytest.mark.django_db


def test_case_working_days_skips_weekends_holidays_and_pauses():
    christmas = figures.case_working_days(
        submitted_on=datetime.date(2025, 12, 15),
        decided_on=datetime.date(2025, 12, 31),
        paused_working_days=0,
    )
    paused = figures.case_working_days(
        submitted_on=datetime.date(2025, 12, 1),
        decided_on=datetime.date(2025, 12, 19),
        paused_working_days=3,
    )
    assert (christmas, paused) == (10, 11)


def test_percentile_interpolates_between_ranks():
    assert figures.percentile([12, 4, 11, 5, 10], 0.5) == 10
    assert figures.percentile([12, 4, 11, 5, 10], 0.9) == pytest.approx(11.6)
    assert figures.percentile([7], 0.9) == 7


def test_turnaround_median_and_90th_percentile(december):
    result = figures.turnaround(*DEC_JAN)

    expected = {
        "cases": 5,
        "median_working_days": 10.0,
        "p90_working_days": 11.6,
        "suppressed": False,
    }
    assert result["overall"] == expected
    assert result["by_tier"] == [
        {"tier": "low", "cases": None, "median_working_days": None, "p90_working_days": None,
         "suppressed": True},
        {"tier": "medium", **expected},
        {"tier": "high", "cases": None, "median_working_days": None, "p90_working_days": None,
         "suppressed": True},
    ]  # fmt: skip
    assert [row["month"] for row in result["by_month"]] == ["2025-12", "2026-01"]
    assert result["by_month"][0] == {"month": "2025-12", **expected}
    assert result["by_month"][1]["suppressed"] is True


def test_turnaround_counts_a_case_in_the_month_of_its_decision(december):
    # B is decided on 2 January instead: its 10 December working days and 2 January (1 January
    # is a holiday) = 11.
    Application.objects.filter(pk=december.cases["B"].pk).update(decided_at=at_noon((2026, 1, 2)))

    result = figures.turnaround(*DEC_JAN)

    assert result["overall"]["cases"] == 5
    # 4, 5, 11, 11, 12
    assert result["overall"]["median_working_days"] == 11.0
    assert result["by_month"][0]["suppressed"] is True  # December now has 4 decisions
    assert result["by_month"][1]["suppressed"] is True  # January has 1


def test_turnaround_suppresses_a_tier_of_four_and_shows_a_tier_of_five(december, settings):
    settings.TRANSPARENCY_MIN_COUNT = 5
    Application.objects.filter(pk=december.cases["E"].pk).update(tier="high")

    by_tier = {row["tier"]: row for row in figures.turnaround(*DECEMBER)["by_tier"]}

    assert by_tier["medium"]["suppressed"] is True  # 4 cases
    assert by_tier["medium"]["cases"] is None
    assert by_tier["medium"]["median_working_days"] is None
    assert by_tier["high"]["suppressed"] is True  # 1 case
    Application.objects.filter(pk=december.cases["E"].pk).update(tier="medium")
    by_tier = {row["tier"]: row for row in figures.turnaround(*DECEMBER)["by_tier"]}
    assert by_tier["medium"]["cases"] == 5
    assert by_tier["medium"]["suppressed"] is False


def test_turnaround_threshold_comes_from_the_setting(december, settings):
    settings.TRANSPARENCY_MIN_COUNT = 6

    assert figures.turnaround(*DECEMBER)["overall"]["suppressed"] is True
    assert figures.suppressed_text() == "suppressed (fewer than 6 cases)"


def test_deadline_share_within_deadline(december):
    result = figures.deadline_share(*DECEMBER)

    assert result["overall"] == {
        "cases": 5,
        "within_deadline": 3,
        "percent_within_deadline": 60.0,
        "suppressed": False,
    }
    assert [row["suppressed"] for row in result["by_tier"]] == [True, False, True]


def test_outcomes_rates_include_withdrawals_dated_by_the_audit_log(december):
    result = figures.outcomes(*DECEMBER)

    assert result["overall"] == {
        "cases": 6,
        "approved": 3,
        "refused": 2,
        "withdrawn": 1,
        "percent_approved": 50.0,
        "percent_refused": 33.3,
        "percent_withdrawn": 16.7,
        "suppressed": False,
    }
    # Withdrawn in December, so nothing of it in November.
    november = figures.outcomes(datetime.date(2025, 11, 1), datetime.date(2025, 11, 30))
    assert november["overall"]["suppressed"] is True


def test_flags_per_case_and_share_confirmed(december):
    result = figures.flags(*DECEMBER)

    assert result["overall"] == {
        "cases": 6,
        "flags": 8,
        "flags_per_case": 1.33,
        "disposed": 7,
        "confirmed": 4,
        "percent_confirmed": 57.1,
        "suppressed": False,
    }


def test_flags_share_confirmed_suppressed_below_five_cases_disposed(december):
    for name in ("D", "W"):  # leaves A, B, C and E with a disposed flag
        december.cases[name].flags.update(disposition="pending")

    overall = figures.flags(*DECEMBER)["overall"]

    assert overall["flags_per_case"] == 1.33  # still 8 flags on 6 cases
    assert overall["disposed"] is None
    assert overall["percent_confirmed"] is None


def test_rule_precision_for_live_rules_with_suppression(december):
    result = figures.rule_precision(*DECEMBER)

    assert result == [
        {
            "rule": "r1 v1",
            "title": "Rule r1",
            "cases": 5,
            "disposed": 6,
            "confirmed": 3,
            "percent_precision": 50.0,
            "suppressed": False,
        },
        {
            "rule": "r2 v1",
            "title": "Rule r2",
            "cases": None,
            "disposed": None,
            "confirmed": None,
            "percent_precision": None,
            "suppressed": True,
        },
    ]  # the pilot rule's shadow flag is not published


def test_appeals_lodged_and_their_outcomes(world):
    first = make_lodged_appeal(world)
    statuses = ["upheld", "overturned", "remitted", "withdrawn", "late_rejected", "under_review"]
    appeals = [first]
    values = Appeal.objects.filter(pk=first.pk).values().get()
    for number in range(1, len(statuses)):
        copy = {**values, "id": None, "reference": f"{values['reference']}-{number}"}
        appeals.append(Appeal.objects.create(**copy))
    for appeal, status in zip(appeals, statuses, strict=True):
        Appeal.objects.filter(pk=appeal.pk).update(status=status, lodged_at=at_noon((2025, 12, 8)))

    result = figures.appeals(*DECEMBER)

    assert result["overall"] == {
        "lodged": 6,
        "upheld": 1,
        "overturned": 1,
        "remitted": 1,
        "withdrawn": 1,
        "late_rejected": 1,
        "pending": 1,
        "suppressed": False,
    }
    Appeal.objects.filter(pk=appeals[-1].pk).update(lodged_at=at_noon((2025, 11, 28)))
    assert figures.appeals(*DECEMBER)["overall"]["suppressed"] is False  # 5 left
    Appeal.objects.filter(pk=appeals[-2].pk).update(lodged_at=at_noon((2025, 11, 28)))
    assert figures.appeals(*DECEMBER)["overall"] == {
        **dict.fromkeys(figures.APPEAL_MEASURES),
        "suppressed": True,
    }


def test_all_figures_are_empty_and_suppressed_with_no_cases():
    result = figures.all_figures(*DECEMBER)

    assert result["period"] == {"start": "2025-12-01", "end": "2025-12-31"}
    assert result["turnaround"]["overall"]["suppressed"] is True
    assert result["rule_precision"] == []


def test_all_figures_reads_the_decided_cases_once_and_agrees_with_each_figure(
    december, django_assert_max_num_queries
):
    separately = {
        "turnaround": figures.turnaround(*DECEMBER),
        "outcomes": figures.outcomes(*DECEMBER),
    }
    with django_assert_max_num_queries(20) as context:
        together = figures.all_figures(*DECEMBER)
    decided_reads = [
        query["sql"]
        for query in context.captured_queries
        if '"decided_at" >=' in query["sql"] and '"paused_working_days"' in query["sql"]
    ]
    assert len(decided_reads) == 1
    assert {name: together[name] for name in separately} == separately


def test_all_figures_read_the_decided_cases_once_for_turnaround_deadline_and_outcomes(
    december, django_assert_max_num_queries
):
    # A decided case with a deadline but no submission counts only in the deadline figure.
    Application.objects.filter(pk=december.cases["E"].pk).update(submitted_at=None)
    separately = {
        "turnaround": figures.turnaround(*DECEMBER),
        "deadline": figures.deadline_share(*DECEMBER),
        "outcomes": figures.outcomes(*DECEMBER),
    }
    with django_assert_max_num_queries(20) as context:
        together = figures.all_figures(*DECEMBER)

    decided_reads = [q["sql"] for q in context.captured_queries if '"decided_at" >=' in q["sql"]]
    assert len(decided_reads) == 1
    assert {name: together[name] for name in separately} == separately
    assert separately["turnaround"]["overall"]["suppressed"] is True  # 4 submitted cases
    assert separately["deadline"]["overall"]["cases"] == 5
    assert separately["outcomes"]["overall"]["cases"] == 5  # A to D and the withdrawal


def test_published_figures_are_cached_for_the_configured_time(december, settings):
    from django.core.cache import cache

    settings.TRANSPARENCY_CACHE_SECONDS = 60
    key = f"transparency:figures:2025-12-01:2025-12-31:{figures.min_count()}"
    cache.delete(key)
    first = figures.all_figures_cached(*DECEMBER)
    Application.objects.filter(status="refused").update(status="approved")

    assert figures.all_figures_cached(*DECEMBER) == first  # within the minute: as computed
    cache.delete(key)  # as when the minute is up
    fresh = figures.all_figures_cached(*DECEMBER)
    assert fresh["outcomes"]["overall"]["refused"] == 0 != first["outcomes"]["overall"]["refused"]
    cache.delete(key)
