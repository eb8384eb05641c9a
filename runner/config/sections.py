"""Sections describing the monitored shop: site, tls, database, mail, payments, ... ([checkout]: checkout.py)"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, PositiveFloat, StrictInt, StrictStr, field_validator

from runner.config.base import COLUMN, OPTIONAL_IDENTIFIER, RELATION, PathValue, RegexText, Section, placeholder_pattern
from runner.shopschema.contract import FIELDS, VOCABULARIES

BackupPattern = placeholder_pattern("data_class")
HeartbeatPattern = placeholder_pattern("job")


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
    # which links are product pages (a regex on path and query): the link and image checks also visit those
    product_page_pattern: RegexText = r"^/product/"
    error_patterns: list[str] = Field(
        default_factory=lambda: [
            "Fatal error",
            "Parse error",
            "Database connection failed",
            "SQLSTATE[",
            "Warning: mysqli",
            "Uncaught Exception",
            "Stack trace:",
        ]
    )
    # backup and archive names probed in the web root by the exposure check
    backup_file_names: list[str] = Field(
        default_factory=lambda: [
            "backup.sql",
            "backup.sql.gz",
            "backup.zip",
            "dump.sql",
            "dump.sql.gz",
            "database.sql",
            "db.sql",
            "dija_shop.sql",
            "dija_shop.sql.gz",
            "site.zip",
            "www.zip",
            "backup.tar.gz",
        ]
    )
    # folders probed for a directory listing when server.web_root is not set (with it: the web root's folders)
    listing_paths: list[Annotated[str, Field(pattern=r"^/")]] = Field(default_factory=lambda: ["/uploads/"])

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
    # the shop's schema where it differs from the contract (runner/shopschema/contract.py), "" = it has none:
    # tables = { orders = "shop_orders" }, columns = { orders = { number = "order_ref" } }, values = { paid = ["PAID"] }
    tables: dict[str, Annotated[str, Field(pattern=OPTIONAL_IDENTIFIER)]] = Field(default_factory=dict)
    columns: dict[str, dict[str, Annotated[str, Field(pattern=OPTIONAL_IDENTIFIER)]]] = Field(default_factory=dict)
    values: dict[str, Annotated[list[StrictStr | StrictInt], Field(min_length=1)]] = Field(default_factory=dict)
    # the synthetic checkout's orders are left out of every figure: recognised by the contract's
    # orders.synthetic flag, by this customer email (default: checkout.customer_email) and/or an order-number prefix
    synthetic_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    synthetic_order_prefix: str | None = Field(default=None, min_length=1)
    # a named query replaced by the shop's own SQL (same parameters and result columns, see README)
    queries: dict[str, Annotated[str, Field(min_length=1)]] = Field(default_factory=dict)
    # "child.column -> parent.column": rows of child whose column matches no parent row are orphans
    orphan_relations: list[Annotated[str, Field(pattern=RELATION)]] = Field(
        default_factory=lambda: [
            "order_items.order_id -> orders.id",
            "order_items.product_id -> products.id",
            "orders.customer_id -> customers.id",
            "payments.order_id -> orders.id",
        ]
    )

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, columns):
        for table, fields in columns.items():
            if table not in FIELDS:
                raise ValueError(f"{table}: not a table of the contract ({', '.join(FIELDS)})")
            unknown = sorted(set(fields) - set(FIELDS[table]))
            if unknown:
                raise ValueError(f"{table}.{unknown[0]}: not a field of {table} ({', '.join(FIELDS[table])})")
        return columns

    @field_validator("values")
    @classmethod
    def _known_vocabularies(cls, values):
        unknown = sorted(set(values) - set(VOCABULARIES))
        if unknown:
            raise ValueError(f"{unknown[0]}: not a vocabulary of the contract ({', '.join(VOCABULARIES)})")
        return values


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
    pan_scan_columns: list[Annotated[str, Field(pattern=COLUMN)]] = Field(
        default_factory=lambda: [
            "orders.notes",
            "email_queue.subject",
            "email_queue.last_error",
            "webhook_events.payload",
            "testimonials.body",
        ]
    )


class Payments(Section):
    stripe: Gateway | None = None
    paystack: Gateway | None = None
    remita: Gateway | None = None


class Backups(Section):
    dir: PathValue
    offsite_dir: PathValue | None = None
    key_env: str | None = None
    # where one data class's backups are, below `dir` (`**` = any folders); each has a sha256sum-format `<file>.sha256`
    file_pattern: BackupPattern = "{data_class}/*.sql.gz.enc"
    rpo_minutes: dict[str, PositiveFloat] = Field(
        default_factory=lambda: {"orders": 15, "customers": 60, "products": 60, "full": 1440}
    )
    full_data_class: str = "full"  # restored monthly, copied offsite, kept monthly
    # the classes whose backup counts as the one taken before a deploy (verify --backup-within); None: full_data_class
    deploy_data_classes: list[str] | None = None
    restore_database_prefix: str = Field(default="dija_restore_", pattern=r"^[A-Za-z0-9_]{1,40}$")
    restore_tables: list[str] = Field(
        default_factory=lambda: ["products", "customers", "orders", "order_items", "payments"]
    )
    retention_months: int = Field(default=12, ge=0, le=120)


class Server(Section):
    web_root: PathValue | None = None
    disk_paths: list[PathValue] = Field(default_factory=list)
    heartbeat_dir: PathValue | None = None
    heartbeat_pattern: HeartbeatPattern = "{job}"  # each job's heartbeat file below heartbeat_dir
    # scheduled job (heartbeat file name) -> how often it runs, in minutes
    jobs: dict[str, PositiveFloat] = Field(
        default_factory=lambda: {"cleanup": 1440, "backup": 15, "inventory": 60, "weekly_maintenance": 10080}
    )
    versions_file: PathValue | None = None  # JSON {"php": "8.3.12", "mariadb": "10.11.6"} written on deploy


class Logs(Section):
    php_error_log: PathValue | None = None
    access_log: PathValue | None = None
