"""Files in the web root, served as a front server would when no route matches: a path that is a
regular file inside the root is sent as it is, unless a rule refuses it (403).

Refused: hidden files and folders (.htaccess, .git/...), PHP sources (the front server runs them,
it never sends them), and anything below a folder whose .htaccess says `Require all denied`
outside a <Files> block."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Response, send_file

DENY_ALL = "require all denied"
PHP_SUFFIXES = (".php", ".phtml", ".phar")


def file_response(web_root: str | None, url_path: str) -> Response | None:
    """The file at `url_path` in `web_root` (403 when refused), or None when there is none."""
    if not web_root:
        return None
    root = Path(web_root).resolve()
    path = (root / url_path.lstrip("/")).resolve()
    if not path.is_relative_to(root) or not path.is_file() or path == root:
        return None
    parts = path.relative_to(root).parts
    if any(part.startswith(".") for part in parts) or _denied(root, path.parent):
        return Response("Forbidden\n", 403, mimetype="text/plain")
    if path.suffix.lower() in PHP_SUFFIXES:
        return None
    kind, encoding = mimetypes.guess_type(path.name)
    mimetype = "application/gzip" if encoding == "gzip" else kind or "application/octet-stream"
    return send_file(path, mimetype=mimetype, max_age=0)


def _denied(root: Path, folder: Path) -> bool:
    while folder.is_relative_to(root):
        if _denies_all(folder / ".htaccess"):
            return True
        if folder == root:
            return False
        folder = folder.parent
    return False


def _denies_all(htaccess: Path) -> bool:
    try:
        lines = htaccess.read_text().splitlines()
    except OSError:
        return False
    depth = 0
    for line in (line.strip().lower() for line in lines):
        if line.startswith("</"):
            depth -= 1
        elif line.startswith("<"):
            depth += 1
        elif depth == 0 and line == DENY_ALL:
            return True
    return False
