"""Any apprise URL: mailto, Slack, Telegram, Teams, Discord, PagerDuty, ntfy, json webhook..."""

from __future__ import annotations

import logging

import apprise

from runner.alerts.message import Message
from runner.alerts.providers.base import DeliveryError, redact_url, scrubbed_logs
from runner.errors import ConfigError

log = logging.getLogger(__name__)
TONE = {"failure": apprise.NotifyType.FAILURE, "warning": apprise.NotifyType.WARNING,
        "success": apprise.NotifyType.SUCCESS}


def payload(message: Message) -> dict:
    """The keyword arguments of `Apprise.notify` for a message."""
    return {"title": message.title, "body": message.body, "notify_type": TONE[message.tone],
            "body_format": apprise.NotifyFormat.TEXT}


class AppriseChannel:
    def __init__(self, name: str, url: str, key: str, source: str = "config"):
        self.name, self._url, self.key, self.source = name, url, key, source
        self._apprise = None

    def __repr__(self) -> str:
        return f"AppriseChannel({self.name}, {redact_url(self._url)})"

    def validate(self) -> None:
        client = apprise.Apprise()
        with scrubbed_logs(self._url):
            added = client.add(self._url)
        if not added:
            raise ConfigError(self.source, [f"{self.key}.url: not a usable apprise URL ({redact_url(self._url)})"])
        self._apprise = client

    def send(self, message: Message) -> None:
        if self._apprise is None:
            self.validate()
        with scrubbed_logs(self._url), apprise.LogCapture(level=logging.WARNING) as captured:
            ok = bool(self._apprise.notify(**payload(message)))
        if not ok:
            detail = " ".join(line.split(" - ", 2)[-1] for line in captured.getvalue().splitlines()[-3:])
            raise DeliveryError(f"{redact_url(self._url)}: not delivered{': ' + detail if detail else ''}")
