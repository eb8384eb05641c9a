"""The monitor's configuration: one TOML file, typed models with their defaults in one place.

Unknown keys and bad values are errors naming the key path. Secrets are never in the file:
a key ending in `_env` names an environment variable (or a line of `env_file`) holding the
value, which is resolved at load time into a `Secret`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from runner.errors import ConfigError
from runner.secrets import Scrubber, Secret

DEFAULT_CONFIG = "monitor.toml"
CONFIG_ENV = "DIJA_MONITOR_CONFIG"
Cadence = Literal["critical", "hourly", "daily", "weekly", "monthly"]
Severity = Literal["critical", "warning"]
CADENCES: tuple[str, ...] = ("critical", "hourly", "daily", "weekly", "monthly")
SEVERITIES: tuple[str, ...] = ("critical", "warning")
_PATH_KEYS = ("ca_bundle", "env_file", "dir", "offsite_dir", "web_root", "heartbeat_dir",
              "php_error_log", "access_log", "reports_dir", "state_dir")


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


class Payments(Section):
    stripe: Gateway | None = None
    paystack: Gateway | None = None
    remita: Gateway | None = None


class Backups(Section):
    dir: Path
    offsite_dir: Path | None = None
    key_env: str | None = None


class Server(Section):
    web_root: Path | None = None
    disk_paths: list[Path] = Field(default_factory=list)
    heartbeat_dir: Path | None = None


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
    # email
    email_warn_seconds: float = Field(default=60, gt=0)
    email_fail_seconds: float = Field(default=300, gt=0)
    email_queue_stuck_minutes: float = Field(default=15, gt=0)
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
    check_timeout_seconds: float = Field(default=120, gt=0)


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
    thresholds: Thresholds = Field(default_factory=Thresholds)
    runner: Runner = Field(default_factory=Runner)
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
    env = dict(environ if environ is not None else os.environ)
    env_file_values = _read_env_file(settings.env_file, source) if settings.env_file else {}
    _resolve_secrets(settings, env, env_file_values, source)
    return settings


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
    where = ""
    for part in err["loc"]:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
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
                where = ".".join([*path, field])
                problems.append(f"{where}: variable {variable} is not set in {where_looked}")
                continue
            model._secrets[field.removesuffix("_env")] = Secret(value)
    if problems:
        raise ConfigError(str(source), problems)


def _walk_with_paths(model: BaseModel, path: tuple[str, ...] = ()):
    yield path, model
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            yield from _walk_with_paths(value, (*path, name))


def _walk(model: BaseModel):
    for _, child in _walk_with_paths(model):
        yield child
