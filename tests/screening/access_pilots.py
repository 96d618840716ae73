"""Access-matrix rows for the pilot review page (see tests/access.py).

Policy admins and auditors read the comparison; only policy admins may post the promotion
(an auditor's POST is refused with 403). Every other signed-in role gets 403; anonymous
visitors are sent to sign in.
"""

from conftest import World
from screening.models import Rule
from tests.access import Route, only

from .factories import RuleFactory

PILOT_READERS = ["policy_admin", "auditor"]


def _pilot(world: World) -> dict:
    pilot = RuleFactory(owner=world.policy_admin, mode=Rule.Mode.PILOT)
    return {"code": pilot.code}


ROUTES: list[Route] = [
    Route("screening:pilot_review", only(PILOT_READERS, 200, 403), _pilot),
    # The promotion: a policy admin's POST with nothing typed shows the form's errors (200).
    Route(
        "screening:pilot_review",
        only(["policy_admin"], 200, 403),
        _pilot,
        method="post",
    ),
]
