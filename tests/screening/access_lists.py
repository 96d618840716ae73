"""Access-matrix rows for the list pages (see tests/access.py).

Officials who judge matches (case officers, senior officials, appeals reviewers), policy admins
and auditors hold screening.view_listversion and see every list and version (a flag links to
its list entry); exporters and advisors get 403; anonymous visitors are sent to sign in.

Officials who screen parties (screening.search_lists: case officers, senior officials,
appeals reviewers, policy admins and auditors) may use the search page and the search API;
exporters and advisors get 403; anonymous callers are sent to sign in (the API: 401).
"""

from conftest import World
from screening.services import list_version_import
from tests.access import API_UNAUTHENTICATED, Route, only

from .conftest import EU

LIST_VIEWERS = ["case_officer", "senior_official", "appeals_reviewer", "policy_admin", "auditor"]
LIST_SEARCHERS = ["case_officer", "senior_official", "appeals_reviewer", "policy_admin", "auditor"]


def _version(world: World) -> dict:
    return {"pk": list_version_import(actor=None, paths=[EU]).pk}


ROUTES = [
    Route("screening:source_list", only(LIST_VIEWERS, 200, 403)),
    Route("screening:version_detail", only(LIST_VIEWERS, 200, 403), _version),
    # No name: the empty search page.
    Route("screening:search", only(LIST_SEARCHERS, 200, 403)),
    # The API is POST-only. DRF checks the permission before the method, so a GET tells the
    # allowed (405) from the forbidden (403); test_views.py GETs every row of this file.
    # tests/screening/test_search_api.py POSTs as every actor.
    Route("api:screening_search", only(LIST_SEARCHERS, 405, 403, anonymous=API_UNAUTHENTICATED)),
]
