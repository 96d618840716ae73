"""Fixtures shared by the licensing tests: an application at each point of the workflow.

All are built through the services by the functions in tests/licensing/factories.py, for
world.organisation by world.exporter; officials are world.case_officer (recommends) and
world.senior_official (decides).
"""

import pytest

from licensing.models import Application

from . import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded documents go to a temporary folder, not the repository's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(world) -> Application:
    """A complete goods draft, ready to submit."""
    return factories.make_draft(world)


@pytest.fixture
def submitted(world, draft) -> Application:
    """Submitted, in the triage queue (tier medium, no screening result)."""
    return factories.make_submitted(world, draft=draft)


@pytest.fixture
def under_review(world, submitted) -> Application:
    """Claimed by world.case_officer."""
    from licensing.services.cases import case_claim

    case_claim(actor=world.case_officer, application=submitted)
    return Application.objects.get(pk=submitted.pk)


@pytest.fixture
def recommended_approve(world, under_review) -> Application:
    """world.case_officer recommends approval with one catalogue condition."""
    return factories.make_recommended_approve(world, application=under_review)


@pytest.fixture
def recommended_refuse(world, under_review) -> Application:
    """world.case_officer recommends refusal on one refusal criterion."""
    return factories.make_recommended_refuse(world, application=under_review)


@pytest.fixture
def approved(world, recommended_approve) -> Application:
    """Decided by world.senior_official; `approved.licence` is the issued licence."""
    from licensing.services.cases import decision_make

    decision_make(
        actor=world.senior_official,
        application=recommended_approve,
        explanation="Approved as recommended.",
    )
    return Application.objects.get(pk=recommended_approve.pk)


@pytest.fixture
def refused(world, recommended_refuse) -> Application:
    """Decided (refused) by world.senior_official."""
    from licensing.services.cases import decision_make

    decision_make(
        actor=world.senior_official,
        application=recommended_refuse,
        explanation="Refused as recommended.",
    )
    return Application.objects.get(pk=recommended_refuse.pk)


@pytest.fixture
def licence(approved):
    """The licence issued for `approved`."""
    return approved.licence
