"""A public consultation from opening to decision in real Chromium (acceptance): a policy admin
opens it from the rule's page (a closing date too soon is refused and the text is kept), a
visitor who is not signed in comments on it from the public pages, the admin publishes the
comment and, once the closing date has passed, decides to proceed with changes (a response too
short to answer the comment is refused and kept) and is sent to the rule's edit page. The
visitor then sees the decision, its response and both notices. The visitor's email address is
never on a public page.

Only the rule (factory) and the passing of the closing date (a database update, see below) are
set up outside the browser. Elements are found by label, role and text, not by layout.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import Browser, Page, expect

from screening.models import Consultation, ConsultationComment, PublicNotice, Rule
from screening.services.consultations import consultation_earliest_close
from tests.screening.factories import RuleFactory, days_from_today

from .conftest import TIMEOUT_MS
from .test_accessibility import assert_no_serious_violations

pytestmark = pytest.mark.browser

CODE = "end-use-centrifuge"
RULE_TITLE = "Centrifuge phrases in the end-use statement"
TITLE = "Add cascade phrases to the centrifuge end-use check"
PROPOSAL = "Add “centrifuge cascade” and “cascade hall” to the phrases the rule looks for."
RATIONALE = "Both phrases appeared in three refused cases last quarter that the rule missed."
AUTHOR = "Ada Visitor"
EMAIL = "ada.visitor-qz7@example.org"
COMMENT = "Please keep “cascade hall” out: laboratories use it for ordinary fluid equipment."
TOO_SHORT = "Noted, thank you."
RESPONSE = (
    "One comment warned that “cascade hall” is also used for ordinary laboratory equipment; we "
    "agree and will add only “centrifuge cascade”."
)


@pytest.fixture(autouse=True)
def _comment_rate(settings):
    # The live server sees every browser as 127.0.0.1 and the rate-limit counts live in the
    # shared Redis, so other browser runs could use up this address's hourly allowance; the
    # limit itself is tested in tests/screening/test_consultations_views.py.
    settings.CONSULTATION_COMMENT_RATE = "1000/h"


def test_a_consultation_is_opened_commented_moderated_and_decided(
    page: Page, browser: Browser, live_server, sign_in, browser_world
):
    rule = RuleFactory(
        code=CODE,
        title=RULE_TITLE,
        kind=Rule.Kind.END_USE,
        parameters={"phrases": ["centrifuge"]},
        owner=browser_world.policy_admin,
    )
    too_soon = days_from_today(3)
    closes_on = consultation_earliest_close() + datetime.timedelta(days=7)

    # 1. The policy admin opens the consultation from the rule's page.
    sign_in(page, "policy_admin")
    page.goto(live_server.url + reverse("screening:rule_detail", args=[CODE]))
    page.get_by_role("link", name="Open a public consultation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a public consultation")
    rule_field = page.get_by_label("Rule the proposal would change")
    expect(rule_field).to_have_value(str(rule.pk))  # started from the rule's version in force
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Proposal", exact=True).fill(PROPOSAL)
    page.get_by_label("Rationale", exact=True).fill(RATIONALE)
    closing_date = page.get_by_label("Closing date")
    closing_date.fill(too_soon.isoformat())
    page.get_by_role("button", name="Open the consultation").click()

    errors = page.get_by_role("alert")
    expect(errors).to_contain_text("Please correct")
    expect(errors).to_contain_text(
        "the earliest closing date is " + date_format(consultation_earliest_close(), "j F Y")
    )
    expect(closing_date).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(page.get_by_label("Proposal", exact=True)).to_have_value(PROPOSAL)
    expect(page.get_by_label("Rationale", exact=True)).to_have_value(RATIONALE)
    expect(closing_date).to_have_value(too_soon.isoformat())
    expect(rule_field).to_have_value(str(rule.pk))
    assert not Consultation.objects.exists()

    closing_date.fill(closes_on.isoformat())
    page.get_by_role("button", name="Open the consultation").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Consultation opened until {date_format(closes_on, 'j F Y')}; its public notice is "
        "published."
    )
    consultation = Consultation.objects.get()
    admin_url = live_server.url + reverse("screening:consultation_detail", args=[consultation.pk])
    public_url = live_server.url + reverse("controls:consultation_detail", args=[consultation.pk])
    expect(page).to_have_url(admin_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_test_id("consultation-state")).to_contain_text("Open for comments")
    assert consultation.rule == rule
    assert consultation.closes_on == closes_on

    # 2. A visitor who is not signed in finds it from the footer and comments.
    visitor_context = browser.new_context()
    visitor_context.set_default_timeout(TIMEOUT_MS)
    visitor = visitor_context.new_page()
    visitor.goto(live_server.url + reverse("controls:notice_list"))
    expect(visitor.get_by_role("link", name="Sign in").first).to_be_visible()
    visitor.get_by_role("contentinfo").get_by_role("link", name="Consultations").click()
    expect(visitor).to_have_url(live_server.url + reverse("controls:consultation_list"))
    listed = visitor.get_by_role("listitem").filter(has=visitor.get_by_role("heading", name=TITLE))
    expect(listed).to_contain_text("Open for comments")
    expect(listed).to_contain_text(date_format(closes_on, "j F Y"))
    listed.get_by_role("link", name=TITLE).click()
    expect(visitor).to_have_url(public_url)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_test_id("proposal")).to_have_text(PROPOSAL)
    expect(visitor.get_by_test_id("rationale")).to_have_text(RATIONALE)
    comment_form = visitor.get_by_role("form", name="Comment on this proposal")
    expect(comment_form).to_be_visible()
    assert_no_serious_violations(visitor)

    comment_form.get_by_label("Your name").fill(AUTHOR)
    comment_form.get_by_label("Email address").fill(EMAIL)
    comment_form.get_by_label("Your comment").fill(COMMENT)
    comment_form.get_by_role("button", name="Send my comment").click()
    expect(visitor.get_by_role("status")).to_have_text(
        "Thank you: your comment will appear once a moderator has checked it."
    )
    expect(visitor).to_have_url(public_url)
    expect(visitor.get_by_test_id("comment-counts")).to_have_text(
        "0 comments published; 1 awaiting moderation."
    )
    expect(visitor.locator("main")).not_to_contain_text(COMMENT)
    expect(visitor.locator("body")).not_to_contain_text(EMAIL)
    comment = ConsultationComment.objects.get(consultation=consultation)
    assert comment.status == ConsultationComment.Status.PENDING
    assert comment.email == EMAIL
    assert comment.user is None

    # 3. The admin publishes the comment.
    page.goto(admin_url)
    entry = page.get_by_role("listitem").filter(has_text=COMMENT)
    expect(entry).to_contain_text("Awaiting moderation")
    expect(entry).to_contain_text(f"{AUTHOR} · {EMAIL} (not published)")
    assert_no_serious_violations(page)
    entry.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Comment published.")
    expect(page.get_by_role("listitem").filter(has_text=COMMENT)).to_contain_text("Published")
    expect(page.get_by_test_id("comment-counts")).to_contain_text(
        "1 received: 0 awaiting moderation, 1 published"
    )

    visitor.reload()
    published = visitor.get_by_role("listitem").filter(has_text=COMMENT)
    expect(published).to_contain_text(AUTHOR)
    expect(visitor.get_by_test_id("comment-counts")).to_have_text("1 comment published.")
    expect(visitor.locator("body")).not_to_contain_text(EMAIL)

    # 4. The closing date passes. The live server runs in this process but reads the real
    # clock, and a browser cannot move it, so the consultation's closing date is moved back
    # instead: as far as the app can tell, the consultation closed yesterday.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_on=yesterday)

    page.goto(admin_url)
    expect(page.get_by_test_id("consultation-state")).to_contain_text("to decide")
    expect(page.get_by_role("heading", name="Decision", exact=True)).to_be_visible()
    decision_form = page.get_by_role("group", name="Decision")
    proceed_changed = decision_form.get_by_label("Proceed with changes")
    response_field = page.get_by_label("Response to the comments received")
    # USWDS moves the radio button itself off screen: the visible label is what is clicked.
    decision_form.get_by_text("Proceed with changes", exact=True).click()
    expect(proceed_changed).to_be_checked()
    response_field.fill(TOO_SHORT)
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The decision must answer the 1 comment published"
    )
    expect(response_field).to_have_attribute("aria-invalid", "true")
    expect(response_field).to_have_value(TOO_SHORT)
    expect(proceed_changed).to_be_checked()
    assert Consultation.objects.get(pk=consultation.pk).status == Consultation.Status.OPEN
    assert_no_serious_violations(page)  # the decision form, with its error

    response_field.fill(RESPONSE)
    page.get_by_role("button", name="Record the decision").click()
    expect(page).to_have_url(
        live_server.url + reverse("screening:rule_edit", args=[CODE]) + "?from=active"
    )
    expect(page.get_by_role("status")).to_contain_text(
        "Decision recorded: proceed with changes; its notice is published."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"New version of {CODE}")
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.DECIDED
    assert consultation.outcome == Consultation.Outcome.PROCEED_CHANGED
    assert consultation.response_summary == RESPONSE

    # 5. The visitor sees the decision, its response and both notices.
    visitor.goto(public_url)
    decision = visitor.get_by_test_id("consultation-decision")
    expect(decision.get_by_role("heading", name="Decision: Proceed with changes")).to_be_visible()
    expect(visitor.get_by_test_id("response-summary")).to_have_text(RESPONSE)
    expect(visitor.get_by_role("form", name="Comment on this proposal")).to_have_count(0)
    expect(visitor.get_by_role("listitem").filter(has_text=COMMENT)).to_contain_text(AUTHOR)
    expect(visitor.locator("body")).not_to_contain_text(EMAIL)

    visitor.goto(live_server.url + reverse("controls:notice_list"))
    consultation_path = reverse("controls:consultation_detail", args=[consultation.pk])
    for kind, heading, text in [
        ("Consultation opened", f"Consultation: {TITLE}", RATIONALE),
        ("Consultation decided", f"Consultation decided: {TITLE}", RESPONSE),
    ]:
        notice = visitor.get_by_role("listitem").filter(
            has=visitor.get_by_role("heading", name=heading, exact=True)
        )
        expect(notice).to_have_count(1)
        expect(notice).to_contain_text(kind)
        expect(notice).to_contain_text(text)
        link = notice.get_by_role("link", name="The consultation and its comments")
        expect(link).to_have_attribute("href", re.compile(re.escape(consultation_path) + "$"))
    expect(visitor.locator("body")).not_to_contain_text(EMAIL)
    assert set(
        PublicNotice.objects.filter(consultation=consultation).values_list("kind", flat=True)
    ) == {PublicNotice.Kind.CONSULTATION_OPENED, PublicNotice.Kind.CONSULTATION_DECIDED}

    # The link from the decision's notice leads to the consultation.
    visitor.get_by_role("listitem").filter(
        has=visitor.get_by_role("heading", name=f"Consultation decided: {TITLE}", exact=True)
    ).get_by_role("link", name="The consultation and its comments").click()
    expect(visitor).to_have_url(public_url)
    visitor_context.close()
