"""Browser fixtures: one headless Chromium per session, a fresh context (cookies, storage) per test.

The tests drive pytest-django's `live_server`, which serves the static files (USWDS, htmx)
from STATICFILES_DIRS. `live_server` needs `transactional_db`, so the shared world of
users is built per test with `build_world()` and flushed again afterwards.
"""

import os

# Playwright's sync API runs an asyncio event loop in the main thread; without this Django
# refuses the fixtures' and tests' own ORM calls with SynchronousOnlyOperation.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from conftest import World, build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

# Users of the shared world, and the role (value of exportgov.accounts.roles.Role) each holds.
ROLE_OF_USER = {
    "exporter": "exporter",
    "colleague": "exporter",
    "other_exporter": "exporter",
    "case_officer": "case_officer",
    "senior_official": "senior_official",
    "advisor": "advisor",
    "appeals_reviewer": "appeals_reviewer",
    "policy_admin": "policy_admin",
    "auditor": "auditor",
}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _new_context(browser: Browser, **options) -> BrowserContext:
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in its own context, with the app's Content-Security-Policy enforced.

    The axe tests use this page too: axe-playwright-python injects axe-core with
    `page.evaluate(<axe.min.js source>)`, which goes through the DevTools protocol and is not
    subject to the page's CSP, and axe-core 4.12 runs its default rules without `eval`. So no
    context here needs `bypass_csp=True` (test_csp.py checks that the policy is enforced).
    """
    context = _new_context(browser)
    yield context.new_page()
    context.close()


@pytest.fixture
def browser_world(transactional_db) -> World:
    return build_world()


@pytest.fixture
def sign_in(live_server, browser_world) -> Callable[[Page, str], None]:
    """Sign `who` (an attribute name of the world) in through the login form."""

    def sign_in_as(page: Page, who: str) -> None:
        page.goto(live_server.url + "/login/")
        page.get_by_label("Username").fill(getattr(browser_world, who).username)
        page.get_by_label("Password", exact=True).fill(browser_world.password)
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(live_server.url + "/dashboard/")

    return sign_in_as
