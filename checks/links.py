"""A bounded, same-origin crawl of a few pages' references, for the internal-links check."""

from __future__ import annotations

import logging

import requests

from runner.clients.html import parse, path_of, same_origin_url
from runner.clients.http import ResponseTooLarge, describe_error
from runner.clients.redirects import Refused

log = logging.getLogger(__name__)
HEAD_UNSUPPORTED = (405, 501)


class LinkCrawl:
    """Fetches pages, gathers their same-origin references and checks each once (HEAD, then GET)."""

    def __init__(self, http, origin: str, max_urls: int):
        self.http, self.origin, self.max_urls = http, origin, max_urls
        self.found_on: dict[str, str] = {}  # url → the first page it was found on
        self.status: dict[str, int | str] = {}
        self.broken: list[str] = []
        self.unchecked = 0

    def visit(self, path: str, follow=lambda path: False) -> None:
        """Fetch a page (counted as checked), gather its references; visit those `follow` accepts."""
        url = self.http.url(path)
        if url in self.status or len(self.status) >= self.max_urls:
            return
        try:
            response = self.http.get(url)  # a key page that cannot be fetched is the key-pages check's business
        except Refused as exc:  # but one that leaves the shop is this check's too
            self._record(url, describe_error(exc), found_on="(start page)")
            return
        self._record(url, response.status_code, found_on="(start page)")
        if response.status_code >= 400:
            return
        self.status.setdefault(response.url, response.status_code)  # where its redirects ended: the page judged
        references = [same_origin_url(ref, response.url, self.origin) for ref in parse(response.text).references()]
        for target in filter(None, references):
            self.found_on.setdefault(target, path_of(response.url))
        for target in filter(None, references):
            if follow(path_of(target)):
                self.visit(target)

    def check_references(self) -> None:
        pending = [url for url in self.found_on if url not in self.status]
        room = max(self.max_urls - len(self.status), 0)
        self.unchecked = max(len(pending) - room, 0)
        for url in pending[:room]:
            self._record(url, self._status_of(url), found_on=self.found_on[url])
        if self.unchecked:
            log.info("link crawl stopped at %d URLs; %d left unchecked", self.max_urls, self.unchecked)

    def _status_of(self, url: str) -> int | str:
        try:
            response = self.http.head(url, allow_redirects=True)
            if response.status_code in HEAD_UNSUPPORTED or response.status_code >= 400:
                response = self.http.get(url)  # some servers answer HEAD wrongly; GET decides
            return response.status_code
        except ResponseTooLarge:
            return 200  # it is served; only too big to read, which is not this check's business
        except requests.RequestException as exc:
            return describe_error(exc)

    def _record(self, url: str, status: int | str, found_on: str) -> None:
        self.status[url] = status
        if not isinstance(status, int) or status >= 400:
            shown = f"HTTP {status}" if isinstance(status, int) else status
            self.broken.append(f"{path_of(url)}: {shown} (linked from {found_on})")
