"""The two post-run pipeline steps over the alerts and dashboard packages: alerts, then dashboard
(+ status page, metrics textfile).

Both take the run's settings, the open history store and the RunResult (run_dir, checks), and
run after the results are stored.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from runner.alerts import disk, runbooks
from runner.alerts.engine import AlertReport, alert_run
from runner.alerts.lock import AlertLock
from runner.dashboard import write_dashboard
from runner.statuspage import write_status_page

log = logging.getLogger(__name__)


def alerts_step(settings, store, result, now: float | None = None) -> AlertReport:
    """Advance alert state with the run's records and deliver what is due (held in maintenance); one
    run's alert step at a time per history. A run whose folder could not be written says so."""
    now = time.time() if now is None else now
    run_dir = None if result.unwritable else Path(result.run_dir)  # no report to link to
    with AlertLock(Path(store.path).parent):
        report = alert_run(settings, store, list(result.checks), run_dir=run_dir, now=now)
        if result.unwritable:
            disk.tell_unwritable(settings, store, result.unwritable, list(result.checks), report, now)
        else:
            disk.writable_again(store)
    failed = [d for d in report.deliveries if not d["ok"]]
    log.info("alerts: %s, %d notice(s), %d delivery failure(s)", report.status, len(report.events), len(failed))
    return report


def dashboard_step(settings, store, result=None, now: float | None = None) -> Path:
    """Regenerate reports/index.html and the public status page next to it; write the Prometheus
    textfile when alerts.metrics_textfile is set."""
    now = time.time() if now is None else now
    path = write_dashboard(store, settings, now)
    write_status_page(store, settings, path.parent, now)
    if settings.alerts.report_base_url and not settings.alerts.runbook_base_url:
        runbooks.publish(settings.reports_dir())  # alert links point at <report_base_url>/runbooks.md
    if settings.alerts.metrics_textfile:
        from runner import metrics  # prometheus_client: only where the textfile is wanted

        metrics.write_textfile(store.path, settings.alerts.metrics_textfile, settings.slo)
    return path
