"""What both sides' pages share: the deadline clock of an appeal and its document download."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest

from licensing.views.cases import Clock, case_clock

from .. import selectors
from ..models import Appeal

VIEW = "appeals.view_appeal"
REVIEW = "appeals.review_appeal"
ASSIGN = "appeals.assign_appeal"


CLOCK_STATUSES = (Appeal.Status.LODGED, Appeal.Status.UNDER_REVIEW, Appeal.Status.INFO_REQUESTED)


def appeal_clock(appeal: Appeal, today: date) -> Clock:
    """How the review stands against its deadline (working days), as queues and pages show it:
    the case clock, for the statuses in which the review's clock runs (or is paused)."""
    if not appeal.clock_paused and appeal.status not in CLOCK_STATUSES:
        return Clock("—")
    return case_clock(appeal, today)


@login_required
def appeal_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A document of an appeal the user may see (its organisation's members, and officials who
    may view appeals once it is lodged); 404 for anyone else."""
    appeal = selectors.appeal_get_for_user(user=request.user, pk=pk)
    document = appeal.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404("No such document.")
    try:
        file = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing from storage.") from error
    return FileResponse(
        file,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


def ground_labels(appeal: Appeal) -> list[str]:
    labels = dict(Appeal.Ground.choices)
    return [labels.get(code, code) for code in appeal.grounds or []]


def subject_summary(appeal: Appeal) -> str:
    if appeal.subject == Appeal.Subject.REFUSAL:
        return f"The refusal of application {appeal.application.reference}"
    if appeal.subject == Appeal.Subject.CONDITION:
        return f"A condition on licence {appeal.licence.number}: “{appeal.condition_text}”"
    if appeal.subject in (Appeal.Subject.REVOCATION, Appeal.Subject.SUSPENSION):
        verb = "revocation" if appeal.subject == Appeal.Subject.REVOCATION else "suspension"
        return f"The {verb} of licence {appeal.licence.number}"
    party = getattr(appeal.flag, "party", None)
    name = party.name if party is not None else "one of your parties"
    return f"The restricted-party match on {name} (application {appeal.application.reference})"
