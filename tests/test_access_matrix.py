"""Who may reach every named URL of the project.

Every URL pattern must have a row here: `test_every_url_is_in_the_matrix` fails the day a
page or endpoint is added without one. Each row names the request to make and the outcome
for each actor; `test_access` makes that request as every actor and checks the status.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import World
from exportgov.notifications.models import Notification
from tests.access import (
    ACTORS,
    API_UNAUTHENTICATED,
    LOGIN_REDIRECT,
    OFFICIALS_WHO_SEE_ORGANISATIONS,
    Route,
    everyone,
    only,
    signed_in,
)
from tests.appeals import access_api as access_appeals_api
from tests.appeals import access_appeals
from tests.core import access_operations
from tests.licensing import access_cases, access_exporter, access_licences
from tests.screening import (
    access_consultations,
    access_controls,
    access_flags,
    access_lists,
    access_pilots,
    access_rules,
)
from tests.transparency import access_transparency


def _organisation(world: World) -> dict:
    return {"pk": world.organisation.pk}


def _invitation(world: World) -> dict:
    from exportgov.accounts import services

    invitation = services.invitation_create(
        actor=world.exporter,
        organisation=world.organisation,
        email="new@example.org",
        role="member",
    )
    return {"pk": invitation.pk}


def _invitation_token(world: World) -> dict:
    from exportgov.accounts import services

    invitation = services.invitation_create(
        actor=world.exporter,
        organisation=world.organisation,
        email="new@example.org",
        role="member",
    )
    return {"token": invitation.token}


def _colleague_membership(world: World) -> dict:
    return {"pk": world.organisation.memberships.get(user=world.colleague).pk}


def _exporters_notification(world: World) -> dict:
    return {"pk": Notification.objects.create(recipient=world.exporter, subject="s", body="b").pk}


SEE_ORGANISATION = only(["exporter", *OFFICIALS_WHO_SEE_ORGANISATIONS], 200, 404)
MANAGE_ORGANISATION = {
    **only(["exporter"], 302, 404),
    **dict.fromkeys(OFFICIALS_WHO_SEE_ORGANISATIONS, 403),
}

MATRIX = [
    # core
    Route("core:home", signed_in(302, anonymous=200)),
    Route("core:dashboard", signed_in(200)),
    Route("core:healthz", everyone({200, 503})),  # 503 when no Celery worker runs
    # accounts
    Route("accounts:login", signed_in(302, anonymous=200)),
    Route("accounts:logout", signed_in(302, anonymous=302), method="post"),
    Route("accounts:password_change", signed_in(200)),
    Route("accounts:password_change_done", signed_in(200)),
    Route("accounts:password_reset", everyone(200)),
    Route("accounts:password_reset_done", everyone(200)),
    Route(
        "accounts:password_reset_confirm",
        everyone(200),
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
    ),
    Route("accounts:password_reset_complete", everyone(200)),
    Route("accounts:profile", signed_in(200)),
    Route("accounts:api_token_create", signed_in(200), method="post"),
    Route("accounts:organisation_list", signed_in(200)),
    Route("accounts:organisation_detail", SEE_ORGANISATION, _organisation),
    Route(
        "accounts:invitation_create",
        {**MANAGE_ORGANISATION, "exporter": 302},
        _organisation,
        method="post",
        data={"email": "someone@example.org", "role": "member"},
    ),
    Route("accounts:invitation_revoke", MANAGE_ORGANISATION, _invitation, method="post"),
    Route("accounts:invitation_accept", everyone(200), _invitation_token),
    Route("accounts:membership_remove", MANAGE_ORGANISATION, _colleague_membership, method="post"),
    # audit
    Route("audit:event_list", only(["auditor"], 200, 403)),
    # notifications
    Route("notifications:list", signed_in(200)),
    Route(
        "notifications:read", only(["exporter"], 302, 404), _exporters_notification, method="post"
    ),
    # API
    Route("api:token", everyone(405)),  # POST-only: username and password in, token out
    Route("api:me", signed_in(200, anonymous=API_UNAUTHENTICATED)),
    Route("api:organisation_list", signed_in(200, anonymous=API_UNAUTHENTICATED)),
    Route(
        "api:organisation_detail",
        only(
            ["exporter", *OFFICIALS_WHO_SEE_ORGANISATIONS], 200, 404, anonymous=API_UNAUTHENTICATED
        ),
        _organisation,
    ),
    Route(
        "api:organisation_member_list",
        only(
            ["exporter", *OFFICIALS_WHO_SEE_ORGANISATIONS], 200, 404, anonymous=API_UNAUTHENTICATED
        ),
        _organisation,
    ),
    Route("api:audit_event_list", only(["auditor"], 200, 403, anonymous=API_UNAUTHENTICATED)),
    Route("api_docs:schema", everyone(200)),
    Route("api_docs:docs", everyone(200)),
    # Django admin: technical staff only; no role of the product is staff.
    Route("admin:index", everyone(302)),
]
MATRIX += (
    access_exporter.ROUTES
    + access_cases.ROUTES
    + access_licences.ROUTES
    + access_lists.ROUTES
    + access_controls.ROUTES
    + access_rules.ROUTES
    + access_consultations.ROUTES
    + access_pilots.ROUTES
    + access_flags.ROUTES
    + access_appeals_api.ROUTES
    + access_appeals.ROUTES
    + access_operations.ROUTES
    + access_transparency.ROUTES
)

# The admin's own model pages are many; they are all behind the same staff check as admin:index.
COVERED_BY_ADMIN_INDEX = "admin:"


def _named_urls(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_url_is_in_the_matrix():
    declared = {route.name for route in MATRIX}
    named = {name for name in _named_urls() if not name.startswith(COVERED_BY_ADMIN_INDEX)}
    assert named - declared == set(), "add these URLs to the access matrix"
    stale = declared - named - {"admin:index"}
    assert stale == set(), "these matrix rows name URLs that no longer exist"


def test_every_route_declares_every_actor():
    for route in MATRIX:
        assert set(route.expect) == set(ACTORS), route.name


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("route", MATRIX, ids=lambda route: route.name)
def test_access(client, db, module_world, route, actor):
    world = module_world
    user = world.actor(actor)
    url = reverse(route.name, kwargs=route.kwargs(world))
    if user is not None:
        client.force_login(user)

    response = getattr(client, route.method)(url, route.data)

    expected = route.expect[actor]
    allowed = expected if isinstance(expected, set) else {expected}
    assert response.status_code in allowed, f"{route.method.upper()} {url} as {actor}"
    if (
        actor == "anonymous"
        and response.status_code == LOGIN_REDIRECT
        and route.name.startswith("core:dash")
    ):
        assert response.url.startswith(reverse("accounts:login"))
