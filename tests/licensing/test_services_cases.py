"""The officials' services: triage, claim, information requests, consultations, recommendation
and decision."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exportgov.accounts import services as account_services
from exportgov.accounts.models import Team
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing import deadlines
from licensing.models import (
    Advice,
    Application,
    CaseNote,
    Decision,
    Licence,
    Outcome,
    Recommendation,
    Tier,
)
from licensing.selectors import application_list_for_user, application_timeline
from licensing.services.applications import application_submit, application_withdraw
from licensing.services.cases import (
    advice_give,
    case_assign,
    case_claim,
    case_note_add,
    case_route_to_triage,
    consultation_end,
    consultation_request,
    decision_make,
    information_request_answer,
    information_request_create,
    recommendation_make,
    recommendation_return,
)
from tests.accounts.factories import UserFactory

from .factories import (
    LicenceConditionFactory,
    RefusalCriterionFactory,
    audit_events,
    db_state,
    make_approved,
    make_draft,
    make_recommended,
    make_submitted,
    make_under_review,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
Verb = AuditEvent.Verb


def set_tier(application: Application, tier: str) -> Application:
    Application.objects.filter(pk=application.pk).update(tier=tier)
    return Application.objects.get(pk=application.pk)


def official(role: Role, team: Team | None = None):
    user = UserFactory()
    account_services.user_roles_set(actor=None, user=user, roles=[role])
    if team is not None:
        account_services.team_member_add(actor=None, team=team, user=user)
    return user


def advisory_team(code: str = "cyber"):
    team = account_services.team_create(
        actor=None, name=f"{code} advisers", code=code, kind=Team.Kind.ADVISORY
    )
    return team, official(Role.ADVISOR, team)


def subjects_to(user) -> list[str]:
    return [message.subject for message in mail.outbox if message.to == [user.email]]


def expect_refused(exception, call, application, code: str | None = None):
    """`call()` raises `exception` and leaves the application exactly as it was."""
    before = db_state(application)
    with pytest.raises(exception) as error:
        call()
    assert db_state(application) == before
    if code is not None:
        assert error.value.code == code
    return error.value


# case_route_to_triage ------------------------------------------------------------------------


def test_case_route_to_triage_again_changes_nothing(submitted):
    before = db_state(submitted)

    case_route_to_triage(application=submitted, tier=Tier.LOW, risk_score=3)

    assert db_state(submitted) == before


def test_case_route_to_triage_refuses_a_case_already_in_review(under_review):
    expect_refused(
        ApplicationError,
        lambda: case_route_to_triage(application=under_review, tier=Tier.LOW, risk_score=3),
        under_review,
        code="invalid_transition",
    )


# case_claim / case_assign --------------------------------------------------------------------


def test_case_claim_starts_the_review(world, submitted):
    application = case_claim(actor=world.case_officer, application=submitted)

    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    assert application.assigned_officer == world.case_officer
    event = audit_events(application, Verb.REVIEW_STARTED).get()
    assert (event.actor, event.from_status, event.to_status) == (
        world.case_officer,
        Status.TRIAGE,
        Status.UNDER_REVIEW,
    )


def test_case_claim_again_changes_nothing(world, under_review):
    before = db_state(under_review)

    case_claim(actor=world.case_officer, application=under_review)

    assert db_state(under_review) == before


def test_case_claim_refuses_a_case_claimed_by_another_officer(world, under_review):
    error = expect_refused(
        ApplicationError,
        lambda: case_claim(actor=world.senior_official, application=under_review),
        under_review,
        code="already_claimed",
    )
    assert str(world.case_officer) in error.message


def test_case_claim_refuses_anyone_but_reviewers(world, submitted):
    for actor in (world.advisor, world.exporter, world.appeals_reviewer, world.auditor):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: case_claim(actor=actor, application=submitted),
            submitted,
        )


def test_case_claim_refuses_a_draft(world, draft):
    expect_refused(
        ApplicationError, lambda: case_claim(actor=world.case_officer, application=draft), draft
    )


def test_case_assign_reassigns_a_case_under_review(world, under_review):
    case_assign(
        actor=world.senior_official, application=under_review, officer=world.senior_official
    )

    under_review.refresh_from_db()
    assert under_review.assigned_officer == world.senior_official
    assert under_review.status == Status.UNDER_REVIEW
    event = audit_events(under_review, Verb.CASE_ASSIGNED).get()
    assert event.actor == world.senior_official
    before = db_state(under_review)
    case_assign(
        actor=world.senior_official, application=under_review, officer=world.senior_official
    )
    assert db_state(under_review) == before


def test_case_assign_refuses_an_officer_who_cannot_review(world, submitted):
    expect_refused(
        ApplicationError,
        lambda: case_assign(actor=world.case_officer, application=submitted, officer=world.advisor),
        submitted,
    )


# case_note_add -------------------------------------------------------------------------------


def test_case_note_add_is_hidden_from_the_exporter(world, under_review):
    note = case_note_add(
        actor=world.case_officer, application=under_review, text="Check the end user."
    )

    assert note.author == world.case_officer
    assert audit_events(under_review, Verb.NOTE_ADDED).get().payload == {"note": note.pk}
    exporter_verbs = {
        e.verb for e in application_timeline(application=under_review, exporter_view=True)
    }
    assert Verb.NOTE_ADDED not in exporter_verbs
    official_verbs = {
        e.verb for e in application_timeline(application=under_review, exporter_view=False)
    }
    assert Verb.NOTE_ADDED in official_verbs


def test_case_note_add_refuses_non_reviewers(world, under_review):
    for actor in (world.exporter, world.advisor):
        with pytest.raises(PermissionDenied):
            case_note_add(actor=actor, application=under_review, text="x")
    assert not CaseNote.objects.exists()


# information_request_create / information_request_answer -------------------------------------


def test_information_request_create_pauses_the_clock_and_notifies_the_exporter(
    world, under_review, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = information_request_create(
            actor=world.case_officer, application=under_review, question="Who is the end user?"
        )

    application = Application.objects.get(pk=under_review.pk)
    assert application.status == Status.INFO_REQUESTED
    assert application.clock_paused_since == timezone.localdate()
    assert request.is_open
    event = audit_events(application, Verb.INFORMATION_REQUESTED).get()
    assert (event.from_status, event.to_status) == (Status.UNDER_REVIEW, Status.INFO_REQUESTED)
    assert event.payload == {"request": request.pk, "question": "Who is the end user?"}
    subject = f"[ExportGov] {application.reference}: information requested"
    assert subjects_to(world.exporter) == [subject]
    assert Notification.objects.filter(
        recipient=world.exporter, subject=f"{application.reference}: information requested"
    ).exists()


def test_information_request_create_refuses_non_reviewers(world, under_review):
    for actor in (world.advisor, world.exporter, world.appeals_reviewer):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: information_request_create(
                actor=actor, application=under_review, question="?"
            ),
            under_review,
        )


def test_information_request_create_refuses_a_case_not_under_review(world, approved):
    for application in (approved, make_submitted(world), make_recommended(world)):
        expect_refused(
            ApplicationError,
            lambda application=application: information_request_create(
                actor=world.case_officer, application=application, question="?"
            ),
            application,
            code="invalid_transition",
        )


def test_information_request_answer_restarts_the_clock_and_extends_the_deadline(
    world, under_review, django_capture_on_commit_callbacks
):
    request = information_request_create(
        actor=world.case_officer, application=under_review, question="Send the contract."
    )
    original_deadline = Application.objects.get(pk=under_review.pk).deadline_on
    paused_since = timezone.localdate() - timedelta(days=15)
    Application.objects.filter(pk=under_review.pk).update(clock_paused_since=paused_since)

    with django_capture_on_commit_callbacks(execute=True):
        information_request_answer(actor=world.colleague, request=request, answer="Attached.")

    application = Application.objects.get(pk=under_review.pk)
    paused = deadlines.working_days_between(paused_since, timezone.localdate())
    assert paused >= 9
    assert application.status == Status.UNDER_REVIEW
    assert application.clock_paused_since is None
    assert application.paused_working_days == paused
    assert application.deadline_on == deadlines.add_working_days(original_deadline, paused)
    assert application.deadline_on == deadlines.deadline_for(
        submitted_on=timezone.localdate(application.submitted_at),
        tier=application.tier,
        paused_working_days=paused,
    )
    request.refresh_from_db()
    assert (request.answer, request.answered_by) == ("Attached.", world.colleague)
    event = audit_events(application, Verb.INFORMATION_PROVIDED).get()
    assert (event.from_status, event.to_status) == (Status.INFO_REQUESTED, Status.UNDER_REVIEW)
    assert event.payload == {"request": request.pk, "paused_working_days": paused}
    assert subjects_to(world.case_officer) == [
        f"[ExportGov] {application.reference}: the applicant answered"
    ]


def test_information_request_answer_pauses_accumulate(world, under_review):
    for days_ago in (10, 5):
        request = information_request_create(
            actor=world.case_officer, application=under_review, question="And?"
        )
        since = timezone.localdate() - timedelta(days=days_ago)
        Application.objects.filter(pk=under_review.pk).update(clock_paused_since=since)
        information_request_answer(actor=world.exporter, request=request, answer="Here.")

    today = timezone.localdate()
    expected = sum(
        deadlines.working_days_between(today - timedelta(days=d), today) for d in (10, 5)
    )
    application = Application.objects.get(pk=under_review.pk)
    assert application.paused_working_days == expected
    assert application.deadline_on == deadlines.deadline_for(
        submitted_on=timezone.localdate(application.submitted_at),
        tier=application.tier,
        paused_working_days=expected,
    )


def test_information_request_answer_again_changes_nothing(world, under_review):
    request = information_request_create(
        actor=world.case_officer, application=under_review, question="?"
    )
    information_request_answer(actor=world.exporter, request=request, answer="First answer.")
    before = db_state(under_review)

    information_request_answer(actor=world.exporter, request=request, answer="Second answer.")

    assert db_state(under_review) == before
    request.refresh_from_db()
    assert request.answer == "First answer."


def test_information_request_answer_refuses_anyone_outside_the_organisation(world, under_review):
    request = information_request_create(
        actor=world.case_officer, application=under_review, question="?"
    )
    for actor in (world.other_exporter, world.case_officer, world.advisor):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: information_request_answer(
                actor=actor, request=request, answer="x"
            ),
            under_review,
        )


def test_information_request_answer_refuses_a_withdrawn_case(world, under_review):
    request = information_request_create(
        actor=world.case_officer, application=under_review, question="?"
    )
    application_withdraw(actor=world.exporter, application=under_review)
    expect_refused(
        ApplicationError,
        lambda: information_request_answer(actor=world.exporter, request=request, answer="x"),
        under_review,
        code="invalid_transition",
    )


# consultation_request / advice_give / consultation_end ---------------------------------------


def test_consultation_request_lets_the_advisory_body_see_only_this_case(
    world, under_review, django_capture_on_commit_callbacks
):
    other_case = make_under_review(world)
    assert not application_list_for_user(user=world.advisor).exists()

    with django_capture_on_commit_callbacks(execute=True):
        [consultation] = consultation_request(
            actor=world.case_officer,
            application=under_review,
            teams=[world.defence_team],
            question="Any military concern?",
        )

    assert consultation.team == world.defence_team
    assert list(application_list_for_user(user=world.advisor)) == [under_review]
    assert other_case not in application_list_for_user(user=world.advisor)
    application = Application.objects.get(pk=under_review.pk)
    assert application.status == Status.IN_CONSULTATION
    event = audit_events(application, Verb.CONSULTATION_REQUESTED).get()
    assert (event.from_status, event.to_status) == (Status.UNDER_REVIEW, Status.IN_CONSULTATION)
    assert event.payload == {"teams": ["defence"], "question": "Any military concern?"}
    assert subjects_to(world.advisor) == [
        f"[ExportGov] Advice requested on {application.reference}"
    ]
    # Consultation is internal: the exporter hears nothing.
    assert subjects_to(world.exporter) == []


def test_consultation_request_refuses_non_advisory_teams_and_no_teams(world, under_review):
    expect_refused(
        ApplicationError,
        lambda: consultation_request(
            actor=world.case_officer,
            application=under_review,
            teams=[world.licensing_team],
            question="?",
        ),
        under_review,
    )
    expect_refused(
        ApplicationError,
        lambda: consultation_request(
            actor=world.case_officer, application=under_review, teams=[], question="?"
        ),
        under_review,
    )


def test_consultation_request_refuses_a_case_not_under_review(world, submitted):
    expect_refused(
        ApplicationError,
        lambda: consultation_request(
            actor=world.case_officer,
            application=submitted,
            teams=[world.defence_team],
            question="?",
        ),
        submitted,
        code="invalid_transition",
    )
    assert not application_list_for_user(user=world.advisor).exists()


def test_consultation_request_refuses_non_reviewers(world, under_review):
    for actor in (world.advisor, world.exporter):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: consultation_request(
                actor=actor, application=under_review, teams=[world.defence_team], question="?"
            ),
            under_review,
        )


def test_advice_give_is_immutable_a_revision_supersedes(
    world, under_review, django_capture_on_commit_callbacks
):
    [consultation] = consultation_request(
        actor=world.case_officer, application=under_review, teams=[world.defence_team], question="?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = advice_give(
            actor=world.advisor,
            consultation=consultation,
            outcome=Advice.Outcome.NO_OBJECTION,
            rationale="Civil research use.",
        )
    first_row = Advice.objects.filter(pk=first.pk).values().get()

    second = advice_give(
        actor=world.advisor,
        consultation=consultation,
        outcome=Advice.Outcome.CONDITIONS,
        rationale="Only with a no re-export condition.",
    )

    assert second.pk != first.pk
    assert second.supersedes == first
    assert Advice.objects.filter(pk=first.pk).values().get() == first_row
    assert list(consultation.advice.filter(superseded_by__isnull=True)) == [second]
    events = audit_events(under_review, Verb.ADVICE_GIVEN)
    assert [e.payload["revises"] for e in events] == [None, first.pk]
    assert subjects_to(world.case_officer) == [
        f"[ExportGov] Advice given on {under_review.reference}"
    ]


def test_advice_give_ends_the_consultation_once_every_body_has_answered(world, under_review):
    cyber, cyber_advisor = advisory_team()
    defence_consultation, cyber_consultation = consultation_request(
        actor=world.case_officer,
        application=under_review,
        teams=[world.defence_team, cyber],
        question="?",
    )

    advice_give(
        actor=world.advisor,
        consultation=defence_consultation,
        outcome=Advice.Outcome.NO_OBJECTION,
        rationale="Fine.",
    )
    assert Application.objects.get(pk=under_review.pk).status == Status.IN_CONSULTATION
    assert not audit_events(under_review, Verb.CONSULTATION_ENDED).exists()

    advice_give(
        actor=cyber_advisor,
        consultation=cyber_consultation,
        outcome=Advice.Outcome.OBJECTION,
        rationale="Dual use for signals intelligence.",
    )
    assert Application.objects.get(pk=under_review.pk).status == Status.UNDER_REVIEW
    event = audit_events(under_review, Verb.CONSULTATION_ENDED).get()
    assert (event.actor, event.from_status, event.to_status) == (
        cyber_advisor,
        Status.IN_CONSULTATION,
        Status.UNDER_REVIEW,
    )


def test_advice_give_refuses_advisors_of_another_body_and_officers(world, under_review):
    _cyber, cyber_advisor = advisory_team()
    [consultation] = consultation_request(
        actor=world.case_officer, application=under_review, teams=[world.defence_team], question="?"
    )
    for actor in (cyber_advisor, world.case_officer, world.exporter):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: advice_give(
                actor=actor, consultation=consultation, outcome="objection", rationale="x"
            ),
            under_review,
        )
    assert not application_list_for_user(user=cyber_advisor).exists()


def test_advice_give_refuses_a_closed_case(world, under_review):
    [consultation] = consultation_request(
        actor=world.case_officer, application=under_review, teams=[world.defence_team], question="?"
    )
    application_withdraw(actor=world.exporter, application=under_review)
    expect_refused(
        ApplicationError,
        lambda: advice_give(
            actor=world.advisor, consultation=consultation, outcome="objection", rationale="x"
        ),
        under_review,
    )


def test_consultation_end_resumes_review_without_waiting(world, under_review):
    consultation_request(
        actor=world.case_officer, application=under_review, teams=[world.defence_team], question="?"
    )

    consultation_end(actor=world.case_officer, application=under_review)

    assert Application.objects.get(pk=under_review.pk).status == Status.UNDER_REVIEW
    event = audit_events(under_review, Verb.CONSULTATION_ENDED).get()
    assert (event.from_status, event.to_status) == (Status.IN_CONSULTATION, Status.UNDER_REVIEW)
    expect_refused(
        ApplicationError,
        lambda: consultation_end(actor=world.case_officer, application=under_review),
        under_review,
        code="invalid_transition",
    )


def test_consultation_end_refuses_advisors(world, under_review):
    consultation_request(
        actor=world.case_officer, application=under_review, teams=[world.defence_team], question="?"
    )
    expect_refused(
        PermissionDenied,
        lambda: consultation_end(actor=world.advisor, application=under_review),
        under_review,
    )


# recommendation_make / recommendation_return -------------------------------------------------


def test_recommendation_make_approve_with_catalogue_conditions(world, under_review):
    condition = LicenceConditionFactory()
    recommendation = recommendation_make(
        actor=world.case_officer,
        application=under_review,
        outcome=Outcome.APPROVE,
        explanation="Fine.",
        conditions=[condition],
        custom_conditions="  Report each shipment.  \n",
    )

    assert list(recommendation.conditions.all()) == [condition]
    assert recommendation.custom_conditions == "Report each shipment."
    assert Application.objects.get(pk=under_review.pk).status == Status.RECOMMENDED
    event = audit_events(under_review, Verb.RECOMMENDED).get()
    assert (event.actor, event.from_status, event.to_status) == (
        world.case_officer,
        Status.UNDER_REVIEW,
        Status.RECOMMENDED,
    )
    assert event.payload == {"recommendation": recommendation.pk, "outcome": "approve"}


def test_recommendation_make_refuses_a_retired_catalogue_entry(world, under_review):
    retired = RefusalCriterionFactory(active=False)
    with pytest.raises(ApplicationError, match="retired from the catalogue"):
        recommendation_make(
            actor=world.case_officer,
            application=under_review,
            outcome=Outcome.REFUSE,
            explanation="No.",
            refusal_criteria=[retired],
        )
    assert Application.objects.get(pk=under_review.pk).status == Status.UNDER_REVIEW


def test_recommendation_make_refuse_needs_refusal_criteria(world, under_review):
    expect_refused(
        ApplicationError,
        lambda: recommendation_make(
            actor=world.case_officer,
            application=under_review,
            outcome=Outcome.REFUSE,
            explanation="No.",
        ),
        under_review,
    )
    expect_refused(
        ApplicationError,
        lambda: recommendation_make(
            actor=world.case_officer,
            application=under_review,
            outcome=Outcome.APPROVE,
            explanation="Yes.",
            refusal_criteria=[RefusalCriterionFactory()],
        ),
        under_review,
    )


@pytest.mark.parametrize("fixture", ["submitted", "recommended_approve"])
def test_recommendation_make_refuses_a_case_not_under_review(world, fixture, request):
    application = request.getfixturevalue(fixture)
    expect_refused(
        ApplicationError,
        lambda: recommendation_make(
            actor=world.case_officer, application=application, outcome="approve", explanation="x"
        ),
        application,
        code="invalid_transition",
    )
    assert Recommendation.objects.filter(application=application).count() == (
        1 if application.status == Status.RECOMMENDED else 0
    )


def test_recommendation_make_refuses_non_reviewers(world, under_review):
    for actor in (world.advisor, world.exporter, world.appeals_reviewer):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: recommendation_make(
                actor=actor, application=under_review, outcome="approve", explanation="x"
            ),
            under_review,
        )


def test_recommendation_return_sends_the_case_back(world, recommended_approve):
    recommendation_return(
        actor=world.senior_official, application=recommended_approve, reason="Ask for the contract."
    )

    assert Application.objects.get(pk=recommended_approve.pk).status == Status.UNDER_REVIEW
    event = audit_events(recommended_approve, Verb.RECOMMENDATION_RETURNED).get()
    assert (event.from_status, event.to_status) == (Status.RECOMMENDED, Status.UNDER_REVIEW)
    assert event.payload == {"reason": "Ask for the contract."}


def test_recommendation_return_refuses_case_officers_and_wrong_states(world, recommended_approve):
    submitted = make_submitted(world)
    expect_refused(
        PermissionDenied,
        lambda: recommendation_return(
            actor=world.case_officer, application=recommended_approve, reason="x"
        ),
        recommended_approve,
    )
    expect_refused(
        ApplicationError,
        lambda: recommendation_return(
            actor=world.senior_official, application=submitted, reason="x"
        ),
        submitted,
        code="invalid_transition",
    )


# decision_make -------------------------------------------------------------------------------


def test_decision_make_approve_issues_the_licence(
    world, under_review, django_capture_on_commit_callbacks
):
    condition = LicenceConditionFactory(text="No re-export without permission.")
    recommendation_make(
        actor=world.case_officer,
        application=under_review,
        outcome=Outcome.APPROVE,
        explanation="Credible civil end use.",
        conditions=[condition],
        custom_conditions="Report each shipment.",
    )

    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_make(
            actor=world.senior_official, application=under_review, explanation="Agreed."
        )

    application = Application.objects.get(pk=under_review.pk)
    assert application.status == Status.APPROVED
    assert application.decided_at == decision.created_at
    assert decision.outcome == Outcome.APPROVE
    assert decision.decided_by == world.senior_official
    assert decision.conditions == ["No re-export without permission.", "Report each shipment."]
    assert decision.grounds == []
    assert decision.explanation == "Credible civil end use.\n\nAgreed."
    licence = Licence.objects.get(application=application)
    assert re.fullmatch(r"EGL-\d{4}-\d{6}", licence.number)
    assert licence.number == f"EGL-{licence.issued_at:%Y}-{licence.pk:06d}"
    assert licence.status == Licence.Status.ACTIVE
    assert licence.organisation == world.organisation
    assert licence.conditions == decision.conditions
    assert licence.expires_on > timezone.localdate()
    [licence_item] = licence.items.all()
    item = application.items.get()
    assert (licence_item.item, licence_item.control_code) == (item, "3A001.b.2")
    assert (licence_item.quantity, licence_item.unit) == (Decimal(10), "items")
    assert (licence_item.value, licence_item.currency) == (Decimal(50000), "GBP")
    assert licence_item.shipped_quantity == licence_item.shipped_value == 0
    event = audit_events(application, Verb.APPROVED).get()
    assert (event.actor, event.from_status, event.to_status) == (
        world.senior_official,
        Status.RECOMMENDED,
        Status.APPROVED,
    )
    assert audit_events(licence, Verb.LICENCE_ISSUED).get().to_status == Licence.Status.ACTIVE
    assert subjects_to(world.exporter) == [f"[ExportGov] Licence {licence.number} issued"]


def test_decision_make_refuse_stores_the_grounds_and_tells_the_exporter(
    world, under_review, django_capture_on_commit_callbacks
):
    criterion = RefusalCriterionFactory(
        code="diversion", title="Risk of diversion", description="Clear risk of diversion."
    )
    make_recommended(
        world, outcome=Outcome.REFUSE, refusal_criteria=[criterion], application=under_review
    )

    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_make(actor=world.senior_official, application=under_review)

    application = Application.objects.get(pk=under_review.pk)
    assert application.status == Status.REFUSED
    assert decision.outcome == Outcome.REFUSE
    assert decision.conditions == []
    assert decision.grounds == [
        {
            "code": "diversion",
            "title": "Risk of diversion",
            "description": "Clear risk of diversion.",
        }
    ]
    assert not Licence.objects.filter(application=application).exists()
    event = audit_events(application, Verb.REFUSED).get()
    assert (event.from_status, event.to_status) == (Status.RECOMMENDED, Status.REFUSED)
    assert subjects_to(world.exporter) == [
        f"[ExportGov] {application.reference}: application refused"
    ]


def test_decision_make_four_eyes_the_recommender_cannot_decide_medium_tier(world, submitted):
    application = make_recommended(
        world, officer=world.senior_official, application=make_under_review_by(world, submitted)
    )
    assert application.tier == Tier.MEDIUM
    expect_refused(
        ApplicationError,
        lambda: decision_make(actor=world.senior_official, application=application),
        application,
        code="four_eyes",
    )


def make_under_review_by(world, application, officer=None):
    case_claim(actor=officer or world.senior_official, application=application)
    return Application.objects.get(pk=application.pk)


def test_decision_make_four_eyes_applies_to_high_tier_too(world, submitted):
    application = make_under_review_by(world, set_tier(submitted, Tier.HIGH))
    [consultation] = consultation_request(
        actor=world.senior_official,
        application=application,
        teams=[world.defence_team],
        question="?",
    )
    advice_give(
        actor=world.advisor, consultation=consultation, outcome="no_objection", rationale="ok"
    )
    application = make_recommended(world, officer=world.senior_official, application=application)

    expect_refused(
        ApplicationError,
        lambda: decision_make(actor=world.senior_official, application=application),
        application,
        code="four_eyes",
    )


def test_decision_make_refuses_a_case_officer_on_a_medium_tier_case(world, recommended_approve):
    expect_refused(
        PermissionDenied,
        lambda: decision_make(actor=world.case_officer, application=recommended_approve),
        recommended_approve,
    )


def test_decision_make_refuses_non_officials(world, recommended_approve):
    for actor in (world.advisor, world.exporter, world.appeals_reviewer, world.auditor):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: decision_make(actor=actor, application=recommended_approve),
            recommended_approve,
        )


def test_decision_make_low_tier_the_case_officer_decides_alone(world):
    application = make_recommended(world, tier=Tier.LOW)
    assert application.tier == Tier.LOW

    decision = decision_make(actor=world.case_officer, application=application)

    assert decision.decided_by == world.case_officer
    assert Application.objects.get(pk=application.pk).status == Status.APPROVED
    assert Licence.objects.filter(application=application).exists()


def test_decision_make_low_tier_still_refuses_non_officials(world):
    application = make_recommended(world, tier=Tier.LOW)
    for actor in (world.advisor, world.exporter, world.appeals_reviewer):
        expect_refused(
            PermissionDenied,
            lambda actor=actor: decision_make(actor=actor, application=application),
            application,
        )


def test_decision_make_high_tier_needs_an_answered_consultation(world):
    application = make_under_review(world, tier=Tier.HIGH)
    [consultation] = consultation_request(
        actor=world.case_officer, application=application, teams=[world.defence_team], question="?"
    )
    consultation_end(actor=world.case_officer, application=application)
    application = make_recommended(world, application=application)

    expect_refused(
        ApplicationError,
        lambda: decision_make(actor=world.senior_official, application=application),
        application,
        code="consultation",
    )

    recommendation_return(actor=world.senior_official, application=application, reason="Advice?")
    advice_give(
        actor=world.advisor, consultation=consultation, outcome="no_objection", rationale="ok"
    )
    application = make_recommended(world, application=application)
    decision = decision_make(actor=world.senior_official, application=application)
    assert decision.outcome == Outcome.APPROVE


def test_decision_make_decides_on_the_latest_recommendation(world, recommended_approve):
    recommendation_return(
        actor=world.senior_official, application=recommended_approve, reason="Reconsider."
    )
    make_recommended(world, outcome=Outcome.REFUSE, application=recommended_approve)

    decision = decision_make(actor=world.senior_official, application=recommended_approve)

    assert decision.outcome == Outcome.REFUSE
    assert decision.recommendation == recommended_approve.recommendations.last()


def test_decision_make_refuses_a_case_that_is_not_recommended(world, refused):
    approved = make_approved(world)
    for application in (make_submitted(world), make_under_review(world), approved, refused):
        expect_refused(
            ApplicationError,
            lambda application=application: decision_make(
                actor=world.senior_official, application=application
            ),
            application,
            code="invalid_transition",
        )
    assert Decision.objects.count() == 2


def test_decision_make_refuses_a_withdrawn_case(world, recommended_approve):
    application_withdraw(actor=world.exporter, application=recommended_approve)
    expect_refused(
        ApplicationError,
        lambda: decision_make(actor=world.senior_official, application=recommended_approve),
        recommended_approve,
        code="invalid_transition",
    )


def test_officials_never_see_drafts_but_see_every_submitted_case(world):
    draft = make_draft(world)
    submitted = make_submitted(world)
    theirs = make_draft(world, actor=world.other_exporter, organisation=world.other_organisation)
    application_submit(actor=world.other_exporter, application=theirs)

    visible = set(application_list_for_user(user=world.case_officer))
    assert visible == {submitted, theirs}
    assert draft not in visible
