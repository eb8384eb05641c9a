"""What every provider shares: the `Channel` interface, the delivery error and URL redaction."""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from runner.errors import MonitorError
from runner.secrets import Scrubber, ScrubFilter

if TYPE_CHECKING:
    from runner.alerts.message import Message

LIBRARY_LOGGERS = ("apprise", "urllib3.connectionpool", "requests")
TIMEOUT = 10  # seconds; alerts.delivery_timeout_seconds


class Channel(ABC):
    """Where alert messages go: `name`, `severities`, `validate()`, `send(message)`.

    An ABC rather than a `typing.Protocol`: every channel is built by `channels.build` through the
    same constructor and shares its defaults (the clock, `refreshes`, credential detection, a
    redacted repr), and a class that lacks `validate` or `send` fails when the config loads
    instead of at the first alert.

    `validate()` raises `ConfigError` naming `key` (e.g. `alerts.channels[0].url: ...`);
    `send()` raises `DeliveryError`, `permanent=True` when retrying cannot help (a rejected payload).
    """

    refreshes: ClassVar[bool] = False  # takes the "firing" re-posts of open incidents and no reminders

    def __init__(
        self,
        name: str,
        url: str,
        severities: Sequence[str],
        *,
        key: str,
        source: str = "config",
        timeout: float = TIMEOUT,
        clock: Callable[[], float] | None = None,
    ):
        self.name, self._url, self.severities = name, url, tuple(severities)
        self.key, self.source, self.timeout = key, source, timeout
        self.clock = clock or time.time

    @classmethod
    def options(cls, settings, clock: Callable[[], float] | None) -> dict:
        """The keyword arguments this channel takes beyond the common ones, read from the settings."""
        return {}

    @abstractmethod
    def validate(self) -> None:
        """Raise `ConfigError` when the channel cannot work as configured (checked when the config loads)."""

    @abstractmethod
    def send(self, message: Message) -> None:
        """Deliver one message; raise `DeliveryError` when it was not delivered."""

    def holds_credentials(self) -> bool:
        """Whether the URL embeds a secret (then it belongs in url_env, not in the file)."""
        parts = urlsplit(self._url)
        return bool(parts.username or parts.password)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name}, {redact_url(self._url)})"


class DeliveryError(MonitorError):
    """A notice was not delivered. `permanent`: retrying cannot help (bad URL, rejected payload)."""

    def __init__(self, message: str, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


def redact_url(url: str) -> str:
    """scheme://host only: channel URLs may embed tokens in the user, path or query."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        return "(unparseable url)"
    return f"{parts.scheme}://{host}" if parts.scheme else "(url)"


def url_secrets(url: str) -> list[str]:
    """The parts of a URL that may hold a token, for scrubbing error text."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    pieces = [url, parts.netloc, parts.path, parts.query, parts.password or "", parts.username or ""]
    pieces += [p for p in parts.path.split("/") if len(p) >= 8]
    pieces += [kv.partition("=")[2] for kv in parts.query.split("&") if len(kv.partition("=")[2]) >= 8]
    host = parts.hostname or ""
    return [p for p in pieces if p and len(p) >= 4 and p != host and p != "/"]


@contextmanager
def scrubbed_logs(url: str, loggers: tuple[str, ...] = LIBRARY_LOGGERS):
    """While sending: the libraries' own log records (apprise, urllib3) lose the URL's token parts."""
    filters = [(logging.getLogger(name), ScrubFilter(Scrubber(url_secrets(url)))) for name in loggers]
    for logger, log_filter in filters:
        logger.addFilter(log_filter)
    try:
        yield
    finally:
        for logger, log_filter in filters:
            logger.removeFilter(log_filter)
