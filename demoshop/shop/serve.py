"""The shop process: the app over HTTPS plus a plain-HTTP listener that 301-redirects to it.

python -m demoshop.shop.serve --run-dir RUN
"""

from __future__ import annotations

import argparse
import logging
import ssl
import threading
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from demoshop.shop import web_faults
from demoshop.shop.app import create_app, load_config

SERVER_NAME = "nginx"  # what the live shop's front end says, without a version


class QuietHandler(WSGIRequestHandler):
    """No `Werkzeug/x.y Python/z` Server header and no request lines on stderr (the app logs them)."""

    def version_string(self) -> str:
        return SERVER_NAME

    def log_request(self, *args, **kwargs) -> None:
        pass


def tls_context(cfg: dict) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if web_faults.legacy_protocols(cfg):
        context.minimum_version = ssl.TLSVersion.TLSv1
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # OpenSSL 3 refuses TLS 1.0/1.1 at the default level
    context.load_cert_chain(*web_faults.tls_material(cfg))
    return context


def redirect_app(https_base: str):
    def app(environ, start_response):
        target = https_base + environ.get("PATH_INFO", "/")
        if environ.get("QUERY_STRING"):
            target += "?" + environ["QUERY_STRING"]
        start_response(
            "301 Moved Permanently", [("Location", target), ("Content-Type", "text/plain"), ("Content-Length", "0")]
        )
        return [b""]

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run-dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    cfg = load_config(args.run_dir)
    shop_app = web_faults.WebFaults(create_app(cfg), cfg["faults_dir"])
    https = make_server(
        "127.0.0.1",
        cfg["https_port"],
        shop_app,
        threaded=True,
        request_handler=QuietHandler,
        ssl_context=tls_context(cfg),
    )
    http = make_server(
        "127.0.0.1",
        cfg["http_port"],
        web_faults.http_front(redirect_app(cfg["base_url"]), shop_app, cfg["faults_dir"]),
        threaded=True,
        request_handler=QuietHandler,
    )
    threading.Thread(target=http.serve_forever, daemon=True, name="http-redirect").start()
    https.serve_forever()


if __name__ == "__main__":
    main()
