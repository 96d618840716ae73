"""Fixtures shared by the whole suite: one user per role, and two exporter organisations."""

from dataclasses import dataclass

import pytest
from django.db import transaction

from exportgov.accounts import services
from exportgov.accounts.models import Membership, Organisation, Team, User
from exportgov.accounts.roles import Role
from tests.accounts.factories import PASSWORD, UserFactory


@dataclass
class World:
    """Everyone a test may act as. `exporter` administers `organisation`;
    `other_exporter` administers `other_organisation` and must never see the first."""

    organisation: Organisation
    other_organisation: Organisation
    licensing_team: Team
    defence_team: Team
    exporter: User
    colleague: User
    other_exporter: User
    case_officer: User
    senior_official: User
    advisor: User
    appeals_reviewer: User
    policy_admin: User
    auditor: User

    password: str = PASSWORD

    def actor(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


def make_user(username: str, *roles: Role) -> User:
    user = UserFactory(username=username)
    if roles:
        services.user_roles_set(actor=None, user=user, roles=list(roles))
    return user


def build_world() -> World:
    licensing = services.team_create(
        actor=None, name="Licensing unit", code="licensing", kind=Team.Kind.LICENSING
    )
    defence = services.team_create(
        actor=None, name="Defence advisers", code="defence", kind=Team.Kind.ADVISORY
    )
    exporter, colleague, other_exporter = (
        make_user("exporter"),
        make_user("colleague"),
        make_user("other_exporter"),
    )
    organisation = services.organisation_create(
        actor=None,
        name="Northwind Instruments Ltd",
        kind=Organisation.Kind.COMPANY,
        country="GB",
        admin=exporter,
    )
    services.membership_add(
        actor=None, organisation=organisation, user=colleague, role=Membership.Role.MEMBER
    )
    other_organisation = services.organisation_create(
        actor=None,
        name="Southwind Optics GmbH",
        kind=Organisation.Kind.COMPANY,
        country="DE",
        admin=other_exporter,
    )
    officials = {
        "case_officer": (Role.CASE_OFFICER, licensing),
        "senior_official": (Role.SENIOR_OFFICIAL, licensing),
        "advisor": (Role.ADVISOR, defence),
        "appeals_reviewer": (Role.APPEALS_REVIEWER, None),
        "policy_admin": (Role.POLICY_ADMIN, None),
        "auditor": (Role.AUDITOR, None),
    }
    people = {}
    for name, (role, team) in officials.items():
        people[name] = make_user(name, role)
        if team is not None:
            services.team_member_add(actor=None, team=team, user=people[name])
    return World(
        organisation=organisation,
        other_organisation=other_organisation,
        licensing_team=licensing,
        defence_team=defence,
        exporter=exporter,
        colleague=colleague,
        other_exporter=other_exporter,
        **people,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker) -> World:
    """The same people, built once for a whole module of many small read-mostly tests.

    It lives in an outer transaction that is rolled back after the module; each test still
    runs in its own inner transaction (the `db` fixture), so tests cannot see each other's writes.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
