"""The schema contract: every table, column and status word a data check may read, by logical name,
with the demo shop's names as defaults. The one place where the guide's schema is written down.

A shop maps what differs in `[database]`:
    tables  = { orders = "shop_orders" }                    # "" = the shop has no such table
    [database.columns]
    orders  = { number = "order_ref", synthetic = "" }      # "" = the shop has no such column
    [database.values]
    paid    = ["PAID", "settled"]                           # the shop's words for a state
"""

from __future__ import annotations

# logical table -> logical field -> the demo's column (the default)
FIELDS: dict[str, dict[str, str]] = {
    "orders": {
        "id": "id",
        "number": "order_number",
        "customer_id": "customer_id",
        "email": "email",
        "status": "status",
        "payment_status": "payment_status",
        "total": "total",
        "notes": "notes",
        "synthetic": "is_synthetic",
        "created_at": "created_at",
        "paid_at": "paid_at",
        "processed_at": "processed_at",
    },
    "order_items": {
        "id": "id",
        "order_id": "order_id",
        "product_id": "product_id",
        "quantity": "quantity",
        "unit_price": "unit_price",
    },
    "products": {
        "id": "id",
        "sku": "sku",
        "name": "name",
        "stock": "stock",
        "low_stock_threshold": "low_stock_threshold",
        "active": "is_active",
    },
    "customers": {
        "id": "id",
        "email": "email",
        "created_at": "created_at",
        "last_login_at": "last_login_at",
        "deleted_at": "deleted_at",
    },
    "payments": {
        "id": "id",
        "order_id": "order_id",
        "status": "status",
        "amount": "amount",
        "created_at": "created_at",
    },
    "sessions": {"last_activity": "last_activity"},
    "testimonials": {"id": "id", "status": "status", "created_at": "created_at"},
    "banners": {"title": "title", "ends_at": "ends_at", "active": "is_active"},
    "admin_users": {
        "username": "username",
        "password_hash": "password_hash",
        "active": "is_active",
        "created_at": "created_at",
        "last_login_at": "last_login_at",
    },
    "login_attempts": {"username": "username", "ip": "ip", "success": "success", "created_at": "created_at"},
    "email_queue": {"id": "id", "status": "status", "attempts": "attempts", "created_at": "created_at"},
    "webhook_events": {
        "id": "id",
        "gateway": "gateway",
        "status": "status",
        "error": "error",
        "received_at": "received_at",
    },
    "abandoned_carts": {
        "id": "id",
        "created_at": "created_at",
        "recovery_sent_at": "recovery_sent_at",
        "recovered": "recovered",
    },
}

# yes/no columns: compared with 0 (`{products.active} <> 0`), so 1/0, TINYINT and BOOL all fit
BOOLEAN_FIELDS = frozenset(
    {"orders.synthetic", "products.active", "banners.active", "admin_users.active", "abandoned_carts.recovered"}
)

# vocabulary -> (the field whose values it names, the demo's words)
VOCABULARIES: dict[str, tuple[str, list[str | int]]] = {
    "paid": ("orders.payment_status", ["paid"]),
    "refunded": ("orders.payment_status", ["refunded"]),
    "order_closed": ("orders.status", ["cancelled", "completed", "shipped"]),  # needs no processing
    "payment_succeeded": ("payments.status", ["succeeded"]),
    "payment_failed": ("payments.status", ["failed"]),
    "testimonial_pending": ("testimonials.status", ["pending"]),
    "email_queued": ("email_queue.status", ["queued"]),
    "email_failed": ("email_queue.status", ["failed"]),
    "webhook_received": ("webhook_events.status", ["received"]),  # arrived, not yet processed
    "webhook_failed": ("webhook_events.status", ["failed"]),
    "login_failed": ("login_attempts.success", [0]),
}


def known_field(table: str, field: str) -> bool:
    return field in FIELDS.get(table, {})
