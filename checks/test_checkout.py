"""Checkout: can a customer buy, and does the shop really record and confirm the sale?

The synthetic checkout buys one product with the gateway's test card as the synthetic customer
(`checkout.customer_email`), through the shop's pages as `checkout.steps` say; signing in, cancelling
and the out-of-stock page have their own step lists. Each list defaults to the demo shop's pages.
The shop flags the synthetic customer's orders, or the monitor recognises them by that email or an
order-number prefix (`[database]` synthetic_email, synthetic_order_prefix), so the monitor's business
and data checks leave them out. The monitor's database user is read-only, so the order is cancelled
through the shop, the way a customer cancels one: signed in, "Cancel order" on the order page. When
that fails (sign-in broken, say) the order stays, recognisably synthetic, and a warning is logged; a
shop that offers no cancel (`cancel_steps = []`) keeps it too. The confirmation email is deleted
from the customer's mailbox.
"""

import logging
import time
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Error as PlaywrightError

from runner.clients.journey import Journey, PageProblems, StepFailed, money
from runner.clients.mailbox import Mailbox
from runner.clients.steps import perform, run_steps
from runner.config.steps import uses
from runner.pytest_plugin import Degraded, configured

pytestmark = pytest.mark.area("checkout")

log = logging.getLogger(__name__)
QUANTITY = 1


@dataclass
class Purchase:
    order_number: str
    product_name: str
    unit_price: Decimal | None  # None when the purchase steps read no price
    checkout_total: Decimal


@dataclass
class SignedIn:
    """The synthetic customer's session after the sign-in check, and the page its steps ended on."""

    cookies: list[dict]
    location: str


@pytest.fixture(scope="session")
def signed_in() -> dict[str, SignedIn]:
    """Sessions of the sign-in check by customer email: the checkout's clean-up reuses one, no second sign-in."""
    return {}


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
@pytest.mark.smoke
def test_customer_can_sign_in(settings, page, measure, signed_in):
    """The synthetic customer can sign in: customers who cannot sign in cannot see or track their orders."""
    checkout = configured(settings, "checkout")
    if not checkout.sign_in_steps:
        pytest.skip("not configured: checkout.sign_in_steps = [] (the shop has no customer accounts)")
    journey = Journey(page, settings.site.timeout_seconds)
    run_steps(journey, checkout.sign_in_steps, step_values(checkout, checkout.sign_in_steps))
    measure(login_seconds=sum(journey.seconds.values()))
    signed_in[checkout.customer_email] = SignedIn(page.context.cookies(), journey.location)


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("payment-issues")
@pytest.mark.shop_data(
    "orders.id",
    "orders.number",
    "orders.total",
    "orders.payment_status",
    "products.id",
    "products.name",
    "order_items.order_id",
    "order_items.product_id",
    "order_items.quantity",
    "order_items.unit_price",
    "payments.order_id",
    "payments.status",
    "payments.amount",
)
@pytest.mark.smoke
def test_checkout_records_and_confirms_the_order(settings, page, shop, measure, signed_in):
    """A customer can buy: browse, cart, pay with the test card, get an order number; the order, its items, total and payment are in the database and the confirmation email arrives."""
    checkout, mail = configured(settings, "checkout"), configured(settings, "mail")
    journey = Journey(page, settings.site.timeout_seconds)
    values = step_values(checkout, checkout.steps)
    purchase = None
    try:
        purchase = buy(journey, checkout.steps, values)
        confirmed_at = time.monotonic()
        with journey.step("database"):
            problems = order_problems(shop, purchase)
            if problems:
                raise StepFailed("; ".join(problems))
        with journey.step("email"):
            email_seconds = await_confirmation_email(settings, checkout, mail, purchase.order_number, confirmed_at)
    finally:
        if purchase:
            session = signed_in.get(checkout.customer_email)
            cancelled, sign_ins = cancel_synthetic_order(page.context, settings, checkout, values, journey, session)
            measure(order_cancelled=cancelled, cancel_sign_ins=sign_ins)
        measure(**{f"step_seconds[{name}]": seconds for name, seconds in journey.seconds.items()})
    measure(email_seconds=email_seconds)
    warn = settings.thresholds.email_warn_seconds
    if email_seconds > warn:
        raise Degraded(f"confirmation email for {purchase.order_number} took {email_seconds:.1f} s > {warn:g} s")


