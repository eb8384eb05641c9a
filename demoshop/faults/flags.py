"""Fault flags: a switched-on fault leaves a marker file RUN/faults/<name>; the component it breaks
(the shop's views, templates and WSGI front, the SMTP server, the gateway) reads the marker per
request through `is_on`. For a flag fault the marker is the whole fault; a few other faults' markers
are read as flags too (oversized_image, dated_dump_soft_404, tls10_enabled).

Every flag a component reads is named here, and `is_on` refuses any other name: a misspelt flag
fails at once instead of silently disabling its fault. A leaf: it imports nothing of the demo shop.
"""

from __future__ import annotations

from pathlib import Path

# ---- checkout and pages in a browser (faults/browser.py) ----------------------------------------
PAYMENT_500 = "payment_500"
ORDER_WITHOUT_ITEMS = "order_without_items"
TOTALS_DIFFER = "totals_differ"
CONFIRMATION_EMAIL_OFF = "confirmation_email_off"
JS_ERROR = "js_error"
LOGIN_BROKEN = "login_broken"
STOCK0_SELLABLE = "stock0_sellable"
BANNER_OFF = "banner_off"
TRACKING_COOKIE_BEFORE_CONSENT = "tracking_cookie_before_consent"
# ---- the web front (faults/web.py) ---------------------------------------------------------------
DB_ERROR_PAGE = "db_error_page"
REDIRECT_OFF = "redirect_off"
SLOW_PAGES = "slow_pages"
ASSETS_UNCOMPRESSED = "assets_uncompressed"
OVERSIZED_IMAGE = "oversized_image"
TLS10_ENABLED = "tls10_enabled"
EXPOSED_ENV = "exposed_env"
SOFT_404 = "soft_404"
DATED_DUMP_SOFT_404 = "dated_dump_soft_404"
HEADERS_OFF = "headers_off"
META_DESCRIPTION_REMOVED = "meta_description_removed"
# ---- mail and payment gateways (faults/ops.py, faults/data.py) -----------------------------------
MAIL_DROPPED = "mail_dropped"
GATEWAY_OUTAGE = "gateway_outage"

# every constant above (the module's upper-case strings)
ALL = frozenset(value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str))


def folder(run_dir: str | Path) -> Path:
    """Where a stack's fault markers are: RUN/faults."""
    return Path(run_dir) / "faults"


def is_on(flag: str, faults_dir: str | Path) -> bool:
    """Whether the fault flag `flag` (one of this module's constants) is switched on."""
    if flag not in ALL:
        raise ValueError(f"unknown fault flag {flag!r}: declare it in demoshop/faults/flags.py")
    return (Path(faults_dir) / flag).exists()


def active(faults_dir: str | Path) -> list[str]:
    """The names of every fault switched on (their markers), sorted."""
    directory = Path(faults_dir)
    return sorted(entry.name for entry in directory.iterdir()) if directory.is_dir() else []
