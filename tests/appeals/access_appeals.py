"""Access-matrix rows for the appeals pages (see tests/access.py).

An appeal belongs to the appealing organisation: its members (world.exporter) see it and act
as appellant; everyone else gets 404 on the appellant's pages, as licensing does for another
organisation's application. Appeals reviewers and auditors (appeals.view_appeal) see every
lodged appeal (never a draft): the appellant's page sends them on to the reviewer's page (302)
and they may download its documents. The queue and the reviewer's pages are 403 for everyone
without appeals.view_appeal; acting needs appeals.review_appeal or appeals.assign_appeal, which
auditors lack (403). world.appeals_reviewer took no part in any of these cases.

The rows are written straight to the tables, as in access_api.py: the matrix makes one appeal
per route and actor, and building each through the whole licensing workflow would be slow.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from appeals.models import Appeal, AppealDocument, AppealInformationRequest
from conftest import World
from tests.access import LOGIN_REDIRECT, Route, only, signed_in
from tests.licensing.factories import PDF_BYTES, pdf_upload

from .factories import appeal_row, refused_row

VIEWERS = ["appeals_reviewer", "auditor"]
REVIEWERS = ["appeals_reviewer"]


def _under_review_fields(world: World) -> dict:
    return {
        "reviewer": world.appeals_reviewer,
        "deadline_on": timezone.localdate() + timedelta(days=28),
    }


def _draft(world: World) -> dict:
    return {"pk": appeal_row(world, Appeal.Status.DRAFT).pk}


def _lodged(world: World) -> dict:
    return {"pk": appeal_row(world, Appeal.Status.LODGED).pk}


def _under_review(world: World) -> dict:
    return {"pk": appeal_row(world, Appeal.Status.UNDER_REVIEW, **_under_review_fields(world)).pk}


def _late(world: World) -> dict:
    appeal = appeal_row(
        world,
        Appeal.Status.LATE_REVIEW,
        reviewer=world.appeals_reviewer,
        is_late=True,
        lateness_reason="Our compliance officer was in hospital.",
    )
    return {"pk": appeal.pk}


def _document(world: World) -> dict:
    appeal = appeal_row(world, Appeal.Status.UNDER_REVIEW, **_under_review_fields(world))
    document = AppealDocument(
        appeal=appeal,
        original_name="evidence.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=world.exporter,
    )
    document.file.save("evidence.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    return {"pk": appeal.pk, "document_pk": document.pk}


ANSWER_DATA: dict = {}


def _open_question(world: World) -> dict:
    appeal = appeal_row(
        world,
        Appeal.Status.INFO_REQUESTED,
        clock_paused_since=timezone.localdate(),
        **_under_review_fields(world),
    )
    question = AppealInformationRequest.objects.create(
        appeal=appeal, requested_by=world.appeals_reviewer, question="Who is the end user?"
    )
    ANSWER_DATA.clear()
    ANSWER_DATA[f"appeal-rfi-{question.pk}-answer"] = "A university observatory."
    return {"pk": appeal.pk, "request_pk": question.pk}


def _refused_case(world: World) -> dict:
    return {"pk": refused_row(world).pk}


UPLOAD_DATA: dict = {}
ASSIGN_DATA: dict = {}


def _draft_to_upload_to(world: World) -> dict:
    """A draft, with a fresh PDF in UPLOAD_DATA (an upload is read once per request)."""
    UPLOAD_DATA.clear()
    UPLOAD_DATA["file"] = pdf_upload("evidence.pdf")
    return _draft(world)


def _lodged_to_assign(world: World) -> dict:
    ASSIGN_DATA.clear()
    ASSIGN_DATA["reviewer"] = world.appeals_reviewer.pk
    return _lodged(world)


def _appellant(status: int, *, viewers: int | None = None) -> dict:
    """The appellant's organisation gets `status`, appeal viewers `viewers`, others 404."""
    expect = only(["exporter"], status, 404)
    if viewers is not None:
        expect.update(dict.fromkeys(VIEWERS, viewers))
    return expect


def _reviewers(status: int, *, auditor: int = 403) -> dict:
    return {**only(REVIEWERS, status, 403), "auditor": auditor}


ROUTES: list[Route] = [
    # The appellant's pages
    Route("appeals:appeal_list", signed_in(200)),
    Route(
        "appeals:appeal_start",
        only(["exporter"], LOGIN_REDIRECT, 404),  # on to the new draft
        _refused_case,
        method="post",
        data={"subject": Appeal.Subject.REFUSAL},
    ),
    Route("appeals:appeal_detail", _appellant(200), _draft),  # nobody else sees a draft
    Route("appeals:appeal_detail", _appellant(200, viewers=LOGIN_REDIRECT), _lodged),
    Route(
        "appeals:appeal_detail",
        _appellant(LOGIN_REDIRECT),
        _draft,
        method="post",
        data={
            "grounds": [Appeal.Ground.NEW_INFORMATION],
            "statement": "New facts.",
            "action": "save",
        },
    ),
    Route(
        "appeals:appeal_document_add",
        _appellant(LOGIN_REDIRECT),
        _draft_to_upload_to,
        method="post",
        data=UPLOAD_DATA,
    ),
    Route("appeals:appeal_document_download", _appellant(200, viewers=200), _document),
    Route(
        "appeals:appeal_information_answer",
        _appellant(LOGIN_REDIRECT),
        _open_question,
        method="post",
        data=ANSWER_DATA,
    ),
    Route("appeals:appeal_withdraw", _appellant(200), _lodged),
    Route("appeals:appeal_withdraw", _appellant(LOGIN_REDIRECT), _lodged, method="post"),
    # The reviewers' pages
    Route("appeals:appeal_queue", _reviewers(200, auditor=200)),
    Route("appeals:appeal_review", _reviewers(200, auditor=200), _under_review),
    Route("appeals:appeal_review", _reviewers(200, auditor=200), _late),
    Route(
        "appeals:appeal_lateness_decide",
        _reviewers(LOGIN_REDIRECT),
        _late,
        method="post",
        data={"accept": "yes", "reason": "A documented illness."},
    ),
    Route(
        "appeals:appeal_assign",
        _reviewers(LOGIN_REDIRECT),
        _lodged_to_assign,
        method="post",
        data=ASSIGN_DATA,
    ),
    Route(
        "appeals:appeal_request_information",
        _reviewers(LOGIN_REDIRECT),
        _under_review,
        method="post",
        data={"question": "Who installs the instruments?"},
    ),
    Route(
        "appeals:appeal_decide",
        _reviewers(LOGIN_REDIRECT),
        _under_review,
        method="post",
        data={"outcome": "upheld", "reasons": "The refusal was sound."},
    ),
]
