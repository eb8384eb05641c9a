"""The monitor's configuration: one TOML file, typed models with their defaults in one place.

Unknown keys and bad values are errors naming the key path. Secrets are never in the file:
a key ending in `_env` names an environment variable (or a line of `env_file`) holding the
value, which is resolved at load time into a `Secret`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, PositiveFloat, PrivateAttr, ValidationError, model_validator

from runner.errors import ConfigError
from runner.secrets import Scrubber, Secret

DEFAULT_CONFIG = "monitor.toml"
CONFIG_ENV = "DIJA_MONITOR_CONFIG"
Cadence = Literal["critical", "hourly", "daily", "weekly", "monthly"]
Severity = Literal["critical", "warning"]
CADENCES: tuple[str, ...] = ("critical", "hourly", "daily", "weekly", "monthly")
SEVERITIES: tuple[str, ...] = ("critical", "warning")
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
COLUMN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}$"
RELATION = r"^[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63} *-> *[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}$"
_PATH_KEYS = ("ca_bundle", "env_file", "dir", "offsite_dir", "web_root", "heartbeat_dir",
              "php_error_log", "access_log", "reports_dir", "state_dir", "metrics_textfile", "checks_dir",
              "versions_file")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class Section(BaseModel):
    """Base of every section: unknown keys are errors; `*_env` keys resolve to secrets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    _secrets: dict[str, Secret] = PrivateAttr(default_factory=dict)

    def secret(self, name: str) -> Secret | None:
        """The secret named by `<name>_env`, or None when that key is not set."""
        return self._secrets.get(name)


class KeyPage(Section):
    path: str = Field(pattern=r"^/")
    keyword: str | None = Field(default=None, min_length=1)


class Site(Section):
    base_url: str = Field(pattern=r"^https?://[^/\s]+")
    http_url: str | None = Field(default=None, pattern=r"^http://[^/\s]+")
    timeout_seconds: float = Field(default=10, gt=0, le=300)
    user_agent: str = "dija-monitor/0.1 (synthetic monitoring)"
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
    ca_bundle: Path | None = None
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
    dir: Path
    offsite_dir: Path | None = None
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
    web_root: Path | None = None
    disk_paths: list[Path] = Field(default_factory=list)
    heartbeat_dir: Path | None = None
    # scheduled job (heartbeat file name) -> how often it runs, in minutes
    jobs: dict[str, PositiveFloat] = Field(default_factory=lambda: {
        "cleanup": 1440, "backup": 15, "inventory": 60, "weekly_maintenance": 10080})
    versions_file: Path | None = None  # JSON {"php": "8.3.12", "mariadb": "10.11.6"} written on deploy


class Logs(Section):
    php_error_log: Path | None = None
    access_log: Path | None = None


class Thresholds(Section):
    """The guide's limits, all in one place. `*_warn_*` marks the degraded tier, `*_fail_*` failure."""

    # availability, performance, content
    page_load_warn_seconds: float = Field(default=2.0, gt=0)
    page_load_fail_seconds: float = Field(default=3.0, gt=0)
    image_max_kb: float = Field(default=300, gt=0)
    link_crawl_max_urls: int = Field(default=100, ge=1)
    # tls
    cert_warn_days: float = Field(default=21, ge=0)
    cert_fail_days: float = Field(default=7, ge=0)
    # database
    db_latency_fail_ms: float = Field(default=200, gt=0)
    db_connections_fail_percent: float = Field(default=80, gt=0, le=100)
    session_max_age_days: float = Field(default=30, gt=0)
    table_fragmentation_fail_percent: float = Field(default=20, gt=0, le=100)
    table_fragmentation_min_free_mb: float = Field(default=8, ge=0)  # InnoDB keeps a few MiB of extents free
    slow_queries_max_growth: int = Field(default=10, ge=0)
    data_retention_days: int = Field(default=1095, ge=1)
    # orders, payments, business
    order_unprocessed_hours: float = Field(default=24, gt=0)
    payment_success_min_percent: float = Field(default=98, ge=0, le=100)
    payment_window_hours: float = Field(default=24, gt=0)
    payment_min_sample: int = Field(default=10, ge=1)
    webhook_silence_hours: float = Field(default=6, gt=0)
    abandoned_cart_hours: float = Field(default=24, gt=0)
    daily_orders_target: float = Field(default=0, ge=0)  # 0: compare with the trailing 7-day average only
    conversion_rate_target_percent: float = Field(default=0, ge=0)
    average_order_value_target: float = Field(default=0, ge=0)
    trailing_drop_warn_percent: float = Field(default=50, gt=0, le=100)
    # inventory, content
    low_stock_default: int = Field(default=5, ge=0)
    testimonial_pending_days: float = Field(default=7, gt=0)
    # security
    failed_logins_per_ip: int = Field(default=10, ge=1)
    failed_logins_per_account: int = Field(default=5, ge=1)
    failed_login_window_minutes: float = Field(default=15, gt=0)
    admin_inactive_days: float = Field(default=90, gt=0)
    software_eol_warn_days: int = Field(default=90, ge=0)
    # email
    email_warn_seconds: float = Field(default=60, gt=0)
    email_fail_seconds: float = Field(default=300, gt=0)
    email_queue_stuck_minutes: float = Field(default=15, gt=0)
    # backups: restored row counts may differ from the live ones by this much (rows change after the dump)
    restore_row_tolerance_percent: float = Field(default=5, ge=0, le=100)
    # server, logs
    disk_free_min_percent: float = Field(default=15, ge=0, le=100)
    load_per_core_max: float = Field(default=2, gt=0)
    memory_available_min_percent: float = Field(default=10, ge=0, le=100)
    http_5xx_max_percent: float = Field(default=1, ge=0, le=100)
    requests_per_ip_max: int = Field(default=600, ge=1)  # per hour
    heartbeat_grace_minutes: float = Field(default=30, ge=0)


