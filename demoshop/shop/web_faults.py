"""The web front's fault switches, applied around the finished app (WSGI middleware) so they see
what a client sees: final headers, compression, timing. Each is a fault flag
(demoshop/faults/flags.py), read per request.

TLS faults are read once at start-up (`tls_material`, `legacy_protocols`): switching them
restarts the shop process.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from demoshop.faults import flags

SLOW_SECONDS = 3.5
OVERSIZED_IMAGE_PATH = "/uploads/products/gold-hoops.jpg"
OVERSIZED_IMAGE_BYTES = 420 * 1024
LEAKED_POWERED_BY = "PHP/7.4.3"
SECURITY_HEADERS = {
    "strict-transport-security",
    "x-content-type-options",
    "x-frame-options",
    "content-security-policy",
    "referrer-policy",
}
ASSET_PREFIXES = ("/static/", "/uploads/", "/favicon.ico", "/robots.txt", "/sitemap.xml")
FAKE_ENV = (
    "APP_ENV=production\nDB_HOST=127.0.0.1\nDB_DATABASE=dija_shop\nDB_USERNAME=shop\n"
    "DB_PASSWORD=demo-not-a-real-password\nSTRIPE_SECRET=sk_live_demo_not_real\n"
)
META_DESCRIPTION = re.compile(rb'\s*<meta name="description"[^>]*>')
FAULT_CERT, FAULT_KEY = "fault-server.pem", "fault-server.key"


def tls_material(cfg: dict) -> tuple[str, str]:
    """The certificate chain and key to serve: a fault's replacement when one is installed."""
    tls_dir = Path(cfg["tls"]["cert"]).parent
    if (tls_dir / FAULT_CERT).exists():
        return str(tls_dir / FAULT_CERT), str(tls_dir / FAULT_KEY)
    return cfg["tls"]["cert"], cfg["tls"]["key"]


def legacy_protocols(cfg: dict) -> bool:
    return flags.is_on(flags.TLS10_ENABLED, cfg["faults_dir"])


class WebFaults:
    """Wraps the shop's WSGI app; untouched unless one of its flags is on."""

    def __init__(self, app, faults_dir: str):
        self.app = app
        self.faults_dir = Path(faults_dir)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if path == "/.env" and flags.is_on(flags.EXPOSED_ENV, self.faults_dir):
            return _respond(start_response, "200 OK", "text/plain", FAKE_ENV.encode())
        if path == OVERSIZED_IMAGE_PATH and flags.is_on(flags.OVERSIZED_IMAGE, self.faults_dir):
            return _respond(start_response, "200 OK", "image/jpeg", _oversized_jpeg())
        is_page = not path.startswith(ASSET_PREFIXES)
        if is_page and flags.is_on(flags.SLOW_PAGES, self.faults_dir):
            time.sleep(SLOW_SECONDS)
        product_page = path.startswith("/product/") or "route=product&" in environ.get("QUERY_STRING", "") + "&"
        strip_meta = product_page and flags.is_on(flags.META_DESCRIPTION_REMOVED, self.faults_dir)
        uncompressed = flags.is_on(flags.ASSETS_UNCOMPRESSED, self.faults_dir)
        headers_off = flags.is_on(flags.HEADERS_OFF, self.faults_dir)
        if uncompressed or strip_meta:
            environ.pop("HTTP_ACCEPT_ENCODING", None)
        if not (headers_off or uncompressed or strip_meta):
            return self.app(environ, start_response)
        status, headers, body = _run(self.app, environ)
        if strip_meta:
            body = META_DESCRIPTION.sub(b"", body)
        if headers_off:
            headers = [(k, v) for k, v in headers if k.lower() not in SECURITY_HEADERS | {"cache-control"}]
            headers.append(("X-Powered-By", LEAKED_POWERED_BY))
        if uncompressed and not is_page:
            headers = [(k, v) for k, v in headers if k.lower() != "cache-control"]
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [body]


def http_front(redirect_app, shop_app, faults_dir: str):
    """The plain-HTTP listener: redirects to HTTPS, or serves the shop itself under `redirect_off`."""
    directory = Path(faults_dir)

    def app(environ, start_response):
        chosen = shop_app if flags.is_on(flags.REDIRECT_OFF, directory) else redirect_app
        return chosen(environ, start_response)

    return app


def _run(app, environ) -> tuple[str, list, bytes]:
    captured = {}

    def capture(status, headers, exc_info=None):
        captured.update(status=status, headers=list(headers))
        return lambda data: None

    result = app(environ, capture)
    try:
        body = b"".join(result)
    finally:
        getattr(result, "close", lambda: None)()
    return captured["status"], captured["headers"], body


def _respond(start_response, status: str, content_type: str, body: bytes):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def _oversized_jpeg() -> bytes:
    """A JPEG-looking file of OVERSIZED_IMAGE_BYTES: an unoptimised upload straight from a camera."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return head + b"\x00" * (OVERSIZED_IMAGE_BYTES - len(head) - 2) + b"\xff\xd9"
