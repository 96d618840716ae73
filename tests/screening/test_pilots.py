"""Pilots: promotion of a pilot rule version to live (screening.services.rules.pilot_promote),
with frozen time, and the comparison of a pilot's shadow flags with the live rule's flags
(screening.selectors_pilots.pilot_comparison) on constructed flags."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from exportgov.audit.models import AuditEvent
from licensing.models import Application
from screening.models import Flag, PublicNotice, RescreenBatch, Rule, SunsetReview
from screening.selectors_pilots import pilot_comparison
from screening.services.flags import flag_dispose
from screening.services.reviews import (
    rules_lapse_due,
    sunset_review_decide,
    sunset_reviews_open_due,
)
from screening.services.rules import pilot_promote, rule_create, rule_edit
from tests.licensing.factories import make_draft, make_submitted

from .factories import FlagFactory, RuleFactory, ScreeningRunFactory

Verb = AuditEvent.Verb
Kind = PublicNotice.Kind
Status = Rule.Status
Disposition = Flag.Disposition
UTC = datetime.UTC
DAY = datetime.date(2026, 3, 2)  # the day the pilot starts
CODE = "end-use-wmd"


def _at(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), UTC), tick=False)


def _days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)


def _live_and_pilot(world) -> tuple[Rule, Rule]:
    """On DAY: live v1 flags "missile" (weight 40); pilot v2 also "nuclear weapon" (weight 50),
    piloted until DAY + 90."""
    with _at(DAY):
        live = rule_create(
            actor=world.policy_admin,
            code=CODE,
            title="Weapons of mass destruction in the end use",
            kind=Rule.Kind.END_USE,
            parameters={"phrases": ["missile"]},
            weight=40,
            public_justification="15 CFR 744.2-744.4 restrict exports for WMD end uses.",
            mode=Rule.Mode.ACTIVE,
            effective_from=DAY,
            sunset_on=_days(365),
            owner=world.policy_admin,
        )
        pilot = rule_edit(
            actor=world.policy_admin,
            rule=live,
            change_reason="Try the nuclear phrase before it counts.",
            mode=Rule.Mode.PILOT,
            parameters={"phrases": ["missile", "nuclear weapon"]},
            weight=50,
            sunset_on=_days(90),
        )
    return live, pilot


def _screened(world, statement: str) -> Application:
    """Submitted and screened in-process on the rules in force today."""
    draft = make_draft(world, end_use={"end_use_statement": statement})
    return make_submitted(world, draft=draft, screen=True)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- pilot_promote -----------------------------------------------------------------------------


def test_pilot_promote_after_thirty_days_makes_the_pilot_live(world):
    live, pilot = _live_and_pilot(world)

    # Day D + 1: the pilot runs beside the live version, shadow-only.
    with _at(_days(1)):
        nuclear = _screened(world, "Test rig for nuclear weapon design.")
        missile = _screened(world, "Guidance sets for a missile programme.")
    nuclear_run = nuclear.screening_runs.get()
    assert (nuclear_run.risk_score, nuclear_run.flag_count, nuclear_run.shadow_flag_count) == (
        0,
        0,
        1,
    )
    assert set(nuclear_run.rule_versions.all()) == {live, pilot}
    shadow = nuclear.flags.get()
    assert (shadow.rule, shadow.shadow) == (pilot, True)
    assert nuclear.risk_score == 0
    assert missile.risk_score == 40  # only the live version counts
    with _at(_days(10)):
        flag_dispose(
            actor=world.policy_admin,
            flag=shadow,
            disposition=Disposition.CONFIRMED,
            reason="A real WMD end use.",
        )

    # Day D + 30: promoted.
    with _at(_days(30)):
        promoted = pilot_promote(
            actor=world.policy_admin,
            pilot=pilot,
            justification="It caught a nuclear end use the live rule missed; no false hit.",
        )

    live.refresh_from_db()
    pilot.refresh_from_db()
    assert (live.status, pilot.status) == (Status.SUPERSEDED, Status.SUPERSEDED)
    assert (promoted.version, promoted.mode, promoted.status) == (
        3,
        Rule.Mode.ACTIVE,
        Status.CURRENT,
    )
    assert (promoted.effective_from, promoted.sunset_on) == (_days(30), _days(90))
    assert (promoted.weight, promoted.parameters["phrases"]) == (50, ["missile", "nuclear weapon"])
    assert (promoted.supersedes, promoted.created_by) == (live, world.policy_admin)
    assert list(Rule.objects.filter(code=CODE, status=Status.CURRENT)) == [promoted]

    notices = list(PublicNotice.objects.filter(published_at__date=_days(30)))
    assert [(notice.kind, notice.rule) for notice in notices] == [(Kind.PILOT_PROMOTED, promoted)]
    notice = notices[0]
    assert notice.title == "Pilot promoted to live: Weapons of mass destruction in the end use"
    assert notice.justification == (
        "It caught a nuclear end use the live rule missed; no false hit."
    )
    assert "Version 3 of rule end-use-wmd" in notice.summary
    assert "pilot version 2" in notice.summary
    assert "replaces live version 1" in notice.summary
    assert "31 May 2026" in notice.summary  # the sunset (DAY + 90)
    assert "50" not in notice.summary  # never the weight

    event = AuditEvent.objects.get(verb=Verb.PILOT_PROMOTED)
    assert (event.target_id, event.from_status, event.to_status) == (str(promoted.pk), "v2", "v3")
    assert event.actor == world.policy_admin
    payload = event.payload
    assert (payload["pilot_version"], payload["version"], payload["superseded_live_version"]) == (
        2,
        3,
        1,
    )
    assert payload["justification"].startswith("It caught a nuclear end use")
    comparison = payload["comparison"]
    assert {key: comparison[key] for key in ("cases", "both", "pilot_only", "live_only")} == {
        "cases": 2,
        "both": 1,
        "pilot_only": 1,
        "live_only": 0,
    }
    assert comparison["pilot_precision"]["precision"] == 1.0
    assert comparison["live_versions"] == ["v1"]
    assert not AuditEvent.objects.filter(verb=Verb.RULE_VERSIONED, target_id=str(promoted.pk))

    # Day D + 31: a new screening flags with the promoted version, live, and it counts.
    with _at(_days(31)):
        later = _screened(world, "Test rig for nuclear weapon design.")
    run = later.screening_runs.get()
    assert set(run.rule_versions.all()) == {promoted}
    flag = later.flags.get()
    assert (flag.rule, flag.shadow, flag.weight) == (promoted, False, 50)
    assert flag.fingerprint.startswith(f"{CODE}:")
    assert (run.risk_score, run.tier, run.flag_count, run.shadow_flag_count) == (50, "medium", 1, 0)
    assert (later.risk_score, later.tier) == (50, "medium")


def test_pilot_promote_rescreens_open_cases_on_commit(world, django_capture_on_commit_callbacks):
    _live, pilot = _live_and_pilot(world)
    with _at(_days(30)), django_capture_on_commit_callbacks(execute=True):
        promoted = pilot_promote(actor=world.policy_admin, pilot=pilot, justification="Works.")

    batch = RescreenBatch.objects.get(rule=promoted)
    assert batch.trigger == RescreenBatch.Trigger.RULE_VERSION


def test_pilot_promote_with_a_new_sunset(world):
    _live, pilot = _live_and_pilot(world)
    with _at(_days(30)):
        promoted = pilot_promote(
            actor=world.policy_admin, pilot=pilot, justification="Works.", sunset_on=_days(400)
        )
    assert promoted.sunset_on == _days(400)
    event = AuditEvent.objects.get(verb=Verb.PILOT_PROMOTED)
    assert event.payload["sunset_on"] == _days(400).isoformat()


def test_pilot_promote_refused_without_justification(world):
    live, pilot = _live_and_pilot(world)
    with _at(_days(30)):
        errors = _errors(
            lambda: pilot_promote(actor=world.policy_admin, pilot=pilot, justification="  ")
        )
    assert errors == {"justification": ["Give a written justification; it is published."]}
    assert set(Rule.objects.filter(status=Status.CURRENT)) == {live, pilot}
    assert not PublicNotice.objects.filter(kind=Kind.PILOT_PROMOTED).exists()
    assert not AuditEvent.objects.filter(verb=Verb.PILOT_PROMOTED).exists()


def test_pilot_promote_refused_for_a_live_version(world):
    live, _pilot = _live_and_pilot(world)
    with _at(_days(30)):
        errors = _errors(
            lambda: pilot_promote(actor=world.policy_admin, pilot=live, justification="Works.")
        )
    assert errors == {
        "__all__": ["Version 1 of end-use-wmd is live, not a pilot: only a pilot can be promoted."]
    }
    assert Rule.objects.count() == 2


def test_pilot_promote_refused_for_a_pilot_no_longer_in_force(world):
    _live, pilot = _live_and_pilot(world)
    with _at(_days(5)):
        rule_edit(
            actor=world.policy_admin,
            rule=pilot,
            change_reason="Narrower.",
            parameters={"phrases": ["nuclear weapon"]},
        )
    with _at(_days(30)):
        errors = _errors(
            lambda: pilot_promote(actor=world.policy_admin, pilot=pilot, justification="Works.")
        )
    assert "no longer in force" in errors["__all__"][0]
    assert not AuditEvent.objects.filter(verb=Verb.PILOT_PROMOTED).exists()


def test_pilot_promote_refused_for_non_policy_admins(world):
    _live, pilot = _live_and_pilot(world)
    for actor in (world.auditor, world.case_officer, world.senior_official, world.exporter, None):
        with _at(_days(30)), pytest.raises(PermissionDenied):
            pilot_promote(actor=actor, pilot=pilot, justification="Works.")
    assert Rule.objects.filter(status=Status.CURRENT).count() == 2


def test_pilot_promote_validates_the_sunset(world):
    _live, pilot = _live_and_pilot(world)
    with _at(_days(30)):
        too_late = _errors(
            lambda: pilot_promote(
                actor=world.policy_admin, pilot=pilot, justification="W", sunset_on=_days(30 + 731)
            )
        )
        today = _errors(
            lambda: pilot_promote(
                actor=world.policy_admin, pilot=pilot, justification="W", sunset_on=_days(30)
            )
        )
    assert too_late["sunset_on"][0].startswith("A sunset date may be at most 730 days ahead")
    assert today == {"sunset_on": ["The new sunset date must be after today."]}
    # On the pilot's last day its own sunset cannot serve: a new date is asked for.
    with _at(_days(90)):
        errors = _errors(
            lambda: pilot_promote(actor=world.policy_admin, pilot=pilot, justification="W")
        )
    assert errors["sunset_on"][0].startswith("The pilot's sunset (31 May 2026) cannot be")
    assert Rule.objects.count() == 2


def test_pilot_promote_of_a_new_rule_piloted_first(world):
    with _at(DAY):
        pilot = rule_create(
            actor=world.policy_admin,
            code="provenance-new",
            title="New exporters",
            kind=Rule.Kind.PROVENANCE,
            parameters={"signal": "new_exporter", "new_exporter_days": 365},
            weight=10,
            public_justification="First exports get a closer look.",
            mode=Rule.Mode.PILOT,
            effective_from=DAY,
            sunset_on=_days(60),
            owner=world.policy_admin,
        )
    with _at(_days(30)):
        promoted = pilot_promote(actor=world.policy_admin, pilot=pilot, justification="Useful.")

    pilot.refresh_from_db()
    assert pilot.status == Status.SUPERSEDED
    assert (promoted.version, promoted.mode, promoted.supersedes) == (2, Rule.Mode.ACTIVE, pilot)
    notice = PublicNotice.objects.get(kind=Kind.PILOT_PROMOTED)
    assert "first live version" in notice.summary
    event = AuditEvent.objects.get(verb=Verb.PILOT_PROMOTED)
    assert event.payload["superseded_live_version"] is None
    assert event.payload["comparison"]["live_precision"] is None


def test_pilot_promote_decides_the_pilots_open_sunset_review(world):
    _live, pilot = _live_and_pilot(world)
    review = SunsetReview.objects.create(rule=pilot, opened_on=_days(30), due_on=pilot.sunset_on)
    with _at(_days(40)):
        promoted = pilot_promote(actor=world.policy_admin, pilot=pilot, justification="Works.")

    review.refresh_from_db()
    assert (review.status, review.decision) == (
        SunsetReview.Status.DECIDED,
        SunsetReview.Decision.PROMOTE,
    )
    assert (review.justification, review.decided_by) == ("Works.", world.policy_admin)
    event = AuditEvent.objects.get(verb=Verb.SUNSET_REVIEW_DECIDED)
    assert event.target_id == str(review.pk)
    promoted_event = AuditEvent.objects.get(verb=Verb.PILOT_PROMOTED, target_id=str(promoted.pk))
    assert promoted_event.payload["sunset_reviews_decided"] == [review.pk]


def test_a_pilot_not_promoted_lapses_after_its_sunset(world):
    live, pilot = _live_and_pilot(world)
    with _at(_days(90)):
        assert rules_lapse_due() == 0
    with _at(_days(91)):
        assert rules_lapse_due() == 1
        later = _screened(world, "Test rig for nuclear weapon design.")
    pilot.refresh_from_db()
    live.refresh_from_db()
    assert (pilot.status, live.status) == (Status.LAPSED, Status.CURRENT)
    assert set(later.screening_runs.get().rule_versions.all()) == {live}
    assert not later.flags.exists()


# --- pilot_comparison --------------------------------------------------------------------------


def _run(application, *rules):
    run = ScreeningRunFactory(application=application)
    run.rule_versions.set(rules)
    return run


def _flag(run, rule, disposition=Disposition.PENDING):
    return FlagFactory(run=run, rule=rule, disposition=disposition)


@pytest.fixture
def constructed(world):
    """Live v1 and pilot v2 of one code, and six cases:

    both       live and pilot flags on the same run
    both_early the live flag on an earlier run, before the pilot (a re-screen raises no duplicate)
    pilot_only / live_only / neither
    unscreened a live flag, but never screened with the pilot (left out)
    A live flag of a later live version v3 (never run beside the pilot) does not count.
    """
    live = RuleFactory(code="c", version=1, owner=world.policy_admin)
    pilot = RuleFactory(code="c", version=2, mode=Rule.Mode.PILOT, owner=world.policy_admin)
    later = RuleFactory(code="c", version=3, status=Status.SUPERSEDED, owner=world.policy_admin)
    other = RuleFactory(code="other", owner=world.policy_admin)
    cases = {name: make_draft(world, title=name) for name in ("both", "early", "p", "l", "n", "u")}

    run = _run(cases["both"], live, pilot, other)
    _flag(run, live, Disposition.CONFIRMED)
    _flag(run, pilot, Disposition.CONFIRMED)
    _flag(run, other, Disposition.DISMISSED)  # another rule: ignored
    early = _run(cases["early"], live)
    _flag(early, live, Disposition.CONFIRMED)
    _flag(_run(cases["early"], live, pilot), pilot)
    _flag(_run(cases["p"], live, pilot), pilot, Disposition.DISMISSED)
    _flag(_run(cases["l"], live, pilot), live, Disposition.DISMISSED)
    neither = _run(cases["n"], live, pilot)
    _flag(_run(cases["n"], later), later, Disposition.CONFIRMED)
    _flag(_run(cases["u"], live), live, Disposition.DISMISSED)
    assert neither is not None
    return pilot, cases


def test_pilot_comparison_counts_each_case_once_per_side(
    constructed, django_assert_max_num_queries
):
    pilot, cases = constructed

    with django_assert_max_num_queries(6):
        comparison = pilot_comparison(pilot=pilot)

    figures = {key: comparison[key] for key in ("cases", "both", "pilot_only", "live_only")}
    assert figures == {"cases": 5, "both": 2, "pilot_only": 1, "live_only": 1}
    assert comparison["neither"] == 1
    assert comparison["has_live"] is True
    assert [rule.version for rule in comparison["live_versions"]] == [1]
    pilot_precision = comparison["pilot_precision"]
    assert (pilot_precision["raised"], pilot_precision["confirmed"]) == (3, 1)
    assert (pilot_precision["dismissed"], pilot_precision["pending"]) == (1, 1)
    assert pilot_precision["precision"] == 0.5
    live_precision = comparison["live_precision"]
    # Same cases only: both (confirmed), early (confirmed), l (dismissed); not u's flag.
    assert (live_precision["raised"], live_precision["confirmed"]) == (3, 2)
    assert live_precision["precision_percent"] == 67
    rows = {
        row["reference"]: (row["side"], row["dispositions"]) for row in comparison["disagreements"]
    }
    assert rows == {
        cases["p"].reference: ("pilot", "1 dismissed"),
        cases["l"].reference: ("live", "1 dismissed"),
    }
    assert comparison["disagreements_total"] == 2


def test_pilot_comparison_lists_at_most_the_limit(constructed):
    pilot, _cases = constructed
    comparison = pilot_comparison(pilot=pilot, limit=1)
    assert len(comparison["disagreements"]) == 1
    assert comparison["disagreements_total"] == 2


def test_pilot_comparison_queries_do_not_grow_with_cases(world, django_assert_max_num_queries):
    live = RuleFactory(code="c", owner=world.policy_admin)
    pilot = RuleFactory(code="c", version=2, mode=Rule.Mode.PILOT, owner=world.policy_admin)
    for n in range(12):
        run = _run(make_draft(world, title=f"case {n}"), live, pilot)
        _flag(run, pilot if n % 2 else live)

    with django_assert_max_num_queries(6):
        comparison = pilot_comparison(pilot=pilot)

    assert (comparison["cases"], comparison["pilot_only"], comparison["live_only"]) == (12, 6, 6)
    assert len(comparison["disagreements"]) == 12


def test_pilot_comparison_of_a_new_rule_has_no_live_side(world):
    pilot = RuleFactory(code="fresh", mode=Rule.Mode.PILOT, owner=world.policy_admin)
    flagged, quiet = make_draft(world, title="flagged"), make_draft(world, title="quiet")
    _flag(_run(flagged, pilot), pilot, Disposition.CONFIRMED)
    _run(quiet, pilot)

    comparison = pilot_comparison(pilot=pilot)

    assert comparison["has_live"] is False
    assert comparison["live_versions"] == []
    assert comparison["live_precision"] is None
    assert (comparison["cases"], comparison["pilot_only"], comparison["neither"]) == (2, 1, 1)
    assert comparison["both"] == comparison["live_only"] == 0
    assert comparison["pilot_precision"]["precision"] == 1.0


def test_pilot_comparison_before_any_run_compares_with_the_live_version_in_force(world):
    live = RuleFactory(code="c", owner=world.policy_admin)
    pilot = RuleFactory(code="c", version=2, mode=Rule.Mode.PILOT, owner=world.policy_admin)

    comparison = pilot_comparison(pilot=pilot)

    assert comparison["live_versions"] == [live]
    assert (comparison["cases"], comparison["disagreements"]) == (0, [])
    assert comparison["pilot_precision"]["precision"] is None


def test_a_pilots_sunset_review_compares_and_promotes_it(world, client):
    """The pilot's review opens 60 days before its sunset, shows the comparison, offers
    promotion (a live rule's review does not) and promoting there makes the pilot live."""
    _live, pilot = _live_and_pilot(world)
    with _at(_days(30)):
        assert sunset_reviews_open_due() == 1  # the pilot's; the live rule's sunset is far off
    review = SunsetReview.objects.get(rule=pilot)
    url = reverse("screening:sunset_review_detail", args=[review.pk])
    with _at(_days(45)):
        client.force_login(world.policy_admin)
        page = client.get(url)
        assert page.context["comparison"]["pilot"] == pilot
        assert 'data-testid="pilot-comparison"' in page.content.decode()
        assert ("promote", "Promote the pilot to live") in page.context["form"].fields[
            "decision"
        ].choices
        response = client.post(
            url, {"decision": "promote", "justification": "Precise enough over 45 days."}
        )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.status, review.decision) == (SunsetReview.Status.DECIDED, "promote")
    [promoted] = Rule.objects.filter(code=CODE, status=Status.CURRENT)
    assert (promoted.mode, promoted.version, promoted.sunset_on) == (
        Rule.Mode.ACTIVE,
        3,
        pilot.sunset_on,
    )
    assert PublicNotice.objects.filter(kind=Kind.PILOT_PROMOTED, rule=promoted).count() == 1
    decided = AuditEvent.objects.get(verb=Verb.SUNSET_REVIEW_DECIDED, target_id=str(review.pk))
    assert decided.payload["promoted_to"] == str(promoted)


def test_a_live_rules_review_does_not_offer_promotion(world):
    live, _pilot = _live_and_pilot(world)
    review = SunsetReview.objects.create(rule=live, opened_on=_days(300), due_on=live.sunset_on)
    with pytest.raises(ValidationError) as error, _at(_days(300)):
        sunset_review_decide(
            actor=world.policy_admin, review=review, decision="promote", justification="No."
        )
    assert "decision" in error.value.message_dict
