"""Access-matrix rows for the flagging pages (see tests/access.py).

- Re-screening progress of a list version: whoever may see list versions.
- Disposing of a live flag and "Screen again": case officers and senior officials (302 back to
  the case page); auditors, appeals reviewers and policy admins may not (403); an advisor does
  not see a case that was not referred to them (404); exporters are no officials (403).
- Pilot (shadow) flags: policy admins only.
"""

from conftest import World
from licensing.services import applications as application_services
from licensing.services import cases as case_services
from screening.models import Rule
from screening.services import list_version_import
from tests.access import Route, only
from tests.licensing.factories import make_draft, make_under_review

from .access_lists import LIST_VIEWERS
from .conftest import EU
from .factories import FlagFactory, RuleFactory, ScreeningRunFactory


def _rescreened_version(world: World) -> dict:
    return {"pk": list_version_import(actor=None, paths=[EU]).pk}


def _case_flag(world: World) -> dict:
    application = make_under_review(world)
    flag = FlagFactory(run=ScreeningRunFactory(application=application))
    return {"pk": application.pk, "flag_pk": flag.pk}


def _failed_screening(world: World) -> dict:
    application = make_draft(world)
    application_services.application_submit(actor=world.exporter, application=application)
    case_services.case_fail_screening(application=application, error="Worker lost")
    return {"pk": application.pk}


def _shadow_flag(world: World) -> dict:
    application = make_under_review(world)
    run = ScreeningRunFactory(application=application)
    return {"pk": FlagFactory(run=run, rule=RuleFactory(mode=Rule.Mode.PILOT)).pk}


def _case_action(officers: int) -> dict:
    return {
        "anonymous": 302,
        "exporter": 403,
        "other_exporter": 403,
        "case_officer": officers,
        "senior_official": officers,
        "advisor": 404,
        "appeals_reviewer": 403,
        "policy_admin": 403,
        "auditor": 403,
    }


DISPOSITION = {"disposition": "confirmed", "reason": "Checked against the end user's website."}

ROUTES = [
    Route("screening:version_rescreen", only(LIST_VIEWERS, 200, 403), _rescreened_version),
    Route("screening:flag_dispose", _case_action(302), _case_flag, "post", DISPOSITION),
    Route("screening:screening_retry", _case_action(302), _failed_screening, "post"),
    Route("screening:pilot_flags", only(["policy_admin"], 200, 403)),
    Route(
        "screening:pilot_flag_dispose",
        only(["policy_admin"], 302, 403),
        _shadow_flag,
        "post",
        DISPOSITION,
    ),
]
