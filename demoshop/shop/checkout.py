"""Cart, checkout through the fake gateway, order confirmation and its email."""

from __future__ import annotations

import datetime as dt
import smtplib
from decimal import Decimal
from email.message import EmailMessage

import requests
from flask import Blueprint, abort, current_app, flash, redirect, request, session

from demoshop.faults import flags
from demoshop.shop.context import fault_on, shape
from demoshop.shop.db import db, execute, insert, query, query_one
from demoshop.shop.logs import php_error
from demoshop.shop.pages import page

bp = Blueprint("checkout", __name__)
GATEWAYS = ("stripe", "paystack", "remita")
FIELD_NAMES = {
    "name": "your name",
    "email": "email address",
    "address": "delivery address",
    "card_number": "card number",
}
PRODUCT_SQL = "SELECT {products.*} FROM {products} WHERE id = %s AND {products.is_active} = 1"


def cart_lines() -> tuple[list[dict], Decimal]:
    cart = session.get("cart", {})
    if not cart:
        return [], Decimal("0")
    ids = [int(pid) for pid in cart]
    marks = ", ".join(["%s"] * len(ids))
    products = query(
        f"SELECT {{products.*}} FROM {{products}} WHERE id IN ({marks}) AND {{products.is_active}} = 1", *ids
    )
    lines = [
        {"product": p, "quantity": cart[str(p["id"])], "subtotal": p["price"] * cart[str(p["id"])]} for p in products
    ]
    return lines, sum((line["subtotal"] for line in lines), Decimal("0"))


@bp.post("/cart/add")
def cart_add():
    product = query_one(PRODUCT_SQL, request.form.get("product_id", 0))
    if product is None:
        abort(404)
    if product["stock"] <= 0:
        flash(f"{product['name']} is out of stock.")
        return redirect(shape().path("product", slug=product["slug"]))
    quantity = max(1, min(int(request.form.get("quantity", 1) or 1), product["stock"]))
    cart = dict(session.get("cart", {}))
    cart[str(product["id"])] = min(cart.get(str(product["id"]), 0) + quantity, product["stock"])
    session["cart"] = cart
    return redirect(shape().path("cart"))


@bp.get("/cart")
def cart():
    lines, total = cart_lines()
    return page(
        "cart.html",
        "Your cart",
        "Your cart at Dija Accessories: review your jewellery before checkout.",
        lines=lines,
        total=total,
    )


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    lines, total = cart_lines()
    if not lines:
        return redirect(shape().path("cart"))
    error = None
    if request.method == "POST" and fault_on(flags.PAYMENT_500):
        abort(500)
    if request.method == "POST":
        form = {k: request.form.get(k, "").strip() for k in (*FIELD_NAMES, "gateway")}
        gateway = form["gateway"] if form["gateway"] in GATEWAYS else "stripe"
        required = shape().checkout_required
        if not all(form[k] for k in required) or "@" not in form["email"]:
            names = [FIELD_NAMES[k] for k in required]
            error = f"Please fill in {', '.join(names[:-1])} and {names[-1]}."
        else:
            result = charge(gateway, total, form["card_number"])
            if "error" not in result:
                order_number = place_order(lines, total, form, gateway, result["id"])
                session.pop("cart", None)
                return redirect(shape().path("order", order=order_number))
            error = f"Payment declined: {result['error'].get('message', 'your card was declined.')}"
    return page(
        "checkout.html",
        "Checkout",
        "Secure checkout at Dija Accessories: pay by card with Stripe, Paystack or Remita.",
        lines=lines,
        total=total,
        error=error,
    )


def charge(gateway: str, total: Decimal, card_number: str) -> dict:
    cfg = current_app.config["SHOP"]
    url = f"{cfg['gateway_url']}/{gateway}/v1/payment_intents"
    try:
        resp = requests.post(
            url,
            json={"amount": int(total * 100), "currency": "ngn", "card_number": card_number.replace(" ", "")},
            headers={"Authorization": f"Bearer {cfg['gateway_keys'][gateway]}"},
            timeout=10,
        )
        return resp.json()
    except (requests.RequestException, ValueError) as exc:
        php_error("Warning", f"curl_exec(): payment gateway {gateway} unreachable: {exc}", "includes/payments.php", 88)
        return {"error": {"message": "the payment service is unavailable, please try again."}}


