"""What every provider shares: the delivery error and URL redaction."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from urllib.parse import urlsplit

from runner.errors import MonitorError
from runner.secrets import ScrubFilter, Scrubber

LIBRARY_LOGGERS = ("apprise", "urllib3.connectionpool", "requests")


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
