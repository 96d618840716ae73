"""The declared appeal workflow (issue 6, point 4), checked transition by transition.

The table is written out here by hand from the issue, not read from the model's transition
metadata, so a transition declared with the wrong source or target fails a test. Every
(transition, status) pair is a test case: allowed exactly where the table says so.
"""

import pytest
from django_fsm import TransitionNotAllowed, can_proceed

from appeals.models import Appeal

S = Appeal.Status

BEFORE_DECISION = {S.DRAFT, S.LATE_REVIEW, S.LODGED, S.UNDER_REVIEW, S.INFO_REQUESTED}

# transition -> (the statuses it may start from, the status it ends in)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "lodge": ({S.DRAFT}, S.LODGED),
    "lodge_late": ({S.DRAFT}, S.LATE_REVIEW),
    "accept_lateness": ({S.LATE_REVIEW}, S.LODGED),
    "reject_lateness": ({S.LATE_REVIEW}, S.LATE_REJECTED),
    "start_review": ({S.LODGED}, S.UNDER_REVIEW),
    "request_information": ({S.UNDER_REVIEW}, S.INFO_REQUESTED),
    "receive_information": ({S.INFO_REQUESTED}, S.UNDER_REVIEW),
    "uphold": ({S.UNDER_REVIEW}, S.UPHELD),
    "overturn": ({S.UNDER_REVIEW}, S.OVERTURNED),
    "remit": ({S.UNDER_REVIEW}, S.REMITTED),
    "withdraw": (BEFORE_DECISION, S.WITHDRAWN),
}

CASES = [
    pytest.param(name, status, status in sources, id=f"{name}-from-{status}")
    for name, (sources, _target) in TRANSITIONS.items()
    for status in S.values
]

FINAL = {S.LATE_REJECTED, S.UPHELD, S.OVERTURNED, S.REMITTED, S.WITHDRAWN}


def test_appeal_transition_table_covers_every_declared_transition():
    declared = {t.name for t in Appeal(status=S.DRAFT).get_all_status_transitions()}
    assert declared == set(TRANSITIONS)


@pytest.mark.parametrize(("name", "status", "allowed"), CASES)
def test_appeal_transition_allowed_exactly_from_declared_sources(name, status, allowed):
    appeal = Appeal(status=status)
    assert can_proceed(getattr(appeal, name)) is allowed


@pytest.mark.parametrize(("name", "status", "allowed"), CASES)
def test_appeal_transition_forbidden_raises_and_keeps_the_status(name, status, allowed):
    appeal = Appeal(status=status)
    if allowed:
        getattr(appeal, name)()
        assert appeal.status == TRANSITIONS[name][1]
    else:
        with pytest.raises(TransitionNotAllowed):
            getattr(appeal, name)()
        assert appeal.status == status


@pytest.mark.parametrize(("name", "target"), [(n, t) for n, (_s, t) in TRANSITIONS.items()])
def test_appeal_transition_ends_in_its_target(name, target):
    sources, _target = TRANSITIONS[name]
    for source in sources:
        appeal = Appeal(status=source)
        getattr(appeal, name)()
        assert appeal.status == target


@pytest.mark.parametrize("status", sorted(FINAL))
def test_appeal_final_statuses_allow_no_transition(status):
    appeal = Appeal(status=status)
    assert [name for name in TRANSITIONS if can_proceed(getattr(appeal, name))] == []


def test_appeal_status_is_protected_from_direct_assignment():
    appeal = Appeal(status=S.DRAFT)
    appeal.lodge()
    with pytest.raises(AttributeError):
        appeal.status = S.UPHELD


def test_appeal_decided_and_before_decision_sets_match_the_workflow():
    assert set(Appeal.DECIDED) == {S.UPHELD, S.OVERTURNED, S.REMITTED}
    assert set(Appeal.BEFORE_DECISION) == BEFORE_DECISION
    assert Appeal(status=S.OVERTURNED).is_decided
    assert not Appeal(status=S.UNDER_REVIEW).is_decided