class Runner(Section):
    reports_dir: Path | None = None  # default: ./reports
    state_dir: Path | None = None  # default: <reports_dir>/state
    checks_dir: Path | None = None  # default: the project's checks/ (elsewhere: with a conftest.py
    # holding `pytest_plugins = ["runner.pytest_plugin"]`)
    check_timeout_seconds: float = Field(default=360, gt=0)  # above thresholds.email_fail_seconds
    run_timeout_seconds: float = Field(default=1800, gt=0)  # the whole pytest run, then it is killed
    workers: int = Field(default=1, ge=1, le=64)  # > 1: pytest-xdist with this many processes
    history_days: float = Field(default=400, gt=0)


class Schedule(Section):
    """When `dija-monitor schedule` runs each cadence (local time). `*_every_seconds` overrides
    the minutes for tests and benchmarks."""

    critical_every_minutes: float = Field(default=5, gt=0)
    critical_every_seconds: float | None = Field(default=None, ge=1)
    hourly_at_minute: int = Field(default=0, ge=0, le=59)
    hourly_every_seconds: float | None = Field(default=None, ge=1)
    daily_at: str = Field(default="02:00", pattern=_CLOCK)
    weekly_day: Weekday = "sunday"
    weekly_at: str = Field(default="04:00", pattern=_CLOCK)
    monthly_day: int = Field(default=1, ge=1, le=28)
    monthly_at: str = Field(default="05:00", pattern=_CLOCK)
    cadences: list[Cadence] = Field(default_factory=lambda: list(CADENCES))
    jitter_seconds: float = Field(default=0, ge=0, le=3600)
    heartbeat_url: str | None = Field(default=None, pattern=r"^https?://")
    heartbeat_url_env: str | None = None  # or the URL from a variable (its UUID is a credential)
    heartbeat_fail_on: Literal["error", "failure"] = "error"  # runner errors only, or failed checks too
    watch_every_seconds: float = Field(default=60, ge=1)  # verify --watch


# -- alerts --------------------------------------------------------------------------------------


class AlertPolicy(Section):
    """When a check's failures become an alert; the [alerts] defaults, overridable per check."""

    failure_threshold: int | None = Field(default=None, ge=1)  # consecutive failing runs (default 2)
    success_threshold: int | None = Field(default=None, ge=1)  # consecutive passing runs (default 2)
    reminder_interval_minutes: float | None = Field(default=None, ge=0)  # 0: no reminders (default 60)
    send_on_resolved: bool | None = None  # default true
    notify_degraded: bool | None = None  # default false


class AlertChannel(Section):
    type: Literal["apprise", "alertmanager"] = "apprise"
    url: str | None = Field(default=None, min_length=3)  # apprise URL, or the Alertmanager base URL
    url_env: str | None = None  # the variable holding the URL when it embeds a token
    severities: list[Severity] = Field(default_factory=lambda: ["critical", "warning"])
    name: str | None = None

    @model_validator(mode="after")
    def _one_url(self):
        if (self.url is None) == (self.url_env is None):
            raise ValueError("set exactly one of url, url_env")
        return self


