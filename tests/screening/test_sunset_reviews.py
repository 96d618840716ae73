"""Sunset reviews of rule versions, with frozen time: opening ahead of the sunset (once),
lapse with no decision (and a lapsed rule no longer fires), renew / amend / retire decisions,
their notices, permissions and audit rows, and the review pages."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from exportgov.audit.models import AuditEvent
from exportgov.notifications.models import Notification
from licensing.models import Application
from licensing.services.applications import application_submit
from screening.models import ControlDataset, Flag, PublicNotice, Rule, SunsetReview
from screening.services.reviews import (
    rules_lapse_due,
    sunset_review_decide,
    sunset_reviews_open_due,
)
from tests.licensing.factories import make_draft
from tests.screening.factories import FlagFactory, PolicyAdminFactory, RuleFactory

Verb = AuditEvent.Verb
Kind = PublicNotice.Kind
SUNSET = datetime.date(2027, 6, 30)
UTC = datetime.UTC


def _at(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), UTC), tick=False)


def _rule(world, **overrides) -> Rule:
    values = {
        "owner": world.policy_admin,
        "effective_from": datetime.date(2026, 1, 1),
        "sunset_on": SUNSET,
        "parameters": {"phrases": ["centrifuge cascade"]},
        **overrides,
    }
    return RuleFactory(**values)


def _open_review(world, rule: Rule) -> SunsetReview:
    with _at(rule.sunset_on - datetime.timedelta(days=30)):
        assert sunset_reviews_open_due() == 1
    return SunsetReview.objects.get(rule=rule, status=SunsetReview.Status.OPEN)


# --- Opening reviews ---------------------------------------------------------------------------


def test_sunset_reviews_open_due_opens_60_days_before_and_not_twice(world):
    rule = _rule(world)
    _rule(world, sunset_on=SUNSET + datetime.timedelta(days=200))  # not yet due

    with _at(SUNSET - datetime.timedelta(days=61)):
        assert sunset_reviews_open_due() == 0
    with _at(SUNSET - datetime.timedelta(days=60)):
        assert sunset_reviews_open_due() == 1
        assert sunset_reviews_open_due() == 0
    with _at(SUNSET - datetime.timedelta(days=59)):
        assert sunset_reviews_open_due() == 0

    review = SunsetReview.objects.get()
    assert (review.rule, review.status) == (rule, SunsetReview.Status.OPEN)
    assert review.opened_on == SUNSET - datetime.timedelta(days=60)
    assert review.due_on == SUNSET
    assert AuditEvent.objects.filter(verb=Verb.SUNSET_REVIEW_OPENED).count() == 1
    notification = Notification.objects.get(recipient=world.policy_admin)
    assert rule.code in notification.subject
    assert notification.url == reverse("screening:sunset_review_detail", args=[review.pk])


def test_sunset_reviews_open_due_ignores_rules_not_in_force(world):
    _rule(world, status=Rule.Status.RETIRED)
    with _at(SUNSET - datetime.timedelta(days=10)):
        assert sunset_reviews_open_due() == 0
    assert not SunsetReview.objects.exists()


def test_sunset_review_one_open_review_per_rule_is_enforced_by_the_database(world):
    rule = _rule(world)
    SunsetReview.objects.create(rule=rule, opened_on=SUNSET, due_on=SUNSET)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SunsetReview.objects.create(rule=rule, opened_on=SUNSET, due_on=SUNSET)


# --- Lapse ---------------------------------------------------------------------------------------


def _submit(world, capture) -> Application:
    draft = make_draft(world, end_use={"end_use_statement": "Parts for a centrifuge cascade."})
    with capture(execute=True):
        application_submit(actor=world.exporter, application=draft)
    return draft


def test_rules_lapse_due_lapses_after_sunset_and_the_rule_no_longer_fires(
    world, django_capture_on_commit_callbacks
):
    rule = _rule(world)
    review = _open_review(world, rule)

    with _at(SUNSET):  # the sunset day itself: still in force
        assert rules_lapse_due() == 0
        before = _submit(world, django_capture_on_commit_callbacks)
    assert Flag.objects.filter(application=before, rule=rule).count() == 1

    with _at(SUNSET + datetime.timedelta(days=1)):
        assert rules_lapse_due() == 1
        assert rules_lapse_due() == 0
        after = _submit(world, django_capture_on_commit_callbacks)
    assert not Flag.objects.filter(application=after, rule=rule).exists()

    rule.refresh_from_db()
    review.refresh_from_db()
    assert rule.status == Rule.Status.LAPSED
    assert review.status == SunsetReview.Status.LAPSED
    event = AuditEvent.objects.get(verb=Verb.RULE_LAPSED)
    assert (event.target_id, event.to_status) == (str(rule.pk), Rule.Status.LAPSED)
    notice = PublicNotice.objects.get(kind=Kind.RULE_LAPSED)
    assert notice.rule == rule


def test_rule_notices_name_the_version_and_say_what_changed(world):
    rule = _rule(world, code="end-use-cascade", kind=Rule.Kind.END_USE)
    retired = _rule(world, code="end-use-retired", kind=Rule.Kind.END_USE)
    review = SunsetReview.objects.create(
        rule=retired, opened_on=SUNSET - datetime.timedelta(days=30), due_on=SUNSET
    )
    with _at(SUNSET - datetime.timedelta(days=5)):
        sunset_review_decide(
            actor=world.policy_admin, review=review, decision="retire", justification="Obsolete."
        )
    with _at(SUNSET + datetime.timedelta(days=1)):
        assert rules_lapse_due() == 1

    kind = rule.get_kind_display()
    assert PublicNotice.objects.get(kind=Kind.RULE_RETIRED).summary == (
        f"Version 1 of rule end-use-retired ({kind}) was reviewed and retired: it no longer "
        "applies to new screenings."
    )
    assert PublicNotice.objects.get(kind=Kind.RULE_LAPSED).summary == (
        f"Version 1 of rule end-use-cascade ({kind}) reached its sunset on 30 June 2027 without "
        "being renewed: it no longer applies to new screenings."
    )


def test_rules_lapse_due_leaves_a_renewed_rule_in_force(world):
    rule = _rule(world)
    review = _open_review(world, rule)
    with _at(SUNSET - datetime.timedelta(days=5)):
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="renew",
            justification="Still needed.",
            new_sunset_on=SUNSET + datetime.timedelta(days=365),
        )
    with _at(SUNSET + datetime.timedelta(days=1)):
        assert rules_lapse_due() == 0
    rule.refresh_from_db()
    assert rule.status == Rule.Status.CURRENT
    assert not PublicNotice.objects.filter(kind=Kind.RULE_LAPSED).exists()


# --- Decisions -------------------------------------------------------------------------------


def test_sunset_review_decide_renew_within_the_maximum_keeps_the_version(world):
    rule = _rule(world)
    review = _open_review(world, rule)
    today = SUNSET - datetime.timedelta(days=20)
    new_sunset = today + datetime.timedelta(days=730)
    with _at(today):
        decided = sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="renew",
            justification="Precision stays high; the risk persists.",
            new_sunset_on=new_sunset,
        )
    rule.refresh_from_db()
    assert (rule.sunset_on, rule.status, rule.version) == (new_sunset, Rule.Status.CURRENT, 1)
    assert Rule.objects.filter(code=rule.code).count() == 1
    assert decided.status == SunsetReview.Status.DECIDED
    assert (decided.decision, decided.decided_by) == ("renew", world.policy_admin)
    notice = PublicNotice.objects.get(kind=Kind.RULE_RENEWED)
    assert notice.rule == rule
    assert "Precision stays high" in notice.justification
    event = AuditEvent.objects.get(verb=Verb.SUNSET_REVIEW_DECIDED)
    assert event.to_status == "renew"
    assert event.actor == world.policy_admin
    assert event.payload["sunset_on"]["to"] == new_sunset.isoformat()


@pytest.mark.parametrize(
    ("offset", "field"),
    [(731, "new_sunset_on"), (0, "new_sunset_on"), (-3, "new_sunset_on"), (None, "new_sunset_on")],
)
def test_sunset_review_decide_renew_refuses_dates_outside_the_window(world, offset, field):
    rule = _rule(world)
    review = _open_review(world, rule)
    today = SUNSET - datetime.timedelta(days=20)
    with _at(today), pytest.raises(ValidationError) as caught:
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="renew",
            justification="Renew.",
            new_sunset_on=None if offset is None else today + datetime.timedelta(days=offset),
        )
    assert field in caught.value.message_dict
    rule.refresh_from_db()
    review.refresh_from_db()
    assert (rule.sunset_on, review.status) == (SUNSET, SunsetReview.Status.OPEN)
    assert not PublicNotice.objects.filter(kind=Kind.RULE_RENEWED).exists()
    assert not AuditEvent.objects.filter(verb=Verb.SUNSET_REVIEW_DECIDED).exists()


def test_sunset_review_decide_requires_a_justification(world):
    review = _open_review(world, _rule(world))
    with _at(SUNSET - datetime.timedelta(days=20)), pytest.raises(ValidationError) as caught:
        sunset_review_decide(
            actor=world.policy_admin, review=review, decision="retire", justification="  "
        )
    assert "justification" in caught.value.message_dict


def test_sunset_review_decide_retire_stops_the_rule_and_publishes(world):
    rule = _rule(world)
    review = _open_review(world, rule)
    with _at(SUNSET - datetime.timedelta(days=20)):
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="retire",
            justification="The programme it targeted has ended.",
        )
    rule.refresh_from_db()
    assert rule.status == Rule.Status.RETIRED
    assert PublicNotice.objects.get(kind=Kind.RULE_RETIRED).rule == rule
    assert AuditEvent.objects.get(verb=Verb.SUNSET_REVIEW_DECIDED).to_status == "retire"
    with _at(SUNSET + datetime.timedelta(days=1)):
        assert rules_lapse_due() == 0  # a retired rule does not lapse as well


def test_sunset_review_decide_amend_records_the_decision_only(world):
    rule = _rule(world)
    review = _open_review(world, rule)
    with _at(SUNSET - datetime.timedelta(days=20)):
        decided = sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision="amend",
            justification="Narrow the phrases.",
        )
    rule.refresh_from_db()
    assert (decided.decision, rule.status, rule.sunset_on) == ("amend", "current", SUNSET)
    assert not PublicNotice.objects.exists()


def test_sunset_review_decide_is_refused_without_manage_rules_and_when_not_open(world):
    review = _open_review(world, _rule(world))
    with _at(SUNSET - datetime.timedelta(days=20)):
        for actor in (world.auditor, world.case_officer, world.exporter):
            with pytest.raises(PermissionDenied):
                sunset_review_decide(
                    actor=actor, review=review, decision="retire", justification="No."
                )
        sunset_review_decide(
            actor=world.policy_admin, review=review, decision="amend", justification="Yes."
        )
        with pytest.raises(ValidationError):
            sunset_review_decide(
                actor=world.policy_admin, review=review, decision="retire", justification="Again."
            )
    assert AuditEvent.objects.filter(verb=Verb.SUNSET_REVIEW_DECIDED).count() == 1


# --- Pages -------------------------------------------------------------------------------------


def test_sunset_review_queue_lists_open_reviews_soonest_first_with_overdue_tagged(world, client):
    later = _rule(world, sunset_on=SUNSET + datetime.timedelta(days=20))
    sooner = _rule(world)
    with _at(SUNSET - datetime.timedelta(days=30)):
        assert sunset_reviews_open_due() == 2
    with _at(SUNSET + datetime.timedelta(days=1)):
        client.force_login(world.policy_admin)
        body = client.get(reverse("screening:sunset_review_queue")).content.decode()
    assert body.index(sooner.code) < body.index(later.code)
    assert body.count('data-testid="overdue"') == 1


def test_sunset_review_queue_query_budget(
    world, client, control_data, django_assert_max_num_queries
):
    """Rule reviews (with their owners) and control-data reviews side by side: as many queries
    for eight reviews as for one."""
    for _number in range(4):
        _rule(world, owner=PolicyAdminFactory())
    for dataset in control_data.values():
        ControlDataset.objects.filter(pk=dataset.pk).update(sunset_on=SUNSET)
    with _at(SUNSET - datetime.timedelta(days=30)):
        opened = sunset_reviews_open_due()
        client.force_login(world.policy_admin)
        with django_assert_max_num_queries(10):
            body = client.get(reverse("screening:sunset_review_queue")).content.decode()
    reviews = SunsetReview.objects.filter(status=SunsetReview.Status.OPEN)
    assert opened == reviews.count() > 4
    for review in reviews:
        assert reverse("screening:sunset_review_detail", args=[review.pk]) in body


def test_sunset_review_detail_shows_the_evidence(world, client):
    rule = _rule(world)
    review = _open_review(world, rule)
    draft = make_draft(world)
    Application.objects.filter(pk=draft.pk).update(tier="high")
    from tests.screening.factories import ScreeningRunFactory

    run = ScreeningRunFactory(application=draft)
    FlagFactory(run=run, rule=rule, disposition=Flag.Disposition.CONFIRMED)
    FlagFactory(run=run, rule=rule, disposition=Flag.Disposition.DISMISSED)
    FlagFactory(run=run, rule=rule, shadow=True)
    client.force_login(world.auditor)
    response = client.get(reverse("screening:sunset_review_detail", args=[review.pk]))
    assert response.status_code == 200
    evidence = response.context["evidence"]
    figures = evidence["figures"]
    assert (figures["live"], figures["shadow"], figures["precision_percent"]) == (2, 1, 50)
    assert evidence["cases_by_tier"] == [{"tier": "high", "label": "High", "cases": 1}]
    assert sum(row["live"] for row in evidence["trend"]) == 2
    assert b'data-testid="decision-form"' not in response.content  # auditors only read
    assert client.post(response.request["PATH_INFO"], {"decision": "retire"}).status_code == 403


def test_sunset_review_detail_form_keeps_input_on_error_and_decides(world, client):
    rule = _rule(world)
    review = _open_review(world, rule)
    url = reverse("screening:sunset_review_detail", args=[review.pk])
    today = SUNSET - datetime.timedelta(days=20)
    with _at(today):
        client.force_login(world.policy_admin)
        too_late = today + datetime.timedelta(days=800)
        response = client.post(
            url,
            {
                "decision": "renew",
                "justification": "Keep it.",
                "new_sunset_on": too_late.isoformat(),
            },
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "at most 730 days ahead" in body
        assert "Keep it." in body
        assert too_late.isoformat() in body
        response = client.post(url, {"decision": "amend", "justification": "Narrow it."})
    assert response.status_code == 302
    assert response["Location"] == reverse("screening:rule_edit", args=[rule.code])
    review.refresh_from_db()
    assert review.decision == "amend"


def test_editing_a_rule_under_review_decides_its_review_as_amended(world):
    """A new version made straight from the rule's page (not through the review) still closes
    the review of the version it replaces, with the change's reason."""
    from screening.services.rules import rule_edit

    rule = _rule(world)
    review = _open_review(world, rule)
    with _at(SUNSET - datetime.timedelta(days=20)):
        new_version = rule_edit(
            actor=world.policy_admin,
            rule=rule,
            change_reason="Add a second phrase.",
            parameters={"phrases": ["centrifuge cascade", "enrichment cascade"]},
        )

    review.refresh_from_db()
    assert (review.status, review.decision) == (SunsetReview.Status.DECIDED, "amend")
    assert (review.justification, review.decided_by) == ("Add a second phrase.", world.policy_admin)
    assert new_version.status == Rule.Status.CURRENT
    assert not SunsetReview.objects.filter(status=SunsetReview.Status.OPEN).exists()
