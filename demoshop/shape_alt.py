"""The alternative shape: the same shop as an independently built PHP/MySQL shop would have it
(schema_alt.sql). Names are given as the default's name -> this shape's name; demoshop/shapes.py
makes the `Shape` of it."""

from __future__ import annotations

TABLES = {
    "orders": "sales_orders",
    "order_items": "order_lines",
    "payments": "payment_attempts",
    "sessions": "user_sessions",
    "testimonials": "reviews",
    "banners": "promo_banners",
    "admin_users": "staff",
    "login_attempts": "admin_logins",
    "email_queue": "mail_outbox",
    "webhook_events": "gateway_callbacks",
    "abandoned_carts": "cart_reminders",
}

COLUMNS = {
    "orders": {
        "order_number": "order_ref",
        "email": "customer_email",
        "status": "fulfilment",
        "payment_status": "pay_state",
        "gateway": "pay_method",
        "total": "grand_total",
        "notes": "customer_note",
        "is_synthetic": "",
        "created_at": "placed_on",
        "paid_at": "paid_on",
        "processed_at": "fulfilled_on",
    },
    "order_items": {"id": "line_id", "product_id": "item_id", "quantity": "qty", "unit_price": "price_each"},
    "products": {
        "sku": "code",
        "name": "title",
        "stock": "in_stock",
        "low_stock_threshold": "reorder_level",
        "is_active": "enabled",
        "created_at": "added_on",
    },
    "customers": {
        "name": "full_name",
        "password_hash": "pass_hash",
        "created_at": "registered_on",
        "last_login_at": "last_seen",
        "deleted_at": "erased_on",
    },
    "payments": {"gateway": "provider", "reference": "provider_ref", "status": "state", "created_at": "attempted_at"},
    "sessions": {"data": "payload", "last_activity": "updated_at"},
    "testimonials": {"customer_name": "author", "rating": "stars", "status": "state", "created_at": "submitted_on"},
    "banners": {
        "title": "headline",
        "link": "target_url",
        "starts_at": "start_date",
        "ends_at": "end_date",
        "is_active": "visible",
    },
    "admin_users": {
        "username": "login",
        "password_hash": "pass_hash",
        "is_active": "enabled",
        "created_at": "added_on",
        "last_login_at": "last_seen",
    },
    "login_attempts": {"username": "login", "ip": "remote_ip", "success": "outcome", "created_at": "tried_at"},
    "email_queue": {"to_address": "recipient", "status": "state", "attempts": "tries", "created_at": "queued_at"},
    "webhook_events": {"gateway": "provider", "status": "state", "error": "error_text"},
    "abandoned_carts": {"created_at": "started_at", "recovery_sent_at": "reminded_at", "recovered": "converted"},
}

WORDS = {
    "orders": {
        "status": {
            "pending": "new",
            "processing": "packed",
            "shipped": "dispatched",
            "completed": "delivered",
            "cancelled": "void",
        },
        "payment_status": {"unpaid": "PENDING", "paid": "PAID", "failed": "FAILED", "refunded": "REFUNDED"},
    },
    "payments": {"status": {"succeeded": "ok", "failed": "declined", "pending": "pending"}},
    "testimonials": {"status": {"pending": "awaiting", "approved": "published", "rejected": "hidden"}},
    "login_attempts": {"success": {"0": "fail", "1": "ok"}},
    "email_queue": {"status": {"queued": "waiting", "sent": "done", "failed": "error"}},
    "webhook_events": {"status": {"received": "arrived", "processed": "handled", "failed": "error"}},
}

# the rest of the alt shape's Shape
OPTIONS = {
    "order_prefix": "ORD-",
    "query_string_urls": True,
    "offers_cancel": False,
    "checkout_required": ("name", "email", "address", "card_number"),
    "heartbeat_suffix": ".last",
    "flat_backups": True,
}
