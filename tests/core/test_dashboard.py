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
