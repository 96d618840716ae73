"""Access-matrix rows for the controls pages (see tests/access.py).

"Do I need a licence?" and its code search are public: everyone, signed in or not, gets the
page. The control-data pages are for holders of screening.view_controldataset (policy admins
and auditors); other signed-in roles get 403; anonymous visitors are sent to sign in.
"""

from conftest import World
from screening.services.controls import control_dataset_import
from tests.access import Route, everyone, only

from .conftest import CONTROLS

CONTROL_VIEWERS = ["policy_admin", "auditor"]


def _dataset(world: World) -> dict:
    path = CONTROLS / "license-exception-catalog.json"  # the smallest real file
    return {"pk": control_dataset_import(actor=None, path=path).pk}


ROUTES = [
    Route("controls:licence_check", everyone(200)),
    Route("controls:code_search", everyone(200)),
    Route("screening:control_dataset_list", only(CONTROL_VIEWERS, 200, 403)),
    Route("screening:control_dataset_review", only(CONTROL_VIEWERS, 200, 403), _dataset),
]
