"""Access-matrix rows for the officials' case pages (see tests/access.py).

Queues: case officers and senior officials work them; auditors and appeals reviewers read
them; advisors have their own queue of consultations. The case page is for officials: a
non-official gets 403, an advisor 404 until the case is referred to their body. Actions need
the right role (403 with the reason shown on the case page).
"""

from conftest import World
from licensing.services import cases as case_services
from tests.access import Route, only

from . import factories

OFFICERS = ["case_officer", "senior_official"]
READERS = ["auditor", "appeals_reviewer"]
NON_OFFICIALS = ["exporter", "other_exporter", "policy_admin"]


def _expect(**by_group: int) -> dict[str, int]:
    """Outcome per actor from outcomes per group: officers, readers, advisor, others."""
    expect = {"anonymous": 302}
    expect |= dict.fromkeys(OFFICERS, by_group["officers"])
    expect |= dict.fromkeys(READERS, by_group.get("readers", 403))
    expect["advisor"] = by_group.get("advisor", 404)
    expect |= dict.fromkeys(NON_OFFICIALS, by_group.get("others", 403))
    return expect


def _triage(world: World) -> dict:
    return {"pk": factories.make_submitted(world).pk}


def _under_review(world: World) -> dict:
    return {"pk": factories.make_under_review(world).pk}


def _referred(world: World):
    application = factories.make_under_review(world)
    (consultation,) = case_services.consultation_request(
        actor=world.case_officer,
        application=application,
        teams=[world.defence_team],
        question="Any objection to this end user?",
    )
    return consultation


def _in_consultation(world: World) -> dict:
    return {"pk": _referred(world).application_id}


def _consultation(world: World) -> dict:
    return {"pk": _referred(world).pk}


def _recommended(world: World) -> dict:
    return {"pk": factories.make_recommended_approve(world).pk}


def _with_data(build, fill):
    """Kwargs for a row whose POST data needs the world (a user's or a team's pk): `fill`
    puts it into the row's data dict, which the matrix sends right after building kwargs."""
    data: dict = {}

    def kwargs(world: World) -> dict:
        data.clear()
        data.update(fill(world))
        return build(world)

    return kwargs, data


ASSIGN_KWARGS, ASSIGN_DATA = _with_data(_triage, lambda world: {"officer": world.case_officer.pk})
REFER_KWARGS, REFER_DATA = _with_data(
    _under_review,
    lambda world: {"teams": [world.defence_team.pk], "question": "Any objection to this end user?"},
)

QUEUE = only([*OFFICERS, *READERS], 200, 403)

ROUTES: list[Route] = [
    Route("licensing:case_triage_queue", QUEUE),
    Route("licensing:case_queue", QUEUE),
    Route("licensing:advisor_queue", only(["advisor"], 200, 403)),
    Route("licensing:case_detail", _expect(officers=200, readers=200), _triage),
    # Once the case is referred to the defence advisers, their advisor may open it.
    Route(
        "licensing:case_detail", _expect(officers=200, readers=200, advisor=200), _in_consultation
    ),
    Route("licensing:case_claim", _expect(officers=302), _triage, method="post"),
    Route("licensing:case_assign", _expect(officers=302), ASSIGN_KWARGS, "post", ASSIGN_DATA),
    Route(
        "licensing:case_note_add",
        _expect(officers=302),
        _under_review,
        method="post",
        data={"text": "Checked the end user's website."},
    ),
    Route(
        "licensing:case_request_information",
        _expect(officers=302),
        _under_review,
        method="post",
        data={"question": "Please send the end-user's order."},
    ),
    Route("licensing:case_refer", _expect(officers=302), REFER_KWARGS, "post", REFER_DATA),
    Route(
        "licensing:case_end_consultation",
        _expect(officers=302, advisor=403),
        _in_consultation,
        method="post",
    ),
    Route(
        "licensing:consultation_advise",
        _expect(officers=403, advisor=302),
        _consultation,
        method="post",
        data={"outcome": "no_objection", "rationale": "A civil research end user."},
    ),
    Route(
        "licensing:case_recommend",
        _expect(officers=302),
        _under_review,
        method="post",
        data={"outcome": "approve", "explanation": "Civil end use."},
    ),
    # Medium tier, recommended by the case officer: only another senior official decides.
    Route(
        "licensing:case_decide",
        {**_expect(officers=302), "case_officer": 403},
        _recommended,
        method="post",
    ),
    Route(
        "licensing:case_return",
        {**_expect(officers=302), "case_officer": 403},
        _recommended,
        method="post",
        data={"reason": "Please check the consignee."},
    ),
]
