"""A test-card checkout creates a complete order and a confirmation email; a declined card does not."""

from __future__ import annotations

from decimal import Decimal

from tests.demoshop.helpers import checkout, order_number_from, scalar, wait_for_mail

SYNTHETIC = "synthetic-monitor@dija-accessories.example"


def test_test_card_checkout_creates_order_items_payment_and_email(demo):
    stock_before = scalar(demo, "SELECT stock FROM products WHERE slug = 'gold-hoops'")
    resp = checkout(demo, SYNTHETIC, "4242424242424242")
    assert resp.status_code == 200 and "Order confirmed" in resp.text
    number = order_number_from(resp.text)
    order_id, total, status, synthetic = (
        scalar(demo, "SELECT id FROM orders WHERE order_number = %s", number),
        scalar(demo, "SELECT total FROM orders WHERE order_number = %s", number),
        scalar(demo, "SELECT payment_status FROM orders WHERE order_number = %s", number),
        scalar(demo, "SELECT is_synthetic FROM orders WHERE order_number = %s", number),
    )
    assert status == "paid" and synthetic == 1
    assert scalar(demo, "SELECT SUM(quantity * unit_price) FROM order_items WHERE order_id = %s", order_id) == total
    assert scalar(demo, "SELECT status FROM payments WHERE order_id = %s", order_id) == "succeeded"
    assert scalar(demo, "SELECT stock FROM products WHERE slug = 'gold-hoops'") == stock_before - 1
    assert total > Decimal("0")
    subject = f"Order {number} confirmed"
    assert scalar(demo, "SELECT status FROM email_queue WHERE subject = %s", subject) == "sent"
    assert wait_for_mail(demo, "synthetic-monitor", demo.secrets["DIJA_CHECKOUT_PASSWORD"], subject)


def test_declined_card_shows_message_and_creates_no_paid_order(demo):
    orders_before = scalar(demo, "SELECT COUNT(*) FROM orders")
    resp = checkout(demo, "someone@example.com", "4000000000000002")
    assert "Payment declined" in resp.text and "declined" in resp.text
    assert scalar(demo, "SELECT COUNT(*) FROM orders") == orders_before
