"""Access-matrix rows for the appeals API (see tests/access.py).

An appeal belongs to the appealing organisation: its members (world.exporter) read it and act
as appellant; anyone else who may not see it gets 404. Appeals reviewers and auditors
(appeals.view_appeal) see every lodged appeal (never a draft); the appellant's actions are 403
for them. The reviewers' endpoints are 403 for everyone without appeals.view_appeal, and the
actions need appeals.assign_appeal / appeals.review_appeal, which auditors lack (403). Over the
API anonymous callers get 401.

The rows are written straight to the tables (as tests/licensing/access_licences.py explains):
the matrix makes one appeal per route and actor.
"""

from datetime import timedelta

from django.utils import timezone

from appeals.models import Appeal, AppealInformationRequest
from conftest import World
from tests.access import API_UNAUTHENTICATED, Route, only, signed_in
from tests.licensing.factories import pdf_upload

from .factories import appeal_row, refused_row

API = API_UNAUTHENTICATED
APPEAL_VIEWERS = ["appeals_reviewer", "auditor"]
REVIEWERS = ["appeals_reviewer"]


def _draft(world: World) -> dict:
    return {"pk": appeal_row(world, Appeal.Status.DRAFT).pk}


def _lodged(world: World) -> dict:
    return {"pk": appeal_row(world, Appeal.Status.LODGED).pk}


def _late(world: World) -> dict:
    appeal = appeal_row(
        world,
        Appeal.Status.LATE_REVIEW,
        reviewer=world.appeals_reviewer,  # assigned when lodged; the reviewer decides lateness
        is_late=True,
        lateness_reason="Our compliance officer was in hospital.",
    )
    return {"pk": appeal.pk}


def _under_review(world: World) -> dict:
    appeal = appeal_row(
        world,
        Appeal.Status.UNDER_REVIEW,
        reviewer=world.appeals_reviewer,
        deadline_on=timezone.localdate() + timedelta(days=28),
    )
    return {"pk": appeal.pk}


def _open_question(world: World) -> dict:
    appeal = appeal_row(
        world,
        Appeal.Status.INFO_REQUESTED,
        reviewer=world.appeals_reviewer,
        deadline_on=timezone.localdate() + timedelta(days=28),
        clock_paused_since=timezone.localdate(),
    )
    question = AppealInformationRequest.objects.create(
        appeal=appeal, requested_by=world.appeals_reviewer, question="Who is the end user?"
    )
    return {"pk": appeal.pk, "request_pk": question.pk}


CREATE_DATA: dict = {}
UPLOAD_DATA: dict = {}


def _case_to_appeal(world: World) -> dict:
    """No URL arguments; fills CREATE_DATA with a refused case to appeal."""
    CREATE_DATA.clear()
    CREATE_DATA.update({"subject": Appeal.Subject.REFUSAL, "application": refused_row(world).pk})
    return {}


def _draft_to_upload_to(world: World) -> dict:
    """A draft, with a fresh PDF in UPLOAD_DATA (an upload is read once per request)."""
    UPLOAD_DATA.clear()
    UPLOAD_DATA["file"] = pdf_upload("evidence.pdf")
    return _draft(world)


def _refused_case(world: World) -> dict:
    return {"pk": refused_row(world).pk}


def _appellant(status: int, *, viewers: int | None = None) -> dict:
    """The appellant's organisation gets `status`, appeal viewers `viewers`, others 404."""
    expect = {**only(["exporter"], status, 404), "anonymous": API}
    if viewers is not None:
        expect.update(dict.fromkeys(APPEAL_VIEWERS, viewers))
    return expect


def _reviewers(status: int, *, auditor: int = 403) -> dict:
    return {**only(REVIEWERS, status, 403, anonymous=API), "auditor": auditor}


ROUTES: list[Route] = [
    # Appellants
    Route("api:appeal_list", signed_in(200, anonymous=API)),
    Route(
        "api:appeal_list",
        {
            **signed_in(403, anonymous=API),  # officials belong to no organisation
            "exporter": 201,
            "other_exporter": 400,  # not a case of their organisation
        },
        _case_to_appeal,
        method="post",
        data=CREATE_DATA,
    ),
    Route("api:appeal_detail", _appellant(200, viewers=200), _lodged),
    Route("api:appeal_detail", _appellant(200), _draft),  # nobody else sees a draft
    Route(
        "api:appeal_document_list",
        _appellant(201),
        _draft_to_upload_to,
        method="post",
        data=UPLOAD_DATA,
    ),
    Route("api:appeal_lodge", _appellant(200), _draft, method="post"),
    Route("api:appeal_withdraw", _appellant(200, viewers=403), _lodged, method="post"),
    Route(
        "api:appeal_information_answer",
        _appellant(200, viewers=403),
        _open_question,
        method="post",
        data={"answer": "A university observatory; see its website."},
    ),
    Route("api:application_appealable", _appellant(200), _refused_case),
    # Reviewers
    Route("api:appeal_queue", _reviewers(200, auditor=200)),
    Route("api:appeal_assign", _reviewers(200), _lodged, method="post"),
    Route(
        "api:appeal_lateness",
        _reviewers(200),
        _late,
        method="post",
        data={"accept": "true", "reason": "A documented illness."},
    ),
    Route(
        "api:appeal_information_request_list",
        _reviewers(201),
        _under_review,
        method="post",
        data={"question": "Who is the end user?"},
    ),
    Route(
        "api:appeal_decide",
        _reviewers(200),
        _under_review,
        method="post",
        data={"outcome": "upheld", "reasons": "The refusal was well founded."},
    ),
]
