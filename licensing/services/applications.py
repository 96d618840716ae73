"""The exporter's side of an application: drafting, submitting, withdrawing, copying."""

import uuid

from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import Organisation, User
from exportgov.audit.models import AuditEvent
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError

from ..models import Application, Document, InformationRequest, Item, Party
from ..permissions import require_member
from ..selectors import application_problems
from ..steps import STEP_SLUGS
from . import notify
from ._transitions import locked, transition
from .cases import case_start_screening

Verb = AuditEvent.Verb

# The fields each form step may change.
STEP_FIELDS = {
    "applicant": ["title", "contact_name", "contact_email", "contact_phone"],
    "end-use": [
        "end_use_statement",
        "military_end_use",
        "wmd_end_use",
        "reexport_intended",
        "end_user_known_for",
    ],
    "due-diligence": ["due_diligence"],
}
COPIED_FIELDS = [
    "kind",
    "title",
    "contact_name",
    "contact_email",
    "contact_phone",
    *STEP_FIELDS["end-use"],
]


def _editable(application: Application, actor: User) -> Application:
    application = locked(application)
    require_member(actor, application)
    if application.status != Application.Status.DRAFT:
        raise ApplicationError("Only a draft can be changed; this application has been submitted.")
    return application


@transaction.atomic
def application_create(*, actor: User, organisation: Organisation, kind: str) -> Application:
    """Start a draft, with the actor as the contact."""
    require_member(actor, organisation)
    application = Application.objects.create(
        reference=uuid.uuid4().hex[:20],
        organisation=organisation,
        created_by=actor,
        kind=kind,
        contact_name=actor.get_full_name(),
        contact_email=actor.email,
    )
    application.reference = f"EG-{timezone.now():%Y}-{application.pk:06d}"
    application.save(update_fields=["reference"])
    audit_record(
        actor=actor, verb=Verb.APPLICATION_CREATED, target=application, to_status=application.status
    )
    return application


@transaction.atomic
def application_step_save(
    *, actor: User, application: Application, step: str, data: dict
) -> Application:
    """Save the valid answers of one step and forget what was left unsaved there."""
    application = _editable(application, actor)
    if step not in STEP_SLUGS:
        raise ApplicationError(f"Unknown step {step}.")
    # Items and parties are saved by their own services; saving their step with no data
    # forgets what was kept unsaved there (after an item is saved, or when it is discarded).
    fields = STEP_FIELDS.get(step, [])
    unknown = set(data) - set(fields)
    if unknown:
        raise ApplicationError(f"Unknown fields for step {step}: {', '.join(sorted(unknown))}.")
    for name, value in data.items():
        setattr(application, name, value)
    application.unsaved_input.pop(step, None)
    application.save(update_fields=[*data, "unsaved_input", "updated_at"])
    audit_record(
        actor=actor, verb=Verb.APPLICATION_SAVED, target=application, payload={"step": step}
    )
    return application


@transaction.atomic
def application_unsaved_input_keep(
    *, actor: User, application: Application, step: str, raw: dict
) -> Application:
    """Keep what the user typed on a step that did not validate, so it is there when they return."""
    application = _editable(application, actor)
    application.unsaved_input[step] = raw
    application.save(update_fields=["unsaved_input", "updated_at"])
    return application


@transaction.atomic
def item_save(
    *, actor: User, application: Application, data: dict, item: Item | None = None
) -> Item:
    application = _editable(application, actor)
    if item is None:
        item = Item(application=application)
    elif item.application_id != application.pk:
        raise ApplicationError("That item belongs to another application.")
    for name, value in data.items():
        setattr(item, name, value)
    if item.classification_unknown:
        item.control_code = ""
    item.save()
    _forget_unsaved_input(application, "items")
    audit_record(
        actor=actor,
        verb=Verb.APPLICATION_SAVED,
        target=application,
        payload={"step": "items", "item": item.pk},
    )
    return item


@transaction.atomic
def item_delete(*, actor: User, item: Item) -> None:
    application = _editable(item.application, actor)
    payload = {"step": "items", "deleted_item": item.description}
    item.delete()
    audit_record(actor=actor, verb=Verb.APPLICATION_SAVED, target=application, payload=payload)


