"""Channels from the config: the always-on outbox plus [[alerts.channels]], and severity routing."""

from __future__ import annotations

import logging
from pathlib import Path

from runner.alerts.providers import PROVIDERS, Channel, OutboxChannel, redact_url
from runner.alerts.providers.base import url_secrets
from runner.alerts.state import Event
from runner.config import SEVERITIES
from runner.errors import ConfigError

log = logging.getLogger(__name__)
OUTBOX = Path("alerts") / "outbox.jsonl"


def outbox_path(settings) -> Path:
    return settings.reports_dir() / OUTBOX


def channel_url(channel) -> str:
    """The channel's URL: `url`, or the secret read from the variable named by `url_env`."""
    return channel.url if channel.url is not None else channel.secret("url").reveal()


def build(settings, clock=None) -> tuple[list[Channel], list[str], list[str]]:
    """(channels, config problems, URL parts to scrub). Each channel is validated; a bad one is left out."""
    common = {"source": str(settings.source), "timeout": settings.alerts.delivery_timeout_seconds, "clock": clock}
    outbox = OutboxChannel("outbox", outbox_path(settings).absolute().as_uri(), SEVERITIES, key="outbox", **common)
    channels, problems, secrets = [outbox], [], []
    for index, spec in enumerate(settings.alerts.channels):
        key = f"alerts.channels[{index}]"
        try:
            url = channel_url(spec)
            secrets += url_secrets(url)
            channels.append(configured(spec, url, key, settings, common))
        except ConfigError as exc:
            problems += exc.problems
    return channels, problems, secrets


def check(settings) -> None:
    """Every configured channel as its provider parses it (apprise's own parser for apprise URLs); raise
    ConfigError naming each problem. Commands call it right after runner.config.load."""
    if problems := build(settings)[1]:
        raise ConfigError(str(settings.source), problems)


def configured(spec, url: str, key: str, settings, common: dict) -> Channel:
    """One [[alerts.channels]] entry as its registered provider, validated; ConfigError naming `key` if not."""
    provider = PROVIDERS.get(spec.type)
    if provider is None:
        raise ConfigError(
            common["source"],
            [f"{key}.type: unknown channel type {spec.type!r}; the known types are {', '.join(sorted(PROVIDERS))}"],
        )
    channel = provider(
        spec.name or key, url, spec.severities, key=key, **common, **provider.options(settings, common["clock"])
    )
    channel.validate()
    if spec.url is not None and channel.holds_credentials():
        raise ConfigError(
            common["source"],
            [
                f"{key}.url: holds credentials ({redact_url(url)}); put it in url_env (the name of an "
                "environment variable or env_file line holding the URL), not in the file"
            ],
        )
    return channel


def routes(event: Event, channel: Channel) -> bool:
    """Critical goes to every channel, warning to those listing it (the outbox lists every severity).
    The re-posts of open incidents ("firing") go only to channels that take them (Alertmanager),
    and those get no reminders: Alertmanager repeats on its own."""
    if event.kind == "firing" or (event.kind == "reminder" and channel.refreshes):
        return event.kind == "firing" and channel.refreshes and _severity_routed(event, channel)
    if event.only_channels is not None and channel.name not in event.only_channels:
        return False
    return _severity_routed(event, channel)


def _severity_routed(event: Event, channel: Channel) -> bool:
    return event.severity == "critical" or event.severity in channel.severities
