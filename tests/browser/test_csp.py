"""The Content-Security-Policy is enforced in ordinary contexts, and the app never trips it."""

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, expect

pytestmark = pytest.mark.browser


def _is_csp_violation(message: ConsoleMessage) -> bool:
    return "Content Security Policy" in message.text


def test_dashboard_loads_without_csp_violations_and_inline_script_is_refused(
    page: Page, live_server, sign_in
):
    console: list[ConsoleMessage] = []
    page_errors: list[Error] = []
    page.on("console", lambda message: console.append(message))
    page.on("pageerror", lambda error: page_errors.append(error))

    sign_in(page, "exporter")
    response = page.reload(wait_until="load")

    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    expect(page.get_by_test_id("panel-exporter")).to_be_visible()
    # The app's own scripts are static files: they ran, and nothing was refused.
    assert page.evaluate("window.uswdsPresent === true && typeof window.htmx === 'object'")
    csp_messages = [message.text for message in console if _is_csp_violation(message)]
    assert not csp_messages, csp_messages
    assert not page_errors, page_errors

    # And the policy really is enforced: an inline script without a nonce does not run.
    with pytest.raises(Error, match="Content Security Policy"):
        page.add_script_tag(content="window.inlineScriptRan = true;")
    assert page.evaluate("window.inlineScriptRan") is None
    assert any(_is_csp_violation(message) for message in console)
