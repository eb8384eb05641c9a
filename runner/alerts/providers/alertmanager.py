"""Alertmanager: `POST /api/v2/alerts`, one alert per check, as its maintainers intend.

Every open incident is posted again at each run of its check with `endsAt` = now + a lease of a
few cadence periods: a running monitor keeps it firing, a stopped one lets it expire, and
Alertmanager never resolves it on its own after `resolve_timeout`. A resolved incident is posted
with `endsAt` = now. Alertmanager groups and repeats for its receivers, so the monitor's own
reminders are not sent here (see `channels.routes`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import requests

from runner.alerts import runbooks
from runner.alerts.message import Message, describe
from runner.alerts.providers.base import Channel, DeliveryError, redact_url, scrubbed_logs
from runner.cadences import period_seconds
from runner.errors import ConfigError

DASHBOARD = "index.html"  # reports/index.html (runner.dashboard.INDEX): the link of alerts without a run report
ALERTNAMES = {"offline": "DijaMonitorOffline", "degraded": "DijaMonitorCheckDegraded"}
Lease = Callable[[str | None], float]  # a check's cadence -> seconds a firing alert stays active unless posted again


def default_lease(cadence: str | None) -> float:
    return 900.0  # 3 x the critical cadence's 5 minutes


def payload(
    message: Message,
    now: float,
    lease: Lease = default_lease,
    report_root: str = "",
    runbook_root: str = "",
    generator_url: str = "",
) -> list[dict]:
    """The JSON list Alertmanager's API takes: labels identify the alert, annotations explain it.

    `report_root`: URL (or file URI) of the reports folder; `runbook_root`: URL of runbooks.md;
    `generator_url`: the alert's link when its check has no run report (the monitor-offline notice).
    """
    alerts = []
    for event in message.events:
        check = event.check
        book = runbooks.find(check.get("runbook"), check.get("area"))
        ends = event.raised_at if event.kind == "resolved" else now + lease(check.get("cadence"))
        alert = {
            "labels": {
                "alertname": ALERTNAMES.get(event.kind, "DijaMonitorCheckFailing"),
                "check": check.get("name") or event.check_id,
                "area": check.get("area") or "",
                "severity": check.get("severity") or "warning",
                "site": message.site,
            },
            "annotations": {
                "summary": (check.get("summary") or check.get("name") or event.check_id)[:300],
                "description": describe(event)[:4000],
                "runbook_url": f"{runbook_root or 'docs/runbooks.md'}#{book.id}" if book else "",
            },
            "startsAt": _iso(event.since or event.raised_at),
            "endsAt": _iso(ends),
        }
        if check.get("report") and report_root:
            alert["generatorURL"] = f"{report_root.rstrip('/')}/{check['report']}"
        elif generator_url:
            alert["generatorURL"] = generator_url
        alerts.append(alert)
    return alerts


def report_root(base_url: str | None, reports_dir: Path) -> str:
    """Where run reports are reached from a browser: report_base_url, else the folder as a file URI."""
    return base_url or Path(reports_dir).resolve().as_uri()


class AlertmanagerChannel(Channel):
    refreshes = True  # takes the "firing" re-posts of open incidents

    def __init__(
        self,
        name: str,
        url: str,
        severities: Sequence[str],
        *,
        lease: Lease = default_lease,
        report_root: str = "",
        runbook_root: str = "",
        generator_url: str = "",
        **common,
    ):
        super().__init__(name, url.rstrip("/"), severities, **common)
        self.lease, self.report_root, self.runbook_root = lease, report_root, runbook_root
        self.generator_url = generator_url

    @classmethod
    def options(cls, settings, clock) -> dict:
        """The lease from the schedule, absolute links from report_base_url and runbook_base_url."""
        alerts = settings.alerts

        def lease(cadence: str | None) -> float:
            return alerts.alertmanager_lease_intervals * period_seconds(settings.schedule, cadence)

        root = report_root(alerts.report_base_url, settings.reports_dir())
        return {
            "lease": lease,
            "report_root": root,
            "runbook_root": runbooks.public_url(alerts),
            "generator_url": f"{root.rstrip('/')}/{DASHBOARD}",
        }

    def validate(self) -> None:
        if not self._url.startswith(("http://", "https://")):
            raise ConfigError(self.source, [f"{self.key}.url: an Alertmanager URL starts with http:// or https://"])

    def send(self, message: Message) -> None:
        where = redact_url(self._url)
        alerts = payload(message, self.clock(), self.lease, self.report_root, self.runbook_root, self.generator_url)
        try:
            with scrubbed_logs(self._url):
                response = requests.post(f"{self._url}/api/v2/alerts", json=alerts, timeout=self.timeout)
        except requests.Timeout:
            raise DeliveryError(
                f"{where}: no answer within {self.timeout:g} s (alerts.delivery_timeout_seconds)"
            ) from None
        except requests.RequestException as exc:  # the type only: the text would repeat the URL
            raise DeliveryError(f"{where}: {type(exc).__name__}") from None
        if response.status_code >= 300:
            permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
            raise DeliveryError(f"{where}: HTTP {response.status_code}", permanent=permanent)


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
