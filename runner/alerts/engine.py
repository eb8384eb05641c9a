"""The alert step of a run: canary, state machine, maintenance, delivery, with the store and clock passed in.

`alert_run(settings, store, records, run_dir=..., now=...)` is what the pipeline calls after
the run's results are stored.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import requests

from runner import maintenance
from runner.alerts import channels as channels_module
from runner.alerts import message as message_module
from runner.alerts import policy as policy_module
from runner.alerts.providers import DeliveryError, redact_url
from runner.alerts.state import AlertState, Event, acknowledge, firing, transition
from runner.records import CheckRecord
from runner.secrets import Scrubber

log = logging.getLogger(__name__)
CANARY_KEY = "canary"


@dataclass
class AlertReport:
    """What the alert step did (for the CLI, the logs and the tests)."""

    status: str  # delivered | quiet | held | inconclusive | disabled
    events: list[Event] = field(default_factory=list)
    deliveries: list[dict] = field(default_factory=list)  # {"channel", "kind", "ok", "error", "size"}
    maintenance: dict | None = None


def probe(url: str, timeout: float) -> bool:
    """Can the monitor reach the outside world? Any HTTP answer below 500 says yes."""
    try:
        return requests.get(url, timeout=timeout, allow_redirects=False).status_code < 500
    except requests.RequestException:
        return False


def alert_run(
    settings, store, records: list[CheckRecord], *, run_dir: Path | None = None, now: float | None = None, canary=probe
) -> AlertReport:
    """Advance alert state with this run's records and deliver what is due. Never raises for delivery."""
    now = time.time() if now is None else now
    alerts = settings.alerts
    if not alerts.enabled:
        return AlertReport("disabled")
    held = maintenance.active(alerts.maintenance, store.get_meta(maintenance.META_KEY), now)
    if alerts.canary_url and not canary(alerts.canary_url, alerts.canary_timeout_seconds):
        return _offline(settings, store, now, held)
    if store.get_meta(CANARY_KEY):
        log.warning("monitor online again (canary %s reachable)", redact_url(alerts.canary_url or ""))
        store.set_meta(CANARY_KEY, None)
    previous = {k: AlertState.from_json(v) for k, v in store.alert_states().items()}
    records = [_with_report(r, settings, run_dir) for r in records]
    known = [s.last for s in previous.values() if s.last.get("id")] + records  # this run's records win
    states, events = transition(previous, records, policy_module.policies(alerts, known), now)
    if held:
        log.info("maintenance (%s) until %s: %d notice(s) held", held["source"], held["until"], len(events))
        store.save_alert_states(_changed(previous, states))
        return AlertReport("held", events, maintenance=held)
    report = AlertReport("delivered" if events else "quiet", events)
    refresh = firing(states, records, now)  # open incidents re-posted to Alertmanager with a new lease
    if events or refresh:
        states = deliver(settings, store, states, events + refresh, now, report)
    store.save_alert_states(_changed(previous, states))
    return report


def deliver(settings, store, states: dict, events: list[Event], now: float, report: AlertReport) -> dict:
    """Send each channel one message with the events routed to it and not yet taken by it; acknowledge."""
    channels, problems, secrets = channels_module.build(settings, clock=lambda: now)
    for problem in problems:
        log.error("alert channel left out: %s", problem)
        store.record_notification(problem.split(":", 1)[0], "config", [], False, True, problem, at=now)
    scrub = Scrubber([*settings.secret_values(), *secrets])
    took = {e.key + e.check_id: set() for e in events}
    gave_up = {e.key + e.check_id: set() for e in events}
    for channel in channels:
        due = [e for e in events if channels_module.routes(e, channel) and channel.name not in e.delivered]
        noticed = {e.check_id for e in due if e.kind != "firing"}  # a notice already carries the alert
        due = [e for e in due if e.kind != "firing" or e.check_id not in noticed]
        if not due:
            continue
        ok, permanent = _send(channel, due, settings, scrub, store, now, report)
        for event in due:
            if ok or permanent:
                (took if ok else gave_up)[event.key + event.check_id].add(channel.name)
    for event in events:
        routed = [c.name for c in channels if channels_module.routes(event, c)]
        tag = event.key + event.check_id
        if event.check_id in states and event.kind != "firing":
            states[event.check_id] = acknowledge(states[event.check_id], event, took[tag], gave_up[tag], routed, now)
    return states


def _send(channel, events: list[Event], settings, scrub, store, now: float, report: AlertReport):
    msg = compose(events, settings)
    msg = replace(msg, title=scrub(msg.title), body=scrub(msg.body))
    error, permanent = "", False
    try:
        channel.send(msg)
    except DeliveryError as exc:
        error, permanent = scrub(str(exc)), exc.permanent
        log.warning(
            "alert not delivered to %s (%s): %s", channel.name, "permanent" if permanent else "will retry", error
        )
    store.record_notification(
        channel.name, msg.kind, sorted({e.check_id for e in events}), not error, permanent, error, at=now
    )
    report.deliveries.append(
        {
            "channel": channel.name,
            "kind": msg.kind,
            "ok": not error,
            "error": error,
            "size": len(msg.title) + len(msg.body),
            "title": msg.title,
        }
    )
    return not error, permanent


def compose(events: list[Event], settings) -> message_module.Message:
    root = settings.alerts.report_base_url or str(settings.reports_dir())
    return message_module.compose(events, _site(settings), root)


def _offline(settings, store, now: float, held) -> AlertReport:
    """The canary is unreachable: say so once, advance nothing."""
    status = store.get_meta(CANARY_KEY) or {"since": now, "notified": False}
    report = AlertReport("inconclusive", maintenance=held)
    log.warning(
        "run inconclusive: canary %s unreachable; alert state not advanced", redact_url(settings.alerts.canary_url)
    )
    if not status["notified"] and not held:
        text = (
            f"The monitor cannot reach its connectivity canary ({redact_url(settings.alerts.canary_url)}). "
            "Check results are recorded but no alerts are raised until it is reachable again."
        )
        event = Event(
            "offline",
            "monitor",
            now,
            {"name": "monitor offline", "severity": "critical", "message": text},
            since=status["since"],
        )
        report.events = [event]
        deliver(settings, store, {}, [event], now, report)
        status["notified"] = True
    store.set_meta(CANARY_KEY, status)
    return report


def _with_report(record: CheckRecord, settings, run_dir: Path | None) -> CheckRecord:
    if run_dir is None:
        return record
    report = Path(run_dir) / "report.html"
    try:
        path = report.resolve().relative_to(settings.reports_dir().resolve()).as_posix()
    except ValueError:
        path = str(report)
    return {**record, "report": path}


def _changed(previous: dict, states: dict) -> dict[str, dict]:
    return {k: s.to_json() for k, s in states.items() if previous.get(k) != s}


def _site(settings) -> str:
    return urlsplit(settings.site.base_url).hostname or settings.site.base_url
