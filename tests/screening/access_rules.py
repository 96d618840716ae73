"""Access-matrix rows for the rule catalogue pages (see tests/access.py).

Policy admins and auditors hold screening.view_rule and read the catalogue; only policy
admins hold screening.manage_rules and may create rules or new versions. Every other
signed-in role gets 403; anonymous visitors are sent to sign in.
"""

from conftest import World
from screening.services.notices import rule_notice_publish
from tests.access import Route, everyone, only, signed_in

from .factories import RuleFactory

RULE_VIEWERS = ["policy_admin", "auditor"]
RULE_MANAGERS = ["policy_admin"]


def _rule(world: World) -> dict:
    return {"code": RuleFactory(owner=world.policy_admin).code}


def _notice(world: World) -> dict:
    rule = RuleFactory(owner=world.policy_admin)
    notice = rule_notice_publish(rule=rule, actor=world.policy_admin)
    return {"pk": notice.pk}


ROUTES: list[Route] = [
    Route("screening:rule_list", only(RULE_VIEWERS, 200, 403)),
    Route("screening:rule_create", only(RULE_MANAGERS, 200, 403)),
    Route("screening:rule_detail", only(RULE_VIEWERS, 200, 403), _rule),
    Route("screening:rule_edit", only(RULE_MANAGERS, 200, 403), _rule),
]

# The public rule book: anyone, signed in or not, may read it.
ROUTES += [
    Route("controls:rule_book", everyone(200)),
    Route("controls:rule_book_detail", everyone(200), _rule),
]

# Public notices: the page and the feed for anyone; the email opt-in for signed-in users.
ROUTES += [
    Route("controls:notice_list", everyone(200)),
    Route("controls:notice_detail", everyone(200), _notice),
    Route("controls:notice_feed", everyone(200)),
    Route("controls:notice_subscribe", signed_in(302), method="post", data={"active": "1"}),
]


# Sunset reviews: policy admins and auditors read them (only policy admins decide).
def _sunset_review(world: World) -> dict:
    from screening.models import SunsetReview

    rule = RuleFactory(owner=world.policy_admin)
    review = SunsetReview.objects.create(rule=rule, opened_on=rule.sunset_on, due_on=rule.sunset_on)
    return {"pk": review.pk}


ROUTES += [
    Route("screening:sunset_review_queue", only(RULE_VIEWERS, 200, 403)),
    Route("screening:sunset_review_detail", only(RULE_VIEWERS, 200, 403), _sunset_review),
]