class MaintenanceWindow(Section):
    """One-off (start, end) or recurring (days, from_time, to_time in `timezone`)."""

    start: datetime | None = None
    end: datetime | None = None
    days: list[Weekday] = Field(default_factory=list)  # recurring; empty with times = every day
    from_time: str | None = Field(default=None, pattern=_CLOCK)
    to_time: str | None = Field(default=None, pattern=_CLOCK)
    timezone: str = "UTC"
    reason: str = ""

    @model_validator(mode="after")
    def _one_form(self):
        one_off, recurring = self.start is not None or self.end is not None, self.from_time or self.to_time
        if one_off == bool(recurring):
            raise ValueError("give either start and end, or from_time and to_time (with optional days)")
        if one_off and (self.start is None or self.end is None or self.end <= self.start):
            raise ValueError("a one-off window needs start < end")
        if recurring and not (self.from_time and self.to_time):
            raise ValueError("a recurring window needs from_time and to_time")
        return self


class Alerts(AlertPolicy):
    enabled: bool = True
    failure_threshold: int = Field(default=2, ge=1)
    success_threshold: int = Field(default=2, ge=1)
    reminder_interval_minutes: float = Field(default=60, ge=0)
    send_on_resolved: bool = True
    notify_degraded: bool = False
    checks: dict[str, AlertPolicy] = Field(default_factory=dict)  # key: check name or id
    channels: list[AlertChannel] = Field(default_factory=list)
    maintenance: list[MaintenanceWindow] = Field(default_factory=list)
    canary_url: str | None = Field(default=None, pattern=r"^https?://")
    canary_timeout_seconds: float = Field(default=5, gt=0, le=60)
    report_base_url: str | None = Field(default=None, pattern=r"^https?://")  # links in alerts
    metrics_textfile: Path | None = None  # Prometheus textfile written after each run


class Settings(Section):
    env_file: Path | None = None
    site: Site
    tls: Tls | None = None
    database: Database | None = None
    mail: Mail | None = None
    checkout: Checkout | None = None
    compliance: Compliance | None = None
    payments: Payments | None = None
    backups: Backups | None = None
    server: Server | None = None
    logs: Logs | None = None
    security: Security | None = None
    thresholds: Thresholds = Field(default_factory=Thresholds)
    runner: Runner = Field(default_factory=Runner)
    alerts: Alerts = Field(default_factory=Alerts)
    schedule: Schedule = Field(default_factory=Schedule)
    _source: Path = PrivateAttr(default=Path(DEFAULT_CONFIG))

    @property
    def source(self) -> Path:
        return self._source

    def secret_values(self) -> list[str]:
        """Every resolved secret's value, for scrubbing text we write."""
        return [s.reveal() for model in _walk(self) for s in model._secrets.values()]

    def scrubber(self) -> Scrubber:
        return Scrubber(self.secret_values())

    def reports_dir(self) -> Path:
        return self.runner.reports_dir or Path.cwd() / "reports"

    def state_dir(self) -> Path:
        return self.runner.state_dir or self.reports_dir() / "state"


def with_reports_dir(settings: Settings, reports_dir: Path | None) -> Settings:
    """The settings with runner.reports_dir overridden (--reports-dir), secrets kept."""
    if reports_dir is None:
        return settings
    runner = settings.runner.model_copy(update={"reports_dir": Path(reports_dir).resolve()})
    return settings.model_copy(update={"runner": runner})


def config_path(explicit: str | os.PathLike | None = None) -> Path:
    """--config, else $DIJA_MONITOR_CONFIG, else ./monitor.toml."""
    return Path(explicit or os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)


