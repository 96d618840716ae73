"""axe-core finds nothing serious or critical on the login page and on each role's dashboard.

axe-core is injected by axe-playwright-python with `page.evaluate`, which the app's strict
Content-Security-Policy does not block, so these pages run with the policy enforced
(no `bypass_csp`); see the `page` fixture in conftest.py.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import ROLE_OF_USER

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}
axe = Axe()


def assert_no_serious_violations(page: Page) -> None:
    violations = [
        violation
        for violation in axe.run(page).response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    report = "\n".join(
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        + "\n".join(
            f"    {', '.join(map(str, node['target']))}: {node['html']}"
            for node in violation["nodes"]
        )
        for violation in violations
    )
    assert not violations, f"axe found serious/critical violations on {page.url}:\n{report}"


def test_login_page(page: Page, live_server):
    page.goto(live_server.url + "/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_no_serious_violations(page)


def test_login_page_with_an_error(page: Page, live_server, browser_world):
    page.goto(live_server.url + "/login/")
    page.get_by_label("Username").fill("exporter")
    page.get_by_label("Password", exact=True).fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_no_serious_violations(page)


@pytest.mark.parametrize("who", list(ROLE_OF_USER))
def test_dashboard(page: Page, sign_in, who):
    sign_in(page, who)
    expect(page.get_by_test_id(f"panel-{ROLE_OF_USER[who]}")).to_be_visible()
    assert_no_serious_violations(page)
