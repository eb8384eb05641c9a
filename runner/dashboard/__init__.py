"""The status dashboard `reports/index.html`: one self-contained page regenerated after each run."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from runner.dashboard.build import view
from runner.errors import MonitorError
from runner.files import write_atomically
from runner.templates import environment

log = logging.getLogger(__name__)
INDEX = "index.html"


def render(store, settings, now: float | None = None) -> str:
    """The dashboard's HTML (secrets scrubbed)."""
    now = time.time() if now is None else now
    env = environment("runner.dashboard")
    html = env.get_template("index.html.j2").render(**view(store, settings, now))
    return settings.scrubber()(html)


def write_dashboard(store, settings, now: float | None = None, path: Path | None = None) -> Path:
    """Render and atomically replace reports/index.html; return its path (the status page is runner.statuspage)."""
    path = Path(path or settings.reports_dir() / INDEX)
    html = render(store, settings, now)
    try:
        write_atomically(path, html)
    except OSError as exc:
        raise MonitorError(f"dashboard {path}: {exc.strerror}") from None
    log.info("dashboard written: %s (%d bytes)", path, len(html))
    return path
