"""In a real Chromium: no console errors or failed requests, and analytics waits for consent."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def browser_context(demo, browser):
    """pytest-playwright's session browser (Debian chromium, via the project plugin)."""
    context = browser.new_context(ignore_https_errors=True)  # the TLS tests verify the chain
    yield context
    context.close()


def test_key_pages_load_without_console_errors_or_failed_requests(demo, browser_context):
    page = browser_context.new_page()
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url} {req.failure}"))
    page.on("response", lambda resp: problems.append(f"{resp.status}: {resp.url}") if resp.status >= 400 else None)
    for path in ("/", "/category/earrings", "/product/gold-hoops", "/cart"):
        page.goto(demo.base_url + path, wait_until="load")
    assert problems == []


def test_analytics_cookie_is_set_only_after_consent(demo, browser_context):
    page = browser_context.new_page()
    page.goto(demo.base_url + "/")
    assert page.locator("#cookie-consent").is_visible()
    assert "_ga_demo" not in {c["name"] for c in browser_context.cookies()}
    page.click("#cookie-accept")
    assert "_ga_demo" in {c["name"] for c in browser_context.cookies()}
    assert page.locator("#cookie-consent").is_hidden()
