"""A sunset review worked to a decision in real Chromium (issue 7, acceptance): a policy admin
opens the review from the queue, reads the evidence, renews the rule (a first try without a
justification is refused and keeps the chosen date), and the renewal is then public: the
notices page, the Atom feed and the rule book show it to a visitor who is not signed in.

The rule, its review (opened by the daily service, with real time: the sunset is 30 days
away) and an open case it flagged are built with the factories and services; the steps under
test are done in the browser. Elements are found by label, role and text, not by layout.
"""

import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format
from playwright.sync_api import Browser, Page, expect

from exportgov.notifications.models import Notification
from screening.models import PublicNotice, Rule, SunsetReview
from screening.services.reviews import sunset_reviews_open_due
from tests.licensing.factories import make_submitted
from tests.screening.factories import (
    FlagFactory,
    RuleFactory,
    ScreeningRunFactory,
    days_from_today,
)

from .conftest import TIMEOUT_MS
from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser

TITLE = "Nuclear weapons in the end-use statement"
SECRET_PHRASE = "qwxz-browser-secret-phrase"
JUSTIFICATION = "The red flag still catches diversion risks; guidance 15 CFR 744.2 is unchanged."


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_policy_admin_renews_a_rule_and_the_notice_is_public(
    page: Page, browser: Browser, live_server, sign_in, browser_world
):
    rule = RuleFactory(
        code="end-use-nuclear",
        title=TITLE,
        kind=Rule.Kind.END_USE,
        parameters={"phrases": [SECRET_PHRASE]},
        owner=browser_world.policy_admin,
        sunset_on=days_from_today(30),
    )
    application = make_submitted(browser_world)
    FlagFactory(run=ScreeningRunFactory(application=application), rule=rule)
    assert sunset_reviews_open_due() >= 1
    review = SunsetReview.objects.get(rule=rule, status=SunsetReview.Status.OPEN)
    new_sunset = days_from_today(400)

    # The queue lists the review; the admin opens it and reads the evidence.
    sign_in(page, "policy_admin")
    page.goto(live_server.url + reverse("screening:sunset_review_queue"))
    page.get_by_role("link", name="end-use-nuclear v1").click()
    expect(page).to_have_url(
        live_server.url + reverse("screening:sunset_review_detail", args=[review.pk])
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("end-use-nuclear v1")
    expect(page.get_by_text(TITLE).first).to_be_visible()
    expect(page.get_by_role("heading", name="Evidence")).to_be_visible()
    figures = page.get_by_role("table", name=re.compile("^Flags raised"))
    expect(figures).to_contain_text("1")  # the one live flag
    expect(page.get_by_role("heading", name="Cases affected, by tier")).to_be_visible()
    assert_no_serious_violations(page)

    # Renew without a justification: refused, and the chosen date is kept.
    decision = page.get_by_label("Decision", exact=True)
    sunset_field = page.get_by_label(re.compile("^New sunset date"))
    decision.select_option(label="Renew")
    sunset_field.fill(new_sunset.isoformat())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct")
    expect(page.get_by_label("Justification")).to_have_attribute("aria-invalid", "true")
    expect(sunset_field).to_have_value(new_sunset.isoformat())
    expect(decision).to_have_value(SunsetReview.Decision.RENEW)
    assert SunsetReview.objects.get(pk=review.pk).status == SunsetReview.Status.OPEN

    # With a justification the rule is renewed.
    page.get_by_label("Justification").fill(JUSTIFICATION)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decision recorded: renew.")
    expect(page.get_by_test_id("review-status")).to_have_text("Decided")
    expect(page.get_by_test_id("review-decision")).to_contain_text(JUSTIFICATION)
    rule.refresh_from_db()
    assert rule.sunset_on == new_sunset

    # Signed out (a new context): the notice is on the public pages.
    visitor_context = browser.new_context()
    visitor_context.set_default_timeout(TIMEOUT_MS)
    visitor = visitor_context.new_page()
    visitor.goto(live_server.url + reverse("controls:notice_list"))
    expect(visitor.get_by_role("link", name="Sign in").first).to_be_visible()
    notice = visitor.get_by_role("listitem").filter(
        has=visitor.get_by_role("heading", name=f"Rule renewed: {TITLE}")
    )
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(JUSTIFICATION)
    expect(notice).to_contain_text(date_format(new_sunset, "j F Y"))
    expect(visitor.locator("body")).not_to_contain_text(SECRET_PHRASE)

    feed = visitor_context.request.get(live_server.url + reverse("controls:notice_feed"))
    assert feed.ok
    assert f"Rule renewed: {TITLE}" in feed.text()
    assert "15 CFR 744.2 is unchanged." in feed.text()

    visitor.goto(live_server.url + reverse("controls:rule_book_detail", args=[rule.code]))
    version_row = visitor.get_by_role("row").filter(has_text=TITLE)
    expect(version_row).to_contain_text(date_format(new_sunset, "j F Y"))
    visitor_context.close()

    # The exporter of the open case the rule flagged was told, after the commit.
    published = PublicNotice.objects.get(kind=PublicNotice.Kind.RULE_RENEWED, rule=rule)
    told = Notification.objects.get(
        recipient=browser_world.exporter, body__contains=published.title
    )
    assert application.reference in told.subject
