"""Independence (issue 6, point 3): an appeal's reviewer took no part in the original case.

One builder per kind of involvement (recommender, decider, advisor, flag disposer, assigned
officer, appellant) makes a draft appeal and returns the involved person, who is then also
given the appeals reviewer role. Each is refused for assignment, and — if they were made the
reviewer some other way — for the decision and for the lateness decision. Reassignment between
independent reviewers is audited.
"""

import datetime

import pytest
import time_machine
from django.utils import timezone

from appeals import selectors, services
from appeals.models import Appeal
from exportgov.accounts import services as account_services
from exportgov.accounts.models import User
from exportgov.accounts.roles import Role
from exportgov.audit.models import AuditEvent
from exportgov.core.exceptions import ApplicationError
from licensing.models import Advice
from licensing.services import cases as case_services
from tests.licensing import factories as licensing

from . import factories
from .factories import appeal_events, refresh

S = Appeal.Status
Subject = Appeal.Subject
Verb = AuditEvent.Verb


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def also_reviewer(user: User, *roles: Role) -> User:
    """Give `user` the appeals reviewer role too (a fresh instance: no cached permissions)."""
    account_services.user_roles_set(actor=None, user=user, roles=[*roles, Role.APPEALS_REVIEWER])
    return User.objects.get(pk=user.pk)


def recommender(world):
    appeal = factories.make_refused_appeal_draft(world)
    return appeal, also_reviewer(world.case_officer, Role.CASE_OFFICER), "recommended on"


def decider(world):
    appeal = factories.make_refused_appeal_draft(world)
    return appeal, also_reviewer(world.senior_official, Role.SENIOR_OFFICIAL), "decided"


def advisor(world):
    application = licensing.make_under_review(world)
    (consultation,) = case_services.consultation_request(
        actor=world.case_officer,
        application=application,
        teams=[world.defence_team],
        question="Any military end use?",
    )
    case_services.advice_give(
        actor=world.advisor,
        consultation=consultation,
        outcome=Advice.Outcome.OBJECTION,
        rationale="Diversion risk.",
    )
    application = licensing.make_refused(world, application=application)
    appeal = factories.make_refused_appeal_draft(world, application=application)
    return appeal, also_reviewer(world.advisor, Role.ADVISOR), "advised on"


def flag_disposer(world):
    disposer = factories.make_user("disposer", Role.CASE_OFFICER)
    application = licensing.make_under_review(world)
    factories.confirmed_party_match(world, application, by=disposer)
    application = licensing.make_refused(world, application=application)
    appeal = factories.make_refused_appeal_draft(world, application=application)
    return appeal, also_reviewer(disposer, Role.CASE_OFFICER), "disposed of flags"


def assigned_officer(world):
    """The officer to whom the case is assigned, who has not recommended: a match confirmed
    by another official is appealed while the case is under review."""
    officer = factories.make_user("assigned", Role.CASE_OFFICER)
    application = licensing.make_under_review(world, officer=officer)
    flag = factories.confirmed_party_match(world, application, by=world.senior_official)
    appeal = factories.make_appeal_draft(
        world, subject=Subject.MATCH, application=application, flag=flag
    )
    return appeal, also_reviewer(officer, Role.CASE_OFFICER), "assigned officer"


def appellant(world):
    appeal = factories.make_refused_appeal_draft(world)
    return appeal, also_reviewer(world.exporter), "is the appellant"


INVOLVEMENTS = [recommender, decider, advisor, flag_disposer, assigned_officer, appellant]
KINDS = pytest.mark.parametrize("involvement", INVOLVEMENTS, ids=lambda f: f.__name__)


