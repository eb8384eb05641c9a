"""Prometheus exposition of the history: a textfile for node_exporter, or `/metrics` over HTTP.

A custom collector reads the store at each collection (its own connection, so it works from
the HTTP server's thread), registered in its own CollectorRegistry, never the global one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from pathlib import Path

from prometheus_client import CollectorRegistry, start_http_server, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from runner.config.publishing import Slo
from runner.dashboard.slo import objectives
from runner.errors import MonitorError
from runner.metricnames import expose
from runner.records import CheckStatus
from runner.store import Store

log = logging.getLogger(__name__)
OUTCOMES = ("pass", "degraded", "fail", "error", "skipped")
DAY = 86400.0


class StoreCollector:
    def __init__(self, store_path: Path, slo: Slo | None = None, clock=time.time):
        self.store_path = Path(store_path)
        self.slo = slo or Slo()
        self.clock = clock

    def collect(self):
        with Store(self.store_path) as store:
            checks = store.latest_states()
            measurements = _latest_measurements(store)
            scheduler = store.get_meta("scheduler") or {}
            runs = store.db.execute(
                "SELECT label, MAX(finished_at) FROM runs WHERE finished_at IS NOT NULL GROUP BY label"
            ).fetchall()
            slos = objectives(store, self.slo, self.clock())
            totals = store.totals()
        yield from _slo_families(slos, self.slo.window_days)
        yield from _check_families(checks)
        yield from _measurement_families(checks, measurements)
        yield from _counter_families(totals)
        last_loop = GaugeMetricFamily(
            "dija_scheduler_last_loop_timestamp_seconds", "When the scheduler's loop last ran (absent: no scheduler)"
        )
        if scheduler.get("last_loop"):
            last_loop.add_metric([], float(scheduler["last_loop"]))
        yield last_loop
        last_run = GaugeMetricFamily(
            "dija_last_run_timestamp_seconds", "When a run of this cadence last finished", labels=["cadence"]
        )
        for label, at in runs:
            last_run.add_metric([label], at)
        yield last_run


def _check_families(checks: list[CheckStatus]):
    labels = ["check", "area", "severity"]
    status = GaugeMetricFamily(
        "dija_check_status", "1 for the check's current outcome, 0 for the others", labels=[*labels, "outcome"]
    )
    up = GaugeMetricFamily("dija_check_up", "1 when the newest result is pass or degraded", labels=labels)
    duration = GaugeMetricFamily("dija_check_duration_seconds", "Duration of the newest result", labels=labels)
    last = GaugeMetricFamily(
        "dija_check_last_result_timestamp_seconds", "When the newest result was taken", labels=labels
    )
    for check in checks:
        if check["outcome"] is None:
            continue
        values = [check["name"], check["area"] or "", check["severity"] or ""]
        for outcome in OUTCOMES:
            status.add_metric([*values, outcome], 1.0 if check["outcome"] == outcome else 0.0)
        up.add_metric(values, 1.0 if check["outcome"] in ("pass", "degraded") else 0.0)
        if check["duration"] is not None:
            duration.add_metric(values, check["duration"])
        last.add_metric(values, check["at"])
    return [status, up, duration, last]


def _slo_families(slos: list, window_days: float):
    window = f"over the last {window_days:g} days"
    target = GaugeMetricFamily("dija_slo_target_ratio", "The objective: share of good events to reach", labels=["slo"])
    attained = GaugeMetricFamily("dija_slo_attainment_ratio", f"Share of good events {window}", labels=["slo"])
    budget = GaugeMetricFamily(
        "dija_slo_error_budget_remaining_ratio",
        f"Share of the error budget not spent {window} (negative: overspent)",
        labels=["slo"],
    )
    events = GaugeMetricFamily(
        "dija_slo_window_events", f"Events the attainment is computed from, {window}", labels=["slo"]
    )
    for objective in slos:
        target.add_metric([objective.key], round(objective.target / 100, 9))
        events.add_metric([objective.key], objective.events)
        if objective.attained is not None:
            attained.add_metric([objective.key], objective.attained / 100)
            budget.add_metric([objective.key], objective.budget_left / 100)
    return [target, attained, budget, events]


def _measurement_families(checks: list[CheckStatus], measurements: dict):
    """One gauge per measurement name in base units, the item (`[/cart]`) in a label named for it."""
    samples = defaultdict(list)
    expiry = GaugeMetricFamily(
        "dija_certificate_expiry_timestamp_seconds",
        "When the certificate expires (from a check's days_left measurement)",
        labels=["check", "item"],
    )
    by_id = {c["check_id"]: c for c in checks}
    for (check_id, name), (value, at) in sorted(measurements.items()):
        check = by_id.get(check_id)
        if check is None:
            continue
        exposed = expose(name)
        samples[exposed.metric].append((check, exposed, value))
        if name.partition("[")[0] == "days_left" and (check["area"] == "tls" or "cert" in check["name"]):
            expiry.add_metric([check["name"], exposed.item], at + value * DAY)
    for metric, rows in samples.items():
        item_label = [rows[0][1].label] if any(exposed.item for _, exposed, _ in rows) else []
        family = GaugeMetricFamily(
            metric, f"dija-monitor measurement {metric[17:]}", labels=["check", "area", *item_label]
        )
        for check, exposed, value in rows:
            family.add_metric(
                [check["name"], check["area"] or "", *([exposed.item] if item_label else [])], exposed.value(value)
            )
        yield family
    yield expiry


def _counter_families(totals: dict):
    """Counters from the history (pruned rows stay counted): check results by outcome, notices by result."""
    runs = CounterMetricFamily("dija_check_runs", "Check results recorded, by outcome", labels=["outcome"])
    for outcome in OUTCOMES:
        runs.add_metric([outcome], totals["results"].get(outcome, 0))
    notices = CounterMetricFamily(
        "dija_notifications",
        "Notification attempts by channel and result (delivered, failed: retried at the next run, rejected: given up)",
        labels=["channel", "result"],
    )
    for (channel, result), count in sorted(totals["notifications"].items()):
        notices.add_metric([channel, result], count)
    return [runs, notices]


def _latest_measurements(store: Store) -> dict[tuple[str, str], tuple[float, float]]:
    """(check, measurement) → (value, taken at) from each check's newest counted result."""
    rows = store.db.execute(
        """SELECT c.check_id, m.name, m.value, r.at FROM checks c
           JOIN results r ON r.id = (SELECT id FROM results WHERE check_id = c.check_id AND outcome != 'skipped'
                                     ORDER BY at DESC, id DESC LIMIT 1)
           JOIN measurements m ON m.result_id = r.id"""
    ).fetchall()
    return {(check_id, name): (value, at) for check_id, name, value, at in rows}