def load(path: str | os.PathLike | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read, validate and resolve a config file; raise ConfigError naming every problem."""
    source = config_path(path)
    raw = _read_toml(source)
    _resolve_paths(raw, source.parent.resolve())
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(str(source), [_describe(err) for err in exc.errors()]) from None
    settings._source = source
    if problems := consistency_problems(settings):
        raise ConfigError(str(source), problems)
    env = dict(environ if environ is not None else os.environ)
    env_file_values = _read_env_file(settings.env_file, source) if settings.env_file else {}
    _resolve_secrets(settings, env, env_file_values, source)
    return settings


def consistency_problems(settings: Settings) -> list[str]:
    """Rules across keys: each warning tier below its failure tier; checks get the time they need."""
    t, problems = settings.thresholds, []
    pairs = [("page_load_warn_seconds", "page_load_fail_seconds"), ("email_warn_seconds", "email_fail_seconds")]
    problems += [f"thresholds.{warn}: must be below thresholds.{fail} ({getattr(t, fail):g})"
                 for warn, fail in pairs if getattr(t, warn) >= getattr(t, fail)]
    if t.cert_fail_days > t.cert_warn_days:
        problems.append(f"thresholds.cert_fail_days: must not exceed thresholds.cert_warn_days ({t.cert_warn_days:g})")
    if settings.mail and settings.runner.check_timeout_seconds <= t.email_fail_seconds:
        problems.append(f"runner.check_timeout_seconds: must exceed thresholds.email_fail_seconds "
                        f"({t.email_fail_seconds:g}) so that an undelivered e-mail fails instead of timing out")
    return problems


def redacted(settings: Settings) -> dict:
    """The effective config as plain data, each secret shown as *** next to its variable name."""
    data = settings.model_dump(mode="json", exclude_none=True)
    for path, model in _walk_with_paths(settings):
        node = data
        for key in path:
            node = node[key]
        for name in model._secrets:
            node[name] = str(model._secrets[name])
    return data


def _read_toml(source: Path) -> dict:
    try:
        with open(source, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(str(source), ["file not found (use --config or $DIJA_MONITOR_CONFIG)"]) from None
    except PermissionError:
        raise ConfigError(str(source), ["file not readable (permission denied)"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(str(source), [f"not valid TOML: {exc}"]) from None


def _resolve_paths(node, base: Path) -> None:
    """Relative paths in the file are relative to the file's own folder."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _PATH_KEYS and isinstance(value, str) and value and not os.path.isabs(value):
                node[key] = str(base / value)
            elif key == "disk_paths" and isinstance(value, list):
                node[key] = [str(base / v) if isinstance(v, str) and not os.path.isabs(v) else v for v in value]
            else:
                _resolve_paths(value, base)
    elif isinstance(node, list):
        for item in node:
            _resolve_paths(item, base)


def _describe(err: dict) -> str:
    where = key_path(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"{where}: unknown key"
    if kind == "missing":
        return f"{where}: required key missing"
    message = err["msg"]
    if kind == "string_pattern_mismatch":
        message = f"invalid value {err.get('input')!r}"
    return f"{where or '(top level)'}: {message}"


def _read_env_file(path: Path, source: Path) -> dict[str, str]:
    try:
        lines = path.read_text().splitlines()
    except FileNotFoundError:
        return {}  # the variables may all be in the environment; a missing one is named later
    except OSError as exc:
        raise ConfigError(str(source), [f"env_file: cannot read {path}: {exc.strerror}"]) from None
    values = {}
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep:
            raise ConfigError(str(source), [f"env_file: {path} line {number}: expected KEY=value"])
        values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def _resolve_secrets(settings: Settings, env: dict, env_file: dict, source: Path) -> None:
    problems = []
    where_looked = f"the environment or {settings.env_file}" if settings.env_file else "the environment"
    for path, model in _walk_with_paths(settings):
        for field in type(model).model_fields:
            if not field.endswith("_env") or field == "env_file":
                continue
            variable = getattr(model, field)
            if variable is None:
                continue
            value = env.get(variable, env_file.get(variable))
            if value is None:
                where = key_path((*path, field))
                problems.append(f"{where}: variable {variable} is not set in {where_looked}")
                continue
            model._secrets[field.removesuffix("_env")] = Secret(value)
    if problems:
        raise ConfigError(str(source), problems)


def _walk_with_paths(model: BaseModel, path: tuple = ()):
    """Every model in the tree with its path of keys and list indices."""
    yield path, model
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _walk_with_paths(value, (*path, name))
        elif isinstance(value, (list, tuple)):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from _walk_with_paths(item, (*path, name, index))


def key_path(path: tuple) -> str:
    """('alerts', 'channels', 0, 'url_env') -> 'alerts.channels[0].url_env'."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _walk(model: BaseModel):
    for _, child in _walk_with_paths(model):
        yield child
