"""Checks stay on the shop. A redirect from the shop to another host (not the site's own, not one
the config allows in `site.redirect_hosts`, e.g. a payment gateway) is refused naming its target,
so a page passing on another host's content fails. No request goes to a link-local or cloud metadata
address, nor to loopback unless the site itself is on loopback: the host is resolved and refused
before any connection is made."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests

from runner.errors import MonitorError

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192")
)  # AWS/GCP/Azure, AWS v6, Alibaba, Oracle


class Refused(MonitorError, requests.exceptions.RequestException):
    """A request the guard would not send (a check reports it like a failed request)."""


class OffSiteRedirect(Refused):
    pass


class ForbiddenAddress(Refused):
    pass


class Guard:
    """Decides, before connecting, whether a URL may be fetched and a redirect followed."""

    def __init__(self, site_urls: list[str], allowed_hosts: list[str] = (), resolve=socket.getaddrinfo):
        self.site_hosts = {h for h in (_host(u) for u in site_urls) if h}
        self.allowed_hosts = self.site_hosts | {h.lower() for h in allowed_hosts}
        self._resolve = resolve
        self._site_on_loopback: bool | None = None

    @classmethod
    def for_site(cls, site) -> Guard:
        return cls([site.base_url, site.http_url or ""], site.redirect_hosts)

    def check_url(self, url: str) -> None:
        """Raise ForbiddenAddress when the URL's host resolves to an address checks never fetch."""
        host = _host(url)
        for address in self._addresses(host):
            if why := self._forbidden(address):
                raise ForbiddenAddress(f"{url}: not fetched: {host} is {why} ({address})", request=None)

    def check_redirect(self, response: requests.Response, **_) -> requests.Response:
        """A response hook: refuse a redirect leaving the shop, or to a forbidden address. (Another
        service's redirects, e.g. a gateway's status page moving, only get the address check.)"""
        location = response.headers.get("Location") if response.is_redirect else None
        if not location:
            return response
        target = urljoin(response.url, location)
        host, source = _host(target), _host(response.url)
        if source in self.site_hosts and host != source and host not in self.allowed_hosts:
            raise OffSiteRedirect(
                f"{_path(response.url)} redirects off the shop to {target} (allowed hosts: "
                f"{', '.join(sorted(self.allowed_hosts))}; more in site.redirect_hosts)",
                request=response.request,
                response=response,
            )
        self.check_url(target)
        return response

    def _forbidden(self, address) -> str:
        if address in METADATA_ADDRESSES:
            return "a cloud metadata address"
        if address.is_link_local:
            return "a link-local address"
        if address.is_unspecified:
            return "an unspecified address"
        if address.is_loopback and not self.site_on_loopback():
            return "a loopback address and the site is not"
        return ""

    def site_on_loopback(self) -> bool:
        if self._site_on_loopback is None:
            addresses = [a for host in self.site_hosts for a in self._addresses(host)]
            self._site_on_loopback = bool(addresses) and all(a.is_loopback for a in addresses)
        return self._site_on_loopback

    def _addresses(self, host: str) -> list:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        try:
            infos = self._resolve(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return []  # unresolvable: the request fails on its own, naming the host
        return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
