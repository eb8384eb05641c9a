"""HTTP client for checks: the shop's base URL, its CA bundle, timeouts and limits a hostile or
broken server cannot get round.

- Size: every body (redirect answers' too) is read up to `max_body_bytes` of *decoded* bytes, so a
  gzip bomb stops there as well (ResponseTooLarge).
- Time: requests' timeout is per socket operation, so a server dribbling a byte every few seconds
  would never time out. Each request also has a total deadline (`site.timeout_seconds`, from
  connecting to the last byte, redirects included): past it the request's sockets are shut down
  and DeadlineExceeded is raised.

Both errors are requests exceptions as well as MonitorErrors: a check that handles requests'
errors reports them like a refused connection (a failure naming the limit), not a crash.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

import requests

from runner.clients.deadline import Deadline, WatchedAdapter
from runner.clients.redirects import Guard, Refused
from runner.errors import MonitorError

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 10
CHUNK_BYTES = 16 * 1024  # decoded bytes per read: bounds what one gzip chunk may expand to in memory


class ResponseTooLarge(MonitorError, requests.exceptions.RequestException):
    """The body is larger than the read limit; the rest was not read."""


class DeadlineExceeded(MonitorError, requests.exceptions.Timeout):
    """The whole request (connect, headers, body, redirects) took longer than its deadline."""


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
        self.guard = Guard.for_site(settings.site)
        self.session = requests.Session()
        self.session.trust_env = False
        self.session.max_redirects = MAX_REDIRECTS
        self.session.headers["User-Agent"] = settings.site.user_agent
        for prefix in ("http://", "https://"):
            self.session.mount(prefix, WatchedAdapter())

    def url(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def get(self, path_or_url: str, **kwargs) -> requests.Response:
        return self.request("GET", path_or_url, **kwargs)

    def head(self, path_or_url: str, **kwargs) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        return self.request("HEAD", path_or_url, **kwargs)

    def request(self, method: str, path_or_url: str, **kwargs) -> requests.Response:
        """Send a request; every body is read up to the size limit, all within the deadline."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("verify", self.verify)
        hooks = [self._read_body]  # each answer, redirects' too
        if kwargs.get("allow_redirects", True):  # a redirect not followed is only read, never refused
            hooks.insert(0, self.guard.check_redirect)
        kwargs["hooks"] = {"response": hooks}
        url = self.url(path_or_url)
        self.guard.check_url(url)
        seconds = _total(kwargs["timeout"] or self.timeout)
        with Deadline(seconds) as deadline:
            try:
                response = self.session.request(method, url, stream=True, **kwargs)
            except Exception as exc:
                if not deadline.expired:
                    raise
                request = getattr(exc, "request", None)  # whatever the library made of our shutdown
            else:
                if not deadline.expired:
                    return response
                request = response.request  # ended by our shutdown: it may look complete and not be
        raise DeadlineExceeded(
            f"no complete answer within {seconds:g} s (site.timeout_seconds)",
            request=request or requests.Request(method, url),
        )

    def _read_body(self, response: requests.Response, **_) -> requests.Response:
        try:
            response._content = self._read_limited(response)
        finally:
            response.close()
        return response

    def _read_limited(self, response: requests.Response) -> bytes:
        limit = self.max_body_bytes
        if response.request.method == "HEAD":
            return b""  # its Content-Length is the GET's body, not one to read
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit and "Content-Encoding" not in response.headers:
            raise self._too_large(response, f"body of {int(declared) // 1024} KiB (Content-Length)")
        chunks, size = [], 0
        for chunk in response.iter_content(CHUNK_BYTES):
            size += len(chunk)
            if size > limit:
                raise self._too_large(response, "body")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, response: requests.Response, what: str) -> ResponseTooLarge:
        return ResponseTooLarge(
            f"{what} exceeds the {self.max_body_bytes // 1024} KiB read limit, not read",
            request=response.request,
            response=response,
        )

    def close(self) -> None:
        self.session.close()


def _total(timeout) -> float:
    """The deadline for a request given requests' timeout (a number, or (connect, read))."""
    return float(sum(timeout)) if isinstance(timeout, tuple) else float(timeout)


def describe_error(exc: requests.RequestException) -> str:
    """A short reason for a failed request, fit for an alert."""
    text = str(exc)
    if isinstance(exc, (ResponseTooLarge, DeadlineExceeded, Refused)):
        return text
    if isinstance(exc, requests.exceptions.SSLError):
        return f"TLS error: {text[-200:]}"
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return "timed out connecting"
    if isinstance(exc, requests.exceptions.ReadTimeout) or "Read timed out" in text:  # a stalled body is a
        return "no answer within the read timeout (site.timeout_seconds)"  # ConnectionError in requests
    if isinstance(exc, requests.exceptions.TooManyRedirects):
        return f"more than {MAX_REDIRECTS} redirects"
    if isinstance(exc, requests.exceptions.ConnectionError):
        if "refused" in text.lower():
            return "connection refused"
        return f"connection failed: {text[-200:]}"
    return f"{type(exc).__name__}: {text[-200:]}"


def undecodable(response: requests.Response) -> str | None:
    """Why the body is not text in the charset its Content-Type declares; None when it is (or none is declared)."""
    content_type = response.headers.get("Content-Type", "")
    if "charset=" not in content_type.lower() or not response.encoding:
        return None
    try:
        response.content.decode(response.encoding)
    except UnicodeDecodeError as exc:
        return f"body is not valid {response.encoding} (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
    except LookupError:
        return f"body in an unknown charset {response.encoding!r}"
    return None