def step_values(checkout, *step_lists) -> dict[str, str]:
    """The values the steps fill in; the check is skipped when they need a password that is not configured."""
    values = checkout.values()
    if any(uses(steps, "customer_password") for steps in step_lists):
        password = checkout.secret("customer_password")
        if not password:
            pytest.skip("not configured: checkout.customer_password_env (the synthetic customer's password)")
        values["customer_password"] = password.reveal()
    return values


def buy(journey: Journey, steps, values: dict[str, str]) -> Purchase:
    """The purchase steps (checkout.steps), up to the order number; the total is checked against the price."""
    amounts: dict[str, Decimal] = {}
    for step in steps:
        with journey.step(step.name):
            perform(journey, step, values)
            read = {name: money(values[name]) for name in ("price", "total") if name in step.read}
            amounts |= read
            if read and amounts.keys() >= {"price", "total"} and amounts["total"] != amounts["price"] * QUANTITY:
                raise StepFailed(
                    f"checkout total {amounts['total']:,.2f} ≠ {QUANTITY} × {amounts['price']:,.2f} "
                    f"for {values.get('product_name', 'the product')}"
                )
    return Purchase(values["order_number"], values["product_name"], amounts.get("price"), amounts["total"])


def order_problems(shop, purchase: Purchase) -> list[str]:
    """What the database says differently from what the customer saw, in words."""
    number = purchase.order_number
    order = shop.rows(
        "checkout_order",
        "SELECT o.{orders.id} AS id, o.{orders.total} AS total, "
        "o.{orders.payment_status} IN {paid} AS paid, o.{orders.payment_status} AS payment_status, "
        "NOT {real_orders} AS synthetic FROM {orders} o WHERE o.{orders.number} = %(number)s",
        number=number,
    )
    if not order:
        return [f"order {number} is not in the orders table"]
    order = order[0]
    items = shop.rows(
        "checkout_order_items",
        "SELECT p.{products.name} AS name, i.{order_items.quantity} AS quantity, i.{order_items.unit_price} "
        "AS unit_price FROM {order_items} i LEFT JOIN {products} p ON p.{products.id} = "
        "i.{order_items.product_id} WHERE i.{order_items.order_id} = %(order)s",
        order=order["id"],
    )
    payments = shop.rows(
        "checkout_order_payments",
        "SELECT {payments.status} AS status, {payments.status} IN {payment_succeeded} AS succeeded, "
        "{payments.amount} AS amount FROM {payments} WHERE {payments.order_id} = %(order)s",
        order=order["id"],
    )
    priced = purchase.unit_price is not None  # without a price read, the items are compared by name only
    expected = f"{QUANTITY} × {purchase.product_name}" + (f" at {purchase.unit_price:,.2f}" if priced else "")
    found = ", ".join(
        f"{i['quantity']} × {i['name']}" + (f" at {i['unit_price']:,.2f}" if priced else "") for i in items
    )
    items_sum = sum((i["quantity"] * i["unit_price"] for i in items), Decimal("0"))
    problems = []
    if not items:
        problems.append(f"order {number} has no order_items (expected {expected})")
    elif found != expected:
        problems.append(f"order {number} items {found} ≠ expected {expected}")
    if order["total"] != items_sum:
        problems.append(f"order {number} total {order['total']:,.2f} ≠ {items_sum:,.2f} sum of its items")
    if order["total"] != purchase.checkout_total:
        problems.append(
            f"order {number} total {order['total']:,.2f} ≠ {purchase.checkout_total:,.2f} shown at checkout"
        )
    if not any(p["succeeded"] and p["amount"] == purchase.checkout_total for p in payments):
        seen = ", ".join(f"{p['status']} {p['amount']:,.2f}" for p in payments) or "none"
        problems.append(f"order {number} has no succeeded payment of {purchase.checkout_total:,.2f} (payments: {seen})")
    if not order["paid"]:
        problems.append(
            f"order {number} payment status is {order['payment_status']!r}, not one of "
            f"database.values.paid {shop.mapping.words('paid')}"
        )
    if not order["synthetic"]:
        problems.append(
            f"order {number} is not recognisable as synthetic (see database.synthetic_email): the shop's "
            "figures would count it"
        )
    return problems


