import zipfile
from pathlib import Path

import pytest

from checks.test_checkout import SignedIn, buy, cancel_synthetic_order, step_values
from runner import config
from runner.clients.journey import Journey
from tests.checks.conftest import CheckRunner, assert_outcome

CHECKOUT = "checks/test_checkout.py::test_checkout_records_and_confirms_the_order[chromium]"
LOGIN = "checks/test_checkout.py::test_customer_can_sign_in[chromium]"
JS_ERRORS = "checks/test_checkout.py::test_key_pages_have_no_javascript_errors[chromium]"
OUT_OF_STOCK = "checks/test_checkout.py::test_out_of_stock_product_cannot_be_added_to_cart[chromium]"
COOKIES = "checks/test_cookies.py::test_cookie_consent_comes_before_tracking[chromium]"


def name(node_id: str) -> str:
    return node_id.split("::", 1)[1]


@pytest.fixture(scope="module")
def quick_email_runner(demo, tmp_path_factory):
    """Checks against the demo with an email limit of 3 s (warning past 1 ms), so no check waits 300 s."""
    config = demo.run_dir / "monitor-quick-email.toml"
    config.write_text(
        demo.config_path.read_text().replace(
            "[thresholds]\n", "[thresholds]\nemail_warn_seconds = 0.001\nemail_fail_seconds = 3\n", 1
        )
    )
    return CheckRunner(config, tmp_path_factory.mktemp("quick-email-runs"))


def synthetic_order(demo, order_number: str) -> tuple:
    """(status, payment status) of an order, in the default shape's words whatever the shop's."""
    with demo.db_root() as conn, conn.cursor() as cur:
        cur.execute(
            demo.shape.sql(
                "SELECT {orders.status}, {orders.payment_status} FROM {orders} WHERE {orders.order_number} = %s"
            ),
            (order_number,),
        )
        status, paid = cur.fetchone()
    words = {
        demo.shape.word("orders", column, word): word
        for column, words in (
            ("status", ("cancelled", "processing", "pending")),
            ("payment_status", ("refunded", "paid")),
        )
        for word in words
    }
    return words.get(status, status), words.get(paid, paid)


def test_checkout_passes_on_healthy_demo_and_cancels_its_order_where_the_shop_can(healthy, demo):
    record = healthy[name(CHECKOUT)]
    assert_outcome(record, "pass")
    figures = record["measurements"]
    steps = {key for key in figures if key.startswith("step_seconds[")}
    assert len(steps) >= 8 and all(figures[step] > 0 for step in steps), figures
    assert {"step_seconds[database]", "step_seconds[email]", "step_seconds[payment]"} <= steps
    assert 0 < figures["email_seconds"] < 60 and figures["order_cancelled"] == demo.shape.offers_cancel
    assert figures["cancel_sign_ins"] == 0  # the clean-up reused the sign-in check's session (the run had both)


def test_other_browser_checks_pass_on_healthy_demo(healthy):
    for node_id in (LOGIN, JS_ERRORS, OUT_OF_STOCK, COOKIES):
        assert_outcome(healthy[name(node_id)], "pass")
    assert healthy[name(LOGIN)]["measurements"]["login_seconds"] > 0
    assert healthy[name(JS_ERRORS)]["measurements"]["javascript_problems"] == 0
    assert healthy[name(COOKIES)]["measurements"]["cookies_before_consent"] >= 0


def test_checkout_fails_at_payment_step_on_http_500_with_screenshot_and_trace(check_runner, fault, demo):
    fault("payment_500")
    record = check_runner.one(CHECKOUT)
    assert_outcome(record, "fail", f"payment step: HTTP 500 from {demo.shape.path('checkout')}")
    assert [Path(p).name for p in record["evidence"]] == ["screenshot.png", "trace.zip"]
    assert all(Path(p).stat().st_size > 1000 for p in record["evidence"])


def test_checkout_fails_at_payment_step_quoting_the_shops_refusal(check_runner, demo):
    declined = check_runner.variant(checkout={"test_card": "4000000000000002"})
    assert_outcome(
        check_runner.one(CHECKOUT, config=declined),
        "fail",
        f"payment step: {demo.shape.path('checkout')} says 'Payment declined: ",
    )


