"""App factory and the cross-cutting behaviour: headers, compression, caching, logs, errors, faults."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path

from flask import Flask, current_app, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader

from demoshop import shapes
from demoshop.faults import flags
from demoshop.shop import account, catalog, checkout, frontcontroller, logs, webroot
from demoshop.shop import db as shopdb
from demoshop.shop.context import fault_on

log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; script-src 'self'; "
    "style-src 'self'; frame-ancestors 'self'; form-action 'self'",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
COMPRESSIBLE = {
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "text/html",
    "application/xml",
    "text/plain",
}
CACHEABLE_PREFIXES = ("/static/", "/uploads/")


def load_config(run_dir: Path) -> dict:
    return json.loads((run_dir / "shop" / "config.json").read_text())


def create_app(cfg: dict) -> Flask:
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    shape = shapes.get(cfg.get("variant"))
    app.config.update(
        SHOP=cfg,
        SHAPE=shape,
        SECRET_KEY=cfg["secret_key"],
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SEND_FILE_MAX_AGE_DEFAULT=604800,
    )
    for module in (catalog, checkout, account):
        app.register_blueprint(module.bp)
    if shape.query_string_urls:
        _front_controller(app)
    app.teardown_appcontext(shopdb.close_db)
    app.before_request(_db_error_fault)
    app.after_request(_finish_response)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(shopdb.DatabaseDown, _database_down)
    app.context_processor(lambda: {"base_url": cfg["base_url"], "categories": catalog.CATEGORY_NAMES})
    app.context_processor(lambda: {"fault_on": fault_on, "flags": flags, "link": shape.path})
    return app


def _front_controller(app: Flask) -> None:
    """The alt shape: pages under /index.php?route=..., its own page templates over the default's."""
    app.register_blueprint(frontcontroller.bp)
    app.before_request(frontcontroller.no_path_routes)
    app.jinja_loader = ChoiceLoader([FileSystemLoader(Path(__file__).with_name("templates_alt")), app.jinja_loader])


def _is_asset() -> bool:
    return request.path.startswith(CACHEABLE_PREFIXES) or request.path in ("/favicon.ico", "/robots.txt")


def _db_error_fault():
    if fault_on(flags.DB_ERROR_PAGE) and not _is_asset() and request.method == "GET":
        return render_template(
            "error.html",
            title="Dija Accessories",
            heading="Dija Accessories",
            message="Database connection failed: please try again later.",
        ), 200
    return None


def _finish_response(response):
    for header, value in SECURITY_HEADERS.items():
        response.headers.setdefault(header, value)
    response.headers.pop("X-Powered-By", None)
    if fault_on(flags.TRACKING_COOKIE_BEFORE_CONSENT) and response.mimetype == "text/html":
        response.set_cookie("_ga_demo", "GA1.1.4711.1764000000", max_age=63072000, secure=True, samesite="Lax")
    if request.path.startswith(CACHEABLE_PREFIXES):
        response.headers["Cache-Control"] = "public, max-age=604800, immutable"
    elif response.mimetype == "text/html":
        private = request.path.startswith(("/cart", "/checkout", "/account", "/admin", "/order")) or request.args.get(
            "route", ""
        ).startswith(("cart", "checkout", "account"))
        response.headers["Cache-Control"] = "no-store" if private else "no-cache"
    _compress(response)
    logs.access(response)
    return response


def _compress(response) -> None:
    if (
        "gzip" not in request.headers.get("Accept-Encoding", "")
        or response.mimetype not in COMPRESSIBLE
        or response.status_code != 200
        or "Content-Encoding" in response.headers
    ):
        return
    response.direct_passthrough = False
    data = response.get_data()
    if len(data) < 200:
        return
    response.set_data(gzip.compress(data, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.add("Vary", "Accept-Encoding")


def _not_found(_exc):
    """A file in the web root if there is one, else the not-found page (answering 200 under a soft-404 fault)."""
    served = webroot.file_response(current_app.config["SHOP"].get("web_root"), request.path)
    if served is not None:
        return served
    status = 200 if fault_on(flags.SOFT_404) or fault_on(flags.DATED_DUMP_SOFT_404) else 404
    return render_template(
        "error.html",
        title="Page not found",
        heading="Page not found",
        message="Sorry, we could not find that page. Browse our collections instead.",
    ), status


def _database_down(_exc):
    return render_template(
        "error.html",
        title="Dija Accessories",
        heading="Dija Accessories",
        message="Database connection failed: please try again later.",
    ), 503
