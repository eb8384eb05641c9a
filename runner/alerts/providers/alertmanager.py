"""Alertmanager: `POST /api/v2/alerts` with one alert per check; resolved ones carry endsAt."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

import requests

from runner.alerts import runbooks
from runner.alerts.message import Message, describe
from runner.alerts.providers.base import DeliveryError, redact_url, scrubbed_logs
from runner.errors import ConfigError

TIMEOUT = 10  # seconds; alerts.delivery_timeout_seconds


def payload(message: Message, generator_url: str = "") -> list[dict]:
    """The JSON list Alertmanager's API takes: labels identify the alert, annotations explain it."""
    alerts = []
    for event in message.events:
        check = event.check
        book = runbooks.find(check.get("runbook"), check.get("area"))
        alert = {
            "labels": {"alertname": "DijaMonitorCheckFailing" if event.kind != "offline" else "DijaMonitorOffline",
                       "check": check.get("name") or event.check_id, "area": check.get("area") or "",
                       "severity": check.get("severity") or "warning"},
            "annotations": {"summary": (check.get("summary") or check.get("name") or event.check_id)[:300],
                            "description": describe(event)[:4000],
                            "runbook": f"docs/runbooks.md#{book.id}" if book else ""},
            "startsAt": _iso(event.since or event.raised_at),
        }
        if event.kind == "degraded":
            alert["labels"]["alertname"] = "DijaMonitorCheckDegraded"
        if event.kind == "resolved":
            alert["endsAt"] = _iso(event.raised_at)
        if generator_url:
            alert["generatorURL"] = generator_url
        alerts.append(alert)
    return alerts


class AlertmanagerChannel:
    def __init__(self, name: str, url: str, key: str, source: str = "config", generator_url: str = "",
                 timeout: float = TIMEOUT):
        self.name, self._url, self.key, self.source = name, url.rstrip("/"), key, source
        self.generator_url, self.timeout = generator_url, timeout

    def __repr__(self) -> str:
        return f"AlertmanagerChannel({self.name}, {redact_url(self._url)})"

    def validate(self) -> None:
        if not self._url.startswith(("http://", "https://")):
            raise ConfigError(self.source, [f"{self.key}.url: an Alertmanager URL starts with http:// or https://"])

    def holds_credentials(self) -> bool:
        parts = urlsplit(self._url)
        return bool(parts.username or parts.password)

    def send(self, message: Message) -> None:
        where = redact_url(self._url)
        try:
            with scrubbed_logs(self._url):
                response = requests.post(f"{self._url}/api/v2/alerts", json=payload(message, self.generator_url),
                                         timeout=self.timeout)
        except requests.Timeout:
            raise DeliveryError(f"{where}: no answer within {self.timeout:g} s (alerts.delivery_timeout_seconds)") from None
        except requests.RequestException as exc:  # the type only: the text would repeat the URL
            raise DeliveryError(f"{where}: {type(exc).__name__}") from None
        if response.status_code >= 300:
            permanent = 400 <= response.status_code < 500 and response.status_code not in (408, 429)
            raise DeliveryError(f"{where}: HTTP {response.status_code}", permanent=permanent)


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
