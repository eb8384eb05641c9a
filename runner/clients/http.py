"""HTTP client for checks: the shop's base URL, its CA bundle, timeouts and a body size limit."""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import requests

from runner.errors import MonitorError

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 10


class ResponseTooLarge(MonitorError):
    pass


class HttpClient:
    """requests.Session bound to the site.

    REQUESTS_CA_BUNDLE in the environment would override Session.verify, so trust_env is off
    and `verify` is passed on every request.
    """

    def __init__(self, settings, max_body_bytes: int = MAX_BODY_BYTES):
        self.base_url = settings.site.origin
        self.timeout = settings.site.timeout_seconds
        ca_bundle = settings.tls.ca_bundle if settings.tls else None
        self.verify: bool | str = str(ca_bundle) if ca_bundle else True
        self.max_body_bytes = max_body_bytes
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.max_redirects = MAX_REDIRECTS
        self.session.headers["User-Agent"] = settings.site.user_agent

    def url(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def get(self, path_or_url: str, **kwargs) -> requests.Response:
        return self.request("GET", path_or_url, **kwargs)

    def head(self, path_or_url: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.request("HEAD", path_or_url, **kwargs)

    def request(self, method: str, path_or_url: str, **kwargs) -> requests.Response:
        """Send a request; the body is read up to the size limit (ResponseTooLarge past it)."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("verify", self.verify)
        response = self.session.request(method, self.url(path_or_url), stream=True, **kwargs)
        try:
            response._content = self._read_limited(response)
        finally:
            response.close()
        return response

    def _read_limited(self, response: requests.Response) -> bytes:
        chunks, size = [], 0
        for chunk in response.iter_content(64 * 1024):
            size += len(chunk)
            if size > self.max_body_bytes:
                raise ResponseTooLarge(
                    f"{response.url}: body larger than {self.max_body_bytes // 1024} KiB, not read further")
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        self.session.close()


def describe_error(exc: requests.RequestException) -> str:
    """A short reason for a failed request, fit for an alert."""
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS error: {text[-200:]}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return "no answer within the timeout"
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects"
    if isinstance(exc, requests.exceptions.ConnectionError):
        if "refused" in text.lower():
            return "connection refused"
        return f"connection failed: {text[-200:]}"
    return f"{type(exc).__name__}: {text[-200:]}"
