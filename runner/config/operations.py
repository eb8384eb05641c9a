"""Sections describing the monitor itself: runner, schedule, alerts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from runner.config.base import CADENCES, CLOCK, Cadence, PathValue, Section, Severity, Weekday


class Runner(Section):
    reports_dir: PathValue | None = None  # default: ./reports
    state_dir: PathValue | None = None  # default: <reports_dir>/state
    checks_dir: PathValue | None = None  # default: the checks shipped with the project (runner.execute.CHECKS_DIR)
    check_timeout_seconds: float = Field(default=360, gt=0)  # above thresholds.email_fail_seconds
    run_timeout_seconds: float = Field(default=1800, gt=0)  # the whole pytest run, then it is killed
    workers: int = Field(default=1, ge=1, le=64)  # > 1: pytest-xdist with this many processes
    history_days: float = Field(default=400, gt=0)


class Schedule(Section):
    """When `dija-monitor schedule` runs each cadence (local time). `*_every_seconds` overrides
    the minutes for tests and benchmarks."""

    critical_every_minutes: float | None = Field(default=None, gt=0)  # default 1 with `warm`, else 5
    critical_every_seconds: float | None = Field(default=None, ge=1)
    hourly_at_minute: int = Field(default=0, ge=0, le=59)
    hourly_every_seconds: float | None = Field(default=None, ge=1)
    daily_at: str = Field(default="02:00", pattern=CLOCK)
    weekly_day: Weekday = "sunday"
    weekly_at: str = Field(default="04:00", pattern=CLOCK)
    monthly_day: int = Field(default=1, ge=1, le=28)
    monthly_at: str = Field(default="05:00", pattern=CLOCK)
    cadences: list[Cadence] = Field(default_factory=lambda: list(CADENCES))
    jitter_seconds: float = Field(default=0, ge=0, le=3600)
    heartbeat_url: str | None = Field(default=None, pattern=r"^https?://")
    heartbeat_url_env: str | None = None  # or the URL from a variable (its UUID is a credential)
    heartbeat_fail_on: Literal["error", "failure"] = "error"  # runner errors only, or failed checks too
    watch_every_seconds: float = Field(default=60, ge=1)  # verify --watch: the gate's critical checks
    watch_gate_every_seconds: float = Field(default=900, ge=1)  # verify --watch: every gate check (checkout, ...)
    warm: bool = True  # the daemon runs each cadence in a child forked from a warm parent (runner.warm)
    recheck_pending_seconds: float = Field(default=15, ge=0, le=3600)  # a pending check: run again (0: off)


# -- alerts --------------------------------------------------------------------------------------


class AlertPolicy(Section):
    """When a check's failures become an alert: overridable per cadence, by the alert(...) marker, per check."""

    failure_threshold: int | None = Field(default=None, ge=1)  # consecutive confirmed failing runs
    success_threshold: int | None = Field(default=None, ge=1)  # consecutive passing runs
    reminder_interval_minutes: float | None = Field(default=None, ge=0)  # 0: no reminders (default 60)
    send_on_resolved: bool | None = None  # default true
    notify_degraded: bool | None = None  # default false


class AlertChannel(Section):
    type: str = "apprise"  # a key of runner.alerts.providers.PROVIDERS, checked when the config loads
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
    from_time: str | None = Field(default=None, pattern=CLOCK)
    to_time: str | None = Field(default=None, pattern=CLOCK)
    timezone: str = "UTC"
    reason: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {name!r} (an IANA name such as Africa/Lagos)") from None
        return name

    @model_validator(mode="after")
    def _one_form(self):
        one_off, recurring = self.start is not None or self.end is not None, self.from_time or self.to_time
        if one_off == bool(recurring):
            raise ValueError("give either start and end, or from_time and to_time (with optional days)")
        if one_off and (self.start is None or self.end is None or _utc(self.end) <= _utc(self.start)):
            raise ValueError("a one-off window needs start < end")
        if recurring and not (self.from_time and self.to_time):
            raise ValueError("a recurring window needs from_time and to_time")
        return self


def _utc(value: datetime) -> datetime:
    """A naive date-time is UTC (as the maintenance check reads it), so naive and aware ones compare."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Alerts(AlertPolicy):
    enabled: bool = True
    failure_threshold: int = Field(default=2, ge=1)  # the counting cadences (critical, hourly)
    success_threshold: int = Field(default=2, ge=1)  # daily, weekly, monthly: 1 (see [alerts.cadences])
    reminder_interval_minutes: float = Field(default=60, ge=0)
    send_on_resolved: bool = True
    notify_degraded: bool = False
    cadences: dict[Cadence, AlertPolicy] = Field(default_factory=dict)  # per cadence, over the defaults
    checks: dict[str, AlertPolicy] = Field(default_factory=dict)  # key: check name or id
    retries: int = Field(default=1, ge=0, le=5)  # a failing or erroring check is run again at once
    retry_delay_seconds: float = Field(default=1, ge=0, le=60)
    channels: list[AlertChannel] = Field(default_factory=list)
    maintenance: list[MaintenanceWindow] = Field(default_factory=list)
    canary_url: str | None = Field(default=None, pattern=r"^https?://")
    canary_timeout_seconds: float = Field(default=5, gt=0, le=60)
    delivery_timeout_seconds: float = Field(default=10, gt=0, le=120)  # per channel: connect, then each read
    report_base_url: str | None = Field(default=None, pattern=r"^https?://")  # links in alerts
    runbook_base_url: str | None = Field(default=None, pattern=r"^https?://")  # where docs/runbooks.md is served
    alertmanager_lease_intervals: float = Field(default=3, ge=1, le=100)  # endsAt = now + this × cadence
    metrics_textfile: PathValue | None = None  # Prometheus textfile written after each run
