"""The monitor's configuration: one TOML file, typed models with their defaults in one place.

Unknown keys and bad values are errors naming the key path. Secrets are never in the file:
a key ending in `_env` names an environment variable (or a line of `env_file`) holding the
value, which is resolved at load time into a `Secret`.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path

from pydantic import BaseModel, Field, PrivateAttr, ValidationError

from runner.config.base import (
    CADENCES,
    CONFIG_ENV,
    DEFAULT_CONFIG,
    PATH_KEYS,
    SEVERITIES,
    Cadence,
    PathValue,
    Section,
    Severity,
)
from runner.config.checkout import Checkout
from runner.config.operations import Alerts, Runner, Schedule
from runner.config.publishing import Slo, StatusPage
from runner.config.sections import Backups, Compliance, Database, Logs, Mail, Payments, Security, Server, Site, Tls
from runner.config.thresholds import Thresholds
from runner.errors import ConfigError
from runner.secrets import Scrubber, Secret

__all__ = [
    "CADENCES",
    "CONFIG_ENV",
    "DEFAULT_CONFIG",
    "SEVERITIES",
    "Cadence",
    "ConfigError",
    "Schedule",
    "Secret",
    "Security",
    "Settings",
    "Severity",
    "config_path",
    "key_path",
    "load",
    "redacted",
    "with_reports_dir",
]


class Settings(Section):
    env_file: PathValue | None = None
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
    slo: Slo = Field(default_factory=Slo)
    status_page: StatusPage = Field(default_factory=StatusPage)
    _source: Path = PrivateAttr(default=Path(DEFAULT_CONFIG))
    _warnings: list[str] = PrivateAttr(default_factory=list)

    @property
    def source(self) -> Path:
        return self._source

    @property
    def warnings(self) -> list[str]:
        """Usable but unsafe settings (an env_file others can read): for check-config and the dashboard."""
        return list(self._warnings)

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
    if problems := use_problems(settings):
        raise ConfigError(str(source), problems)
    settings._warnings = _env_file_warnings(settings.env_file)
    return settings


def use_problems(settings: Settings) -> list[str]:
    """What would fail later, found now: files and folders that must exist, URLs holding credentials in
    the file. Alert channels are tried by runner.alerts.channels.check (the commands' load_settings)."""
    problems = []
    if settings.tls and settings.tls.ca_bundle and not settings.tls.ca_bundle.is_file():
        problems.append(f"tls.ca_bundle: {settings.tls.ca_bundle} is not a file")
    if settings.runner.checks_dir and not settings.runner.checks_dir.is_dir():
        problems.append(f"runner.checks_dir: {settings.runner.checks_dir} is not a folder")
    if _has_password(settings.schedule.heartbeat_url):
        problems.append(
            "schedule.heartbeat_url: holds credentials; put it in heartbeat_url_env "
            "(the variable's name), not in the file"
        )
    return problems


def _has_password(url: str | None) -> bool:
    return bool(url) and "@" in url.split("://", 1)[-1].split("/", 1)[0]


def _env_file_warnings(path: Path | None) -> list[str]:
    try:
        mode = path.stat().st_mode if path else 0
    except OSError:
        return []
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return [
            f"env_file: {path} is readable by other users (mode {stat.S_IMODE(mode):04o}); "
            f"its secrets are exposed: chmod 600 {path}"
        ]
    return []


def consistency_problems(settings: Settings) -> list[str]:
    """Rules across keys: each warning tier below its failure tier; checks get the time they need; the
    checkout's steps use only values they know and read what the checkout check needs."""
    t, problems = settings.thresholds, []
    pairs = [("page_load_warn_seconds", "page_load_fail_seconds"), ("email_warn_seconds", "email_fail_seconds")]
    problems += [
        f"thresholds.{warn}: must be below thresholds.{fail} ({getattr(t, fail):g})"
        for warn, fail in pairs
        if getattr(t, warn) >= getattr(t, fail)
    ]
    if t.cert_fail_days > t.cert_warn_days:
        problems.append(f"thresholds.cert_fail_days: must not exceed thresholds.cert_warn_days ({t.cert_warn_days:g})")
    if settings.mail and settings.runner.check_timeout_seconds <= t.email_fail_seconds:
        problems.append(
            f"runner.check_timeout_seconds: must exceed thresholds.email_fail_seconds "
            f"({t.email_fail_seconds:g}) so that an undelivered e-mail fails instead of timing out"
        )
    if settings.checkout:
        problems += settings.checkout.problems()
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
        data = source.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(source), ["file not found (use --config or $DIJA_MONITOR_CONFIG)"]) from None
    except IsADirectoryError:
        raise ConfigError(str(source), ["is a directory, not a config file"]) from None
    except OSError as exc:
        raise ConfigError(str(source), [f"file not readable ({exc.strerror or exc})"]) from None
    try:
        return tomllib.loads(_utf8(data, "file"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(source), [f"not valid TOML: {exc}"]) from None
    except ValueError as exc:
        raise ConfigError(str(source), [str(exc)]) from None


def _utf8(data: bytes, what: str) -> str:
    """The text, or ValueError naming the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(
            f"{what} is not UTF-8 text: byte 0x{data[exc.start]:02x} on line {line} (save it as UTF-8)"
        ) from None


def _resolve_paths(node, base: Path) -> None:
    """Relative paths in the file are relative to the file's own folder."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PATH_KEYS and isinstance(value, str) and value and not os.path.isabs(value):
                node[key] = str(base / value)
            elif key == "disk_paths" and isinstance(value, list):
                node[key] = [str(base / v) if isinstance(v, str) and not os.path.isabs(v) else v for v in value]
            else:
                _resolve_paths(value, base)
    elif isinstance(node, list):
        for item in node:
            _resolve_paths(item, base)


TOML_TYPES = {
    "str": "a string",
    "int": "an integer",
    "float": "a float",
    "bool": "a boolean",
    "list": "an array",
    "dict": "a table",
    "datetime": "a date-time",
    "date": "a date",
    "time": "a time",
}


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
    elif kind == "value_error":
        message = message.removeprefix("Value error, ")
    elif kind == "path_type":
        message = "Input should be a path (a string)"
    if kind.endswith("_type") and type(err.get("input")).__name__ in TOML_TYPES:
        message += f" (got {TOML_TYPES[type(err['input']).__name__]})"
    return f"{where or '(top level)'}: {message}"


def _read_env_file(path: Path, source: Path) -> dict[str, str]:
    try:
        lines = _utf8(path.read_bytes(), str(path)).splitlines()
    except FileNotFoundError:
        raise ConfigError(str(source), [f"env_file: {path} does not exist"]) from None
    except OSError as exc:
        raise ConfigError(str(source), [f"env_file: cannot read {path}: {exc.strerror or exc}"]) from None
    except ValueError as exc:
        raise ConfigError(str(source), [f"env_file: {exc}"]) from None
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
            where = key_path((*path, field))
            if value is None:
                problems.append(f"{where}: variable {variable} is not set in {where_looked}")
                continue
            if not value.strip():
                problems.append(f"{where}: variable {variable} is empty")
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
