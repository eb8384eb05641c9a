"""Channels from the config: the always-on outbox plus [[alerts.channels]], and severity routing."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from runner import config as config_module
from runner.alerts.providers import PROVIDERS, OutboxChannel
from runner.alerts.providers.base import url_secrets
from runner.alerts.state import Event
from runner.errors import ConfigError

log = logging.getLogger(__name__)
OUTBOX = Path("alerts") / "outbox.jsonl"


def outbox_path(settings) -> Path:
    return settings.reports_dir() / OUTBOX


def channel_url(settings, index: int, channel, environ=None) -> str:
    """The channel's URL: `url`, or the variable named by `url_env` (environment, then env_file)."""
    if channel.url is not None:
        return channel.url
    environ = os.environ if environ is None else environ
    value = environ.get(channel.url_env)
    if value is None and settings.env_file:
        value = config_module._read_env_file(settings.env_file, settings.source).get(channel.url_env)
    if not value:
        raise ConfigError(str(settings.source),
                          [f"alerts.channels[{index}].url_env: variable {channel.url_env} is not set"])
    return value


def build(settings, environ=None, clock=None) -> tuple[list, list[str], list[str]]:
    """(channels, config problems, URL parts to scrub). Each channel is validated; a bad one is left out."""
    channels, problems, secrets = [OutboxChannel(outbox_path(settings), clock)], [], []
    for index, spec in enumerate(settings.alerts.channels):
        key = f"alerts.channels[{index}]"
        try:
            url = channel_url(settings, index, spec, environ)
            secrets += url_secrets(url)
            channel = PROVIDERS[spec.type](spec.name or key, url, key, str(settings.source))
            channel.validate()
        except ConfigError as exc:
            problems += exc.problems
            continue
        channel.severities = tuple(spec.severities)
        channels.append(channel)
    return channels, problems, secrets


def validate(settings, environ=None) -> None:
    """Raise ConfigError naming every unusable channel (for check-config)."""
    _, problems, _ = build(settings, environ)
    if problems:
        raise ConfigError(str(settings.source), problems)


def routes(event: Event, channel) -> bool:
    """Critical goes to every channel, warning to those listing it; the outbox takes everything."""
    if isinstance(channel, OutboxChannel):
        return True
    if event.only_channels is not None and channel.name not in event.only_channels:
        return False
    return event.severity == "critical" or event.severity in getattr(channel, "severities", ())
