"""The pilot review page (/screening/rules/<code>/pilot/): the comparison for policy admins
and auditors, the promotion form for policy admins only, and its errors."""

import pytest
from django.urls import reverse

from screening.models import Flag, PublicNotice, Rule
from tests.licensing.factories import make_draft

from .factories import FlagFactory, RuleFactory, ScreeningRunFactory, days_from_today

Status = Rule.Status


@pytest.fixture
def pilot(world) -> Rule:
    """Live v1 and pilot v2 of `c`: one case flagged by both, one by the pilot only."""
    live = RuleFactory(code="c", title="Missiles", owner=world.policy_admin)
    pilot = RuleFactory(
        code="c",
        version=2,
        title="Missiles and rockets",
        mode=Rule.Mode.PILOT,
        owner=world.policy_admin,
        sunset_on=days_from_today(60),
    )
    both = ScreeningRunFactory(application=make_draft(world, title="both"))
    both.rule_versions.set([live, pilot])
    FlagFactory(run=both, rule=live, disposition=Flag.Disposition.CONFIRMED)
    FlagFactory(run=both, rule=pilot, disposition=Flag.Disposition.CONFIRMED)
    only = ScreeningRunFactory(application=make_draft(world, title="pilot only"))
    only.rule_versions.set([live, pilot])
    FlagFactory(run=only, rule=pilot, disposition=Flag.Disposition.DISMISSED)
    pilot.pilot_only_reference = only.application.reference
    return pilot


def _url(code: str = "c") -> str:
    return reverse("screening:pilot_review", kwargs={"code": code})


def test_pilot_review_shows_the_comparison_and_the_form_to_a_policy_admin(client, world, pilot):
    client.force_login(world.policy_admin)
    response = client.get(_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "Pilot v2 compared with the live rule" in html
    assert 'data-testid="cases-both">1<' in html
    assert 'data-testid="cases-pilot-only">1<' in html
    assert 'data-testid="cases-live-only">0<' in html
    assert 'data-testid="pilot-precision">50%<' in html
    assert 'data-testid="live-precision">100%<' in html
    assert pilot.pilot_only_reference in html
    assert "<caption>" in html
    assert 'data-testid="promote-form"' in html
    assert 'name="justification"' in html


def test_pilot_review_is_read_only_for_an_auditor(client, world, pilot):
    client.force_login(world.auditor)
    response = client.get(_url())

    assert response.status_code == 200
    assert 'data-testid="pilot-comparison"' in response.content.decode()
    assert 'data-testid="promote-form"' not in response.content.decode()


def test_pilot_review_refuses_an_auditors_promotion(client, world, pilot):
    client.force_login(world.auditor)
    response = client.post(_url(), {"justification": "I would like it live."})

    assert response.status_code == 403
    pilot.refresh_from_db()
    assert pilot.status == Status.CURRENT
    assert not PublicNotice.objects.filter(kind=PublicNotice.Kind.PILOT_PROMOTED).exists()


@pytest.mark.parametrize("actor", ["case_officer", "exporter"])
def test_pilot_review_is_forbidden_to_other_roles(client, world, pilot, actor):
    client.force_login(getattr(world, actor))
    assert client.get(_url()).status_code == 403


def test_pilot_review_is_404_without_a_pilot_in_force(client, world, pilot):
    RuleFactory(code="live-only", owner=world.policy_admin)
    client.force_login(world.policy_admin)

    assert client.get(_url("live-only")).status_code == 404
    assert client.get(_url("no-such-rule")).status_code == 404
    pilot.status = Status.RETIRED
    pilot.save(update_fields=["status"])
    assert client.get(_url()).status_code == 404


def test_pilot_review_promotes_and_redirects_to_the_rule(client, world, pilot):
    client.force_login(world.policy_admin)
    sunset = days_from_today(200)
    response = client.post(
        _url(),
        {"justification": "Rockets were missed; the pilot caught them.", "sunset_on": sunset},
    )

    assert response.status_code == 302
    assert response.url == reverse("screening:rule_detail", kwargs={"code": "c"})
    promoted = Rule.objects.get(code="c", status=Status.CURRENT)
    assert (promoted.version, promoted.mode, promoted.sunset_on) == (3, Rule.Mode.ACTIVE, sunset)
    notice = PublicNotice.objects.get(kind=PublicNotice.Kind.PILOT_PROMOTED)
    assert notice.justification == "Rockets were missed; the pilot caught them."
    page = client.get(response.url)
    assert "Pilot v2 of c promoted to live as version 3" in page.content.decode()
    assert 'data-testid="pilot-review-link"' not in page.content.decode()


def test_pilot_review_keeps_what_was_typed_on_an_error(client, world, pilot):
    client.force_login(world.policy_admin)
    too_late = days_from_today(800)
    response = client.post(
        _url(), {"justification": "Keep this text.", "sunset_on": too_late.isoformat()}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "A sunset date may be at most 730 days ahead" in html
    assert "Keep this text." in html
    assert too_late.isoformat() in html
    assert Rule.objects.get(code="c", status=Status.CURRENT, mode=Rule.Mode.PILOT) == pilot


def test_pilot_review_without_justification_names_the_field(client, world, pilot):
    client.force_login(world.policy_admin)
    response = client.post(_url(), {"justification": "", "sunset_on": ""})

    assert response.status_code == 200
    assert "Give a written justification; it is published." in response.content.decode()
    assert Rule.objects.filter(code="c").count() == 2


def test_pilot_review_of_a_new_rule_says_there_is_no_live_version(client, world):
    pilot = RuleFactory(code="fresh", mode=Rule.Mode.PILOT, owner=world.policy_admin)
    run = ScreeningRunFactory(application=make_draft(world))
    run.rule_versions.set([pilot])
    FlagFactory(run=run, rule=pilot)
    client.force_login(world.auditor)

    response = client.get(_url("fresh"))

    html = response.content.decode()
    assert 'data-testid="no-live-version"' in html
    assert "has no live version" in html
    assert 'data-testid="live-precision">No live version<' in html


def test_rule_detail_links_to_the_pilot_review_when_a_pilot_is_in_force(client, world, pilot):
    client.force_login(world.auditor)
    html = client.get(reverse("screening:rule_detail", kwargs={"code": "c"})).content.decode()
    assert 'data-testid="pilot-review-link"' in html
    assert _url() in html

    RuleFactory(code="plain", owner=world.policy_admin)
    html = client.get(reverse("screening:rule_detail", kwargs={"code": "plain"})).content.decode()
    assert 'data-testid="pilot-review-link"' not in html


def test_rule_form_makes_the_pilot_period_explicit(client, world):
    client.force_login(world.policy_admin)
    html = client.get(reverse("screening:rule_create")).content.decode()
    assert "Sunset date (a pilot&#x27;s last day)" in html
    assert "ends the pilot period" in html


def test_pilot_review_page_query_budget(client, world, pilot, django_assert_max_num_queries):
    for n in range(5):
        run = ScreeningRunFactory(application=make_draft(world, title=f"more {n}"))
        run.rule_versions.set([pilot])
        FlagFactory(run=run, rule=pilot)
    client.force_login(world.policy_admin)
    with django_assert_max_num_queries(20):
        response = client.get(_url())
    assert response.status_code == 200
