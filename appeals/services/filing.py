"""The appellant's side: start a draft, save it, add documents, lodge, withdraw."""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from exportgov.accounts.models import User
from exportgov.audit.services import audit_record
from exportgov.core.exceptions import ApplicationError
from licensing.models import Application, Licence
from licensing.permissions import require_member
from licensing.uploads import validate_document
from screening.models import Flag

from .. import notify
from ..models import Appeal, AppealDocument, AppealInformationRequest
from ..selectors import appeal_existing, appeal_subject_notice, filing_deadline_for
from ._common import Status, Verb, locked, require_appellant_side, transition
from .review import assign_automatically

Ground = Appeal.Ground

# The fields appeal_save may change.
SAVED_FIELDS = ("grounds", "statement", "lateness_reason")


@transaction.atomic
def appeal_start(
    *,
    actor: User,
    subject: str,
    application: Application,
    licence: Licence | None = None,
    condition_text: str = "",
    flag: Flag | None = None,
) -> Appeal:
    """A draft appeal of `subject` on `application` by a member of its organisation.

    Starting again while a draft of the same decision exists returns that draft; a decision
    already appealed (and not withdrawn) cannot be appealed twice.
    """
    require_member(actor, application)
    application = locked(application)
    if subject not in Appeal.Subject.values:
        raise ApplicationError("Choose what to appeal.", code="invalid")
    if subject in (Appeal.Subject.REVOCATION, Appeal.Subject.SUSPENSION, Appeal.Subject.CONDITION):
        licence = licence or Licence.objects.filter(application=application).first()
    else:
        licence = None
    condition_text = condition_text if subject == Appeal.Subject.CONDITION else ""
    flag = flag if subject == Appeal.Subject.MATCH else None
    target = {"licence": licence, "condition_text": condition_text, "flag": flag}
    notice_at = appeal_subject_notice(subject=subject, application=application, **target)
    existing = appeal_existing(
        subject=subject, application=application, notice_at=notice_at, **target
    )
    if existing is not None:
        if existing.status == Status.DRAFT:
            return existing
        raise ApplicationError(
            f"This decision has already been appealed ({existing.reference}, "
            f"{existing.get_status_display().lower()}).",
            code="already_appealed",
        )
    appeal = Appeal.objects.create(
        reference=uuid.uuid4().hex[:20],
        subject=subject,
        application=application,
        organisation_id=application.organisation_id,
        appellant=actor,
        notice_at=notice_at,
        filing_deadline=filing_deadline_for(notice_at),
        **target,
    )
    appeal.reference = f"APL-{timezone.now():%Y}-{appeal.pk:06d}"
    appeal.save(update_fields=["reference"])
    audit_record(
        actor=actor,
        verb=Verb.APPEAL_CREATED,
        target=appeal,
        to_status=appeal.status,
        payload={
            "subject": subject,
            "application": application.reference,
            "licence": licence.number if licence else None,
            "condition": condition_text,
            "flag": flag.pk if flag else None,
            "filing_deadline": appeal.filing_deadline,
        },
    )
    return appeal


def _draft(actor: User, appeal: Appeal) -> Appeal:
    appeal = locked(appeal)
    require_appellant_side(actor, appeal)
    if appeal.status != Status.DRAFT:
        raise ApplicationError(
            "Only a draft appeal can be changed; this one has been lodged.", code="not_draft"
        )
    return appeal


def _clean(name: str, value) -> tuple[object, str]:
    """The value to store, or the error message about it."""
    if name == "grounds":
        codes = [value] if isinstance(value, str) else list(value or [])
        unknown = [code for code in codes if code not in Ground.values]
        if unknown:
            return None, f"Choose grounds from the list (not {', '.join(map(str, unknown))})."
        return list(dict.fromkeys(codes)), ""
    if not isinstance(value, str):
        return None, "Enter text."
    return value.strip(), ""


@transaction.atomic
def appeal_save(*, actor: User, appeal: Appeal, data: dict) -> Appeal:
    """Save the draft's grounds, statement and lateness reason (other keys are ignored).

    What validates is saved. When something does not, everything submitted is also kept as
    typed in `unsaved_input` ({field: typed value}), so nothing entered is lost and the page
    can show it again; lodging waits until it is corrected. A fully valid save clears it.
    """
    appeal = _draft(actor, appeal)
    submitted = {name: value for name, value in data.items() if name in SAVED_FIELDS}
    errors, changed = {}, []
    for name, value in submitted.items():
        cleaned, error = _clean(name, value)
        if error:
            errors[name] = error
            continue
        setattr(appeal, name, cleaned)
        changed.append(name)
    appeal.unsaved_input = submitted if errors else {}
    appeal.save(update_fields=[*changed, "unsaved_input", "updated_at"])
    audit_record(
        actor=actor,
        verb=Verb.APPEAL_SAVED,
        target=appeal,
        payload={"saved": changed, "unsaved": sorted(errors)},
    )
    return appeal