@KINDS
def test_appeal_assign_refuses_a_reviewer_involved_in_the_case(world, involvement):
    draft, involved, kind = involvement(world)
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    appeal = refresh(draft)
    assert appeal.reviewer == world.appeals_reviewer  # the involved one was not auto-assigned
    assert involved not in selectors.eligible_reviewers(appeal=appeal)
    assert selectors.reviewer_involvement(appeal=appeal, user=world.appeals_reviewer) == []

    with pytest.raises(ApplicationError, match=kind) as error:
        services.appeal_assign(actor=world.appeals_reviewer, appeal=appeal, reviewer=involved)

    assert error.value.code == "not_independent"
    assert "independent" in error.value.message
    assert refresh(appeal).reviewer == world.appeals_reviewer
    assert not appeal_events(appeal, Verb.APPEAL_REASSIGNED).exists()


@KINDS
def test_appeal_decide_rechecks_the_reviewers_independence(world, involvement):
    draft, involved, kind = involvement(world)
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    Appeal.objects.filter(pk=draft.pk).update(reviewer=involved)  # assigned before the rule

    for outcome in (S.UPHELD, S.OVERTURNED):
        with pytest.raises(ApplicationError, match=kind):
            services.appeal_decide(
                actor=involved, appeal=draft, outcome=outcome, reasons="Looks fine to me."
            )

    appeal = refresh(draft)
    assert appeal.status == S.UNDER_REVIEW
    assert appeal.decided_by is None


@KINDS
def test_appeal_lateness_decide_rechecks_the_reviewers_independence(world, involvement):
    draft, involved, kind = involvement(world)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=60), tick=False):
        services.appeal_save(
            actor=world.exporter, appeal=draft, data={"lateness_reason": "I was in hospital."}
        )
        services.appeal_lodge(actor=world.exporter, appeal=draft)
    assert refresh(draft).status == S.LATE_REVIEW
    Appeal.objects.filter(pk=draft.pk).update(reviewer=involved)

    for accept in (True, False):
        with pytest.raises(ApplicationError, match=kind):
            services.appeal_lateness_decide(
                actor=involved, appeal=draft, accept=accept, reason="Fine."
            )

    assert refresh(draft).status == S.LATE_REVIEW


def test_appeal_assign_refuses_a_member_of_the_appellants_organisation(world):
    draft = factories.make_refused_appeal_draft(world)
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    colleague = also_reviewer(world.colleague)

    with pytest.raises(ApplicationError, match="member of the appellant's organisation"):
        services.appeal_assign(actor=world.appeals_reviewer, appeal=draft, reviewer=colleague)


def test_appeal_assign_names_every_kind_of_involvement(world):
    draft = factories.make_refused_appeal_draft(world)
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    both = also_reviewer(world.case_officer, Role.CASE_OFFICER)

    kinds = selectors.reviewer_involvement(appeal=draft, user=both)

    assert kinds == [
        "recommended on the original case",
        "is the assigned officer of the original case",
    ]


def test_appeal_reassignment_between_independent_reviewers_is_audited(world):
    draft = factories.make_refused_appeal_draft(world)
    services.appeal_lodge(actor=world.exporter, appeal=draft)
    second = factories.make_second_reviewer()
    third = factories.make_second_reviewer("third_reviewer")

    services.appeal_assign(actor=world.appeals_reviewer, appeal=draft, reviewer=second)
    services.appeal_assign(actor=second, appeal=draft, reviewer=third)

    assigned, *reassigned = appeal_events(draft).filter(
        verb__in=[Verb.APPEAL_ASSIGNED, Verb.APPEAL_REASSIGNED]
    )
    assert assigned.verb == Verb.APPEAL_ASSIGNED
    assert [(e.verb, e.actor, e.payload["previous_reviewer"]) for e in reassigned] == [
        (Verb.APPEAL_REASSIGNED, world.appeals_reviewer, world.appeals_reviewer.get_full_name()),
        (Verb.APPEAL_REASSIGNED, second, second.get_full_name()),
    ]
    assert refresh(draft).reviewer == third
    # the reviewer who was reassigned away may no longer decide
    with pytest.raises(Exception, match="assigned reviewer"):
        services.appeal_decide(
            actor=world.appeals_reviewer, appeal=draft, outcome=S.UPHELD, reasons="x"
        )
