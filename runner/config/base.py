"""The base of every config section and the values shared by sections."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, PrivateAttr, Strict

from runner.secrets import Secret

DEFAULT_CONFIG = "monitor.toml"
CONFIG_ENV = "DIJA_MONITOR_CONFIG"
Cadence = Literal["critical", "hourly", "daily", "weekly", "monthly"]
Severity = Literal["critical", "warning"]
CADENCES: tuple[str, ...] = ("critical", "hourly", "daily", "weekly", "monthly")
SEVERITIES: tuple[str, ...] = ("critical", "warning")
IDENTIFIER = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
OPTIONAL_IDENTIFIER = r"^([A-Za-z_][A-Za-z0-9_]{0,63})?$"  # "" = the shop has none
COLUMN = r"^[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}$"
RELATION = r"^[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63} *-> *[A-Za-z_][A-Za-z0-9_]{0,63}\.[A-Za-z_][A-Za-z0-9_]{0,63}$"
PATH_KEYS = ("ca_bundle", "env_file", "dir", "offsite_dir", "web_root", "heartbeat_dir",
              "php_error_log", "access_log", "reports_dir", "state_dir", "metrics_textfile", "checks_dir",
              "versions_file")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CLOCK = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
PathValue = Annotated[Path, Strict(False)]  # TOML has no path type: a string is a path


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

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
    _secrets: dict[str, Secret] = PrivateAttr(default_factory=dict)

    def secret(self, name: str) -> Secret | None:
        """The secret named by `<name>_env`, or None when that key is not set."""
        return self._secrets.get(name)