@transaction.atomic
def appeal_document_add(
    *,
    actor: User,
    appeal: Appeal,
    upload,
    information_request: AppealInformationRequest | None = None,
) -> AppealDocument:
    """Attach a checked document to a draft, or to the answer to an open request."""
    appeal = locked(appeal)
    require_appellant_side(actor, appeal)
    answering = (
        information_request is not None
        and information_request.appeal_id == appeal.pk
        and information_request.is_open
    )
    if appeal.status != Status.DRAFT and not answering:
        raise ApplicationError(
            "Documents can be added to a draft appeal, or to an answer to the reviewer's question.",
            code="not_draft",
        )
    try:
        content_type = validate_document(upload)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), code="invalid_document") from error
    document = AppealDocument.objects.create(
        appeal=appeal,
        information_request=information_request if answering else None,
        file=upload,
        original_name=(upload.name or "document")[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.APPEAL_DOCUMENT_UPLOADED,
        target=appeal,
        payload={
            "document": document.original_name,
            "request": getattr(information_request, "pk", None),
        },
    )
    return document


def appeal_problems(appeal: Appeal) -> list[str]:
    """What stops the draft from being lodged (for the page and for appeal_lodge)."""
    problems = []
    if appeal.unsaved_input:
        problems.append("Some answers did not save: correct and save them.")
    if not appeal.grounds:
        problems.append("Choose at least one ground of appeal.")
    if not appeal.statement.strip():
        problems.append("Explain your appeal in the statement.")
    if timezone.localdate() > appeal.filing_deadline and not appeal.lateness_reason.strip():
        problems.append(
            f"The deadline to appeal was {appeal.filing_deadline:%d %B %Y}: "
            "say why you are appealing late."
        )
    return problems


@transaction.atomic
def appeal_lodge(*, actor: User, appeal: Appeal) -> Appeal:
    """Lodge the draft. In time (up to the end of the filing deadline, local time) it is
    lodged and given to the least loaded independent reviewer, whose review starts; after it,
    it waits in late review with its reason for lateness, which that reviewer decides first.
    With no reviewer eligible it stays lodged in the queue for assignment."""
    appeal = locked(appeal)
    require_appellant_side(actor, appeal)
    if appeal.status != Status.DRAFT and appeal.lodged_at is not None:
        return appeal
    problems = appeal_problems(appeal)
    if problems:
        raise ApplicationError(" ".join(problems), code="incomplete")
    now = timezone.now()
    appeal.lodged_at = now
    appeal.is_late = timezone.localdate(now) > appeal.filing_deadline
    if not appeal.is_late:
        appeal.lateness_reason = ""
    transition(
        appeal,
        "lodge_late" if appeal.is_late else "lodge",
        actor=actor,
        verb=Verb.APPEAL_LODGED_LATE if appeal.is_late else Verb.APPEAL_LODGED,
        fields=("lodged_at", "is_late", "lateness_reason"),
        payload={
            "subject": appeal.subject,
            "grounds": appeal.grounds,
            "filing_deadline": appeal.filing_deadline,
            "late": appeal.is_late,
        },
    )
    notify.notify_appellant(appeal=appeal, template="appeal_lodged")
    assign_automatically(appeal)
    return appeal


@transaction.atomic
def appeal_withdraw(*, actor: User, appeal: Appeal) -> Appeal:
    """The appellant withdraws the appeal before it is decided."""
    appeal = locked(appeal)
    require_appellant_side(actor, appeal)
    if appeal.status == Status.WITHDRAWN:
        return appeal
    was_lodged = appeal.status != Status.DRAFT
    appeal.clock_paused_since = None
    transition(
        appeal,
        "withdraw",
        actor=actor,
        verb=Verb.APPEAL_WITHDRAWN,
        fields=("clock_paused_since",),
    )
    if was_lodged and appeal.reviewer is not None:
        notify.notify_officials(
            appeal=appeal, people=[appeal.reviewer], template="appeal_withdrawn"
        )
    return appeal
