"""The appeal services one by one (repeated calls, audit rows, notifications, permissions per
role) and the appeals selectors (authorisation per object, query budgets)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from appeals import selectors, services
from appeals.models import Appeal, AppealDocument
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing import deadlines
from licensing.models import Application
from tests.licensing import factories as licensing
from tests.licensing.factories import pdf_upload

from . import factories
from .factories import GROUNDS, STATEMENT, appeal_events, refresh

Verb = AuditEvent.Verb
S = Appeal.Status
Subject = Appeal.Subject

EXPORTER_SIDE = ["exporter", "colleague"]
NOT_MEMBERS = [
    "other_exporter",
    "case_officer",
    "senior_official",
    "advisor",
    "appeals_reviewer",
    "policy_admin",
    "auditor",
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def refused(world) -> Application:
    return licensing.make_refused(world)


@pytest.fixture
def draft(world, refused) -> Appeal:
    return factories.make_refused_appeal_draft(world, application=refused)


@pytest.fixture
def lodged(world, draft) -> Appeal:
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    return refresh(draft)


def notified(user, subject_part: str = "") -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, subject__contains=subject_part))


# --- appeal_start ------------------------------------------------------------------------------


def test_appeal_start_creates_a_draft_of_the_refusal_with_reference_and_deadline(world, refused):
    appeal = services.appeal_start(
        actor=world.exporter, subject=Subject.REFUSAL, application=refused
    )

    appeal.refresh_from_db()
    decision = refused.decision
    assert appeal.status == S.DRAFT
    assert appeal.reference == f"APL-{timezone.now():%Y}-{appeal.pk:06d}"
    assert appeal.appellant == world.exporter
    assert appeal.organisation == world.organisation
    assert appeal.notice_at == decision.created_at
    assert appeal.filing_deadline == timezone.localdate(decision.created_at) + datetime.timedelta(
        days=settings.APPEALS_WINDOW_DAYS
    )
    (event,) = appeal_events(appeal)
    assert event.verb == Verb.APPEAL_CREATED
    assert event.actor == world.exporter
    assert event.payload["application"] == refused.reference


def test_appeal_start_again_returns_the_same_draft(world, refused):
    first = services.appeal_start(
        actor=world.exporter, subject=Subject.REFUSAL, application=refused
    )
    second = services.appeal_start(
        actor=world.colleague, subject=Subject.REFUSAL, application=refused
    )

    assert second.pk == first.pk
    assert Appeal.objects.count() == 1
    assert appeal_events(first).count() == 1


@pytest.mark.parametrize("who", NOT_MEMBERS)
def test_appeal_start_refused_for_anyone_outside_the_organisation(world, refused, who):
    with pytest.raises(PermissionDenied):
        services.appeal_start(actor=world.actor(who), subject=Subject.REFUSAL, application=refused)
    assert not Appeal.objects.exists()


def test_appeal_start_refusal_of_an_approved_case_is_refused(world):
    approved = licensing.make_approved(world)
    with pytest.raises(ApplicationError, match="Only a refused application"):
        services.appeal_start(actor=world.exporter, subject=Subject.REFUSAL, application=approved)


def test_appeal_start_condition_must_be_on_the_licence(world):
    approved = licensing.make_approved(world)
    with pytest.raises(ApplicationError, match="condition of an active licence"):
        services.appeal_start(
            actor=world.exporter,
            subject=Subject.CONDITION,
            application=approved,
            licence=approved.licence,
            condition_text="Not a condition of this licence.",
        )


def test_appeal_start_unknown_subject_is_refused(world, refused):
    with pytest.raises(ApplicationError, match="Choose what to appeal"):
        services.appeal_start(actor=world.exporter, subject="everything", application=refused)


def test_appeal_start_twice_after_lodging_is_refused(world, lodged):
    with pytest.raises(ApplicationError, match="already been appealed") as error:
        services.appeal_start(
            actor=world.exporter, subject=Subject.REFUSAL, application=lodged.application
        )
    assert error.value.code == "already_appealed"


def test_appeal_start_after_withdrawing_starts_a_new_appeal(world, lodged):
    services.appeal_withdraw(actor=world.exporter, appeal=lodged)

    again = services.appeal_start(
        actor=world.exporter, subject=Subject.REFUSAL, application=lodged.application
    )

    assert again.pk != lodged.pk
    assert again.status == S.DRAFT


# --- appeal_save -------------------------------------------------------------------------------


def test_appeal_save_stores_grounds_statement_and_audits(world, refused):
    appeal = services.appeal_start(
        actor=world.exporter, subject=Subject.REFUSAL, application=refused
    )

    services.appeal_save(
        actor=world.colleague,
        appeal=appeal,
        data={"grounds": [*GROUNDS, GROUNDS[0]], "statement": f"  {STATEMENT}  "},
    )

    appeal.refresh_from_db()
    assert appeal.grounds == list(GROUNDS)  # duplicates dropped, order kept
    assert appeal.statement == STATEMENT
    assert appeal.unsaved_input == {}
    event = appeal_events(appeal, Verb.APPEAL_SAVED).get()
    assert event.actor == world.colleague
    assert sorted(event.payload["saved"]) == ["grounds", "statement"]


def test_appeal_save_keeps_invalid_input_as_typed_and_saves_the_rest(world, draft):
    typed = {"grounds": ["factual_error", "because-i-say-so"], "statement": "New statement."}

    services.appeal_save(actor=world.exporter, appeal=draft, data=typed)

    draft.refresh_from_db()
    assert draft.unsaved_input == typed
    assert draft.grounds == list(GROUNDS)  # the invalid grounds were not saved
    assert draft.statement == "New statement."
    with pytest.raises(ApplicationError, match="did not save"):
        services.appeal_lodge(actor=world.exporter, appeal=draft)

    services.appeal_save(actor=world.exporter, appeal=draft, data={"grounds": ["factual_error"]})
    draft.refresh_from_db()
    assert draft.unsaved_input == {}
    assert draft.grounds == ["factual_error"]


def test_appeal_save_only_while_draft(world, lodged):
    with pytest.raises(ApplicationError, match="Only a draft"):
        services.appeal_save(actor=world.exporter, appeal=lodged, data={"statement": "Later."})
    assert refresh(lodged).statement == STATEMENT


@pytest.mark.parametrize("who", NOT_MEMBERS)
def test_appeal_save_refused_outside_the_organisation(world, draft, who):
    with pytest.raises(PermissionDenied):
        services.appeal_save(actor=world.actor(who), appeal=draft, data={"statement": "Mine."})
    assert refresh(draft).statement == STATEMENT


# --- appeal_document_add -----------------------------------------------------------------------


def test_appeal_document_add_stores_a_checked_pdf_and_audits(world, draft):
    document = services.appeal_document_add(
        actor=world.exporter, appeal=draft, upload=pdf_upload("evidence.pdf")
    )

    assert document.appeal == draft
    assert document.content_type == "application/pdf"
    assert document.original_name == "evidence.pdf"
    assert document.size > 0
    assert document.file.read().startswith(b"%PDF")
    event = appeal_events(draft, Verb.APPEAL_DOCUMENT_UPLOADED).get()
    assert event.payload["document"] == "evidence.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "empty"),
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 60, "not accepted|is not"),
        ("report.png", licensing.PDF_BYTES, "pdf|PDF"),
    ],
)
def test_appeal_document_add_refuses_bad_files(world, draft, name, content, message):
    with pytest.raises(ApplicationError, match=message):
        services.appeal_document_add(
            actor=world.exporter, appeal=draft, upload=SimpleUploadedFile(name, content)
        )
    assert not AppealDocument.objects.exists()


def test_appeal_document_add_after_lodging_only_to_answer_a_request(world, lodged):
    with pytest.raises(ApplicationError, match="draft appeal"):
        services.appeal_document_add(actor=world.exporter, appeal=lodged, upload=pdf_upload())
    request = services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=lodged, question="Send the contract."
    )

    document = services.appeal_document_add(
        actor=world.exporter, appeal=lodged, upload=pdf_upload(), information_request=request
    )

    assert document.information_request == request


def test_appeal_document_add_refused_for_another_organisation(world, draft):
    with pytest.raises(PermissionDenied):
        services.appeal_document_add(actor=world.other_exporter, appeal=draft, upload=pdf_upload())


# --- appeal_lodge ------------------------------------------------------------------------------


def test_appeal_lodge_lodges_assigns_and_starts_the_review(
    world, draft, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.appeal_lodge(actor=world.exporter, appeal=draft)

    appeal = refresh(draft)
    assert appeal.status == S.UNDER_REVIEW
    assert appeal.lodged_at is not None
    assert appeal.is_late is False
    assert appeal.reviewer == world.appeals_reviewer
    assert appeal.deadline_on == deadlines.add_working_days(
        timezone.localdate(), settings.APPEALS_WORKING_DAYS
    )
    lodged_event, assigned_event = appeal_events(appeal).exclude(
        verb__in=[Verb.APPEAL_CREATED, Verb.APPEAL_SAVED]
    )
    assert (lodged_event.verb, lodged_event.to_status) == (Verb.APPEAL_LODGED, S.LODGED)
    assert lodged_event.actor == world.exporter
    assert (assigned_event.verb, assigned_event.to_status) == (Verb.APPEAL_ASSIGNED, S.UNDER_REVIEW)
    assert assigned_event.actor is None  # assigned automatically
    assert assigned_event.payload["automatic"] is True
    assert notified(world.exporter, appeal.reference)
    assert notified(world.appeals_reviewer, "assigned to you")
    assert len(callbacks) >= 2
    recipients = {message.to[0] for message in mailoutbox}
    assert {world.exporter.email, world.appeals_reviewer.email} <= recipients


def test_appeal_lodge_again_changes_nothing(world, lodged):
    events, notifications = AuditEvent.objects.count(), Notification.objects.count()

    services.appeal_lodge(actor=world.exporter, appeal=lodged)

    assert refresh(lodged).status == S.UNDER_REVIEW
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notifications)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"grounds": []}, "at least one ground"),
        ({"statement": "  "}, "statement"),
    ],
)
def test_appeal_lodge_needs_grounds_and_a_statement(world, draft, data, message):
    services.appeal_save(actor=world.exporter, appeal=draft, data=data)

    with pytest.raises(ApplicationError, match=message):
        services.appeal_lodge(actor=world.exporter, appeal=draft)
    assert refresh(draft).status == S.DRAFT


@pytest.mark.parametrize("who", NOT_MEMBERS)
def test_appeal_lodge_refused_outside_the_organisation(world, draft, who):
    with pytest.raises(PermissionDenied):
        services.appeal_lodge(actor=world.actor(who), appeal=draft)
    assert refresh(draft).status == S.DRAFT


def test_appeal_lodge_with_no_eligible_reviewer_stays_in_the_queue(world, draft):
    world.appeals_reviewer.is_active = False
    world.appeals_reviewer.save(update_fields=["is_active"])

    services.appeal_lodge(actor=world.exporter, appeal=draft)

    appeal = refresh(draft)
    assert appeal.status == S.LODGED
    assert appeal.reviewer is None
    assert appeal.deadline_on is None
    assert not appeal_events(appeal, Verb.APPEAL_ASSIGNED).exists()


def test_appeal_lodge_picks_the_reviewer_with_the_fewest_open_appeals(world):
    busy = factories.make_lodged_appeal(world)
    assert busy.reviewer == world.appeals_reviewer
    second = factories.make_second_reviewer()

    appeal = factories.make_lodged_appeal(world)

    assert appeal.reviewer == second
    third = factories.make_lodged_appeal(world)
    assert third.reviewer == world.appeals_reviewer  # 1 open each: the first by id


# --- appeal_assign -----------------------------------------------------------------------------


def test_appeal_assign_starts_the_review_of_a_lodged_appeal(world, draft):
    world.appeals_reviewer.is_active = False
    world.appeals_reviewer.save(update_fields=["is_active"])
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    world.appeals_reviewer.is_active = True
    world.appeals_reviewer.save(update_fields=["is_active"])
    assigner = factories.make_second_reviewer("assigner")

    services.appeal_assign(actor=assigner, appeal=draft, reviewer=world.appeals_reviewer)

    appeal = refresh(draft)
    assert appeal.status == S.UNDER_REVIEW
    assert appeal.reviewer == world.appeals_reviewer
    assert appeal.deadline_on is not None
    event = appeal_events(appeal, Verb.APPEAL_ASSIGNED).get()
    assert event.actor == assigner
    assert (event.from_status, event.to_status) == (S.LODGED, S.UNDER_REVIEW)


def test_appeal_assign_reassignment_is_audited_and_repeating_it_changes_nothing(world, lodged):
    second = factories.make_second_reviewer()

    services.appeal_assign(actor=world.appeals_reviewer, appeal=lodged, reviewer=second)
    services.appeal_assign(actor=world.appeals_reviewer, appeal=lodged, reviewer=second)

    appeal = refresh(lodged)
    assert appeal.reviewer == second
    assert appeal.status == S.UNDER_REVIEW
    (event,) = appeal_events(appeal, Verb.APPEAL_REASSIGNED)
    assert event.actor == world.appeals_reviewer
    assert event.payload["previous_reviewer"] == world.appeals_reviewer.get_full_name()
    assert event.payload["reviewer"] == second.get_full_name()
    assert notified(second, "assigned to you")


@pytest.mark.parametrize(
    "who", ["exporter", "case_officer", "senior_official", "advisor", "policy_admin", "auditor"]
)
def test_appeal_assign_refused_without_the_assign_permission(world, lodged, who):
    second = factories.make_second_reviewer()
    with pytest.raises(PermissionDenied):
        services.appeal_assign(actor=world.actor(who), appeal=lodged, reviewer=second)
    assert refresh(lodged).reviewer == world.appeals_reviewer


def test_appeal_assign_reviewer_must_review_appeals(world, lodged):
    with pytest.raises(ApplicationError, match="does not review appeals"):
        services.appeal_assign(actor=world.appeals_reviewer, appeal=lodged, reviewer=world.auditor)


def test_appeal_assign_refused_for_a_draft_or_decided_appeal(world, draft):
    second = factories.make_second_reviewer()
    with pytest.raises(ApplicationError, match="cannot be assigned"):
        services.appeal_assign(actor=world.appeals_reviewer, appeal=draft, reviewer=second)


# --- information requests ----------------------------------------------------------------------


def test_appeal_information_request_pauses_and_the_answer_extends_the_deadline(world, draft):
    monday = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)  # no holidays nearby
    with time_machine.travel(monday, tick=False):
        services.appeal_lodge(actor=world.exporter, appeal=draft)
        first_deadline = refresh(draft).deadline_on
        request = services.appeal_information_request(
            actor=world.appeals_reviewer, appeal=draft, question="  Send the contract.  "
        )
    appeal = refresh(draft)
    assert appeal.status == S.INFO_REQUESTED
    assert appeal.clock_paused_since == datetime.date(2026, 3, 2)
    assert request.question == "Send the contract."
    assert notified(world.exporter, "question")

    with time_machine.travel(monday + datetime.timedelta(days=3), tick=False):  # Thursday
        services.appeal_information_answer(
            actor=world.colleague, request=request, answer="Attached.", uploads=[pdf_upload()]
        )

    appeal = refresh(draft)
    request.refresh_from_db()
    assert appeal.status == S.UNDER_REVIEW
    assert appeal.clock_paused_since is None
    assert appeal.paused_working_days == 3
    assert appeal.deadline_on == deadlines.add_working_days(first_deadline, 3)
    assert (request.answer, request.answered_by) == ("Attached.", world.colleague)
    assert request.documents.count() == 1
    event = appeal_events(appeal, Verb.APPEAL_INFORMATION_PROVIDED).get()
    assert event.payload["paused_working_days"] == 3
    assert notified(world.appeals_reviewer, "information provided")


def test_appeal_information_answer_twice_changes_nothing(world, lodged):
    request = services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=lodged, question="Why?"
    )
    services.appeal_information_answer(actor=world.exporter, request=request, answer="Because.")

    services.appeal_information_answer(actor=world.exporter, request=request, answer="Changed.")

    request.refresh_from_db()
    assert request.answer == "Because."
    assert appeal_events(lodged, Verb.APPEAL_INFORMATION_PROVIDED).count() == 1


def test_appeal_information_request_only_by_the_assigned_reviewer(world, lodged):
    second = factories.make_second_reviewer()
    with pytest.raises(PermissionDenied):
        services.appeal_information_request(actor=second, appeal=lodged, question="Why?")
    with pytest.raises(PermissionDenied):
        services.appeal_information_request(actor=world.case_officer, appeal=lodged, question="?")
    assert refresh(lodged).status == S.UNDER_REVIEW


def test_appeal_information_answer_refused_for_another_organisation(world, lodged):
    request = services.appeal_information_request(
        actor=world.appeals_reviewer, appeal=lodged, question="Why?"
    )
    with pytest.raises(PermissionDenied):
        services.appeal_information_answer(actor=world.other_exporter, request=request, answer="x")
    request.refresh_from_db()
    assert request.is_open


# --- appeal_decide -----------------------------------------------------------------------------


def test_appeal_decide_upheld_keeps_the_refusal_and_notifies_the_appellant(
    world, lodged, django_capture_on_commit_callbacks, mailoutbox
):
    refusal = lodged.application.decision

    with django_capture_on_commit_callbacks(execute=True):
        services.appeal_decide(
            actor=world.appeals_reviewer,
            appeal=lodged,
            outcome=S.UPHELD,
            reasons="  The refusal criteria were applied correctly.  ",
        )

    appeal = refresh(lodged)
    assert appeal.status == S.UPHELD
    assert appeal.decision_reasons == "The refusal criteria were applied correctly."
    assert appeal.decided_by == world.appeals_reviewer
    assert appeal.decided_at is not None
    application = Application.objects.get(pk=lodged.application_id)
    assert application.status == Application.Status.REFUSED
    assert application.decision == refusal
    event = appeal_events(appeal, Verb.APPEAL_UPHELD).get()
    assert (event.from_status, event.to_status) == (S.UNDER_REVIEW, S.UPHELD)
    assert event.payload["reasons"] == "The refusal criteria were applied correctly."
    (message,) = notified(world.exporter, "upheld")
    assert "applied correctly" in message.body
    assert any("upheld" in mail.subject.lower() for mail in mailoutbox)


def test_appeal_decide_again_changes_nothing_and_another_outcome_is_refused(world, lodged):
    services.appeal_decide(
        actor=world.appeals_reviewer, appeal=lodged, outcome=S.UPHELD, reasons="Stands."
    )
    events = AuditEvent.objects.count()

    services.appeal_decide(
        actor=world.appeals_reviewer, appeal=lodged, outcome=S.UPHELD, reasons="Stands."
    )
    assert AuditEvent.objects.count() == events
    with pytest.raises(ApplicationError, match="cannot be done"):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=lodged, outcome=S.OVERTURNED, reasons="No."
        )
    assert refresh(lodged).status == S.UPHELD


def test_appeal_decide_needs_reasons_and_a_known_outcome(world, lodged):
    with pytest.raises(ApplicationError, match="reasons"):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=lodged, outcome=S.UPHELD, reasons="  "
        )
    with pytest.raises(ApplicationError, match="Choose upheld"):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=lodged, outcome=S.WITHDRAWN, reasons="x"
        )
    assert refresh(lodged).status == S.UNDER_REVIEW


def test_appeal_decide_while_information_is_requested_is_refused(world, lodged):
    services.appeal_information_request(actor=world.appeals_reviewer, appeal=lodged, question="?")
    with pytest.raises(ApplicationError, match="information requested"):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=lodged, outcome=S.UPHELD, reasons="x"
        )


@pytest.mark.parametrize(
    "who", ["exporter", "case_officer", "senior_official", "advisor", "policy_admin", "auditor"]
)
def test_appeal_decide_refused_for_roles_without_review(world, lodged, who):
    with pytest.raises(PermissionDenied):
        services.appeal_decide(actor=world.actor(who), appeal=lodged, outcome=S.UPHELD, reasons="x")
    assert refresh(lodged).status == S.UNDER_REVIEW


def test_appeal_decide_only_by_the_assigned_reviewer(world, lodged):
    second = factories.make_second_reviewer()
    with pytest.raises(PermissionDenied, match="assigned reviewer"):
        services.appeal_decide(actor=second, appeal=lodged, outcome=S.UPHELD, reasons="x")


def test_appeal_decide_refusal_remit_needs_an_officer(world, lodged):
    with pytest.raises(ApplicationError, match="case officer"):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=lodged, outcome=S.REMITTED, reasons="Again."
        )
    assert refresh(lodged).status == S.UNDER_REVIEW


# --- appeal_withdraw ---------------------------------------------------------------------------


def test_appeal_withdraw_before_a_decision_tells_the_reviewer(world, lodged):
    services.appeal_withdraw(actor=world.colleague, appeal=lodged)
    services.appeal_withdraw(actor=world.colleague, appeal=lodged)  # again: nothing more

    appeal = refresh(lodged)
    assert appeal.status == S.WITHDRAWN
    (event,) = appeal_events(appeal, Verb.APPEAL_WITHDRAWN)
    assert (event.from_status, event.actor) == (S.UNDER_REVIEW, world.colleague)
    assert len(notified(world.appeals_reviewer, "withdrawn")) == 1


def test_appeal_withdraw_a_draft(world, draft):
    services.appeal_withdraw(actor=world.exporter, appeal=draft)
    assert refresh(draft).status == S.WITHDRAWN


def test_appeal_withdraw_after_the_decision_is_refused(world, lodged):
    services.appeal_decide(
        actor=world.appeals_reviewer, appeal=lodged, outcome=S.UPHELD, reasons="Stands."
    )
    with pytest.raises(ApplicationError):
        services.appeal_withdraw(actor=world.exporter, appeal=lodged)
    assert refresh(lodged).status == S.UPHELD


@pytest.mark.parametrize("who", NOT_MEMBERS)
def test_appeal_withdraw_refused_outside_the_organisation(world, lodged, who):
    with pytest.raises(PermissionDenied):
        services.appeal_withdraw(actor=world.actor(who), appeal=lodged)
    assert refresh(lodged).status == S.UNDER_REVIEW


# --- Selectors -------------------------------------------------------------------------------


def test_appeal_list_for_user_per_role(world, draft):
    lodged = factories.make_lodged_appeal(world)
    expected = {
        "exporter": {draft.pk, lodged.pk},
        "colleague": {draft.pk, lodged.pk},
        "other_exporter": set(),
        "appeals_reviewer": {lodged.pk},  # never someone's draft
        "auditor": {lodged.pk},
        "case_officer": set(),
        "policy_admin": set(),
    }
    for who, pks in expected.items():
        seen = set(
            selectors.appeal_list_for_user(user=world.actor(who)).values_list("pk", flat=True)
        )
        assert seen == pks, who


def test_appeal_get_for_user_is_404_for_others(world, draft):
    assert selectors.appeal_get_for_user(user=world.colleague, pk=draft.pk) == draft
    for who in ["other_exporter", "appeals_reviewer", "auditor", "case_officer"]:
        with pytest.raises(Http404):
            selectors.appeal_get_for_user(user=world.actor(who), pk=draft.pk)


def test_appeal_get_for_user_reads_the_appeal_in_one_query(world, django_assert_num_queries):
    appeal = factories.make_lodged_appeal(world)
    case_reference = appeal.application.reference
    world.exporter.has_perm("appeals.view_appeal")  # a request's user has its permissions cached

    with django_assert_num_queries(1):
        found = selectors.appeal_get_for_user(user=world.exporter, pk=appeal.pk)
        assert (found.application.reference, found.reviewer, found.organisation) == (
            case_reference,
            world.appeals_reviewer,
            world.organisation,
        )


def test_appeal_list_for_user_query_budget(world, django_assert_num_queries):
    for _ in range(3):
        factories.make_lodged_appeal(world)
    world.exporter.has_perm("appeals.view_appeal")  # a request's user has its permissions cached
    with django_assert_num_queries(1):
        rows = list(selectors.appeal_list_for_user(user=world.exporter))
        assert {row.application.reference for row in rows}
        assert {row.reviewer.username for row in rows} == {world.appeals_reviewer.username}
        assert {row.organisation.name for row in rows} == {world.organisation.name}


def test_appeal_queue_filters_and_query_budget(world, django_assert_num_queries):
    mine = factories.make_lodged_appeal(world)
    second = factories.make_second_reviewer()
    theirs = factories.make_lodged_appeal(world)
    assert theirs.reviewer == second
    reviewer = world.appeals_reviewer

    def queue(**filters):
        return [a.pk for a in selectors.appeal_queue(user=reviewer, filters=filters)]

    world.auditor.has_perm("appeals.view_appeal")  # a request's user has its permissions cached
    with django_assert_num_queries(1):
        rows = list(selectors.appeal_queue(user=world.auditor, filters={}))
        assert {row.reviewer.pk for row in rows} == {reviewer.pk, second.pk}
    assert set(queue()) == {mine.pk, theirs.pk}
    assert queue(reviewer="me") == [mine.pk]
    assert queue(reviewer=second.pk) == [theirs.pk]
    assert queue(reviewer="unassigned") == []
    assert queue(q=mine.reference) == [mine.pk]
    assert queue(subject=Subject.CONDITION) == []
    assert queue(status=S.UPHELD) == []
    assert set(queue(deadline="on_track")) == {mine.pk, theirs.pk}
    assert queue(deadline="overdue") == []
    with pytest.raises(PermissionDenied):
        selectors.appeal_queue(user=world.exporter, filters={})


def test_appeal_timeline_lists_the_appeals_events_and_hides_the_reviewer_from_the_appellant(
    world, lodged
):
    internal = [event.verb for event in selectors.appeal_timeline(appeal=lodged)]
    public = [event.verb for event in selectors.appeal_timeline(appeal=lodged, exporter_view=True)]

    assert internal[:1] == [Verb.APPEAL_CREATED]
    assert Verb.APPEAL_LODGED in internal
    assert Verb.APPEAL_ASSIGNED in internal
    assert Verb.APPEAL_ASSIGNED not in public
    assert Verb.APPEAL_LODGED in public


def test_appeals_for_application_hides_drafts_unless_asked(world, draft):
    assert list(selectors.appeals_for_application(application=draft.application)) == []
    assert list(
        selectors.appeals_for_application(application=draft.application, include_drafts=True)
    ) == [draft]


def test_appealable_items_for_application_lists_each_subject_with_its_deadline(world):
    application, flag = factories.make_refused_with_flag(world)

    items = selectors.appealable_items_for_application(user=world.exporter, application=application)

    assert [item.subject for item in items] == [Subject.REFUSAL, Subject.MATCH]
    refusal, match = items
    assert refusal.notice_at == application.decision.created_at
    assert refusal.filing_deadline == selectors.filing_deadline_for(refusal.notice_at)
    assert not refusal.is_late
    assert refusal.appeal is None
    assert match.flag == flag
    assert match.notice_at == flag.disposed_at
    assert (
        selectors.appealable_items_for_application(
            user=world.other_exporter, application=application
        )
        == []
    )

    appeal = services.appeal_start(
        actor=world.exporter, subject=Subject.REFUSAL, application=application
    )
    items = selectors.appealable_items_for_application(user=world.exporter, application=application)
    assert items[0].appeal == appeal


def test_appealable_items_for_an_active_licence_are_its_conditions(world):
    approved = licensing.make_approved(world)

    items = selectors.appealable_items_for_application(user=world.exporter, application=approved)

    assert [(item.subject, item.condition_text) for item in items] == [
        (Subject.CONDITION, text) for text in approved.licence.conditions
    ]
    assert items[0].notice_at == approved.licence.issued_at


def test_eligible_reviewers_least_loaded_first_in_one_query(world, django_assert_num_queries):
    busy = factories.make_lodged_appeal(world)
    second = factories.make_second_reviewer()
    draft = factories.make_refused_appeal_draft(world)

    with django_assert_num_queries(1):
        reviewers = list(selectors.eligible_reviewers(appeal=draft))

    assert reviewers == [second, world.appeals_reviewer]
    assert [r.open_appeals for r in reviewers] == [0, 1]
    assert busy.reviewer == world.appeals_reviewer


# --- Demo data -------------------------------------------------------------------------------


def test_seed_demo_lodges_one_appeal_against_a_demo_refusal_once(world):
    from exportgov.accounts.management.commands.seed_demo import Command

    Command()._demo_appeal()  # no refusal yet: nothing
    assert not Appeal.objects.exists()
    refused = licensing.make_refused(world)  # world.organisation is a demo organisation's name

    Command()._demo_appeal()
    Command()._demo_appeal()

    (appeal,) = Appeal.objects.all()
    assert appeal.application == refused
    assert appeal.status == S.UNDER_REVIEW
    assert appeal.reviewer == world.appeals_reviewer
