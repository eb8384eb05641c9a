"""docs/runbooks.md, read into sections: `## Title {#id}` headings, each with numbered steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RUNBOOKS = Path(__file__).with_name("runbooks.md")  # a link to docs/runbooks.md; a copy when installed
_HEADING = re.compile(r"^## (?P<title>.+?) \{#(?P<id>[a-z0-9-]+)\}\s*$")
_STEP = re.compile(r"^\d+\.\s+(?P<text>.+)$")


@dataclass(frozen=True)
class Runbook:
    id: str
    title: str
    steps: tuple[str, ...]


def parse(text: str) -> dict[str, Runbook]:
    """Sections by id; a section's steps are its numbered lines."""
    sections: dict[str, Runbook] = {}
    current = None
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = Runbook(heading["id"], heading["title"], ())
            sections[current.id] = current
        elif current and (step := _STEP.match(line.strip())):
            current = Runbook(current.id, current.title, (*current.steps, step["text"]))
            sections[current.id] = current
    return sections


@lru_cache(maxsize=4)
def load(path: Path = RUNBOOKS) -> dict[str, Runbook]:
    try:
        return parse(path.read_text())
    except OSError:
        return {}


def find(runbook_id: str | None, area: str | None, books: dict[str, Runbook] | None = None) -> Runbook | None:
    """The check's runbook: its marker's id, else its area's section, else None."""
    books = load() if books is None else books
    for key in (runbook_id, area):
        if key and key in books:
            return books[key]
    return None


PUBLISHED = "runbooks.md"  # the copy next to the reports, reached through alerts.report_base_url


def public_url(alerts) -> str:
    """The runbooks' absolute URL for alert links: runbook_base_url, else the copy under report_base_url."""
    if alerts.runbook_base_url:
        return alerts.runbook_base_url
    return f"{alerts.report_base_url.rstrip('/')}/{PUBLISHED}" if alerts.report_base_url else ""


def publish(reports_dir: Path, source: Path = RUNBOOKS) -> Path | None:
    """Copy the runbooks next to the reports (when changed), so a report_base_url link finds them."""
    target = Path(reports_dir) / PUBLISHED
    try:
        text = source.read_text()
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
    except OSError:
        return None
    return target
