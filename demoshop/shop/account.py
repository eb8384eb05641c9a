"""Customer accounts, the admin login (every attempt recorded) and the gateways' webhooks."""

from __future__ import annotations

import datetime as dt
import json

from flask import Blueprint, abort, jsonify, redirect, request, session, url_for
from werkzeug.security import check_password_hash

from demoshop.faults import flags
from demoshop.shop.context import fault_on, shape
from demoshop.shop.db import execute, insert, query, query_one
from demoshop.shop.pages import page

bp = Blueprint("account", __name__)
WEBHOOK_GATEWAYS = ("stripe", "paystack", "remita")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def password_ok(stored: str, given: str) -> bool:
    """Werkzeug hashes verify here; the legacy `$2y$` bcrypt hashes need PHP's password_verify."""
    if stored.startswith(("pbkdf2:", "scrypt:")):
        return check_password_hash(stored, given)
    try:
        import bcrypt

        return bcrypt.checkpw(given.encode(), stored.replace("$2y$", "$2b$", 1).encode())
    except (ImportError, ValueError):
        return False


@bp.route("/login", methods=["GET", "POST"])
def login():
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        customer = query_one(
            "SELECT {customers.*} FROM {customers} WHERE email = %s AND {customers.deleted_at} IS NULL", email
        )
        if (
            customer
            and password_ok(customer["password_hash"], request.form.get("password", ""))
            and not fault_on(flags.LOGIN_BROKEN)
        ):
            session["customer_id"] = customer["id"]
            execute("UPDATE {customers} SET {customers.last_login_at} = {now} WHERE id = %s", customer["id"])
            return redirect(shape().path("account"))
        error = "Invalid email or password."
    return page(
        "login.html",
        "Sign in",
        "Sign in to your Dija Accessories account to see your orders and saved details.",
        error=error,
        status=401 if error else 200,
    )


@bp.get("/logout")
def logout():
    session.pop("customer_id", None)
    return redirect(shape().path("home"))


@bp.get("/account")
def account():
    customer_id = session.get("customer_id")
    if not customer_id:
        return redirect(shape().path("login"))
    customer = query_one("SELECT {customers.*} FROM {customers} WHERE id = %s", customer_id)
    orders = query(
        "SELECT {orders.*} FROM {orders} WHERE customer_id = %s ORDER BY {orders.created_at} DESC LIMIT 10", customer_id
    )
    return page(
        "account.html",
        "My account",
        "Your Dija Accessories account: recent orders, delivery status and account details.",
        customer=customer,
        orders=orders,
    )


@bp.route("/admin/login", methods=["GET", "POST"])
def admin_login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        admin = query_one(
            "SELECT {admin_users.*} FROM {admin_users} WHERE {admin_users.username} = %s "
            "AND {admin_users.is_active} = 1",
            username,
        )
        ok = bool(admin) and password_ok(admin["password_hash"], request.form.get("password", ""))
        insert(
            "login_attempts",
            {
                "username": username[:190],
                "ip": request.remote_addr,
                "success": int(ok),
                "user_agent": request.headers.get("User-Agent", "")[:255],
                "created_at": _utc_now(),
            },
        )
        if ok:
            session["admin_id"] = admin["id"]
            execute("UPDATE {admin_users} SET {admin_users.last_login_at} = {now} WHERE id = %s", admin["id"])
            return redirect(url_for("account.admin_home"))
        error = "Invalid username or password."
    return page(
        "admin_login.html",
        "Admin sign in",
        "Staff sign in for the Dija Accessories shop administration area.",
        error=error,
        status=401 if error else 200,
    )


@bp.get("/admin/")
def admin_home():
    if not session.get("admin_id"):
        return redirect(url_for("account.admin_login"))
    counts = query_one(
        "SELECT COUNT(*) AS orders, COALESCE(SUM({orders.total}), 0) AS revenue FROM {orders} "
        "WHERE {orders.created_at} >= {now} - INTERVAL 1 DAY AND {orders.payment_status} = "
        "{orders.payment_status:paid}"
    )
    return page(
        "admin.html",
        "Admin dashboard",
        "Dija Accessories administration: orders and revenue for the last 24 hours.",
        counts=counts,
    )


@bp.post("/webhooks/<gateway>")
def webhook(gateway: str):
    if gateway not in WEBHOOK_GATEWAYS:
        abort(404)
    payload = request.get_json(silent=True) or {}
    event_type = str(payload.get("type") or payload.get("event") or "unknown")[:60]
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    reference = str(data.get("reference") or data.get("id") or "")[:64] or None
    event_id = insert(
        "webhook_events",
        {
            "gateway": gateway,
            "event_type": event_type,
            "reference": reference,
            "payload": json.dumps(payload)[:60000],
            "status": "received",
            "received_at": _utc_now(),
        },
    )
    execute(
        "UPDATE {webhook_events} SET {webhook_events.status} = {webhook_events.status:processed}, "
        "processed_at = {now} WHERE id = %s",
        event_id,
    )
    return jsonify(received=True, id=event_id)