def test_checkout_fails_when_order_saved_without_items(check_runner, fault, demo):
    fault("order_without_items")
    record = check_runner.one(CHECKOUT)
    assert_outcome(
        record,
        "fail",
        f"database step: order {demo.shape.order_prefix}",
        "has no order_items (expected 1 × Gold Hoop Earrings",
    )
    order_number = record["message"].split("order ", 1)[1].split(" ", 1)[0]
    cleaned_up = ("cancelled", "refunded") if demo.shape.offers_cancel else ("processing", "paid")
    assert synthetic_order(demo, order_number) == cleaned_up  # cancelled after a failure too, where the shop can
    assert record["measurements"]["cancel_sign_ins"] == demo.shape.offers_cancel  # alone: it signed in itself


def test_checkout_fails_when_order_total_differs_from_items_and_checkout(check_runner, fault, demo):
    fault("totals_differ")
    assert_outcome(
        check_runner.one(CHECKOUT),
        "fail",
        f"database step: order {demo.shape.order_prefix}",
        "sum of its items",
        "shown at checkout",
    )


def test_checkout_fails_without_confirmation_email_and_degrades_on_slow_email(quick_email_runner, fault, demo):
    prefix = demo.shape.order_prefix
    assert_outcome(quick_email_runner.one(CHECKOUT), "degraded", f"confirmation email for {prefix}", "> 0.001 s")
    fault("confirmation_email_off")
    assert_outcome(
        quick_email_runner.one(CHECKOUT),
        "fail",
        f"email step: no confirmation email for {prefix}",
        "in synthetic-monitor's mailbox within 3 s",
    )


def test_javascript_error_fails_key_pages_check_and_checkout_at_add_to_cart(check_runner, fault, demo):
    fault("js_error")
    results = check_runner.run(JS_ERRORS, CHECKOUT)
    product = demo.shape.path("product", slug="gold-hoops")
    assert_outcome(results[name(JS_ERRORS)], "fail", f"{product}: ReferenceError: renderUpsell is not defined")
    assert_outcome(
        results[name(CHECKOUT)], "fail", "add_to_cart step: ", "JavaScript error on the page: ReferenceError"
    )


def test_login_fails_when_sign_in_broken_and_its_trace_holds_no_password(check_runner, fault, demo):
    fault("login_broken")
    record = check_runner.one(LOGIN)
    assert_outcome(record, "fail", f"{demo.shape.path('login')} says 'Invalid email or password.' (HTTP 401)")
    password = demo.secrets["DIJA_CHECKOUT_PASSWORD"].encode()
    with zipfile.ZipFile(next(p for p in record["evidence"] if p.endswith("trace.zip"))) as trace:
        assert not [member for member in trace.namelist() if password in trace.read(member)]


def test_out_of_stock_check_fails_when_stock_0_is_sellable(check_runner, fault, demo):
    fault("stock0_sellable")
    assert_outcome(
        check_runner.one(OUT_OF_STOCK),
        "fail",
        f" step: {demo.shape.path('product', slug='rose-gold-beaded-bracelet')}: ",
        " is not shown; ",
        " is shown (expected hidden)",
    )


def demo_flow_as_explicit_steps() -> dict:
    """The demo's pages written out as steps another shop would need: a product URL gone to directly, an
    add-to-cart click followed by waiting for the cart's URL, an option chosen by its label, the order
    number read from the confirmation URL, and no cancel."""
    return {
        "out_of_stock_path": None,
        "fields": {"gateway_label": "Card (Stripe)"},
        "steps": [
            {"name": "home", "goto": "/", "expect_visible": ["#cookie-consent"]},
            {"name": "product", "goto": "/product/gold-hoops", "read": {"product_name": "h1", "price": "#price"}},
            {"name": "add_to_cart", "click": "#add-to-cart-button", "navigates": False, "wait_for_url": "^/cart$"},
            {"name": "checkout_form", "click": "#checkout-link", "read": {"total": "#checkout-total"}},
            {
                "name": "payment",
                "fill": {"#name": "{customer_name}", "#email": "{customer_email}", "#card_number": "{test_card}"},
                "select": {"#gateway": "{gateway_label}"},
                "click": "#pay-button",
                "error": "#payment-error",
                "wait_for": "#order-number",
                "order_number_from_url": "/order/(DJ-[0-9]+)",
            },
        ],
        "sign_in_steps": [
            {"name": "sign_in_page", "goto": "/login", "expect_hidden": ["#login-error"]},
            {
                "name": "sign_in",
                "fill": {"#login-email": "{customer_email}", "#login-password": "{customer_password}"},
                "click": "#login-button",
                "error": "#login-error",
                "wait_for": "#account-name",
            },
        ],
        "cancel_steps": [],
        "out_of_stock_steps": [
            {
                "name": "sold_out",
                "goto": "/product/rose-gold-beaded-bracelet",
                "expect_visible": ["#out-of-stock"],
                "expect_hidden": ["#add-to-cart-button"],
            }
        ],
    }


