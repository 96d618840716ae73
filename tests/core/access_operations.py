"""Access-matrix rows for the officials' operations dashboard (see tests/access.py).

Officials with licensing.view_application (case officers, senior officials, appeals reviewers
and auditors) see it; exporters, advisors and policy admins get 403; anonymous visitors are
sent to sign in.
"""

from tests.access import Route, only

OPERATIONS_VIEWERS = ["case_officer", "senior_official", "appeals_reviewer", "auditor"]

ROUTES: list[Route] = [
    Route("core:operations", only(OPERATIONS_VIEWERS, 200, 403)),
]
