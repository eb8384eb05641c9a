"""Sections describing the monitored shop: site, tls, database, mail, checkout, payments, ..."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PositiveFloat

from runner.config.base import COLUMN, IDENTIFIER, RELATION, PathValue, Section

class KeyPage(Section):
    path: str = Field(pattern=r"^/")
    keyword: str | None = Field(default=None, min_length=1)


class Site(Section):
    base_url: str = Field(pattern=r"^https?://[^/\s]+")
    http_url: str | None = Field(default=None, pattern=r"^http://[^/\s]+")
    timeout_seconds: float = Field(default=10, gt=0, le=300)  # each request in total (connect to last byte), each read
    user_agent: str = "dija-monitor/0.1 (synthetic monitoring)"
    # hosts a page may redirect to besides the site's own (base_url's, http_url's): e.g. a gateway's checkout
    redirect_hosts: list[str] = Field(default_factory=list)
    key_pages: list[KeyPage] = Field(default_factory=lambda: [KeyPage(path="/")], min_length=1)
    error_patterns: list[str] = Field(default_factory=lambda: [
        "Fatal error", "Parse error", "Database connection failed", "SQLSTATE[",
        "Warning: mysqli", "Uncaught Exception", "Stack trace:"])
    # backup and archive names probed in the web root by the exposure check
    backup_file_names: list[str] = Field(default_factory=lambda: [
        "backup.sql", "backup.sql.gz", "backup.zip", "dump.sql", "dump.sql.gz", "database.sql", "db.sql",
        "dija_shop.sql", "dija_shop.sql.gz", "site.zip", "www.zip", "backup.tar.gz"])

    @property
    def origin(self) -> str:
        return self.base_url.rstrip("/")


class Tls(Section):
    ca_bundle: PathValue | None = None
    host: str | None = None  # default: the host of site.base_url
    port: int | None = Field(default=None, ge=1, le=65535)


class Database(Section):
    host: str = "127.0.0.1"
    port: int = Field(default=3306, ge=1, le=65535)
    name: str = Field(pattern=r"^[A-Za-z0-9_]+$")
    user: str
    password_env: str | None = None
    connect_timeout_seconds: float = Field(default=5, gt=0, le=60)
    # the shop's table names where they differ from the guide's: { orders = "shop_orders" }
    tables: dict[str, Annotated[str, Field(pattern=IDENTIFIER)]] = Field(default_factory=dict)
    # "child.column -> parent.column": rows of child whose column matches no parent row are orphans
    orphan_relations: list[Annotated[str, Field(pattern=RELATION)]] = Field(default_factory=lambda: [
        "order_items.order_id -> orders.id", "order_items.product_id -> products.id",
        "orders.customer_id -> customers.id", "payments.order_id -> orders.id"])


class Mail(Section):
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_starttls: bool = True
    smtp_user: str | None = None
    smtp_password_env: str | None = None
    imap_host: str = "127.0.0.1"
    imap_port: int = Field(default=993, ge=1, le=65535)
    imap_ssl: bool = True
    imap_user: str
    imap_password_env: str | None = None
    from_address: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")
    to_address: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")


class CheckoutSelectors(Section):
    """CSS selectors of the shop's checkout and account pages; the defaults fit the demo shop."""

    product_name: str = "h1"
    price: str = "#price"
    add_to_cart: str = "#add-to-cart-button"
    out_of_stock: str = "#out-of-stock"
    checkout_button: str = "#checkout-link"
    checkout_total: str = "#checkout-total"
    customer_name: str = "#name"
    customer_email: str = "#email"
    card_number: str = "#card_number"
    pay_button: str = "#pay-button"
    payment_error: str = "#payment-error"
    order_number: str = "#order-number"
    cancel_order: str = "#cancel-order-button"
    login_email: str = "#login-email"
    login_password: str = "#login-password"
    login_button: str = "#login-button"
    login_error: str = "#login-error"
    logged_in: str = "#account-name"


class Checkout(Section):
    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")  # orders from it are the shop's synthetic ones
    customer_password_env: str | None = None
    customer_name: str = "Synthetic Monitor"
    test_card: str = Field(default="4242424242424242", pattern=r"^[0-9]{12,19}$")
    category_path: str = Field(default="/", pattern=r"^/")
    product_path: str = Field(pattern=r"^/")
    out_of_stock_path: str | None = Field(default=None, pattern=r"^/")  # a product page with stock 0
    login_path: str = Field(default="/login", pattern=r"^/")
    imap_user: str | None = None  # the customer's mailbox on [mail]'s IMAP server; default: local part of the email
    imap_password_env: str | None = None  # default: the customer's password
    selectors: CheckoutSelectors = Field(default_factory=CheckoutSelectors)


class Compliance(Section):
    consent_path: str = Field(default="/", pattern=r"^/")
    consent_banner: str = "#cookie-consent"
    essential_cookies: list[str] = Field(default_factory=lambda: ["session", "cookie_consent"])


class Gateway(Section):
    api_base: str = Field(pattern=r"^https?://")
    status_url: str | None = Field(default=None, pattern=r"^https?://")
    key_env: str | None = None


class Security(Section):
    approved_admins: list[str] = Field(default_factory=list)  # admin usernames the owner has approved
    # free-text columns ("table.column") scanned for card numbers
    pan_scan_columns: list[Annotated[str, Field(pattern=COLUMN)]] = Field(default_factory=lambda: [
        "orders.notes", "email_queue.subject", "email_queue.last_error", "webhook_events.payload",
        "testimonials.body"])


class Payments(Section):
    stripe: Gateway | None = None
    paystack: Gateway | None = None
    remita: Gateway | None = None


class Backups(Section):
    dir: PathValue
    offsite_dir: PathValue | None = None
    key_env: str | None = None
    # where one data class's backups are, below `dir`; each has a sha256sum-format `<file>.sha256`
    file_pattern: str = Field(default="{data_class}/*.sql.gz.enc", pattern=r"\{data_class\}")
    rpo_minutes: dict[str, PositiveFloat] = Field(default_factory=lambda: {
        "orders": 15, "customers": 60, "products": 60, "full": 1440})
    full_data_class: str = "full"  # restored monthly, copied offsite, kept monthly
    restore_database_prefix: str = Field(default="dija_restore_", pattern=r"^[A-Za-z0-9_]{1,40}$")
    restore_tables: list[str] = Field(default_factory=lambda: [
        "products", "customers", "orders", "order_items", "payments"])
    retention_months: int = Field(default=12, ge=0, le=120)


class Server(Section):
    web_root: PathValue | None = None
    disk_paths: list[PathValue] = Field(default_factory=list)
    heartbeat_dir: PathValue | None = None
    # scheduled job (heartbeat file name) -> how often it runs, in minutes
    jobs: dict[str, PositiveFloat] = Field(default_factory=lambda: {
        "cleanup": 1440, "backup": 15, "inventory": 60, "weekly_maintenance": 10080})
    versions_file: PathValue | None = None  # JSON {"php": "8.3.12", "mariadb": "10.11.6"} written on deploy


class Logs(Section):
    php_error_log: PathValue | None = None
    access_log: PathValue | None = None
