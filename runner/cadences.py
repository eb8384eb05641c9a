"""When each cadence runs: its `schedule` job, and when it is due (for `schedule --once` under
cron, and to catch up on runs missed while the daemon was down).

Times are naive local time, like `schedule`'s. `schedule` has no monthly unit: the monthly
cadence is a daily job at `monthly_at` that acts only on `monthly_day`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import schedule

from runner.config import Schedule

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DUE_SLACK = 0.1  # an interval cadence is due after 90 % of its interval (cron and run start times wobble)
CRITICAL_EVERY_MINUTES = {True: 1, False: 5}  # by schedule.warm: a warm run costs a fraction of a cold one


def interval_seconds(spec: Schedule, cadence: str) -> float | None:
    """The interval of a cadence that runs every N seconds; None for clock-time cadences."""
    if cadence == "critical":
        return spec.critical_every_seconds or (spec.critical_every_minutes or CRITICAL_EVERY_MINUTES[spec.warm]) * 60
    if cadence == "hourly":
        return spec.hourly_every_seconds
    return None


NOMINAL_SECONDS = {"critical": 300, "hourly": 3600, "daily": 86400, "weekly": 7 * 86400, "monthly": 31 * 86400}


def period_seconds(spec: Schedule, cadence: str | None) -> float:
    """About how long between two runs of a cadence (the critical one when unknown)."""
    return interval_seconds(spec, cadence or "critical") or NOMINAL_SECONDS.get(cadence or "", 300)


def add_job(
    scheduler: schedule.Scheduler,
    spec: Schedule,
    cadence: str,
    launch: Callable[[str], object],
    today: Callable[[], datetime],
) -> schedule.Job:
    """Schedule `launch(cadence)` at the cadence's times; `today()` is the clock for the monthly day."""
    seconds = interval_seconds(spec, cadence)
    if seconds:
        return scheduler.every(seconds).seconds.do(launch, cadence).tag(cadence)
    if cadence == "hourly":
        return scheduler.every().hour.at(f":{spec.hourly_at_minute:02d}").do(launch, cadence).tag(cadence)
    if cadence == "daily":
        return scheduler.every().day.at(spec.daily_at).do(launch, cadence).tag(cadence)
    if cadence == "weekly":
        return getattr(scheduler.every(), spec.weekly_day).at(spec.weekly_at).do(launch, cadence).tag(cadence)
    if cadence == "monthly":

        def on_the_day() -> None:
            if today().day == spec.monthly_day:
                launch(cadence)

        return scheduler.every().day.at(spec.monthly_at).do(on_the_day).tag(cadence)
    raise ValueError(f"unknown cadence {cadence!r}")


def previous_occurrence(spec: Schedule, cadence: str, now: datetime) -> datetime:
    """The latest time at or before `now` when the cadence should have started."""
    seconds = interval_seconds(spec, cadence)
    if seconds:
        return now - timedelta(seconds=seconds * (1 - DUE_SLACK))
    if cadence == "hourly":
        at = now.replace(minute=spec.hourly_at_minute, second=0, microsecond=0)
        return at if at <= now else at - timedelta(hours=1)
    if cadence == "daily":
        at = _at(now, spec.daily_at)
        return at if at <= now else at - timedelta(days=1)
    if cadence == "weekly":
        at = _at(now, spec.weekly_at) - timedelta(days=(now.weekday() - WEEKDAYS.index(spec.weekly_day)) % 7)
        return at if at <= now else at - timedelta(days=7)
    if cadence == "monthly":
        at = _at(now, spec.monthly_at).replace(day=spec.monthly_day)
        if at > now:
            last_month = at.replace(day=1) - timedelta(days=1)
            at = at.replace(year=last_month.year, month=last_month.month)
        return at
    raise ValueError(f"unknown cadence {cadence!r}")


def is_due(spec: Schedule, cadence: str, last_started: float | None, now: datetime) -> bool:
    """Never run, or last started before the cadence's latest occurrence."""
    if last_started is None:
        return True
    return datetime.fromtimestamp(last_started) < previous_occurrence(spec, cadence, now)


def _at(day: datetime, hh_mm: str) -> datetime:
    hour, minute = map(int, hh_mm.split(":"))
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)
