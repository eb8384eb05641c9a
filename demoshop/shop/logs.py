"""The shop's log files: combined-format access log and PHP-style error log."""

from __future__ import annotations

import datetime as dt
import threading

from flask import current_app, request

_lock = threading.Lock()


def _append(path: str, line: str) -> None:
    with _lock, open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")


def php_error(level: str, message: str, script: str, line: int) -> None:
    """Append `[25-Nov-2026 10:00:00 UTC] PHP Warning:  message in /var/www/dija/script on line N`."""
    stamp = dt.datetime.now(dt.UTC).strftime("%d-%b-%Y %H:%M:%S UTC")
    _append(
        current_app.config["SHOP"]["logs"]["php_errors"],
        f"[{stamp}] PHP {level}:  {message} in /var/www/dija/{script} on line {line}",
    )


def access(response) -> None:
    stamp = dt.datetime.now(dt.UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")
    target = request.full_path.rstrip("?") if request.query_string else request.path
    size = response.content_length if response.content_length is not None else "-"
    referer = request.headers.get("Referer", "-")
    agent = request.headers.get("User-Agent", "-").replace('"', "'")
    protocol = request.environ.get("SERVER_PROTOCOL", "HTTP/1.1")
    line = (
        f'{request.remote_addr} - - [{stamp}] "{request.method} {target} {protocol}" '
        f'{response.status_code} {size} "{referer}" "{agent}"'
    )
    _append(current_app.config["SHOP"]["logs"]["access"], line)
