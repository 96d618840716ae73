"""Signing in through the real login form lands each role on its own dashboard panel."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from exportgov.accounts.roles import Role
from exportgov.audit.selectors import audit_event_list

from .conftest import ROLE_OF_USER

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Expected:
    card: str  # heading of a card in the role's panel
    count: str  # the number that card shows
    text: str  # more text the card shows
    absent: str = ""  # text that must not appear anywhere on the page


EXPECTED = {
    "exporter": Expected(
        "Northwind Instruments Ltd", "2", "2 members", absent="Southwind Optics GmbH"
    ),
    "colleague": Expected(
        "Northwind Instruments Ltd", "2", "2 members", absent="Southwind Optics GmbH"
    ),
    "other_exporter": Expected(
        "Southwind Optics GmbH", "1", "1 member", absent="Northwind Instruments Ltd"
    ),
    "case_officer": Expected("Your teams", "1", "Licensing unit"),
    "senior_official": Expected("Your teams", "1", "Licensing unit"),
    "advisor": Expected("Your teams", "1", "Defence advisers"),
    "appeals_reviewer": Expected("Your teams", "0", "You are in no team yet"),
    # Three exporters (exporter, colleague, other_exporter) and six officials.
    "policy_admin": Expected("People with a role", "9", "role assignments"),
}


def _card(page: Page, panel, heading: str):
    return panel.locator(".usa-card").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


@pytest.mark.parametrize("who", list(ROLE_OF_USER))
def test_each_role_sees_its_own_panel(page: Page, sign_in, who):
    role = Role(ROLE_OF_USER[who])

    sign_in(page, who)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator('[data-testid^="panel-"]')).to_have_count(1)
    panel = page.get_by_test_id(f"panel-{role.value}")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text(role.label)
    expect(page.locator(".usa-intro")).to_have_text(f"Signed in as {role.label}.")

    if who == "auditor":
        card = _card(page, panel, "Audit events in all")
        # Every event so far (the world's creation and this sign-in) is in the count.
        expect(card.locator(".eg-card-count")).to_have_text(str(audit_event_list().count()))
        expect(card.get_by_role("link", name="Open the audit log")).to_have_attribute(
            "href", "/audit/"
        )
        expect(page.get_by_role("navigation").get_by_role("link", name="Audit log")).to_be_visible()
        return

    expected = EXPECTED[who]
    card = _card(page, panel, expected.card)
    expect(card).to_have_count(1)
    expect(card.locator(".eg-card-count")).to_have_text(expected.count)
    expect(card).to_contain_text(expected.text)
    if expected.absent:
        expect(page.locator("main")).not_to_contain_text(expected.absent)
    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)


def test_wrong_password_shows_an_error_and_keeps_the_username(
    page: Page, live_server, browser_world
):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("exporter")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Please enter a correct username and password"
    )
    expect(page).to_have_url(live_server.url + "/login/")
    expect(page.get_by_label("Username")).to_have_value("exporter")
    expect(page.get_by_label("Password", exact=True)).to_have_value("")
    expect(page.locator('[data-testid^="panel-"]')).to_have_count(0)
