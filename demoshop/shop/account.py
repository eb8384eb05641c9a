"""Customer accounts, the admin login (every attempt recorded) and the gateways' webhooks."""
from __future__ import annotations

import json

from flask import Blueprint, abort, jsonify, redirect, request, session, url_for
from werkzeug.security import check_password_hash

from demoshop.shop.app import flag
from demoshop.shop.db import execute, query, query_one
from demoshop.shop.pages import page

bp = Blueprint("account", __name__)
WEBHOOK_GATEWAYS = ("stripe", "paystack", "remita")


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
        customer = query_one("SELECT * FROM customers WHERE email = %s AND deleted_at IS NULL", email)
        if customer and password_ok(customer["password_hash"], request.form.get("password", "")) \
                and not flag("login_broken"):
            session["customer_id"] = customer["id"]
            execute("UPDATE customers SET last_login_at = UTC_TIMESTAMP() WHERE id = %s", customer["id"])
            return redirect(url_for("account.account"))
        error = "Invalid email or password."
    return page("login.html", "Sign in", "Sign in to your Dija Accessories account to see your orders "
                "and saved details.", error=error, status=401 if error else 200)


@bp.get("/logout")
def logout():
    session.pop("customer_id", None)
    return redirect(url_for("catalog.home"))


@bp.get("/account")
def account():
    customer_id = session.get("customer_id")
    if not customer_id:
        return redirect(url_for("account.login"))
    customer = query_one("SELECT * FROM customers WHERE id = %s", customer_id)
    orders = query("SELECT * FROM orders WHERE customer_id = %s ORDER BY created_at DESC LIMIT 10", customer_id)
    return page("account.html", "My account", "Your Dija Accessories account: recent orders, delivery "
                "status and account details.", customer=customer, orders=orders)


@bp.route("/admin/login", methods=["GET", "POST"])
def admin_login():
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        admin = query_one("SELECT * FROM admin_users WHERE username = %s AND is_active = 1", username)
        ok = bool(admin) and password_ok(admin["password_hash"], request.form.get("password", ""))
        execute("INSERT INTO login_attempts (username, ip, success, user_agent, created_at) "
                "VALUES (%s, %s, %s, %s, UTC_TIMESTAMP())", username[:190], request.remote_addr, int(ok),
                request.headers.get("User-Agent", "")[:255])
        if ok:
            session["admin_id"] = admin["id"]
            execute("UPDATE admin_users SET last_login_at = UTC_TIMESTAMP() WHERE id = %s", admin["id"])
            return redirect(url_for("account.admin_home"))
        error = "Invalid username or password."
    return page("admin_login.html", "Admin sign in", "Staff sign in for the Dija Accessories shop "
                "administration area.", error=error, status=401 if error else 200)


@bp.get("/admin/")
def admin_home():
    if not session.get("admin_id"):
        return redirect(url_for("account.admin_login"))
    counts = query_one("SELECT COUNT(*) AS orders, COALESCE(SUM(total), 0) AS revenue FROM orders "
                       "WHERE created_at >= UTC_TIMESTAMP() - INTERVAL 1 DAY AND payment_status = 'paid'")
    return page("admin.html", "Admin dashboard", "Dija Accessories administration: orders and revenue "
                "for the last 24 hours.", counts=counts)


@bp.post("/webhooks/<gateway>")
def webhook(gateway: str):
    if gateway not in WEBHOOK_GATEWAYS:
        abort(404)
    payload = request.get_json(silent=True) or {}
    event_type = str(payload.get("type") or payload.get("event") or "unknown")[:60]
    data = payload.get("data") if isinstance(payload.get("data"), dict) else {}
    reference = str(data.get("reference") or data.get("id") or "")[:64] or None
    event_id = execute("INSERT INTO webhook_events (gateway, event_type, reference, payload, status, received_at) "
                       "VALUES (%s, %s, %s, %s, 'received', UTC_TIMESTAMP())", gateway, event_type, reference,
                       json.dumps(payload)[:60000])
    execute("UPDATE webhook_events SET status = 'processed', processed_at = UTC_TIMESTAMP() WHERE id = %s", event_id)
    return jsonify(received=True, id=event_id)
