"""Maintenance windows: checks run and are recorded, notifications are held.

Windows come from the config (one-off: start/end; recurring: days + from_time/to_time in a
time zone) and from `dija-monitor maintenance start --for 30m`, kept in the store's meta.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from runner.config.base import MAX_DURATION_SECONDS
from runner.errors import UsageError

META_KEY = "maintenance"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(r"^(?P<n>\d+(?:\.\d+)?)(?P<unit>[smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_MANUAL_DAYS = 30  # a longer hold needs --force: a typo must not mute alerts for years


def parse_duration(text: str, force: bool = False) -> float:
    """'30m', '2h', '1d', '90s' → seconds; at most 30 days (ten years with `force`)."""
    match = _DURATION.match(text.strip().lower())
    if not match or float(match["n"]) <= 0:
        raise UsageError(f"--for {text!r}: expected a duration like 30m, 2h or 1d")
    seconds = float(match["n"]) * _UNIT[match["unit"]]
    if seconds > MAX_DURATION_SECONDS:
        raise UsageError(f"--for {text!r}: longer than ten years")
    if seconds > MAX_MANUAL_DAYS * 86400 and not force:
        raise UsageError(f"--for {text!r}: longer than {MAX_MANUAL_DAYS} days; add --force to hold alerts that long")
    return seconds


def window_span(window, now: float) -> tuple[float, float] | None:
    """The (start, end) of this config window that contains `now`, or None."""
    if window.start is not None:
        start, end = _epoch(window.start), _epoch(window.end)
        return (start, end) if start <= now < end else None
    zone = ZoneInfo(window.timezone)  # validated when the config loads
    local = datetime.fromtimestamp(now, zone)
    begin, finish = _clock(window.from_time), _clock(window.to_time)
    length = (finish - begin) % timedelta(days=1) or timedelta(days=1)
    for days_back in (0, 1):
        day = (local - timedelta(days=days_back)).date()
        if window.days and WEEKDAYS[day.weekday()] not in window.days:
            continue
        start = datetime.combine(day, datetime.min.time(), zone) + begin
        if start.timestamp() <= now < (start + length).timestamp():
            return start.timestamp(), (start + length).timestamp()
    return None


def active(windows, manual: dict | None, now: float) -> dict | None:
    """The maintenance in force at `now`: {"until", "reason", "source"}, or None."""
    if manual and manual.get("start", 0) <= now < manual.get("until", 0):
        return {"until": manual["until"], "reason": manual.get("reason", ""), "source": "manual"}
    for index, window in enumerate(windows):
        span = window_span(window, now)
        if span:
            return {"until": span[1], "reason": window.reason, "source": f"alerts.maintenance[{index}]"}
    return None


def manual_window(now: float, seconds: float, reason: str = "") -> dict:
    return {"start": now, "until": now + seconds, "reason": reason}


def _clock(hhmm: str) -> timedelta:
    hours, minutes = hhmm.split(":")
    return timedelta(hours=int(hours), minutes=int(minutes))


def _epoch(value: datetime) -> float:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
