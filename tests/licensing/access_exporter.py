"""Access-matrix rows for the exporter's application pages (see tests/access.py).

An application belongs to its organisation: its members (world.exporter) may do everything,
anyone else gets 404, as if it did not exist. Drafts are seen by no official. Once submitted,
the officials who may see the case (licensing.view_application) are sent from the status page
to the case page (302) and may download its documents; advisors see neither until the case
is referred to their body.
"""

from conftest import World
from licensing.services import cases as case_services
from tests.access import LOGIN_REDIRECT, Route, only, signed_in

from . import factories

CASE_READERS = ["case_officer", "senior_official", "appeals_reviewer", "auditor"]
MEMBERS_ONLY = only(["exporter"], 200, 404)


def _members_only(status: int) -> dict:
    return only(["exporter"], status, 404)


def _draft(world: World) -> dict:
    return {"pk": factories.make_draft(world).pk}


def _draft_step(world: World) -> dict:
    return {"pk": factories.make_empty_draft(world).pk, "step": "applicant"}


def _submitted(world: World) -> dict:
    return {"pk": factories.make_submitted(world).pk}


def _item(world: World) -> dict:
    return {"pk": factories.make_draft(world).items.get().pk}


def _party(world: World) -> dict:
    return {"pk": factories.make_draft(world).parties.first().pk}


def _submitted_document(world: World) -> dict:
    return {"pk": factories.make_submitted(world).documents.get().pk}


ANSWER_DATA: dict = {}


def _information_request(world: World) -> dict:
    application = factories.make_under_review(world)
    request = case_services.information_request_create(
        actor=world.case_officer, application=application, question="Who installs the boards?"
    )
    ANSWER_DATA.clear()
    ANSWER_DATA[f"rfi-{request.pk}-answer"] = "Our own engineers."
    return {"pk": request.pk}


STATUS_PAGE = {
    **_members_only(200),
    **dict.fromkeys(CASE_READERS, LOGIN_REDIRECT),  # 302 on to licensing:case_detail
}

ROUTES: list[Route] = [
    Route("licensing:application_list", signed_in(200)),
    # Everyone signed in gets the page; it tells people in no organisation how to join one.
    Route("licensing:application_create", signed_in(200)),
    Route("licensing:application_status", STATUS_PAGE, _submitted),
    Route("licensing:application_step", MEMBERS_ONLY, _draft_step),
    Route(
        "licensing:application_autosave",
        MEMBERS_ONLY,
        _draft_step,
        method="post",
        data={"title": "Sensors", "contact_email": "a@example.org"},
    ),
    Route("licensing:item_create", MEMBERS_ONLY, _draft),
    Route("licensing:item_update", MEMBERS_ONLY, _item),
    Route("licensing:item_delete", _members_only(302), _item, method="post"),
    Route("licensing:party_create", MEMBERS_ONLY, _draft),
    Route("licensing:party_update", MEMBERS_ONLY, _party),
    Route("licensing:party_delete", _members_only(302), _party, method="post"),
    Route(
        "licensing:application_submit",
        _members_only(302),
        _draft,
        method="post",
        data={"declaration": "on"},
    ),
    Route("licensing:application_withdraw", _members_only(302), _submitted, method="post"),
    Route("licensing:application_copy", _members_only(302), _submitted, method="post"),
    Route(
        "licensing:document_download",
        {**_members_only(200), **dict.fromkeys(CASE_READERS, 200)},
        _submitted_document,
    ),
    Route(
        "licensing:information_request_answer",
        _members_only(302),
        _information_request,
        method="post",
        data=ANSWER_DATA,
    ),
]