def newest_synthetic_order(demo) -> tuple:
    with demo.db_root() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT order_number, status, payment_status FROM orders WHERE is_synthetic = 1 ORDER BY id DESC LIMIT 1"
        )
        return cur.fetchone()


def cancel_in_database(demo, order_number: str) -> None:
    """What the shop's own cancel does, for the order a shop without cancel keeps."""
    with demo.db_root() as conn, conn.cursor() as cur:
        cur.execute(
            "UPDATE orders SET status = 'cancelled', payment_status = 'refunded' WHERE order_number = %s",
            (order_number,),
        )
        cur.execute(
            "UPDATE products p JOIN order_items oi ON oi.product_id = p.id JOIN orders o ON o.id = oi.order_id "
            "SET p.stock = p.stock + oi.quantity WHERE o.order_number = %s",
            (order_number,),
        )
        conn.commit()


def test_demo_flow_as_explicit_steps_passes_and_keeps_its_order_without_cancel_steps(default_demo, tmp_path):
    """The default demo's own pages as explicit steps (the alt shape is configured by steps already)."""
    demo = default_demo
    check_runner = CheckRunner(Path(demo.config_path), tmp_path)
    config = check_runner.variant(checkout=demo_flow_as_explicit_steps())
    before = newest_synthetic_order(demo)
    results = check_runner.run(CHECKOUT, LOGIN, OUT_OF_STOCK, config=config)
    kept = newest_synthetic_order(demo)
    if kept != before:
        cancel_in_database(demo, kept[0])
    for node_id in (CHECKOUT, LOGIN, OUT_OF_STOCK):
        assert_outcome(results[name(node_id)], "pass")
    figures = results[name(CHECKOUT)]["measurements"]
    assert all(figures[f"step_seconds[{step}]"] > 0 for step in ("product", "add_to_cart", "payment", "email")), figures
    assert figures["order_cancelled"] == 0 and "step_seconds[cancel]" not in figures
    assert kept != before and kept[1:] == ("processing", "paid")  # the order read from the URL stays
    assert results[name(LOGIN)]["measurements"]["login_seconds"] > 0

    demo.fault("stock0_sellable", True)
    try:
        assert_outcome(
            check_runner.one(OUT_OF_STOCK, config=config),
            "fail",
            "sold_out step: /product/rose-gold-beaded-bracelet: #out-of-stock is not shown",
        )
    finally:
        demo.fault("stock0_sellable", False)


def test_cookie_check_fails_without_consent_banner(check_runner, fault):
    fault("banner_off")
    assert_outcome(check_runner.one(COOKIES), "fail", "/: no cookie consent banner (#cookie-consent) on a first visit")


def test_cookie_check_fails_on_tracking_cookie_before_consent(check_runner, fault):
    fault("tracking_cookie_before_consent")
    assert_outcome(check_runner.one(COOKIES), "fail", "/: non-essential cookie _ga_demo set before consent")


@pytest.mark.parametrize("demo", ["default"], indirect=True)  # the alt shop offers no cancel
def test_checkout_clean_up_signs_in_again_when_the_sign_in_checks_session_fails(demo, check_runner, browser):
    """A session that no longer works (here: none at all) costs one sign-in, not the clean-up."""
    settings = config.load(check_runner.variant(site={"timeout_seconds": 3}))
    checkout = settings.checkout
    context = browser.new_context(base_url=settings.site.origin, ignore_https_errors=True)
    try:
        page = context.new_page()
        values = step_values(checkout, checkout.steps)
        purchase = buy(Journey(page, 15), checkout.steps, values)
        stale = SignedIn(cookies=[], location=demo.shape.path("account"))  # it sends the visitor to sign in
        cleaned = cancel_synthetic_order(context, settings, checkout, values, Journey(page, 15), stale)
    finally:
        context.close()
    assert cleaned == (True, 1)
    assert synthetic_order(demo, purchase.order_number) == ("cancelled", "refunded")