def place_order(lines: list[dict], total: Decimal, form: dict, gateway: str, reference: str) -> str:
    cfg = current_app.config["SHOP"]
    email = form["email"]
    customer = query_one("SELECT id FROM {customers} WHERE email = %s AND {customers.deleted_at} IS NULL", email)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    conn = db()
    conn.begin()
    try:
        order_id = insert(
            "orders",
            {
                "order_number": "",
                "customer_id": customer["id"] if customer else session.get("customer_id"),
                "email": email,
                "delivery_address": form["address"] or None,
                "status": "processing",
                "payment_status": "paid",
                "gateway": gateway,
                "total": total + (Decimal("1500") if fault_on(flags.TOTALS_DIFFER) else 0),
                "is_synthetic": int(email == cfg["synthetic_email"]),
                "created_at": now,
                "paid_at": now,
            },
        )
        order_number = shape().order_number(order_id)
        execute("UPDATE {orders} SET {orders.order_number} = %s WHERE id = %s", order_number, order_id)
        for line in [] if fault_on(flags.ORDER_WITHOUT_ITEMS) else lines:
            insert(
                "order_items",
                {
                    "order_id": order_id,
                    "product_id": line["product"]["id"],
                    "quantity": line["quantity"],
                    "unit_price": line["product"]["price"],
                },
            )
            execute(
                "UPDATE {products} SET {products.stock} = {products.stock} - %s WHERE id = %s",
                line["quantity"],
                line["product"]["id"],
            )
        insert(
            "payments",
            {
                "order_id": order_id,
                "gateway": gateway,
                "reference": reference,
                "amount": total,
                "status": "succeeded",
                "created_at": now,
            },
        )
        insert(
            "webhook_events",
            {
                "gateway": gateway,
                "event_type": "charge.success",
                "reference": reference,
                "payload": f'{{"reference": "{reference}", "amount": {total}}}',
                "status": "processed",
                "received_at": now,
                "processed_at": now,
            },
        )
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    send_confirmation(order_number, email, total)
    return order_number


def send_confirmation(order_number: str, email: str, total: Decimal) -> None:
    cfg = current_app.config["SHOP"]
    if fault_on(flags.CONFIRMATION_EMAIL_OFF):
        return
    subject = f"Order {order_number} confirmed"
    queue_id = insert(
        "email_queue",
        {
            "to_address": email,
            "subject": subject,
            "template": "order_confirmation",
            "status": "queued",
            "attempts": 0,
            "created_at": dt.datetime.now(dt.UTC).replace(tzinfo=None),
        },
    )
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = cfg["mail_from"], email, subject
    msg.set_content(
        f"Thank you for shopping with Dija Accessories.\n\nOrder number: {order_number}\n"
        f"Total: NGN {total:,.2f}\n\nWe will email you again when it ships.\n"
    )
    try:
        with smtplib.SMTP(cfg["smtp"]["host"], cfg["smtp"]["port"], timeout=10) as smtp:
            smtp.send_message(msg)
        execute(
            "UPDATE {email_queue} SET {email_queue.status} = {email_queue.status:sent}, {email_queue.attempts} = 1, "
            "sent_at = {now} WHERE id = %s",
            queue_id,
        )
    except (OSError, smtplib.SMTPException) as exc:
        execute(
            "UPDATE {email_queue} SET {email_queue.attempts} = 1, last_error = %s WHERE id = %s",
            str(exc)[:500],
            queue_id,
        )
        php_error("Warning", f"mail(): Failed to connect to mailserver: {exc}", "includes/mailer.php", 41)


ORDER_SQL = "SELECT {orders.*} FROM {orders} WHERE {orders.order_number} = %s"


@bp.get("/order/<order_number>")
def order(order_number: str):
    row = query_one(ORDER_SQL, order_number)
    if row is None:
        abort(404)
    items = query(
        "SELECT {order_items.*@oi}, p.{products.name} AS name, p.slug FROM {order_items} oi "
        "LEFT JOIN {products} p ON p.id = oi.{order_items.product_id} WHERE oi.order_id = %s",
        row["id"],
    )
    return page(
        "order.html",
        f"Order {order_number} confirmed",
        f"Order {order_number} is confirmed: thank you for shopping with Dija Accessories.",
        order=row,
        items=items,
        can_cancel=_can_cancel(row),
    )


def _can_cancel(order: dict) -> bool:
    """Its signed-in customer may cancel an order until it is shipped."""
    return (
        shape().offers_cancel
        and bool(session.get("customer_id"))
        and order["customer_id"] == session.get("customer_id")
        and order["status"] in ("pending", "processing")
    )


@bp.post("/order/<order_number>/cancel")
def cancel_order(order_number: str):
    row = query_one(ORDER_SQL, order_number)
    if row is None or not _can_cancel(row):
        abort(404 if row is None else 403)
    conn = db()
    conn.begin()
    try:
        execute(
            "UPDATE {orders} SET {orders.status} = {orders.status:cancelled}, {orders.payment_status} = "
            "IF({orders.payment_status} = {orders.payment_status:paid}, {orders.payment_status:refunded}, "
            "{orders.payment_status}) WHERE id = %s",
            row["id"],
        )
        execute(
            "UPDATE {products} p JOIN {order_items} oi ON oi.{order_items.product_id} = p.id "
            "SET p.{products.stock} = p.{products.stock} + oi.{order_items.quantity} WHERE oi.order_id = %s",
            row["id"],
        )
        conn.commit()
    except Exception:
        conn.rollback()
        raise
    flash(f"Order {order_number} is cancelled; your payment will be refunded.")
    return redirect(shape().path("order", order=order_number))
