"""An HTTPS front for the demo shop on its own port, reshaping it as another shop would be built:
some paths redirect, some are served under another name, pages' absolute URLs rewritten. It uses
the demo's own certificate (issued for 127.0.0.1), so the demo's CA bundle verifies it too."""

from __future__ import annotations

import gzip
import http.client
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

HOP_BY_HOP = {"connection", "transfer-encoding", "content-length", "keep-alive"}
TEXT_TYPES = ("text/html", "application/xml", "text/xml", "text/plain")


class ShopFront:
    """`redirects`: path → Location (301); `aliases`: path served → the demo's path; `rewrites`:
    (old, new) text replacements in pages and Location headers, the demo's origin → the front's last;
    `pages`: path → HTML of a page of the front's own; `stalled`: paths never answered (until closed)."""

    def __init__(
        self,
        demo,
        redirects: dict[str, str] | None = None,
        aliases: dict[str, str] | None = None,
        rewrites: list[tuple[str, str]] | None = None,
        pages: dict[str, str] | None = None,
        stalled: tuple[str, ...] = (),
    ):
        self.redirects, self.aliases, self.pages, self.stalled = redirects or {}, aliases or {}, pages or {}, stalled
        self.closing = threading.Event()
        self.upstream = demo.base_url.split("://", 1)[1]
        self.upstream_context = ssl.create_default_context(cafile=str(demo.ca_path))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(demo.run_dir / "tls" / "server.pem", demo.run_dir / "tls" / "server.key")
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.origin = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.rewrites = [*(rewrites or []), (demo.base_url, self.origin)]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def rewrite(self, text: str) -> str:
        for old, new in self.rewrites:
            text = text.replace(old, new)
        return text

    def fetch(self, method: str, path: str, headers) -> tuple[int, list[tuple[str, str]], bytes]:
        connection = http.client.HTTPSConnection(self.upstream, context=self.upstream_context, timeout=30)
        try:
            forwarded = {k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP | {"host"}}
            connection.request(method, self.aliases.get(path, path), headers=forwarded)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def reshape(self, headers: list[tuple[str, str]], body: bytes) -> tuple[list[tuple[str, str]], bytes]:
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        zipped = any(k.lower() == "content-encoding" and "gzip" in v for k, v in headers)
        if body and kind.startswith(TEXT_TYPES):
            text = self.rewrite((gzip.decompress(body) if zipped else body).decode("utf-8")).encode("utf-8")
            body = gzip.compress(text) if zipped else text
        headers = [
            (k, self.rewrite(v) if k.lower() == "location" else v) for k, v in headers if k.lower() not in HOP_BY_HOP
        ]
        return headers, body

    def close(self) -> None:
        self.closing.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def _handler(front: ShopFront):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path in front.redirects:
                self.answer(301, [("Location", front.redirects[self.path])], b"")
                return
            if self.path in front.stalled:
                front.closing.wait(60)
                return
            if self.path in front.pages:
                self.answer(200, [("Content-Type", "text/html; charset=utf-8")], front.pages[self.path].encode())
                return
            status, headers, body = front.fetch(self.command, self.path, self.headers)
            self.answer(status, *front.reshape(headers, body))

        do_HEAD = do_GET

        def answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            if self.command != "HEAD":  # a HEAD answer's length is its GET's, which is not known here
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def shop_front(demo, check_runner):
    """`shop_front(site={...}, **reshaping)` starts a front and returns the demo's config pointed at it
    (with `site`'s keys overridden)."""
    fronts = []

    def start(site: dict | None = None, **reshaping) -> Path:
        fronts.append(ShopFront(demo, **reshaping))
        return check_runner.variant(site={**(site or {}), "base_url": fronts[-1].origin})

    yield start
    for front in fronts:
        front.close()


def home_redirected_to(demo, target: str) -> dict:
    """`/` answers 301 to `target`, which serves the demo's home page and names itself in its canonical
    link and in the sitemap."""
    base = demo.base_url
    return {
        "redirects": {"/": target},
        "aliases": {target: "/"},
        "rewrites": [
            (f'href="{base}/"', f'href="{base}{target}"'),
            (f"<loc>{base}/</loc>", f"<loc>{base}{target}</loc>"),
        ],
    }
