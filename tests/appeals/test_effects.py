"""What an appeal's decision does, per subject (issue 6, points 4 and 8): an overturned refusal
issues a licence through licence_issue (downloadable by the exporter), a remitted refusal goes
to a fresh officer who can decide it again, licences are restored, reinstated or amended, a
match overturned becomes a known false match that is not raised again, and each rule version
gets its appeal record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from appeals import selectors, services
from appeals.models import Appeal
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing.models import Application, Decision, Licence, Outcome, Party
from licensing.services import appeals as licensing_appeals
from licensing.services import cases as case_services
from screening.checks import check_run, context_build
from screening.models import Flag, KnownFalseMatch, Rule
from screening.services import list_version_import
from screening.services.flags import flag_dispose, flag_overturn_on_appeal
from tests.licensing import factories as licensing
from tests.licensing.factories import audit_events
from tests.screening.conftest import OFAC_V1
from tests.screening.factories import FlagFactory, RuleFactory, ScreeningRunFactory

from . import factories
from .factories import refresh

S = Appeal.Status
Subject = Appeal.Subject
Verb = AuditEvent.Verb
AppStatus = Application.Status


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def decide(world, appeal: Appeal, outcome: str, **extra) -> Appeal:
    services.appeal_decide(
        actor=world.appeals_reviewer,
        appeal=appeal,
        outcome=outcome,
        reasons=extra.pop("reasons", "The original decision misread the evidence."),
        **extra,
    )
    return refresh(appeal)


def fresh_officer(world, username: str = "fresh_officer"):
    from exportgov.accounts import services as account_services

    officer = factories.make_user(username, Role.CASE_OFFICER)
    account_services.team_member_add(actor=None, team=world.licensing_team, user=officer)
    return officer


# --- Refusal overturned: a licence through the normal licence service ---------------------------


def test_appeal_overturned_refusal_issues_a_licence_the_exporter_can_download(
    world, client, django_capture_on_commit_callbacks, mailoutbox
):
    application, flag = factories.make_refused_with_flag(world)
    refusal = application.decision
    appeal = factories.make_lodged_appeal(world, application=application)

    with django_capture_on_commit_callbacks(execute=True):
        appeal = decide(world, appeal, S.OVERTURNED)

    assert appeal.status == S.OVERTURNED
    application = Application.objects.get(pk=application.pk)
    assert application.status == AppStatus.APPROVED
    refusal.refresh_from_db()
    assert refusal.superseded_at is not None
    decision = application.decision
    assert decision.outcome == Outcome.APPROVE
    assert decision.on_appeal == appeal.reference
    assert decision.recommendation is None
    assert decision.decided_by == world.appeals_reviewer
    assert decision.conditions == []  # no approve recommendation was ever made
    assert decision.explanation == "The original decision misread the evidence."
    assert Decision.objects.filter(application=application).count() == 2
    licence = Licence.objects.get(application=application)
    assert licence.status == Licence.Status.ACTIVE
    assert audit_events(application, Verb.APPROVED_ON_APPEAL).get().payload["appeal"] == (
        appeal.reference
    )
    assert audit_events(licence, Verb.LICENCE_ISSUED).exists()
    assert set(appeal.involved_rules.all()) == {flag.rule}
    timeline = [e.verb for e in selectors.appeal_timeline(appeal=appeal, exporter_view=True)]
    assert timeline[-2:] == [Verb.APPEAL_OVERTURNED, Verb.APPROVED_ON_APPEAL]
    assert Notification.objects.filter(
        recipient=world.exporter, subject=f"Licence {licence.number} issued"
    ).exists()
    assert Notification.objects.filter(
        recipient=world.exporter, subject__contains="overturned"
    ).exists()
    assert any(world.exporter.email in mail.to for mail in mailoutbox)

    client.force_login(world.exporter)
    response = client.get(reverse("licensing:licence_pdf", kwargs={"pk": licence.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content])[
        :5
    ] == (b"%PDF-")
    client.force_login(world.other_exporter)
    other = client.get(reverse("licensing:licence_pdf", kwargs={"pk": licence.pk}))
    assert other.status_code in (403, 404)


def test_appeal_overturned_refusal_takes_the_conditions_of_the_latest_approve_recommendation(
    world,
):
    condition = licensing.LicenceConditionFactory(text="No re-export without consent.")
    application = licensing.make_recommended_approve(world, conditions=[condition])
    case_services.recommendation_return(
        actor=world.senior_official, application=application, reason="Look again."
    )
    application = licensing.make_refused(
        world, application=Application.objects.get(pk=application.pk)
    )
    appeal = factories.make_lodged_appeal(world, application=application)

    decide(world, appeal, S.OVERTURNED)

    licence = Licence.objects.get(application=application)
    assert licence.conditions == ["No re-export without consent."]
    assert Application.objects.get(pk=application.pk).decision.conditions == licence.conditions


def test_application_approve_on_appeal_needs_the_review_permission(world):
    application = licensing.make_refused(world)
    with pytest.raises(PermissionDenied):
        licensing_appeals.application_approve_on_appeal(
            actor=world.senior_official,
            application=application,
            appeal_reference="APL-X",
            reasons="x",
        )
    assert Application.objects.get(pk=application.pk).status == AppStatus.REFUSED


# --- Refusal remitted: a fresh officer, a new decision -----------------------------------------


def test_appeal_remitted_refusal_reopens_the_case_for_a_fresh_officer_who_decides_it_again(
    world,
):
    application = licensing.make_refused(world)
    refusal = application.decision
    appeal = factories.make_lodged_appeal(world, application=application)
    officer = fresh_officer(world)

    appeal = decide(world, appeal, S.REMITTED, officer=officer)

    assert appeal.status == S.REMITTED
    application = Application.objects.get(pk=application.pk)
    assert application.status == AppStatus.UNDER_REVIEW
    assert application.assigned_officer == officer
    assert application.decision is None
    assert application.deadline_on is not None
    refusal.refresh_from_db()
    assert refusal.superseded_at is not None
    event = audit_events(application, Verb.REOPENED_ON_APPEAL).get()
    assert (event.from_status, event.to_status) == (AppStatus.REFUSED, AppStatus.UNDER_REVIEW)
    assert event.payload["appeal"] == appeal.reference
    assert Notification.objects.filter(recipient=officer, subject__contains="reopened").exists()
    assert Notification.objects.filter(
        recipient=world.exporter, subject__contains="sent back"
    ).exists()

    # The fresh officer reviews and recommends; a senior official decides again.
    case_services.recommendation_make(
        actor=officer,
        application=application,
        outcome=Outcome.APPROVE,
        explanation="On a fresh look the end use is civil.",
        conditions=[],
    )
    decision = case_services.decision_make(
        actor=world.senior_official, application=Application.objects.get(pk=application.pk)
    )

    application = Application.objects.get(pk=application.pk)
    assert application.status == AppStatus.APPROVED
    assert application.decision == decision
    assert decision.recommendation.officer == officer
    assert Licence.objects.filter(application=application).exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [("case_officer", "recommended on"), ("auditor", "cannot review cases")],
)
def test_appeal_remitted_refusal_refuses_an_officer_who_took_part(world, who, message):
    application = licensing.make_refused(world)
    appeal = factories.make_lodged_appeal(world, application=application)

    with pytest.raises(ApplicationError, match=message):
        decide(world, appeal, S.REMITTED, officer=world.actor(who))

    assert refresh(appeal).status == S.UNDER_REVIEW
    application = Application.objects.get(pk=application.pk)
    assert application.status == AppStatus.REFUSED
    assert application.decision.superseded_at is None


# --- Licences ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "verb"),
    [(Subject.REVOCATION, Verb.LICENCE_RESTORED), (Subject.SUSPENSION, Verb.LICENCE_REINSTATED)],
)
def test_appeal_overturned_revocation_or_suspension_makes_the_licence_active(world, subject, verb):
    appeal = factories.make_lodged_appeal(world, subject=subject)
    licence = appeal.licence
    assert licence.status != Licence.Status.ACTIVE

    decide(world, appeal, S.OVERTURNED)

    licence.refresh_from_db()
    assert licence.status == Licence.Status.ACTIVE
    assert licence.status_reason == ""
    event = audit_events(licence, verb).get()
    assert event.actor == world.appeals_reviewer
    assert event.payload["appeal"] == appeal.reference
    assert event.to_status == Licence.Status.ACTIVE
    assert Notification.objects.filter(
        recipient=world.exporter, body__contains=appeal.reference, subject__contains="active"
    ).exists()


def test_appeal_upheld_revocation_leaves_the_licence_revoked(world):
    appeal = factories.make_lodged_appeal(world, subject=Subject.REVOCATION)

    decide(world, appeal, S.UPHELD)

    assert Licence.objects.get(pk=appeal.licence_id).status == Licence.Status.REVOKED


def test_appeal_overturned_condition_is_removed_from_the_licence(world):
    appeal = factories.make_lodged_appeal(world, subject=Subject.CONDITION)
    licence = appeal.licence
    assert appeal.condition_text in licence.conditions

    decide(world, appeal, S.OVERTURNED)

    licence.refresh_from_db()
    assert appeal.condition_text not in licence.conditions
    assert licence.status == Licence.Status.ACTIVE
    event = audit_events(licence, Verb.LICENCE_CONDITION_REMOVED).get()
    assert event.payload == {"appeal": appeal.reference, "condition": appeal.condition_text}

    # removing it again changes nothing
    licensing_appeals.licence_condition_remove(
        actor=world.appeals_reviewer,
        licence=licence,
        condition_text=appeal.condition_text,
        appeal_reference=appeal.reference,
    )
    assert audit_events(licence, Verb.LICENCE_CONDITION_REMOVED).count() == 1


@pytest.mark.parametrize("subject", [Subject.REVOCATION, Subject.SUSPENSION, Subject.CONDITION])
def test_appeal_remitted_licence_subject_tells_the_licensing_team(world, subject):
    appeal = factories.make_lodged_appeal(world, subject=subject)
    before = Licence.objects.filter(pk=appeal.licence_id).values().get()

    decide(world, appeal, S.REMITTED)

    assert Licence.objects.filter(pk=appeal.licence_id).values().get() == before
    for official in (world.case_officer, world.senior_official):
        assert Notification.objects.filter(
            recipient=official, body__contains="fresh review by the licensing team"
        ).exists()


# --- Party matches ------------------------------------------------------------------------------


def test_appeal_overturned_match_records_a_false_match_that_is_not_raised_again(world):
    list_version_import(actor=None, paths=OFAC_V1)
    application = licensing.make_under_review(world)
    party = Party.objects.create(
        application=application,
        role=Party.Role.THIRD_PARTY,
        name="Acme General Trading FZE",
        country="AE",
    )
    rule = RuleFactory(kind=Rule.Kind.PARTY_MATCH, parameters={})
    [hit] = check_run(rule=rule, context=context_build(application=application))
    flag = FlagFactory(
        run=ScreeningRunFactory(application=application),
        rule=rule,
        fingerprint=hit.fingerprint,
        summary=hit.summary,
        evidence=hit.evidence,
        party_id=hit.party_id,
        list_version_id=hit.list_version_id,
    )
    flag_dispose(
        actor=world.case_officer,
        flag=flag,
        disposition=Flag.Disposition.CONFIRMED,
        reason="Same name.",
    )
    application = licensing.make_refused(world, application=application)
    appeal = factories.make_lodged_appeal(
        world, subject=Subject.MATCH, application=application, flag=Flag.objects.get(pk=flag.pk)
    )

    appeal = decide(world, appeal, S.OVERTURNED, reasons="Different company, other registry.")

    flag.refresh_from_db()
    assert flag.disposition == Flag.Disposition.DISMISSED
    assert flag.disposed_by == world.appeals_reviewer
    known = KnownFalseMatch.objects.get(flag=flag)
    assert (known.organisation, known.list_code, known.entry_id) == (
        world.organisation,
        "us_ofac_sdn",
        hit.evidence["entry_id"],
    )
    overturned = AuditEvent.objects.get(
        target_type="screening.flag", target_id=str(flag.pk), verb=Verb.FLAG_OVERTURNED
    )
    assert (overturned.from_status, overturned.to_status) == ("confirmed", "dismissed")
    assert overturned.payload["appeal"] == appeal.reference
    assert AuditEvent.objects.filter(
        target_type="screening.flag", target_id=str(flag.pk), verb=Verb.FALSE_MATCH_RECORDED
    ).exists()
    assert list(appeal.involved_rules.all()) == [rule]
    assert Application.objects.get(pk=application.pk).status == AppStatus.REFUSED
    # The party is screened again on a new application of the organisation: no hit.
    again = licensing.make_draft(world)
    Party.objects.create(
        application=again, role=Party.Role.THIRD_PARTY, name=party.name, country="AE"
    )
    assert check_run(rule=rule, context=context_build(application=again)) == []


def test_flag_overturn_on_appeal_again_changes_nothing_and_needs_the_permission(world):
    _application, flag = factories.make_refused_with_flag(world)
    with pytest.raises(PermissionDenied):
        flag_overturn_on_appeal(
            actor=world.case_officer, flag=flag, reason="x", appeal_reference="APL-1"
        )
    flag_overturn_on_appeal(
        actor=world.appeals_reviewer, flag=flag, reason="Not them.", appeal_reference="APL-1"
    )
    flag_overturn_on_appeal(
        actor=world.appeals_reviewer, flag=flag, reason="Not them.", appeal_reference="APL-1"
    )
    assert KnownFalseMatch.objects.filter(flag=flag).count() == 1


def test_appeal_remitted_match_puts_the_flag_back_for_a_fresh_disposition(world):
    application = licensing.make_under_review(world)
    flag = factories.confirmed_party_match(world, application, by=world.senior_official)
    appeal = factories.make_lodged_appeal(
        world, subject=Subject.MATCH, application=application, flag=flag
    )

    decide(world, appeal, S.REMITTED, reasons="Look at the registry extract.")

    flag.refresh_from_db()
    assert flag.disposition == Flag.Disposition.PENDING
    assert flag.disposed_by is None
    event = AuditEvent.objects.filter(target_type="screening.flag", target_id=str(flag.pk)).last()
    assert (event.verb, event.from_status, event.to_status) == (
        Verb.FLAG_REOPENED,
        "confirmed",
        "pending",
    )
    flag_dispose(
        actor=world.case_officer,
        flag=flag,
        disposition=Flag.Disposition.DISMISSED,
        reason="Registry shows another company.",
        false_match=True,
    )
    assert KnownFalseMatch.objects.filter(flag=flag).exists()


def test_a_match_remitted_on_a_refused_case_can_be_disposed_of_again(world, client):
    """The case stays refused, but the flag the appeal sent back is offered to officials for a
    fresh decision (before, a decided case's flags could not be disposed of at all)."""
    application, flag = factories.make_refused_with_flag(world)
    appeal = factories.make_lodged_appeal(
        world, subject=Subject.MATCH, application=application, flag=flag
    )
    decide(world, appeal, S.REMITTED, reasons="Look at the registry extract.")

    client.force_login(world.case_officer)
    page = client.get(reverse("licensing:case_detail", args=[application.pk])).content.decode()
    assert reverse("screening:flag_dispose", args=[application.pk, flag.pk]) in page
    flag_dispose(
        actor=world.case_officer,
        flag=flag,
        disposition=Flag.Disposition.DISMISSED,
        reason="The registry extract names another company.",
    )
    flag.refresh_from_db()
    application.refresh_from_db()
    assert (flag.disposition, application.status) == ("dismissed", Application.Status.REFUSED)
    with pytest.raises(ApplicationError, match="can no longer be confirmed or dismissed"):
        flag_dispose(  # once decided again, it is settled like the rest of the case
            actor=world.case_officer,
            flag=flag,
            disposition=Flag.Disposition.CONFIRMED,
            reason="On second thoughts.",
        )


# --- Learning: each rule version's appeal record ---------------------------------------------


def test_rule_appeal_record_counts_outcomes_per_version(world, client, django_assert_num_queries):
    v1 = RuleFactory(
        code="party-match-test", version=1, kind=Rule.Kind.PARTY_MATCH, status="superseded"
    )
    v2 = RuleFactory(code="party-match-test", version=2, kind=Rule.Kind.PARTY_MATCH)
    outcomes = [(v1, S.OVERTURNED), (v1, S.UPHELD), (v1, S.OVERTURNED), (v2, S.REMITTED)]
    for number, (rule, outcome) in enumerate(outcomes):
        application, _flag = factories.make_refused_with_flag(world, rule=rule)
        appeal = factories.make_lodged_appeal(world, application=application)
        extra = (
            {"officer": fresh_officer(world, f"officer{number}")} if outcome == S.REMITTED else {}
        )
        decide(world, appeal, outcome, **extra)
    unrelated, _flag = factories.make_refused_with_flag(world)  # another rule's appeal
    decide(world, factories.make_lodged_appeal(world, application=unrelated), S.OVERTURNED)
    factories.make_lodged_appeal(  # undecided: not counted
        world, application=factories.make_refused_with_flag(world, rule=v2)[0]
    )

    with django_assert_num_queries(1):
        record = services.rule_appeal_record(code="party-match-test")

    assert record == {
        1: {"overturned": 2, "upheld": 1, "remitted": 0},
        2: {"overturned": 0, "upheld": 0, "remitted": 1},
    }
    client.force_login(world.policy_admin)
    page = client.get(reverse("screening:rule_detail", kwargs={"code": "party-match-test"}))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="appeals-overturned-v1">2<' in html
    assert 'data-testid="appeals-upheld-v1">1<' in html
    assert 'data-testid="appeals-remitted-v2">1<' in html


def test_appeal_decided_refusal_without_flags_records_no_rules(world):
    appeal = factories.make_lodged_appeal(world)

    appeal = decide(world, appeal, S.UPHELD)

    assert list(appeal.involved_rules.all()) == []
