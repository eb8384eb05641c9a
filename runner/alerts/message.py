"""One message per run grouping its notices: pure functions from events to title and text body.

The body is plain text (readable in e-mail, chat and a terminal): per check its name, what it
verifies (the docstring), what went wrong, its measurements, the report and the runbook steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from runner.alerts import runbooks
from runner.alerts.state import Event

LABEL = {
    "incident": "FAILING",
    "reminder": "STILL FAILING",
    "updated": "UPDATED",
    "degraded": "DEGRADED",
    "resolved": "RESOLVED",
    "offline": "MONITOR OFFLINE",
    "unwritable": "MONITOR CANNOT WRITE ITS REPORTS",
    "firing": "FAILING",
}
MONITOR_KINDS = ("offline", "unwritable")  # about the monitor itself: its text, no check block
ORDER = ("offline", "unwritable", "incident", "updated", "reminder", "firing", "degraded", "resolved")
STILL_OPEN = ("incident", "reminder", "updated", "firing")  # kinds that say the check is failing
MAX_MEASUREMENTS = 12


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    events: tuple[Event, ...]
    site: str = ""

    @property
    def severity(self) -> str:
        return "critical" if any(e.severity == "critical" for e in self.events) else "warning"

    @property
    def kind(self) -> str:
        """The kinds it carries, e.g. "incident+resolved" (the notifications table's kind)."""
        return "+".join(k for k in ORDER if any(e.kind == k for e in self.events))

    @property
    def tone(self) -> str:
        """failure, warning or success: the colour a chat channel gives it."""
        kinds = {e.kind for e in self.events}
        if kinds & {*MONITOR_KINDS, *STILL_OPEN}:
            return "failure"
        return "warning" if "degraded" in kinds else "success"


def compose(
    events: Iterable[Event], site: str, report_root: str = "", books: Mapping[str, runbooks.Runbook] | None = None
) -> Message:
    """The run's message; `report_root` prefixes each report path (a URL or the reports folder)."""
    events = tuple(sorted(events, key=lambda e: (ORDER.index(e.kind), e.check.get("name", e.check_id))))
    shown: set[str] = set()  # a runbook's steps are written once per message
    blocks = [describe(event, report_root, books, shown) for event in events]
    return Message(title(events, site), "\n\n".join(blocks) + "\n\n-- dija-monitor\n", events, site)


def title(events: tuple[Event, ...], site: str) -> str:
    if len(events) == 1:
        event = events[0]
        label = "COULD NOT RUN" if event.kind in ("incident", "reminder") and event.could_not_run else LABEL[event.kind]
        return f"[{label}] {site}: {_name(event)}"
    counts = {k: sum(1 for e in events if e.kind == k) for k in ORDER}
    parts = [f"{n} {LABEL[k].lower()}" for k, n in counts.items() if n]
    return f"[dija-monitor] {site}: " + ", ".join(parts)


def describe(event: Event, report_root: str = "", books=None, shown: set[str] | None = None) -> str:
    """One event's block of text."""
    check = event.check
    if event.kind in MONITOR_KINDS:
        return f"{LABEL[event.kind]} since {_when(event.since or event.raised_at)}\n{check.get('message', '')}"
    label = LABEL[event.kind]
    if event.kind in ("incident", "reminder") and event.could_not_run:
        label = f"{label} (the check could not run)"
    lines = [f"{label}: {_name(event)} [{check.get('severity', 'warning')}, {check.get('area') or 'no area'}]"]
    if event.kind == "resolved":
        lines.append(
            f"Passing again; it had been failing since {_when(event.since)} "
            f"({_duration(event.raised_at - event.since) if event.since else 'unknown'})."
        )
        return "\n".join(lines)
    if event.new_problems:
        lines.append("New since the incident was announced: " + "; ".join(event.new_problems))
    lines += _doc_lines(check)
    problem = check.get("message") or "(no message)"
    lines.append(("Could not run: " if event.could_not_run else "What is wrong: ") + problem)
    if event.since is not None and event.kind != "degraded":
        lines.append(f"Failing since: {_when(event.since)} ({_duration(event.raised_at - event.since)})")
    lines += _measurement_lines(check.get("measurements") or {})
    if check.get("report"):
        lines.append(f"Report: {_join(report_root, check['report'])}")
    if event.kind != "reminder":
        lines += _runbook_lines(check, books, set() if shown is None else shown)
    return "\n".join(lines)


def _name(event: Event) -> str:
    return event.check.get("name") or event.check_id


def _doc_lines(check: Mapping) -> list[str]:
    doc = (check.get("doc") or check.get("summary") or "").strip()
    return [f"Checks: {' '.join(doc.split())}"] if doc else []


def _measurement_lines(measurements: Mapping) -> list[str]:
    if not measurements:
        return []
    items = sorted(measurements.items())
    shown = ", ".join(f"{k}={_number(v)}" for k, v in items[:MAX_MEASUREMENTS])
    more = f" (+{len(items) - MAX_MEASUREMENTS} more)" if len(items) > MAX_MEASUREMENTS else ""
    return [f"Measurements: {shown}{more}"]


def _runbook_lines(check: Mapping, books, shown: set[str]) -> list[str]:
    book = runbooks.find(check.get("runbook"), check.get("area"), books)
    if book is None:
        return []
    if book.id in shown:
        return [f"Runbook: {book.title} (steps above)"]
    shown.add(book.id)
    return [f"Runbook ({book.title}, docs/runbooks.md#{book.id}):"] + [
        f"  {n}. {step}" for n, step in enumerate(book.steps, 1)
    ]


def _number(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _join(root: str, path: str) -> str:
    return f"{root.rstrip('/')}/{path}" if root else path


def _when(at: float | None) -> str:
    if at is None:
        return "unknown"
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _duration(seconds: float) -> str:
    minutes = int(max(seconds, 0) // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours < 48 else f"{hours // 24} days {hours % 24} h"
