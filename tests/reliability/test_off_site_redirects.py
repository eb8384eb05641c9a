"""Checks stay on the shop. A key page or an internal link redirecting to another host fails naming
the target (unless site.redirect_hosts allows it); link-local, metadata and (for a site not on
loopback) loopback addresses are refused before any connection. Before, the checks followed a
302 to another host and passed on its content, and followed one to 169.254.169.254.

Traffic stays on loopback: the shop is on 127.0.0.1, the "other host" is 127.0.0.2; every address
the guard must refuse is refused before connecting, which a patched socket proves."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runner.clients.http import HttpClient, describe_error
from runner.clients.redirects import ForbiddenAddress, Guard, OffSiteRedirect
from tests.checks.conftest import CheckRunner, assert_outcome
from tests.conftest import write_config

KEY_PAGES = "checks/test_availability.py::test_key_pages_answer"
INTERNAL_LINKS = "checks/test_availability.py::test_internal_links_resolve"
PAGE = "<!doctype html><title>Dija</title><h1>Dija Accessories</h1>{}"
METADATA = "http://169.254.169.254/latest/meta-data/"


def serve(host: str, routes: dict):
    """A server on `host` answering each path with (status, Location or body)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            status, value = routes.get(self.path, (404, "not found"))
            body = b"" if status in (301, 302) else value.encode()
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", value)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def elsewhere():
    """Another host (127.0.0.2) serving a page that looks like the shop's."""
    server = serve("127.0.0.2", {"/": (200, PAGE.format("")), "/elsewhere": (200, PAGE.format(""))})
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def shop(elsewhere):
    links = '<a href="/ok">ok</a> <a href="/go-away">away</a>'
    server = serve(
        "127.0.0.1",
        {
            "/": (200, PAGE.format(links)),
            "/ok": (200, PAGE.format("")),
            "/moved": (302, elsewhere + "/"),
            "/go-away": (302, elsewhere + "/elsewhere"),
            "/moved-here": (302, "/ok"),
            "/metadata": (302, METADATA),
        },
    )
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_connection_except_to_the_shop(monkeypatch):
    """Any connection to an address other than 127.0.0.1 or 127.0.0.2 fails the test."""
    attempts = []
    connect = socket.socket.connect

    def guarded(sock, address):
        if address[0] not in ("127.0.0.1", "127.0.0.2"):
            attempts.append(address)
            raise AssertionError(f"a connection to {address} was attempted")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert attempts == []


def client_for(tmp_path, base_url, site=""):
    return HttpClient(write_config(tmp_path, base_url=base_url, site=site))


def test_a_key_page_redirecting_off_the_shop_fails_naming_the_target(shop, elsewhere, tmp_path):
    settings = write_config(
        tmp_path,
        site='key_pages = [{ path = "/moved", keyword = "Dija Accessories" }, '
        '{ path = "/moved-here", keyword = "Dija Accessories" }]',
        base_url=shop,
    )
    record = CheckRunner(settings.source, tmp_path).one(KEY_PAGES)
    assert_outcome(
        record,
        "fail",
        f"/moved: /moved redirects off the shop to {elsewhere}/ (allowed hosts: 127.0.0.1; "
        "more in site.redirect_hosts)",
    )
    assert "/moved-here" not in record["message"]  # a redirect within the shop is followed


def test_an_internal_link_redirecting_off_the_shop_is_broken_naming_the_target(shop, elsewhere, tmp_path):
    settings = write_config(tmp_path, base_url=shop)
    record = CheckRunner(settings.source, tmp_path).one(INTERNAL_LINKS)
    assert_outcome(record, "fail", f"1 broken: /go-away: /go-away redirects off the shop to {elsewhere}/elsewhere")


def test_a_host_in_the_allow_list_may_be_redirected_to(shop, tmp_path):
    client = client_for(tmp_path, shop, site='redirect_hosts = ["127.0.0.2"]')
    assert client.get("/moved").status_code == 200


def test_a_redirect_to_the_metadata_address_is_refused_before_connecting(
    shop, tmp_path, no_connection_except_to_the_shop
):
    with pytest.raises(OffSiteRedirect):
        client_for(tmp_path, shop).get("/metadata")
    allowed = client_for(tmp_path, shop, site='redirect_hosts = ["169.254.169.254"]')  # even when allowed
    with pytest.raises(ForbiddenAddress) as caught:
        allowed.get("/metadata")
    assert describe_error(caught.value) == (
        f"{METADATA}: not fetched: 169.254.169.254 is a cloud metadata address (169.254.169.254)"
    )


@pytest.mark.parametrize(
    "url, why",
    [
        (METADATA, "a cloud metadata address"),
        ("http://169.254.10.1/", "a link-local address"),
        ("http://[fe80::1]/", "a link-local address"),
        ("http://metadata.google.internal/", "a cloud metadata address"),  # a name resolving to it
        ("http://127.0.0.1:9/", "a loopback address and the site is not"),
        ("http://0.0.0.0:9/", "an unspecified address"),
    ],
)
def test_forbidden_addresses_are_refused_before_connecting(url, why, no_connection_except_to_the_shop):
    names = {"shop.example": "203.0.113.7", "metadata.google.internal": "169.254.169.254"}

    def resolve(host, port, proto=0):
        return [(socket.AF_INET, socket.SOCK_STREAM, proto, "", (names[host], 0))]

    guard = Guard(["https://shop.example"], resolve=resolve)
    with pytest.raises(ForbiddenAddress, match=why):
        guard.check_url(url)


def test_loopback_is_fetched_when_the_site_itself_is_on_loopback(shop, tmp_path):
    assert client_for(tmp_path, shop).get("/ok").status_code == 200


def test_another_service_moving_its_page_is_followed(shop, elsewhere, tmp_path):
    """A gateway's status page redirecting to its new host is not the shop leaving itself."""
    client = client_for(tmp_path, shop)
    other = serve("127.0.0.3", {"/status": (302, elsewhere + "/")})
    try:
        assert client.get(f"http://127.0.0.3:{other.server_address[1]}/status").status_code == 200
    finally:
        other.shutdown()
        other.server_close()
