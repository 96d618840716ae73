"""The declared workflow of DESIGN.md ("The case workflow"), checked transition by transition.

The expected tables are written out here by hand from DESIGN.md, not read from the models'
transition metadata, so a transition declared with the wrong source or target fails a test.
Every (transition, status) pair is a test case: allowed exactly where the table says so.
"""

import pytest
from django_fsm import can_proceed

from licensing.models import Application, Licence

S = Application.Status
L = Licence.Status

BEFORE_DECISION = {
    S.DRAFT,
    S.SUBMITTED,
    S.SCREENING,
    S.SCREENING_FAILED,
    S.TRIAGE,
    S.UNDER_REVIEW,
    S.INFO_REQUESTED,
    S.IN_CONSULTATION,
    S.RECOMMENDED,
}

# transition -> (the statuses it may start from, the status it ends in)
APPLICATION_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "start_screening": ({S.SUBMITTED}, S.SCREENING),
    "finish_screening": ({S.SCREENING}, S.TRIAGE),
    "fail_screening": ({S.SCREENING}, S.SCREENING_FAILED),
    "retry_screening": ({S.SCREENING_FAILED}, S.SCREENING),
    "start_review": ({S.TRIAGE}, S.UNDER_REVIEW),
    "request_information": ({S.UNDER_REVIEW}, S.INFO_REQUESTED),
    "receive_information": ({S.INFO_REQUESTED}, S.UNDER_REVIEW),
    "refer": ({S.UNDER_REVIEW}, S.IN_CONSULTATION),
    "end_consultation": ({S.IN_CONSULTATION}, S.UNDER_REVIEW),
    "recommend": ({S.UNDER_REVIEW}, S.RECOMMENDED),
    "return_for_review": ({S.RECOMMENDED}, S.UNDER_REVIEW),
    "approve": ({S.RECOMMENDED}, S.APPROVED),
    "refuse": ({S.RECOMMENDED}, S.REFUSED),
    "withdraw": (BEFORE_DECISION, S.WITHDRAWN),
    "approve_on_appeal": ({S.REFUSED}, S.APPROVED),
    "reopen_on_appeal": ({S.REFUSED}, S.UNDER_REVIEW),
}

LICENCE_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "suspend": ({L.ACTIVE}, L.SUSPENDED),
    "reinstate": ({L.SUSPENDED}, L.ACTIVE),
    "revoke": ({L.ACTIVE, L.SUSPENDED}, L.REVOKED),
    "expire": ({L.ACTIVE, L.SUSPENDED}, L.EXPIRED),
    "exhaust": ({L.ACTIVE}, L.EXHAUSTED),
    "supersede": ({L.ACTIVE, L.SUSPENDED}, L.SUPERSEDED),
    "restore_on_appeal": ({L.REVOKED}, L.ACTIVE),
}

APPLICATION_CASES = [
    pytest.param(name, status, status in sources, id=f"{name}-from-{status}")
    for name, (sources, _target) in APPLICATION_TRANSITIONS.items()
    for status in S.values
]
LICENCE_CASES = [
    pytest.param(name, status, status in sources, id=f"{name}-from-{status}")
    for name, (sources, _target) in LICENCE_TRANSITIONS.items()
    for status in L.values
]


@pytest.mark.parametrize(("name", "status", "allowed"), APPLICATION_CASES)
def test_application_transition_allowed_exactly_from_declared_sources(name, status, allowed):
    application = Application(status=status)
    assert can_proceed(getattr(application, name)) is allowed


@pytest.mark.parametrize(
    ("name", "target"),
    [(name, target) for name, (_sources, target) in APPLICATION_TRANSITIONS.items()],
)
def test_application_transition_ends_in_declared_target(name, target):
    sources, _target = APPLICATION_TRANSITIONS[name]
    for source in sources:
        application = Application(status=source)
        getattr(application, name)()
        assert application.status == target


@pytest.mark.parametrize(("name", "status", "allowed"), LICENCE_CASES)
def test_licence_transition_allowed_exactly_from_declared_sources(name, status, allowed):
    licence = Licence(status=status)
    assert can_proceed(getattr(licence, name)) is allowed


@pytest.mark.parametrize(
    ("name", "target"),
    [(name, target) for name, (_sources, target) in LICENCE_TRANSITIONS.items()],
)
def test_licence_transition_ends_in_declared_target(name, target):
    sources, _target = LICENCE_TRANSITIONS[name]
    for source in sources:
        licence = Licence(status=source)
        getattr(licence, name)()
        assert licence.status == target


def test_application_transition_table_covers_every_declared_transition():
    declared = {t.name for t in Application().get_all_status_transitions()}
    assert declared == set(APPLICATION_TRANSITIONS)


def test_licence_transition_table_covers_every_declared_transition():
    declared = {t.name for t in Licence().get_all_status_transitions()}
    assert declared == set(LICENCE_TRANSITIONS)


def test_application_decided_and_withdrawn_are_final_but_for_an_appeal():
    for status in (S.APPROVED, S.WITHDRAWN):
        application = Application(status=status)
        assert not list(application.get_available_status_transitions())
    refused = Application(status=S.REFUSED)
    names = {t.name for t in refused.get_available_status_transitions()}
    assert names == {"approve_on_appeal", "reopen_on_appeal"}


def test_licence_ending_statuses_are_final_but_for_an_appeal():
    for status in (L.EXPIRED, L.EXHAUSTED, L.SUPERSEDED):
        licence = Licence(status=status)
        assert not list(licence.get_available_status_transitions())
    revoked = Licence(status=L.REVOKED)
    assert {t.name for t in revoked.get_available_status_transitions()} == {"restore_on_appeal"}


def test_application_status_cannot_be_assigned_directly():
    application = Application(status=S.DRAFT)
    with pytest.raises(AttributeError):
        application.status = S.APPROVED
    assert application.status == S.DRAFT


def test_licence_status_cannot_be_assigned_directly():
    licence = Licence(status=L.REVOKED)
    with pytest.raises(AttributeError):
        licence.status = L.ACTIVE
    assert licence.status == L.REVOKED


@pytest.mark.django_db
def test_application_status_cannot_be_assigned_directly_once_stored(draft):
    application = Application.objects.get(pk=draft.pk)
    with pytest.raises(AttributeError):
        application.status = S.APPROVED
    application.refresh_from_db()
    assert application.status == S.DRAFT
