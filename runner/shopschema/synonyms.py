"""Other names real shops give the contract's tables, fields and status words (WooCommerce, Magento,
OpenCart, PrestaShop, home-grown PHP): what the suggested mapping compares the live schema with."""

from __future__ import annotations

# logical table -> other names (a name matches a live table whose name contains its words)
TABLES: dict[str, list[str]] = {
    "orders": ["sales_orders", "order_headers", "purchases", "sales"],
    "order_items": ["order_lines", "line_items", "order_products", "order_details"],
    "products": ["items", "catalog", "goods", "articles"],
    "customers": ["users", "clients", "members", "accounts"],
    "payments": ["transactions", "payment_attempts", "charges", "payment_transactions"],
    "sessions": ["user_sessions", "web_sessions"],
    "testimonials": ["reviews", "feedback", "ratings"],
    "banners": ["promos", "promotions", "slides", "sliders", "adverts"],
    "admin_users": ["staff", "admins", "administrators", "employees", "backend_users"],
    "login_attempts": ["logins", "login_log", "auth_attempts", "sign_ins"],
    "email_queue": ["outbox", "mail", "mail_queue", "emails"],
    "webhook_events": ["callbacks", "webhooks", "ipn", "notifications"],
    "abandoned_carts": ["cart", "reminders", "abandoned", "baskets"],
}

# logical field (of any table) -> other names
FIELDS: dict[str, list[str]] = {
    "number": ["ref", "reference", "code", "no", "order_no", "increment_id"],
    "status": ["state", "fulfilment", "fulfillment", "stage", "order_state"],
    "payment_status": ["pay_state", "payment_state", "financial_status"],
    "total": ["grand_total", "total_amount", "order_total", "amount"],
    "amount": ["total", "sum", "value"],
    "notes": ["note", "comment", "comments", "remarks", "customer_note"],
    "email": ["email_address", "mail", "customer_email"],
    "synthetic": ["is_test", "test", "test_order", "monitor"],
    "created_at": ["placed_on", "added_on", "registered_on", "submitted_on", "queued_at", "started_at",
                   "tried_at", "attempted_at", "created", "date_added", "date_created", "inserted_at"],
    "paid_at": ["paid_on", "payment_date", "date_paid"],
    "processed_at": ["fulfilled_on", "fulfilled_at", "shipped_at", "shipped_on", "completed_at"],
    "received_at": ["arrived_at", "created_at", "logged_at"],
    "active": ["enabled", "visible", "published", "is_enabled", "status"],
    "stock": ["in_stock", "qty", "quantity", "stock_level", "inventory"],
    "low_stock_threshold": ["reorder_level", "reorder_point", "min_stock", "low_stock_amount"],
    "sku": ["code", "product_code", "reference", "model"],
    "name": ["title", "headline", "label"],
    "title": ["headline", "name", "heading", "caption"],
    "ends_at": ["end_date", "expires_at", "valid_until", "date_to"],
    "username": ["login", "user_name", "user", "user_login"],
    "password_hash": ["pass_hash", "password", "passwd", "pwd_hash"],
    "success": ["outcome", "result", "succeeded", "ok"],
    "ip": ["remote_ip", "ip_address", "remote_addr", "client_ip"],
    "last_activity": ["updated_at", "last_seen", "last_access", "modified_at", "last_active"],
    "last_login_at": ["last_seen", "last_login", "last_visit", "last_signin", "last_active"],
    "deleted_at": ["erased_on", "anonymised_at", "anonymized_at", "removed_at", "deleted"],
    "recovered": ["converted", "restored", "recovered_at"],
    "recovery_sent_at": ["reminded_at", "reminder_sent_at", "notified_at", "email_sent_at"],
    "attempts": ["tries", "retries", "attempt_count", "send_attempts"],
    "error": ["error_text", "last_error", "error_message", "failure_reason"],
    "gateway": ["provider", "payment_method", "pay_method", "source"],
    "quantity": ["qty", "count", "units"],
    "unit_price": ["price_each", "price", "unit_cost", "item_price"],
    "product_id": ["item_id", "article_id"],
    "order_id": ["sale_id", "order_ref_id"],
}

# a contract word -> the other words shops use for the same state (compared lowercased)
WORDS: dict[str, list[str]] = {
    "paid": ["settled", "captured", "complete", "completed"],
    "refunded": ["refund", "reversed", "returned"],
    "cancelled": ["canceled", "void", "voided", "cancel", "aborted"],
    "completed": ["complete", "delivered", "done", "closed", "fulfilled", "finished"],
    "shipped": ["dispatched", "sent", "in_transit"],
    "succeeded": ["ok", "success", "successful", "paid", "captured", "approved"],
    "failed": ["declined", "error", "fail", "failure", "rejected", "bounced"],
    "pending": ["awaiting", "moderation", "unapproved", "in_review", "new"],
    "queued": ["waiting", "pending", "unsent", "new"],
    "received": ["arrived", "new", "pending", "unprocessed"],
    "0": ["fail", "failed", "failure", "false", "no", "n", "error", "denied"],
}
