"""Any apprise URL: mailto, Slack, Telegram, Teams, Discord, PagerDuty, ntfy, json webhook...

apprise (its ~100 service modules) is imported when an apprise channel is first used, not when the
registry lists this class: a monitor with no apprise channel never pays for it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from runner.alerts.message import Message
from runner.alerts.providers.base import Channel, DeliveryError, redact_url, scrubbed_logs
from runner.errors import ConfigError

log = logging.getLogger(__name__)
APP = {"app_id": "dija-monitor", "app_desc": "dija-monitor: synthetic monitoring of the shop"}
MAX_ATTACHMENTS = 3
FAILING_KINDS = ("incident", "updated", "reminder")


def payload(message: Message) -> dict:
    """The keyword arguments of `Apprise.notify` for a message (screenshots attached where the
    service takes attachments; apprise leaves them out for the others)."""
    import apprise

    tone = {
        "failure": apprise.NotifyType.FAILURE,
        "warning": apprise.NotifyType.WARNING,
        "success": apprise.NotifyType.SUCCESS,
    }
    arguments = {
        "title": message.title,
        "body": message.body,
        "notify_type": tone[message.tone],
        "body_format": apprise.NotifyFormat.TEXT,
    }
    screenshots = screenshots_of(message)
    if screenshots:
        arguments["attach"] = apprise.AppriseAttachment([str(path) for path in screenshots])
    return arguments


def screenshots_of(message: Message) -> list[Path]:
    """The screenshots of the failing checks in the message (their evidence), existing files only."""
    paths = [
        Path(item)
        for event in message.events
        if event.kind in FAILING_KINDS
        for item in event.check.get("evidence") or ()
        if str(item).endswith(".png")
    ]
    return [path for path in dict.fromkeys(paths) if path.is_file()][:MAX_ATTACHMENTS]


class AppriseChannel(Channel):
    """Every failure is transient: apprise reports delivered or not, never why."""

    def __init__(self, name: str, url: str, severities: Sequence[str], **common):
        super().__init__(name, url, severities, **common)
        self._apprise = None

    def validate(self) -> None:
        import apprise

        client = apprise.Apprise(asset=apprise.AppriseAsset(**APP))
        with scrubbed_logs(self._url):
            added = client.add(self._url)
        if not added:
            raise ConfigError(self.source, [f"{self.key}.url: not a usable apprise URL ({redact_url(self._url)})"])
        for plugin in client:  # a slow or silent service holds the run this long at most (apprise's default: 4 s)
            plugin.socket_connect_timeout = plugin.socket_read_timeout = self.timeout
        self._apprise = client

    def holds_credentials(self) -> bool:
        """Whether apprise's own parser marks a part of the URL private (a password, a token)."""
        if self._apprise is None:
            self.validate()
        return any(plugin.url(privacy=True) != plugin.url(privacy=False) for plugin in self._apprise)

    def send(self, message: Message) -> None:
        import apprise

        if self._apprise is None:
            self.validate()
        with scrubbed_logs(self._url), apprise.LogCapture(level=logging.WARNING) as captured:
            ok = bool(self._apprise.notify(**payload(message)))
        if not ok:
            detail = " ".join(line.split(" - ", 2)[-1] for line in captured.getvalue().splitlines()[-3:])
            raise DeliveryError(f"{redact_url(self._url)}: not delivered{': ' + detail if detail else ''}")
