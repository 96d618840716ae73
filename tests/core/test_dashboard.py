"""The role dashboards count real cases and licences."""

import re

import pytest
from django.urls import reverse

from tests.licensing.factories import (
    make_approved,
    make_draft,
    make_recommended_approve,
    make_submitted,
)

pytestmark = pytest.mark.django_db


def _count(page: str, unit: str) -> int:
    match = re.search(rf'eg-card-count">(\d+)</span> {unit}', page)
    assert match, f"no card counting {unit!r}"
    return int(match.group(1))


def _dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("core:dashboard")).content.decode()


def test_exporter_dashboard_counts_applications_drafts_and_licences(client, world):
    make_draft(world)
    make_submitted(world)
    make_approved(world)

    page = _dashboard(client, world.exporter)

    assert _count(page, "application in progress") == 1
    assert "1 draft not yet submitted." in page
    assert _count(page, "active licence") == 1
    assert _count(_dashboard(client, world.other_exporter), "application") == 0


def test_case_officer_dashboard_counts_the_triage_queue(client, world):
    make_submitted(world)
    make_submitted(world)
    make_draft(world)  # drafts never reach officials

    page = _dashboard(client, world.case_officer)

    assert _count(page, "cases waiting") == 2
    assert "You have no open case: claim one from the triage queue." in page


def test_senior_official_dashboard_counts_cases_awaiting_decision(client, world):
    make_recommended_approve(world)
    assert _count(_dashboard(client, world.senior_official), "recommended case") == 1


def test_navigation_offers_each_role_its_licensing_pages(client, world):
    exporter_page = _dashboard(client, world.exporter)
    officer_page = _dashboard(client, world.case_officer)
    advisor_page = _dashboard(client, world.advisor)

    assert reverse("licensing:application_list") in exporter_page
    assert reverse("licensing:case_triage_queue") not in exporter_page
    assert reverse("licensing:case_triage_queue") in officer_page
    assert reverse("licensing:advisor_queue") in advisor_page
    assert reverse("licensing:case_triage_queue") not in advisor_page


def test_advisor_dashboard_counts_cases_waiting_for_advice(client, world):
    from licensing.services.cases import advice_give, consultation_request
    from tests.licensing.factories import make_under_review

    case = make_under_review(world)
    (consultation,) = consultation_request(
        actor=world.case_officer, application=case, teams=[world.defence_team], question="Risk?"
    )
    assert _count(_dashboard(client, world.advisor), "case waiting for advice") == 1

    advice_give(
        actor=world.advisor, consultation=consultation, outcome="no_objection", rationale="Fine."
    )
    assert _count(_dashboard(client, world.advisor), "cases waiting for advice") == 0


def test_policy_admin_dashboard_counts_sunset_reviews_and_comments_to_moderate(client, world):
    import datetime

    from django.utils import timezone

    from screening.models import SunsetReview
    from screening.services.consultations import consultation_comment_submit, consultation_open
    from tests.screening.factories import RuleFactory

    today = timezone.localdate()
    assert _count(_dashboard(client, world.policy_admin), "reviews") == 0
    rule = RuleFactory(owner=world.policy_admin, sunset_on=today + datetime.timedelta(days=10))
    SunsetReview.objects.create(rule=rule, opened_on=today, due_on=rule.sunset_on)
    consultation = consultation_open(
        actor=world.policy_admin,
        rule=rule,
        title="Narrow the phrases",
        proposal="Drop the broadest phrase.",
        rationale="It flags too many research cases.",
        closes_on=today + datetime.timedelta(days=20),
    )
    for body in ("Agree.", "Disagree."):
        consultation_comment_submit(
            consultation=consultation, author_name="", organisation_name="", email="", body=body
        )

    page = _dashboard(client, world.policy_admin)

    assert _count(page, "review") == 1
    assert _count(page, "comments") == 2


