"""In a real Chromium: the alt shop's add-to-bag posts with fetch() and then moves to the bag, and the
checkout, sign-in and out-of-stock steps of its monitor.toml work on its pages."""

from __future__ import annotations

import re

import pytest

from tests.demoshop.alt_helpers import alt_config
from tests.demoshop.helpers import scalar

PRODUCT = "/index.php?route=product&slug=gold-hoops"


@pytest.fixture
def page(alt_demo, browser):
    """pytest-playwright's session browser (Debian chromium, via the project plugin), a fresh context."""
    context = browser.new_context(ignore_https_errors=True, base_url=alt_demo.base_url)  # TLS tests verify the chain
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def run_steps(page, steps: list[dict], values: dict[str, str]) -> dict[str, str]:
    """The configured steps in the order the monitor does them: goto, fill, click, wait_for_url,
    wait_for, error, expect_visible/hidden, read. Returns what they read."""

    def expand(text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)

    for step in steps:
        if "goto" in step:
            page.goto(expand(step["goto"]))
        for selector, text in step.get("fill", {}).items():
            page.locator(selector).fill(expand(text))
        if "click" in step:
            if step.get("navigates", True):
                with page.expect_navigation():
                    page.locator(expand(step["click"])).first.click()
            else:
                page.locator(expand(step["click"])).first.click()
        if "wait_for_url" in step:
            page.wait_for_url(lambda url, pattern=step["wait_for_url"]: pattern in url)
        if "wait_for" in step:
            page.locator(step["wait_for"]).first.wait_for()
        if "error" in step:
            assert page.locator(step["error"]).count() == 0, (
                f"{step['name']}: {page.locator(step['error']).inner_text()}"
            )
        assert all(page.locator(s).first.is_visible() for s in step.get("expect_visible", [])), step["name"]
        assert not any(page.locator(s).first.is_visible() for s in step.get("expect_hidden", [])), step["name"]
        values.update(
            {name: page.locator(selector).first.inner_text().strip() for name, selector in step.get("read", {}).items()}
        )
    return values


def test_add_to_bag_posts_with_fetch_and_then_moves_to_the_bag(alt_demo, page):
    page.goto(PRODUCT)
    requests, navigations = [], []
    page.on("request", lambda r: requests.append((r.resource_type, r.method, r.url)))
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.locator("button.add-to-bag").click()
    page.wait_for_url(re.compile(r"route=cart$"))
    assert ("fetch", "POST", alt_demo.base_url + "/index.php?route=cart/add") in requests
    assert not any(method == "POST" and kind == "document" for kind, method, _ in requests)  # no form navigation
    assert navigations == [alt_demo.base_url + "/index.php?route=cart"]
    assert "Gold Hoop Earrings" in page.locator(".bag-lines").inner_text()


def test_js_error_fault_blocks_add_to_bag(alt_demo, page):
    alt_demo.fault("js_error", True)
    try:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(error.message))
        page.goto(PRODUCT)
        page.locator("button.add-to-bag").click()
        page.wait_for_timeout(500)
        assert "route=product" in page.url and any("renderUpsell" in e for e in errors)
    finally:
        alt_demo.fault("js_error", False)


def test_the_configured_checkout_steps_buy_on_the_alt_shop(alt_demo, page):
    checkout = alt_config(alt_demo)["checkout"]
    values = {
        "customer_email": checkout["customer_email"],
        "customer_name": checkout["customer_name"],
        "test_card": checkout["test_card"],
        **checkout["fields"],
    }
    read = run_steps(page, checkout["steps"], values)
    assert read["product_name"] == "Gold Hoop Earrings" and read["price"] == read["total"]
    assert (
        scalar(
            alt_demo,
            "SELECT delivery_address FROM sales_orders WHERE order_ref = %s AND customer_email = %s",
            read["order_number"],
            checkout["customer_email"],
        )
        == checkout["fields"]["address"]
    )


def test_the_configured_sign_in_and_out_of_stock_steps_work(alt_demo, page):
    checkout = alt_config(alt_demo)["checkout"]
    values = {
        "customer_email": checkout["customer_email"],
        "customer_password": alt_demo.secrets["DIJA_CHECKOUT_PASSWORD"],
    }
    run_steps(page, checkout["sign_in_steps"], values)
    assert "Synthetic Monitor" in page.locator(".welcome-name").inner_text()
    run_steps(page, checkout["out_of_stock_steps"], values)


def test_the_checkout_form_will_not_submit_without_an_address(alt_demo, page):
    page.goto(PRODUCT)
    page.locator("button.add-to-bag").click()
    page.wait_for_url(re.compile(r"route=cart$"))
    page.locator("a.proceed").click()
    page.locator("#full_name").fill("Synthetic Monitor")
    page.locator("#email_address").fill("synthetic-monitor@dija-accessories.example")
    page.locator("#card_no").fill("4242424242424242")
    page.locator("#place-order").click()
    page.wait_for_timeout(300)
    assert "route=checkout" in page.url and not page.locator(".order-ref").count()
    assert page.locator("#delivery_address").evaluate("el => !el.validity.valid")
