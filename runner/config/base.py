"""The base of every config section and the values shared by sections."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, PrivateAttr, Strict, field_validator

from runner.secrets import Secret

DEFAULT_CONFIG = "monitor.toml"
CONFIG_ENV = "DIJA_MONITOR_CONFIG"
Cadence = Literal["critical", "hourly", "daily", "weekly", "monthly"]
Severity = Literal["critical", "warning"]
CADENCES: tuple[str, ...] = ("critical", "hourly", "daily", "weekly", "monthly")
SEVERITIES: tuple[str, ...] = ("critical", "warning")
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
OPTIONAL_IDENTIFIER = r"^([A-Za-z_][A-Za-z0-9_]{0,63})?$"  # "" = the shop has none
NAME = r"[A-Za-z_][A-Za-z0-9_]{0,63}"
COLUMN = rf"^{NAME}\.{NAME}$"
RELATION = rf"^{NAME}\.{NAME} *-> *{NAME}\.{NAME}$"
PATH_KEYS = (
    "ca_bundle",
    "env_file",
    "dir",
    "offsite_dir",
    "web_root",
    "heartbeat_dir",
    "php_error_log",
    "access_log",
    "reports_dir",
    "state_dir",
    "metrics_textfile",
    "checks_dir",
    "versions_file",
)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
PathValue = Annotated[Path, Strict(False)]  # TOML has no path type: a string is a path
# a duration key's unit by its name's ending; every duration is capped so that no later use (a
# timedelta, a timer, an SQL INTERVAL, schedule's next run) overflows
DURATION_UNITS = {"_seconds": 1, "_minutes": 60, "_hours": 3600, "_days": 86400}
MAX_DURATION_SECONDS = 10 * 366 * 86400  # ten years


def placeholder_pattern(placeholder: str):
    """A relative file name pattern below a configured folder, with `{placeholder}` and no other field."""

    def validate(value: str) -> str:
        if "{" + placeholder + "}" not in value:
            raise ValueError(f"must contain {{{placeholder}}} (got {value!r})")
        try:
            value.format(**{placeholder: "x"})
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"only {{{placeholder}}} may stand in braces (got {value!r})") from None
        if value.startswith("/") or ".." in value.split("/"):
            raise ValueError(f"must be relative to its folder, without '..' (got {value!r})")
        return value

    return Annotated[str, AfterValidator(validate)]


def _compiles(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression: {exc}") from None
    return value


RegexText = Annotated[str, AfterValidator(_compiles)]


class Section(BaseModel):
    """Base of every section: unknown keys are errors; `*_env` keys resolve to secrets. Strict types:
    TOML has its own, so `port = "3306"` or `send_on_resolved = "no"` is a mistake to name, not to guess."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, allow_inf_nan=False, defer_build=True
    )  # built at the first load: verbs without a config skip it
    _secrets: dict[str, Secret] = PrivateAttr(default_factory=dict)

    @field_validator("*")
    @classmethod
    def _duration_in_range(cls, value, info):
        unit = next((u for suffix, u in DURATION_UNITS.items() if info.field_name.endswith(suffix)), None)
        if unit and isinstance(value, (int, float)) and value * unit > MAX_DURATION_SECONDS:
            raise ValueError(f"at most ten years ({MAX_DURATION_SECONDS // unit}{_UNIT_WORD[unit]})")
        return value

    def secret(self, name: str) -> Secret | None:
        """The secret named by `<name>_env`, or None when that key is not set."""
        return self._secrets.get(name)


_UNIT_WORD = {1: " s", 60: " min", 3600: " h", 86400: " days"}
