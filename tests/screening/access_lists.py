"""Access-matrix rows for the list pages (see tests/access.py).

Policy admins and auditors hold screening.view_listversion and see every list and version;
every other signed-in role gets 403; anonymous visitors are sent to sign in.
"""

from conftest import World
from screening.services import list_version_import
from tests.access import Route, only

from .conftest import EU

LIST_VIEWERS = ["policy_admin", "auditor"]


def _version(world: World) -> dict:
    return {"pk": list_version_import(actor=None, paths=[EU]).pk}


ROUTES = [
    Route("screening:source_list", only(LIST_VIEWERS, 200, 403)),
    Route("screening:version_detail", only(LIST_VIEWERS, 200, 403), _version),
]
