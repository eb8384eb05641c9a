"""The public status page: `status.html`, `status.json` and SVG badges, for customers.

Written next to the dashboard after every run and by `dija-monitor status-page --out DIR` for
publishing. Nothing internal reaches it (see view.py).
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from runner.errors import MonitorError
from runner.files import write_atomically
from runner.statuspage.badges import badge, slug
from runner.statuspage.view import status_view
from runner.templates import environment

log = logging.getLogger(__name__)


def render(store, settings, now: float | None = None) -> dict[str, str]:
    """Relative file name → content: status.html, status.json, badges/overall.svg, badges/<area>.svg."""
    now = time.time() if now is None else now
    page = status_view(store, settings, now)
    env = environment("runner.statuspage")
    for area in page["areas"]:
        area["badge"] = f"badges/{slug(area['name'])}.svg"
    files = {
        "status.html": env.get_template("status.html.j2").render(**page),
        "status.json": json.dumps(
            {k: v for k, v in page.items() if k != "headline"}
            | {"areas": [{k: v for k, v in a.items() if k != "badge"} for a in page["areas"]]},
            indent=1,
        ),
        "badges/overall.svg": badge(page["title"], page["status"]),
    }
    for area in page["areas"]:
        files[area["badge"]] = badge(area["name"], area["status"])
    return files


def write_status_page(store, settings, out: Path, now: float | None = None) -> Path:
    """Write every file into `out`, each replaced atomically; return the status.html path."""
    out = Path(out)
    try:
        for name, text in render(store, settings, now).items():
            write_atomically(out / name, text)
    except OSError as exc:
        raise MonitorError(f"status page {out}: {exc.strerror}") from None
    log.info("status page written: %s", out / "status.html")
    return out / "status.html"
