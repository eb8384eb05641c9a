"""Channels from the config: the always-on outbox plus [[alerts.channels]], and severity routing."""

from __future__ import annotations

import logging
from pathlib import Path

from runner.alerts import runbooks
from runner.alerts.providers import PROVIDERS, OutboxChannel, redact_url
from runner.alerts.providers.alertmanager import report_root
from runner.alerts.providers.base import url_secrets
from runner.alerts.state import Event
from runner.cadences import period_seconds
from runner.errors import ConfigError

log = logging.getLogger(__name__)
OUTBOX = Path("alerts") / "outbox.jsonl"


def outbox_path(settings) -> Path:
    return settings.reports_dir() / OUTBOX


def channel_url(channel) -> str:
    """The channel's URL: `url`, or the secret read from the variable named by `url_env`."""
    return channel.url if channel.url is not None else channel.secret("url").reveal()


def build(settings, clock=None) -> tuple[list, list[str], list[str]]:
    """(channels, config problems, URL parts to scrub). Each channel is validated; a bad one is left out."""
    channels, problems, secrets = [OutboxChannel(outbox_path(settings), clock)], [], []
    for index, spec in enumerate(settings.alerts.channels):
        key = f"alerts.channels[{index}]"
        try:
            url = channel_url(spec)
            secrets += url_secrets(url)
            channel = PROVIDERS[spec.type](spec.name or key, url, key, str(settings.source),
                                           timeout=settings.alerts.delivery_timeout_seconds,
                                           **provider_options(settings, spec.type, clock))
            channel.validate()
            if spec.url is not None and channel.holds_credentials():
                raise ConfigError(str(settings.source), [
                    f"{key}.url: holds credentials ({redact_url(url)}); put it in url_env (the name of an "
                    "environment variable or env_file line holding the URL), not in the file"])
        except ConfigError as exc:
            problems += exc.problems
            continue
        channel.severities = tuple(spec.severities)
        channels.append(channel)
    return channels, problems, secrets


def check(settings) -> None:
    """Every configured channel as its provider parses it (apprise's own parser for apprise URLs); raise
    ConfigError naming each problem. Commands call it right after runner.config.load."""
    if problems := build(settings)[1]:
        raise ConfigError(str(settings.source), problems)


def provider_options(settings, kind: str, clock) -> dict:
    """What a provider needs beyond its URL: Alertmanager's clock, lease and absolute links."""
    if kind != "alertmanager":
        return {}
    alerts = settings.alerts

    def lease(cadence: str | None) -> float:
        return alerts.alertmanager_lease_intervals * period_seconds(settings.schedule, cadence)

    return {"clock": clock, "lease": lease, "report_root": report_root(alerts.report_base_url, settings.reports_dir()),
            "runbook_root": runbooks.public_url(alerts)}


def routes(event: Event, channel) -> bool:
    """Critical goes to every channel, warning to those listing it; the outbox takes every notice.
    The re-posts of open incidents ("firing") go only to channels that take them (Alertmanager),
    and those get no reminders: Alertmanager repeats on its own."""
    refreshes = getattr(channel, "refreshes", False)
    if event.kind == "firing" or (event.kind == "reminder" and refreshes):
        return event.kind == "firing" and refreshes and _severity_routed(event, channel)
    if isinstance(channel, OutboxChannel):
        return True
    if event.only_channels is not None and channel.name not in event.only_channels:
        return False
    return _severity_routed(event, channel)


def _severity_routed(event: Event, channel) -> bool:
    return event.severity == "critical" or event.severity in getattr(channel, "severities", ())
