"""Triage of flags in real Chromium: an officer cannot recommend a case until every live flag
is confirmed or dismissed, disposes of them on the case page (htmx swaps each flag's panel),
and then recommends.

The claimed case and its two pending flags are built through the factories (the pipeline's
own runs are tested in tests/screening); the steps under test are done in the browser.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from licensing.models import Application
from screening.models import Flag, KnownFalseMatch, Rule
from tests.licensing import factories
from tests.screening.factories import RuleFactory
from tests.screening.test_services_flags import a_flag, a_party_match

from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _choose(scope: Locator, label: str) -> None:
    """Click a radio's or checkbox's label (USWDS hides the input itself)."""
    scope.locator("label", has_text=re.compile(f"^{re.escape(label)}")).click()


def _recommend(page: Page) -> None:
    recommendation = page.locator("#recommendation")
    _choose(recommendation, "Approve")
    page.locator("#id_recommend_explanation").fill("Civil end use at a university observatory.")
    recommendation.get_by_role("button", name="Recommend").click()


def test_officer_disposes_of_flags_and_then_recommends(
    page: Page, live_server, sign_in, browser_world
):
    application = factories.make_under_review(browser_world)
    match = a_party_match(application)
    end_use = a_flag(
        application, rule=RuleFactory(title="End-use red flag", kind=Rule.Kind.END_USE)
    )

    case_url = live_server.url + reverse("licensing:case_detail", kwargs={"pk": application.pk})
    sign_in(page, "case_officer")
    page.goto(case_url)
    expect(page.get_by_test_id("flags-pending")).to_contain_text("2 flags still need a decision")
    match_panel = page.locator(f"#flag-{match.pk}")
    expect(match_panel).to_contain_text("KOENIGSTUHL OBSERVATORY TRADING")
    expect(match_panel.get_by_test_id("match-score")).to_contain_text("0.93")
    assert_no_serious_violations(page)

    # Recommending is refused while the flags are pending; what was typed stays.
    _recommend(page)
    expect(page.get_by_test_id("case-error")).to_contain_text(
        "2 flags still need a decision: confirm or dismiss each one before recommending."
    )
    expect(page.locator("#id_recommend_explanation")).to_have_value(
        "Civil end use at a university observatory."
    )

    # Confirm the end-use flag (htmx swaps its panel in place).
    end_use_panel = page.locator(f"#flag-{end_use.pk}")
    _choose(end_use_panel, "Confirm")
    end_use_panel.get_by_label("Reason").fill("The statement names a weapons programme.")
    end_use_panel.get_by_role("button", name="Record the decision").click()
    expect(end_use_panel.get_by_test_id("disposed")).to_contain_text("Confirmed by")
    expect(page.get_by_test_id("flags-pending")).to_contain_text("1 flag still needs a decision")
    # Swapped by htmx: a plain POST would have been redirected to the page's #flag-… anchor.
    expect(page).to_have_url(re.compile(r"/recommend/$"))

    # Dismiss the party match as a known false match.
    _choose(match_panel, "Dismiss")
    match_panel.get_by_label("Reason").fill("A different observatory, in another country.")
    _choose(match_panel, "Not this listed entity")
    match_panel.get_by_role("button", name="Record the decision").click()
    expect(match_panel.get_by_test_id("false-match")).to_contain_text(
        "Recorded as a known false match"
    )
    expect(page.get_by_test_id("flags-pending")).to_contain_text(
        "Every live flag has been confirmed or dismissed."
    )

    _recommend(page)
    expect(page.get_by_role("status")).to_contain_text("Your recommendation has been made")
    assert Application.objects.get(pk=application.pk).status == Application.Status.RECOMMENDED
    assert Flag.objects.get(pk=end_use.pk).disposition == Flag.Disposition.CONFIRMED
    assert Flag.objects.get(pk=match.pk).disposition == Flag.Disposition.DISMISSED
    assert KnownFalseMatch.objects.filter(flag=match, entry_id="12345").exists()