@transaction.atomic
def party_save(
    *, actor: User, application: Application, data: dict, party: Party | None = None
) -> Party:
    application = _editable(application, actor)
    if party is None:
        party = Party(application=application)
    elif party.application_id != application.pk:
        raise ApplicationError("That party belongs to another application.")
    undertaking = data.get("undertaking")
    if undertaking is not None and undertaking.application_id != application.pk:
        raise ApplicationError("The undertaking must be a document of this application.")
    for name, value in data.items():
        setattr(party, name, value)
    party.save()
    _forget_unsaved_input(application, "parties")
    audit_record(
        actor=actor,
        verb=Verb.APPLICATION_SAVED,
        target=application,
        payload={"step": "parties", "party": party.pk},
    )
    return party


@transaction.atomic
def party_delete(*, actor: User, party: Party) -> None:
    application = _editable(party.application, actor)
    payload = {"step": "parties", "deleted_party": party.name}
    party.delete()
    audit_record(actor=actor, verb=Verb.APPLICATION_SAVED, target=application, payload=payload)


@transaction.atomic
def document_upload(
    *,
    actor: User,
    application: Application,
    file,
    kind: str,
    content_type: str,
    information_request: InformationRequest | None = None,
) -> Document:
    """Store a checked upload through Django's storage. Drafts, or answers to a request."""
    application = locked(application)
    require_member(actor, application)
    answering = (
        information_request is not None
        and information_request.application_id == application.pk
        and information_request.is_open
    )
    if application.status != Application.Status.DRAFT and not answering:
        raise ApplicationError(
            "Documents can be added to a draft, or to an answer to a request for information."
        )
    document = Document.objects.create(
        application=application,
        information_request=information_request,
        kind=kind,
        file=file,
        original_name=file.name[:255],
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.DOCUMENT_UPLOADED,
        target=application,
        payload={"document": document.original_name, "kind": kind},
    )
    return document


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """Declare and submit a complete draft; it goes on to screening and triage."""
    application = locked(application)
    require_member(actor, application)
    if application.status != Application.Status.DRAFT:
        return application
    problems = application_problems(application=application, ignore_declaration=True)
    if problems:
        raise ApplicationError(
            f"The application is not complete: {len(problems)} answer(s) are missing or invalid.",
            code="incomplete",
            extra={"problems": [problem.message for problem in problems]},
        )
    application.declared_by = actor
    application.declared_at = application.submitted_at = timezone.now()
    transition(
        application,
        "submit",
        actor=actor,
        verb=Verb.APPLICATION_SUBMITTED,
        fields=("declared_by", "declared_at", "submitted_at"),
    )
    notify.notify_applicant(application=application, template="application_submitted")
    case_start_screening(application=application)
    # A worker screens the case once this commits; the pipeline then routes it to triage.
    from screening.models import ScreeningRun
    from screening.services.runs import screening_run_request

    triggers = ScreeningRun.Trigger
    trigger = triggers.AMENDMENT if application.amends_licence_id else triggers.SUBMISSION
    screening_run_request(application=application, trigger=trigger)
    return application


@transaction.atomic
def application_withdraw(*, actor: User, application: Application) -> Application:
    application = locked(application)
    require_member(actor, application)
    if application.status == Application.Status.WITHDRAWN:
        return application
    transition(application, "withdraw", actor=actor, verb=Verb.WITHDRAWN)
    return application


@transaction.atomic
def application_copy(*, actor: User, application: Application, amends_licence=None) -> Application:
    """A new draft with the same answers, items and parties (documents are not copied)."""
    require_member(actor, application)
    copy = application_create(
        actor=actor, organisation=application.organisation, kind=application.kind
    )
    for name in COPIED_FIELDS:
        setattr(copy, name, getattr(application, name))
    copy.due_diligence = dict(application.due_diligence)
    copy.copied_from = application
    copy.amends_licence = amends_licence
    copy.save()
    Item.objects.bulk_create(_cloned(application.items.all(), application=copy))
    Party.objects.bulk_create(
        _cloned(application.parties.all(), application=copy, undertaking=None)
    )
    audit_record(
        actor=actor,
        verb=Verb.APPLICATION_COPIED,
        target=copy,
        payload={"copied_from": application.reference},
    )
    return copy


def _forget_unsaved_input(application: Application, step: str) -> None:
    """A saved item or party replaces whatever was kept unsaved on its step."""
    if application.unsaved_input.pop(step, None) is not None:
        application.save(update_fields=["unsaved_input", "updated_at"])


def _cloned(rows, **changes) -> list:
    clones = []
    for row in rows:
        row.pk = None
        row._state.adding = True
        for name, value in changes.items():
            setattr(row, name, value)
        clones.append(row)
    return clones
