"""Races between officials, with two real database connections.

Each thread gets its own Django connection (connections are per thread), so the two service
calls run in two PostgreSQL transactions at the same time; the row lock taken by the services
must make one of them wait and then find the case already changed. These tests commit for
real (`transaction=True`), so the data is visible to both connections.

A transactional test empties every table afterwards, including the catalogues that a data
migration seeds; with `--reuse-db` the next run would start without them, so this module
seeds them again once the session ends.
"""

import importlib
import threading

import pytest
from django.db import connection

from exportgov.accounts import services as account_services
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from exportgov.audit.selectors import audit_chain_verify
from exportgov.core.exceptions import ApplicationError
from licensing.models import Application, Decision, Licence
from licensing.services.cases import case_claim, decision_make
from tests.accounts.factories import UserFactory

from .factories import audit_events, make_recommended, make_submitted

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("_catalogue_seeded_again_after_the_session"),
]

Verb = AuditEvent.Verb


@pytest.fixture(scope="session")
def _catalogue_seeded_again_after_the_session(django_db_setup, django_db_blocker):
    yield
    from django.apps import apps

    seed_migration = importlib.import_module("licensing.migrations.0002_catalogue_seed")
    with django_db_blocker.unblock():
        seed_migration.seed(apps, None)


def official(role: Role, world):
    user = UserFactory()
    account_services.user_roles_set(actor=None, user=user, roles=[role])
    account_services.team_member_add(actor=None, team=world.licensing_team, user=user)
    return user


def run_together(*calls):
    """Start every call at the same moment, each in its own thread (and connection).

    Returns one (result, exception) pair per call, in order.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = (call(), None)
        except Exception as error:
            outcomes[index] = (None, error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return outcomes


def test_decision_make_two_officials_deciding_at_once_end_with_one_decision(world):
    application = make_recommended(world, officer=world.case_officer)
    assert application.tier == "medium"
    second_senior = official(Role.SENIOR_OFFICIAL, world)

    outcomes = run_together(
        lambda: decision_make(
            actor=world.senior_official, application=application, explanation="First."
        ),
        lambda: decision_make(actor=second_senior, application=application, explanation="Second."),
    )

    decisions = [result for result, error in outcomes if error is None]
    errors = [error for result, error in outcomes if error is not None]
    assert len(decisions) == 1, errors
    assert len(errors) == 1
    assert isinstance(errors[0], ApplicationError)
    assert errors[0].code == "invalid_transition"
    assert Decision.objects.filter(application=application).count() == 1
    assert Decision.objects.get(application=application).pk == decisions[0].pk
    assert Licence.objects.filter(application=application).count() == 1
    assert Application.objects.get(pk=application.pk).status == Application.Status.APPROVED
    assert audit_events(application, Verb.APPROVED).count() == 1
    assert AuditEvent.objects.filter(verb=Verb.LICENCE_ISSUED).count() == 1
    assert audit_chain_verify().ok


def test_case_claim_two_officers_claiming_at_once_end_with_one_claim(world):
    application = make_submitted(world)
    second_officer = official(Role.CASE_OFFICER, world)

    outcomes = run_together(
        lambda: case_claim(actor=world.case_officer, application=application),
        lambda: case_claim(actor=second_officer, application=application),
    )

    claimed = [result for result, error in outcomes if error is None]
    errors = [error for result, error in outcomes if error is not None]
    assert len(claimed) == 1, errors
    assert len(errors) == 1
    assert isinstance(errors[0], ApplicationError)
    assert errors[0].code == "already_claimed"
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert application.assigned_officer == claimed[0].assigned_officer
    assert audit_events(application, Verb.REVIEW_STARTED).count() == 1
    assert not audit_events(application, Verb.CASE_ASSIGNED).exists()
    assert audit_chain_verify().ok
