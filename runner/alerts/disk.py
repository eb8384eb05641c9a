"""Alerts go out when the monitor cannot write its reports (a full or read-only disk).

- History usable, run folder not: the alert step runs as always, plus one "monitor cannot write
  its reports" notice per spell (remembered in the history's meta), listing the failing checks.
- History unusable: alert state is read where it can be (read-only) and advanced in memory, not
  saved; every channel gets the notice with the run's failing checks, at every run until the disk
  is fixed (nothing can remember that it was sent).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from pathlib import Path

from runner.alerts.engine import AlertReport, alert_run, deliver
from runner.alerts.state import FAILING, Event
from runner.records import CheckRecord

log = logging.getLogger(__name__)
UNWRITABLE_KEY = "reports_unwritable"
NAME = "monitor cannot write its reports"


def notice(reason: str, records: list[CheckRecord], since: float, now: float) -> Event:
    """The notice: the cause, what it means, and the run's failing checks."""
    failing = [r for r in records if r["outcome"] in FAILING]
    lines = [
        f"{NAME}: {reason}.",
        "Checks still run and alerts still go out; history, run reports and the dashboard are not "
        "updated until it can write again.",
    ]
    lines += ["Failing checks in this run:" if failing else "No check failed in this run."]
    lines += [f"  - {r.get('name') or r['id']}: {' '.join(str(r.get('message', '')).split())[:300]}" for r in failing]
    return Event(
        "unwritable", "monitor", now, {"name": NAME, "severity": "critical", "message": "\n".join(lines)}, since=since
    )


def tell_unwritable(settings, store, reason: str, records: list[CheckRecord], report: AlertReport, now: float) -> None:
    """The run folder could not be written, the history can: notify once per spell."""
    status = store.get_meta(UNWRITABLE_KEY) or {"since": now, "notified": False}
    if not status["notified"] and report.status != "held":
        event = notice(reason, records, status["since"], now)
        report.events.append(event)
        deliver(settings, store, {}, [event], now, report)
        sent = [d["ok"] for d in report.deliveries if d["kind"] == "unwritable"]
        status["notified"] = bool(sent) and all(sent)  # else again at the next run
    store.set_meta(UNWRITABLE_KEY, status)


def writable_again(store) -> None:
    if store.get_meta(UNWRITABLE_KEY):
        log.warning("the monitor can write its reports again")
        store.set_meta(UNWRITABLE_KEY, None)


def alert_without_history(
    settings, history: Path, reason: str, records: list[CheckRecord], now: float | None = None
) -> AlertReport:
    """The history cannot be written: advance alert state from what can be read (not saved) and
    tell every channel, with the failing checks."""
    now = time.time() if now is None else now
    store = ReadOnlyHistory(history)
    try:
        report = alert_run(settings, store, records, now=now)
        if report.status not in ("held", "disabled"):
            event = notice(reason, records, now, now)
            report.events.append(event)
            deliver(settings, store, {}, [event], now, report)
    finally:
        store.close()
    return report


class ReadOnlyHistory:
    """The store's alert interface over a history that cannot be written: reads what it can (nothing
    when even reading fails), drops every write."""

    def __init__(self, path: Path):
        self.db = None
        for mode in ("mode=ro", "immutable=1"):  # a WAL history on a read-only disk opens only as immutable
            try:
                self.db = sqlite3.connect(f"file:{path}?{mode}", uri=True, timeout=5)
                self.db.execute("SELECT 1 FROM alert_state LIMIT 1")
                return
            except sqlite3.Error as exc:
                self.close()
                problem = exc
        log.warning("history %s unreadable (%s): alert state starts empty", path, problem)

    def _rows(self, query: str, *args) -> list:
        try:
            return self.db.execute(query, args).fetchall() if self.db else []
        except sqlite3.Error:
            return []

    def alert_states(self) -> dict[str, dict]:
        return {row[0]: json.loads(row[1]) for row in self._rows("SELECT check_id, state FROM alert_state")}

    def get_meta(self, key: str, default=None):
        rows = self._rows("SELECT value FROM meta WHERE key=?", key)
        return json.loads(rows[0][0]) if rows else default

    def set_meta(self, key, value) -> None:
        pass

    def save_alert_states(self, states) -> None:
        pass

    def record_notification(self, *args, **kwargs) -> None:
        pass

    def close(self) -> None:
        db, self.db = self.db, None
        if db is not None:
            db.close()