def registry(store_path: Path, slo: Slo | None = None, clock=time.time) -> CollectorRegistry:
    reg = CollectorRegistry(auto_describe=False)
    reg.register(StoreCollector(store_path, slo, clock))
    return reg


def write_textfile(store_path: Path, path: Path, slo: Slo | None = None, clock=time.time) -> Path:
    """Write the exposition atomically (node_exporter's textfile collector reads *.prom)."""
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_to_textfile(str(path), registry(store_path, slo, clock))
    except OSError as exc:
        raise MonitorError(f"metrics textfile {path}: {exc.strerror}") from None
    return Path(path)


def serve(store_path: Path, port: int, addr: str = "127.0.0.1", slo: Slo | None = None):
    """Serve /metrics in a background thread; returns (server, thread): call server.shutdown() to stop."""
    try:
        return start_http_server(port, addr=addr, registry=registry(store_path, slo))
    except OSError as exc:
        raise MonitorError(f"serve-metrics: cannot listen on {addr}:{port}: {exc.strerror}") from None


def serve_forever(
    store_path: Path, port: int, addr: str, stop: threading.Event, on_ready=None, slo: Slo | None = None
) -> None:
    """Serve until `stop` is set; `on_ready()` is called once the port listens."""
    server, thread = serve(store_path, port, addr, slo)
    log.info("serving metrics on http://%s:%d/metrics", addr, port)
    if on_ready:
        on_ready()
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
