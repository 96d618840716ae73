"""The exporter's services: drafting, submitting, withdrawing and copying applications."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from exportgov.notifications.models import Notification
from licensing import deadlines
from licensing.models import Application, Document, Party
from licensing.selectors import application_list_for_user, application_problems
from licensing.services.applications import (
    application_copy,
    application_create,
    application_step_save,
    application_submit,
    application_unsaved_input_keep,
    application_withdraw,
    item_delete,
    item_save,
    party_delete,
    party_save,
)
from licensing.services.cases import information_request_create
from licensing.uploads import validate_document

from .factories import (
    ITEM_DATA,
    audit_events,
    db_state,
    make_draft,
    make_empty_draft,
    pdf_upload,
    upload_document,
)

pytestmark = pytest.mark.django_db

Status = Application.Status
Verb = AuditEvent.Verb


# application_create -------------------------------------------------------------------------


def test_application_create_starts_a_draft_with_the_actor_as_contact(world):
    application = application_create(
        actor=world.colleague, organisation=world.organisation, kind=Application.Kind.TECHNOLOGY
    )

    assert application.status == Status.DRAFT
    assert application.created_by == world.colleague
    assert application.contact_email == world.colleague.email
    assert re.fullmatch(rf"EG-{timezone.now():%Y}-{application.pk:06d}", application.reference)
    event = audit_events(application).get()
    assert (event.verb, event.actor, event.to_status) == (
        Verb.APPLICATION_CREATED,
        world.colleague,
        Status.DRAFT,
    )


def test_application_create_refuses_a_non_member(world):
    with pytest.raises(PermissionDenied):
        application_create(
            actor=world.other_exporter, organisation=world.organisation, kind="goods"
        )
    with pytest.raises(PermissionDenied):
        application_create(actor=world.case_officer, organisation=world.organisation, kind="goods")
    assert not Application.objects.exists()


# application_step_save / application_unsaved_input_keep --------------------------------------


def test_application_step_save_saves_the_step_and_forgets_unsaved_input(world):
    application = make_empty_draft(world)
    application_unsaved_input_keep(
        actor=world.exporter, application=application, step="applicant", raw={"title": "x" * 300}
    )
    assert Application.objects.get(pk=application.pk).unsaved_input == {
        "applicant": {"title": "x" * 300}
    }

    application_step_save(
        actor=world.exporter,
        application=application,
        step="applicant",
        data={"title": "Sensors for Kiel"},
    )

    application.refresh_from_db()
    assert application.title == "Sensors for Kiel"
    assert application.unsaved_input == {}
    assert audit_events(application, Verb.APPLICATION_SAVED).get().payload == {"step": "applicant"}


def test_application_unsaved_input_keep_makes_a_problem_of_the_step(world, draft):
    application_unsaved_input_keep(
        actor=world.exporter, application=draft, step="end-use", raw={"military_end_use": "?"}
    )

    problems = application_problems(application=Application.objects.get(pk=draft.pk))
    assert [p.step for p in problems] == ["end-use", "review"]


def test_application_step_save_refuses_unknown_fields_and_changes_nothing(world, draft):
    before = db_state(draft)

    with pytest.raises(ApplicationError, match="Unknown fields for step applicant: tier"):
        application_step_save(
            actor=world.exporter, application=draft, step="applicant", data={"tier": "low"}
        )

    assert db_state(draft) == before


def test_application_step_save_refuses_another_organisation(world, draft):
    before = db_state(draft)
    with pytest.raises(PermissionDenied):
        application_step_save(
            actor=world.other_exporter, application=draft, step="applicant", data={"title": "x"}
        )
    assert db_state(draft) == before


def test_application_step_save_refuses_a_submitted_application(world, submitted):
    before = db_state(submitted)
    with pytest.raises(ApplicationError, match="Only a draft can be changed"):
        application_step_save(
            actor=world.exporter, application=submitted, step="applicant", data={"title": "x"}
        )
    with pytest.raises(ApplicationError):
        application_unsaved_input_keep(
            actor=world.exporter, application=submitted, step="applicant", raw={"title": "x"}
        )
    assert db_state(submitted) == before


# item_save / item_delete / party_save / party_delete -----------------------------------------


def test_item_save_adds_and_updates_an_item(world):
    application = make_empty_draft(world)
    item = item_save(actor=world.exporter, application=application, data=dict(ITEM_DATA))
    item_save(
        actor=world.exporter,
        application=application,
        item=item,
        data={"classification_unknown": True},
    )

    item.refresh_from_db()
    assert item.control_code == ""  # "not sure: ask for a classification" clears the code
    assert item.classification_unknown
    assert audit_events(application, Verb.APPLICATION_SAVED).count() == 2


def test_item_save_forgets_what_was_kept_unsaved_on_the_items_step(world):
    application = make_empty_draft(world)
    application_unsaved_input_keep(
        actor=world.exporter, application=application, step="items", raw={"value": "abc"}
    )
    application_unsaved_input_keep(
        actor=world.exporter, application=application, step="applicant", raw={"title": "x" * 300}
    )

    item_save(actor=world.exporter, application=application, data=dict(ITEM_DATA))

    application.refresh_from_db()
    assert set(application.unsaved_input) == {"applicant"}


def test_item_save_refuses_an_item_of_another_application(world, draft):
    other = make_empty_draft(world)
    item = draft.items.get()
    before = db_state(draft)

    with pytest.raises(ApplicationError, match="belongs to another application"):
        item_save(actor=world.exporter, application=other, item=item, data={"description": "x"})

    assert db_state(draft) == before


def test_item_delete_removes_the_item(world, draft):
    item_delete(actor=world.exporter, item=draft.items.get())

    assert not draft.items.exists()
    assert (
        audit_events(draft, Verb.APPLICATION_SAVED).last().payload["deleted_item"]
        == (ITEM_DATA["description"])
    )


def test_item_delete_refuses_another_organisation_and_a_submitted_application(world, submitted):
    before = db_state(submitted)
    with pytest.raises(PermissionDenied):
        item_delete(actor=world.other_exporter, item=submitted.items.get())
    with pytest.raises(ApplicationError):
        item_delete(actor=world.exporter, item=submitted.items.get())
    assert db_state(submitted) == before


def test_party_save_refuses_an_undertaking_of_another_application(world, draft):
    other = make_empty_draft(world)
    foreign = upload_document(actor=world.exporter, application=other)
    party = draft.parties.get(role=Party.Role.END_USER)
    before = db_state(draft)

    with pytest.raises(ApplicationError, match="must be a document of this application"):
        party_save(
            actor=world.exporter, application=draft, party=party, data={"undertaking": foreign}
        )

    assert db_state(draft) == before


def test_party_delete_removes_the_party_and_makes_the_draft_incomplete(world, draft):
    party_delete(actor=world.exporter, party=draft.parties.get(role=Party.Role.CONSIGNEE))

    problems = application_problems(application=draft, ignore_declaration=True)
    assert [p.message for p in problems] == ["Add the consignee (who receives the goods)."]


# document_upload -----------------------------------------------------------------------------


def test_document_upload_stores_the_file_through_storage(world, draft):
    document = upload_document(
        actor=world.colleague, application=draft, kind=Document.Kind.TECHNICAL, name="spec.pdf"
    )

    assert document.original_name == "spec.pdf"
    assert document.size == document.file.size > 0
    assert document.file.read().startswith(b"%PDF-")
    assert document.uploaded_by == world.colleague
    assert audit_events(draft, Verb.DOCUMENT_UPLOADED).last().payload == {
        "document": "spec.pdf",
        "kind": Document.Kind.TECHNICAL,
    }


def test_document_upload_refuses_another_organisation(world, draft):
    before = db_state(draft)
    with pytest.raises(PermissionDenied):
        upload_document(actor=world.other_exporter, application=draft)
    assert db_state(draft) == before


def test_document_upload_refuses_a_submitted_application_without_an_open_request(
    world, under_review
):
    before = db_state(under_review)
    with pytest.raises(ApplicationError, match="Documents can be added to a draft"):
        upload_document(actor=world.exporter, application=under_review)
    assert db_state(under_review) == before


def test_document_upload_accepts_an_answer_to_an_open_request(world, under_review):
    request = information_request_create(
        actor=world.case_officer, application=under_review, question="Send the contract."
    )

    document = upload_document(
        actor=world.exporter,
        application=under_review,
        kind=Document.Kind.INFORMATION,
        information_request=request,
    )

    assert document.information_request == request


def test_document_upload_refuses_a_request_of_another_application(world, under_review):
    request = information_request_create(
        actor=world.case_officer, application=under_review, question="Send the contract."
    )
    other = make_draft(world)
    application_submit(actor=world.exporter, application=other)
    before = db_state(other)

    with pytest.raises(ApplicationError):
        upload_document(actor=world.exporter, application=other, information_request=request)

    assert db_state(other) == before


# application_submit --------------------------------------------------------------------------


def test_application_submit_refuses_an_incomplete_draft_listing_the_problems(world):
    application = make_empty_draft(world)
    before = db_state(application)

    with pytest.raises(ApplicationError) as error:
        application_submit(actor=world.exporter, application=application)

    assert error.value.code == "incomplete"
    problems = error.value.extra["problems"]
    assert "Give the application a short title." in problems
    assert "Add at least one item, piece of software or technology." in problems
    assert "Add the end user." in problems
    assert "Describe the end use." in problems
    assert "Make the declaration." not in problems  # submitting is the declaration
    assert f"{len(problems)} answer(s)" in error.value.message
    assert db_state(application) == before


def test_application_submit_moves_a_complete_draft_to_triage(
    world, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = application_submit(actor=world.exporter, application=draft)

    application.refresh_from_db()
    assert application.status == Status.TRIAGE
    assert application.tier == "medium"
    assert application.risk_score is None
    assert application.team == world.licensing_team
    assert application.declared_by == world.exporter
    submitted_on = timezone.localdate(application.submitted_at)
    assert application.deadline_on == deadlines.add_working_days(submitted_on, 20)
    assert deadlines.working_days_between(submitted_on, application.deadline_on) == 20
    transitions = [
        (e.verb, e.from_status, e.to_status)
        for e in audit_events(application).filter(to_status__gt="")
    ]
    assert transitions[-3:] == [
        (Verb.APPLICATION_SUBMITTED, Status.DRAFT, Status.SUBMITTED),
        (Verb.SCREENING_STARTED, Status.SUBMITTED, Status.SCREENING),
        (Verb.CASE_TRIAGED, Status.SCREENING, Status.TRIAGE),
    ]
    triaged = audit_events(application, Verb.CASE_TRIAGED).get()
    assert triaged.payload == {"tier": "medium", "risk_score": None}
    # Submission received (exporter) and the new case in the queue (case officers).
    assert [m.to for m in mail.outbox if f"{application.reference} received" in m.subject] == [
        [world.exporter.email]
    ]
    assert [m.to for m in mail.outbox if "triage queue" in m.subject] == [
        [world.case_officer.email]
    ]
    assert Notification.objects.filter(
        recipient=world.exporter, subject=f"{application.reference} received"
    ).exists()


def test_application_submit_tells_the_author_and_the_organisation_admins(
    world, django_capture_on_commit_callbacks
):
    application = make_draft(world, actor=world.colleague)

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=world.colleague, application=application)

    received = [m for m in mail.outbox if m.subject.endswith(f"{application.reference} received")]
    assert sorted(m.to[0] for m in received) == sorted(
        [world.colleague.email, world.exporter.email]
    )
    assert received[0].alternatives[0][1] == "text/html"


def test_application_submit_is_sent_only_once_the_transaction_commits(
    world, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        application_submit(actor=world.exporter, application=draft)
    assert mail.outbox == []
    assert callbacks
    for callback in callbacks:
        callback()
    assert mail.outbox


def test_application_submit_again_changes_nothing(
    world, submitted, django_capture_on_commit_callbacks
):
    before = db_state(submitted)

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(actor=world.exporter, application=submitted)

    assert db_state(submitted) == before
    assert mail.outbox == []


def test_application_submit_refuses_another_organisation(world, draft):
    before = db_state(draft)
    for actor in (world.other_exporter, world.case_officer):
        with pytest.raises(PermissionDenied):
            application_submit(actor=actor, application=draft)
    assert db_state(draft) == before


# application_withdraw ------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["draft", "submitted", "under_review", "recommended_approve"])
def test_application_withdraw_is_allowed_before_a_decision(world, fixture, request):
    application = request.getfixturevalue(fixture)
    from_status = application.status

    application_withdraw(actor=world.colleague, application=application)

    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN
    event = audit_events(application, Verb.WITHDRAWN).get()
    assert (event.actor, event.from_status, event.to_status) == (
        world.colleague,
        from_status,
        Status.WITHDRAWN,
    )


def test_application_withdraw_again_changes_nothing(world, submitted):
    application_withdraw(actor=world.exporter, application=submitted)
    before = db_state(submitted)

    application_withdraw(actor=world.exporter, application=submitted)

    assert db_state(submitted) == before


@pytest.mark.parametrize("fixture", ["approved", "refused"])
def test_application_withdraw_is_refused_after_a_decision(world, fixture, request):
    application = request.getfixturevalue(fixture)
    before = db_state(application)

    with pytest.raises(ApplicationError) as error:
        application_withdraw(actor=world.exporter, application=application)

    assert error.value.code == "invalid_transition"
    assert db_state(application) == before


def test_application_withdraw_refuses_another_organisation_and_officials(world, submitted):
    before = db_state(submitted)
    for actor in (world.other_exporter, world.case_officer, world.senior_official):
        with pytest.raises(PermissionDenied):
            application_withdraw(actor=actor, application=submitted)
    assert db_state(submitted) == before


# application_copy ----------------------------------------------------------------------------


def test_application_copy_makes_a_new_draft_without_documents(world, refused):
    copy = application_copy(actor=world.colleague, application=refused)

    assert copy.pk != refused.pk
    assert copy.status == Status.DRAFT
    assert copy.copied_from == refused
    assert copy.created_by == world.colleague
    assert copy.title == refused.title
    assert copy.end_use_statement == refused.end_use_statement
    assert copy.due_diligence == refused.due_diligence
    fields = ["description", "control_code", "quantity", "unit", "value", "currency"]
    assert list(copy.items.values(*fields)) == list(refused.items.values(*fields))
    assert list(copy.parties.values("role", "name", "country")) == list(
        refused.parties.values("role", "name", "country")
    )
    assert refused.items.count() == 1  # the original keeps its own rows
    assert refused.documents.count() == 1
    assert not copy.documents.exists()
    assert not copy.parties.filter(undertaking__isnull=False).exists()
    assert copy.tier == ""
    assert copy.deadline_on is None
    assert copy.submitted_at is None
    assert audit_events(copy, Verb.APPLICATION_COPIED).get().payload == {
        "copied_from": refused.reference
    }
    # Without documents the end user's undertaking must be attached again.
    assert [p.message for p in application_problems(application=copy)] == [
        "Landessternwarte Königstuhl: attach the end-user undertaking.",
        "Make the declaration.",
    ]


def test_application_copy_refuses_another_organisation(world, submitted):
    with pytest.raises(PermissionDenied):
        application_copy(actor=world.other_exporter, application=submitted)
    assert Application.objects.count() == 1


# who sees what -------------------------------------------------------------------------------


def test_application_list_for_user_hides_drafts_from_officials(world, draft):
    submitted = make_draft(world)
    application_submit(actor=world.exporter, application=submitted)

    for official in (world.case_officer, world.senior_official, world.auditor):
        assert list(application_list_for_user(user=official)) == [submitted]
    assert set(application_list_for_user(user=world.colleague)) == {draft, submitted}
    assert not application_list_for_user(user=world.other_exporter).exists()
    assert not application_list_for_user(user=world.advisor).exists()


def test_application_list_for_user_shows_other_exporters_only_their_own(world, submitted):
    theirs = make_draft(world, actor=world.other_exporter, organisation=world.other_organisation)

    assert list(application_list_for_user(user=world.other_exporter)) == [theirs]
    assert list(application_list_for_user(user=world.exporter)) == [submitted]


def test_application_deadline_is_twenty_working_days_for_the_unscreened_tier(
    world, submitted, settings
):
    assert settings.LICENSING_UNSCREENED_TIER == "medium"
    submitted_on = timezone.localdate(submitted.submitted_at)
    expected = submitted_on
    counted = 0
    while counted < 20:  # walk the calendar one day at a time, independently of deadlines.py
        expected += timedelta(days=1)
        counted += deadlines.is_working_day(expected)
    assert submitted.deadline_on == expected


def test_pdf_upload_helper_is_a_real_pdf():
    assert validate_document(pdf_upload()) == "application/pdf"