def _more_of_everything(world) -> None:
    """Organisations of the exporter with invitations, open cases, an appeal under review."""
    from exportgov.accounts import services
    from exportgov.accounts.models import Membership, Organisation
    from tests.accounts.factories import UserFactory
    from tests.appeals.factories import make_lodged_appeal
    from tests.licensing.factories import make_under_review

    for number in range(3):
        organisation = services.organisation_create(
            actor=None,
            name=f"Eastwind {number} Ltd",
            kind=Organisation.Kind.COMPANY,
            country="GB",
            admin=UserFactory(),
        )
        services.membership_add(
            actor=None, organisation=organisation, user=world.exporter, role=Membership.Role.ADMIN
        )
        services.invitation_create(
            actor=world.exporter,
            organisation=organisation,
            email=f"new{number}@example.org",
            role=Membership.Role.MEMBER,
        )
        make_submitted(world)
        make_under_review(world, officer=world.case_officer)
    make_lodged_appeal(world)


@pytest.mark.parametrize(
    "role",
    [
        "exporter",
        "case_officer",
        "senior_official",
        "advisor",
        "appeals_reviewer",
        "policy_admin",
        "auditor",
    ],
)
def test_dashboard_panels_use_a_fixed_number_of_queries(world, role, django_assert_max_num_queries):
    from exportgov.accounts.models import User
    from exportgov.core.dashboard import dashboard_panels_for

    def measure() -> int:
        user = User.objects.get(pk=getattr(world, role).pk)  # roles and permissions not cached
        with django_assert_max_num_queries(12) as captured:
            dashboard_panels_for(user=user)
        return len(captured)

    measure()  # content types are cached after the first call
    few = measure()
    _more_of_everything(world)

    assert measure() == few


def test_exporter_dashboard_notes_each_organisations_pending_invitations(client, world):
    from exportgov.accounts import services
    from exportgov.accounts.models import Membership

    for email in ("one@example.org", "two@example.org"):
        services.invitation_create(
            actor=world.exporter,
            organisation=world.organisation,
            email=email,
            role=Membership.Role.MEMBER,
        )

    page = _dashboard(client, world.exporter)

    assert "Invitations waiting to be accepted: 2." in page
    assert _count(page, "members") == 2  # the exporter and the colleague; invitations are not
    assert "Invitations waiting" not in _dashboard(client, world.other_exporter)


def test_official_dashboard_counts_and_names_the_users_teams(client, world):
    from exportgov.accounts import services

    services.team_member_add(actor=None, team=world.defence_team, user=world.case_officer)

    page = _dashboard(client, world.case_officer)

    assert _count(page, "teams") == 2
    assert "Licensing unit, Defence advisers" in page or "Defence advisers, Licensing unit" in page
    assert _count(_dashboard(client, world.auditor), "unread") == 0  # no team card for auditors
    assert "Your teams" not in _dashboard(client, world.auditor)


def test_officer_and_reviewer_dashboards_note_running_clocks_past_their_deadline(client, world):
    import datetime

    from django.utils import timezone

    from appeals.models import Appeal
    from licensing.models import Application
    from tests.appeals.factories import make_lodged_appeal
    from tests.licensing.factories import make_under_review

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    late, paused = (make_under_review(world, officer=world.case_officer) for _ in range(2))
    Application.objects.filter(pk=late.pk).update(deadline_on=yesterday)
    Application.objects.filter(pk=paused.pk).update(
        deadline_on=yesterday, clock_paused_since=yesterday
    )
    appeal = make_lodged_appeal(world)
    Appeal.objects.filter(pk=appeal.pk).update(deadline_on=yesterday)

    officer_page = _dashboard(client, world.case_officer)
    reviewer_page = _dashboard(client, world.appeals_reviewer)

    assert _count(officer_page, "open cases") == 2
    assert "1 past its deadline." in officer_page  # the paused clock is not counted
    assert _count(reviewer_page, "open appeal") == 1
    assert "1 past its deadline." in reviewer_page


def test_policy_admin_dashboard_notes_overdue_reviews_and_consultations_to_decide(client, world):
    import datetime

    from django.utils import timezone

    from screening.models import Consultation, SunsetReview
    from tests.screening.factories import RuleFactory

    today = timezone.localdate()
    late = RuleFactory(owner=world.policy_admin, sunset_on=today + datetime.timedelta(days=5))
    SunsetReview.objects.create(
        rule=late, opened_on=today, due_on=today - datetime.timedelta(days=1)
    )
    Consultation.objects.create(
        title="Closed yesterday",
        proposal="p",
        rationale="r",
        opened_at=timezone.now() - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
        opened_by=world.policy_admin,
    )

    page = _dashboard(client, world.policy_admin)

    assert "1 past the sunset date" in page
    assert "1 closed consultation awaiting your decision" in page
