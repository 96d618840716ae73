"""Exporters whose open cases a published change touches are notified (issue 7, point 6):
which cases each kind of notice touches, what the exporter is told (public terms only), that a
redelivered task notifies nobody twice, and that publishing a notice queues the task on commit.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from exportgov.audit.models import AuditEvent
from exportgov.notifications.models import Notification
from licensing.models import Application
from licensing.services import applications as application_services
from licensing.services import cases as case_services
from screening.models import PublicNotice, Rule, SunsetReview
from screening.services import list_version_import
from screening.services.affected import notice_affected_cases, notice_affected_notify
from screening.services.controls import control_dataset_import
from screening.services.notices import notice_publish, rule_notice_publish
from screening.services.reviews import sunset_review_decide
from tests.licensing.factories import make_draft, make_refused, make_submitted
from tests.screening.factories import (
    FlagFactory,
    RuleFactory,
    ScreeningRunFactory,
    days_from_today,
)

from .conftest import CONTROLS, OFAC_V1

Kind = PublicNotice.Kind
Verb = AuditEvent.Verb
SECRET_PHRASE = "qwxz-secret-phrase"
SECRET_EVIDENCE = "qwxz-secret-evidence"
SECRET_SUMMARY = "qwxz-secret-flag-summary"
WEIGHT = 83


# --- helpers ---------------------------------------------------------------------------------


def _flag(application: Application, rule: Rule, **overrides):
    run = ScreeningRunFactory(application=application)
    return FlagFactory(run=run, application=application, rule=rule, **overrides)


def _other_open_case(world) -> Application:
    """An open case of world.other_organisation, submitted by its own exporter."""
    draft = make_draft(world, actor=world.other_exporter, organisation=world.other_organisation)
    application_services.application_submit(actor=world.other_exporter, application=draft)
    draft.screening_runs.filter(status="queued").delete()
    case_services.case_route_to_triage(application=draft, tier=None, risk_score=None)
    return Application.objects.get(pk=draft.pk)


def _rule(**overrides) -> Rule:
    values = {
        "code": "end-use-missiles",
        "title": "Missiles in the end use",
        "weight": WEIGHT,
        "parameters": {"phrases": [SECRET_PHRASE]},
        **overrides,
    }
    return RuleFactory(**values)


def _publish(kind: str, **links) -> PublicNotice:
    return notice_publish(
        kind=kind,
        title=f"Notice of kind {kind}",
        summary=f"What changed ({kind}).",
        justification="Why it changed.",
        **links,
    )


def _new_notifications(cases: dict):
    """The notifications written after the cases were built (not those of their workflow)."""
    return Notification.objects.filter(pk__gt=cases["last_notification"])


@pytest.fixture
def cases(world):
    """An open case of world.organisation, a decided one, and an open case of the other
    organisation, all without flags yet."""
    built = {
        "open": make_submitted(world),
        "decided": make_refused(world),
        "other": _other_open_case(world),
    }
    built["last_notification"] = Notification.objects.order_by("-pk")[0].pk
    return built


# --- which cases a notice touches ------------------------------------------------------------


def test_notice_affected_cases_rule_notice_takes_open_cases_with_a_live_flag_of_the_code(
    world, cases
):
    first = _rule()
    _flag(cases["open"], first)
    _flag(cases["decided"], first)
    _flag(cases["other"], _rule(code="destination-embargo", kind=Rule.Kind.DESTINATION))
    first.status = Rule.Status.SUPERSEDED
    first.save(update_fields=["status"])
    amended = _rule(version=2, supersedes=first)  # the flag was raised by version 1

    notice = _publish(Kind.RULE_AMENDED, rule=amended)

    assert list(notice_affected_cases(notice=notice)) == [cases["open"]]


@pytest.mark.parametrize(
    "kind", [Kind.RULE_CREATED, Kind.RULE_RENEWED, Kind.RULE_RETIRED, Kind.RULE_LAPSED]
)
def test_notice_affected_cases_every_rule_kind_takes_the_flagged_open_case(world, cases, kind):
    rule = _rule()
    _flag(cases["open"], rule)

    assert list(notice_affected_cases(notice=_publish(kind, rule=rule))) == [cases["open"]]


def test_notice_affected_cases_ignores_shadow_flags(world, cases):
    live = _rule()
    pilot = _rule(version=2, mode=Rule.Mode.PILOT)
    _flag(cases["open"], pilot)  # shadow only
    assert _flag(cases["open"], pilot, fingerprint="other").shadow

    assert not notice_affected_cases(notice=_publish(Kind.RULE_RENEWED, rule=live)).exists()


def test_notice_affected_cases_pilot_started_takes_none(world, cases):
    live = _rule()
    _flag(cases["open"], live)
    pilot = _rule(version=2, mode=Rule.Mode.PILOT)

    notice = rule_notice_publish(rule=pilot, actor=world.policy_admin)

    assert notice.kind == Kind.PILOT_STARTED
    assert not notice_affected_cases(notice=notice).exists()


def test_notice_affected_cases_list_version_takes_party_matches_on_that_list(world, cases):
    version = list_version_import(actor=None, paths=OFAC_V1)
    code = version.source.code
    party_rule = _rule(code="party-match-all", kind=Rule.Kind.PARTY_MATCH, parameters={})
    _flag(cases["open"], party_rule, evidence={"list": code, "entry_id": "1"})
    _flag(cases["other"], party_rule, evidence={"list": "un_sc", "entry_id": "2"})
    _flag(cases["other"], _rule(), evidence={"list": code})  # not a party match
    _flag(cases["decided"], party_rule, evidence={"list": code, "entry_id": "1"})

    notice = PublicNotice.objects.get(list_version=version)

    assert notice.kind == Kind.LIST_VERSION
    assert list(notice_affected_cases(notice=notice)) == [cases["open"]]


def test_notice_affected_cases_control_data_takes_licence_requirement_flags(world, cases):
    dataset = control_dataset_import(actor=None, path=CONTROLS / "country-groups.json")
    requirement = _rule(code="licence-required", kind=Rule.Kind.LICENCE_REQUIREMENT)
    _flag(cases["open"], requirement)
    _flag(cases["other"], _rule())
    _flag(cases["decided"], requirement)

    notice = PublicNotice.objects.get(control_dataset=dataset)

    assert list(notice_affected_cases(notice=notice)) == [cases["open"]]
    retired = _publish(Kind.CONTROL_DATA_RETIRED, control_dataset=dataset)
    assert list(notice_affected_cases(notice=retired)) == [cases["open"]]


@pytest.mark.parametrize("kind", [Kind.CONSULTATION_OPENED, Kind.CONSULTATION_DECIDED])
def test_notice_affected_cases_consultation_takes_none(world, cases, kind):
    _flag(cases["open"], _rule())
    _flag(cases["open"], _rule(code="licence-required", kind=Rule.Kind.LICENCE_REQUIREMENT))

    assert not notice_affected_cases(notice=_publish(kind)).exists()


def test_notice_affected_cases_each_case_once_whatever_its_flags(world, cases):
    rule = _rule()
    _flag(cases["open"], rule)
    _flag(cases["open"], rule)
    _flag(cases["open"], rule, disposition="dismissed")

    notice = _publish(Kind.RULE_RENEWED, rule=rule)

    assert list(notice_affected_cases(notice=notice)) == [cases["open"]]


# --- notifying the exporters -----------------------------------------------------------------


def test_notice_affected_notify_tells_the_exporter_side_of_each_affected_case(
    world, cases, django_capture_on_commit_callbacks
):
    rule = _rule()
    _flag(cases["open"], rule, summary=SECRET_SUMMARY, evidence={"phrase": SECRET_EVIDENCE})
    _flag(cases["decided"], rule)
    notice = _publish(Kind.RULE_RENEWED, rule=rule)

    with django_capture_on_commit_callbacks(execute=True):
        assert notice_affected_notify(notice_id=notice.pk) == 1

    notification = _new_notifications(cases).get()
    assert notification.recipient == world.exporter  # the creator, an admin of the organisation
    assert notification.url == reverse(
        "licensing:application_status", kwargs={"pk": cases["open"].pk}
    )
    assert cases["open"].reference in notification.subject
    assert notice.title in notification.body
    assert notice.summary in notification.body
    assert reverse("controls:notice_list") in notification.body
    assert reverse("controls:notice_detail", args=[notice.pk]) in notification.body
    assert notification.url in notification.body
    (email,) = mail.outbox
    assert email.to == [world.exporter.email]
    assert notice.title in email.body
    html = email.alternatives[0][0]
    assert reverse("controls:notice_list") in html
    assert notification.url in html


def test_notice_affected_notify_reaches_every_admin_but_not_plain_members(world, cases):
    rule = _rule()
    _flag(cases["other"], rule)
    notice = _publish(Kind.RULE_RETIRED, rule=rule)

    assert notice_affected_notify(notice_id=notice.pk) == 1

    recipients = set(_new_notifications(cases).values_list("recipient__username", flat=True))
    assert recipients == {"other_exporter"}


def test_notice_affected_notify_never_reveals_weight_parameters_or_evidence(
    world, cases, django_capture_on_commit_callbacks
):
    rule = _rule()
    _flag(cases["open"], rule, summary=SECRET_SUMMARY, evidence={"phrase": SECRET_EVIDENCE})
    notice = rule_notice_publish(rule=rule, actor=world.policy_admin)

    with django_capture_on_commit_callbacks(execute=True):
        notice_affected_notify(notice_id=notice.pk)

    notification = _new_notifications(cases).get()
    (email,) = mail.outbox
    texts = [notification.subject, notification.body, email.subject, email.body]
    texts.append(email.alternatives[0][0])
    for text in texts:
        for secret in (SECRET_PHRASE, SECRET_EVIDENCE, SECRET_SUMMARY):
            assert secret not in text
        assert not re.search(rf"\b{WEIGHT}\b", text)
        assert "weight" not in text.lower()
    assert "Missiles in the end use" in notification.body


def test_notice_affected_notify_is_idempotent_and_audited_once(world, cases):
    rule = _rule()
    _flag(cases["open"], rule)
    notice = _publish(Kind.RULE_RENEWED, rule=rule)

    assert notice_affected_notify(notice_id=notice.pk) == 1
    assert notice_affected_notify(notice_id=notice.pk) == 0  # a redelivered task

    assert _new_notifications(cases).count() == 1
    event = AuditEvent.objects.get(verb=Verb.AFFECTED_EXPORTERS_NOTIFIED)
    assert (event.target_type, event.target_id) == ("screening.publicnotice", str(notice.pk))
    assert event.payload["cases"] == [cases["open"].pk]
    assert event.payload["references"] == [cases["open"].reference]


def test_notice_affected_notify_with_no_affected_case_notifies_nobody(world, cases):
    notice = _publish(Kind.RULE_RENEWED, rule=_rule())

    assert notice_affected_notify(notice_id=notice.pk) == 0

    assert not _new_notifications(cases).exists()
    assert not AuditEvent.objects.filter(verb=Verb.AFFECTED_EXPORTERS_NOTIFIED).exists()


# --- queued on commit ------------------------------------------------------------------------


def test_notice_publish_queues_the_affected_notification_on_commit(
    world, cases, django_capture_on_commit_callbacks
):
    rule = _rule()
    _flag(cases["open"], rule)

    with django_capture_on_commit_callbacks() as callbacks:
        notice = _publish(Kind.RULE_RENEWED, rule=rule)
    assert not _new_notifications(cases).exists()  # nothing before the commit
    assert len(callbacks) == 1

    for callback in callbacks:  # the commit: the (eager) task runs
        callback()

    assert _new_notifications(cases).filter(recipient=world.exporter).count() == 1
    assert AuditEvent.objects.filter(
        verb=Verb.AFFECTED_EXPORTERS_NOTIFIED, target_id=str(notice.pk)
    ).exists()


def test_notice_publish_touching_no_open_case_queues_nothing(
    world, cases, django_capture_on_commit_callbacks
):
    rule = _rule()
    _flag(cases["decided"], rule)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _publish(Kind.RULE_RENEWED, rule=rule)

    assert callbacks == []
    assert not _new_notifications(cases).exists()


def test_sunset_review_renewal_notifies_the_exporter_of_a_flagged_open_case(
    world, cases, django_capture_on_commit_callbacks
):
    rule = _rule(owner=world.policy_admin, sunset_on=days_from_today(30))
    _flag(cases["open"], rule)
    review = SunsetReview.objects.create(
        rule=rule, opened_on=days_from_today(0), due_on=rule.sunset_on
    )

    with django_capture_on_commit_callbacks(execute=True):
        sunset_review_decide(
            actor=world.policy_admin,
            review=review,
            decision=SunsetReview.Decision.RENEW,
            justification="Still needed: the guidance is unchanged.",
            new_sunset_on=days_from_today(200),
        )

    notification = _new_notifications(cases).get(recipient=world.exporter)
    assert "Rule renewed: Missiles in the end use" in notification.body
    assert cases["open"].reference in notification.subject