def await_confirmation_email(settings, checkout, mail, order_number: str, confirmed_at: float) -> float:
    """Seconds from the confirmation page to the email in the customer's mailbox; the email is deleted."""
    user = checkout.imap_user or checkout.customer_email.split("@", 1)[0]
    password = checkout.secret("imap_password") or checkout.secret("customer_password")
    mailbox = Mailbox.open(mail, settings.tls.ca_bundle if settings.tls else None, user=user, password=password)
    limit = settings.thresholds.email_fail_seconds
    try:
        message, _ = mailbox.wait_for(order_number, timeout=max(0.0, limit - (time.monotonic() - confirmed_at)))
        arrived = time.monotonic() - confirmed_at
        if message is None:
            raise StepFailed(f"no confirmation email for {order_number} in {user}'s mailbox within {limit:.0f} s")
        mailbox.delete(message)
    finally:
        mailbox.close()
    return arrived


def cancel_synthetic_order(
    context, settings, checkout, values: dict[str, str], journey: Journey, session: SignedIn | None = None
) -> tuple[bool, int]:
    """Cancel the order as its customer (signed in, then the cancel steps), in a second tab: the first stays
    as it was for the screenshot. The sign-in check's session, when there is one, spares signing in again.
    Without cancel steps, or when they fail, the order stays, flagged synthetic. (Cancelled, sign-ins it took.)"""
    number = values["order_number"]
    if not checkout.cancel_steps:
        log.info(
            "synthetic order %s stays, recognisable as synthetic: the shop offers no cancel "
            "(checkout.cancel_steps = [])",
            number,
        )
        return False, 0
    tab = context.new_page()
    cleanup = Journey(tab, settings.site.timeout_seconds)
    try:
        if session and _cancel_in_session(context, cleanup, checkout, values, session):
            return True, 0
        values = {**values, **step_values(checkout, checkout.sign_in_steps, checkout.cancel_steps)}
        run_steps(cleanup, [*checkout.sign_in_steps, *checkout.cancel_steps], values)
        return True, 1
    except (StepFailed, PlaywrightError, pytest.skip.Exception) as exc:
        log.warning("synthetic order %s not cancelled; it stays, flagged synthetic: %s", number, exc)
        return False, 1
    finally:
        journey.seconds["cancel"] = sum(cleanup.seconds.values())
        tab.close()


def _cancel_in_session(context, cleanup: Journey, checkout, values: dict[str, str], session: SignedIn) -> bool:
    """The cancel steps from the page the sign-in check ended on, in its session; False: sign in after all."""
    context.add_cookies(session.cookies)
    try:
        with cleanup.step("signed_in_page"):
            cleanup.goto(session.location)
        run_steps(cleanup, checkout.cancel_steps, {**values, **step_values(checkout, checkout.cancel_steps)})
        return True
    except (StepFailed, PlaywrightError) as exc:
        log.info("cancelling in the sign-in check's session failed (%s); signing in again", exc)
        return False


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
@pytest.mark.smoke
def test_key_pages_have_no_javascript_errors(settings, page, measure):
    """Key pages load without JavaScript errors or failed requests: a broken script can silently stop add-to-cart."""
    problems = PageProblems(page)
    for key_page in settings.site.key_pages:
        problems.visit(key_page.path, settings.site.timeout_seconds)
    measure(javascript_problems=len(problems.found))
    assert not problems.found, "; ".join(problems.found)


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
def test_out_of_stock_product_cannot_be_added_to_cart(settings, page):
    """A product with stock 0 says so and offers no add-to-cart: selling what is not there means refunds and angry customers."""
    checkout = configured(settings, "checkout")
    steps = checkout.out_of_stock_journey()
    if not steps:
        pytest.skip(
            "not configured: checkout.out_of_stock_path or checkout.out_of_stock_steps (a product with stock 0)"
        )
    run_steps(Journey(page, settings.site.timeout_seconds), steps, step_values(checkout, steps))
