"""Evidence of failures: a screenshot of the page (embedded in the pytest-html report) and the
check's Playwright trace, kept in the run's folder; plus the report's Status and Message columns
(degraded shows there)."""

from __future__ import annotations

import base64
import html
import logging
import re
from pathlib import Path

import pytest

from runner.pytest_plugin.browser import keep_trace

log = logging.getLogger(__name__)
STATUS_COLOURS = {"pass": "#1a7f37", "degraded": "#b7791f", "fail": "#cf222e", "error": "#8250df", "skipped": "#57606a"}


def evidence_dir(item) -> Path:
    configured = item.config.getoption("monitor_evidence", None)
    base = Path(configured) if configured else Path(item.config.rootpath) / "reports" / "evidence"
    return base / re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid.split("::", 1)[-1])[:80]


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    degraded = getattr(report, "dija_outcome", None) == "degraded"  # a pass by now: evidence all the same
    if report.when != "call" or (report.passed and not degraded) or report.skipped:
        return
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if page is None:
        return
    folder = evidence_dir(item)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        png = page.screenshot(full_page=True, timeout=5000)
    except Exception as exc:  # the page may be gone with the browser; the failure matters more
        log.warning("no screenshot for %s: %s", item.nodeid, exc)
        return
    path = folder / "screenshot.png"
    path.write_bytes(png)
    files = [str(path)]
    try:
        trace = keep_trace(item, folder)
    except Exception as exc:
        log.warning("no trace for %s: %s", item.nodeid, exc)
        trace = None
    files += [trace] if trace else []
    item.user_properties.append(("evidence", files))
    report.user_properties = list(item.user_properties)
    _attach_image(item, report, png, trace)


def _attach_image(item, report, png: bytes, trace: str | None = None) -> None:
    if not item.config.pluginmanager.hasplugin("html"):
        return
    import pytest_html

    extras = getattr(report, "extras", [])
    extras.append(pytest_html.extras.png(base64.b64encode(png).decode(), name="screenshot"))
    if trace:
        extras.append(pytest_html.extras.url(Path(trace).as_uri(), name="Playwright trace"))
    report.extras = extras


@pytest.hookimpl(optionalhook=True)
def pytest_html_report_title(report):
    report.title = "dija-monitor run report"


@pytest.hookimpl(optionalhook=True)
def pytest_html_results_table_header(cells):
    cells.insert(2, "<th>Status</th>")
    cells.insert(3, "<th>Message</th>")


# pytest-html 4 lays out a retested check's reports again when its next attempt ends: one row each
_FIRST_ATTEMPTS_SHOWN: set[tuple] = set()


@pytest.hookimpl(optionalhook=True)
def pytest_html_results_table_row(report, cells):
    if report.outcome == "rerun":
        attempt = (report.nodeid, getattr(report, "rerun", 0), report.when)
        if attempt in _FIRST_ATTEMPTS_SHOWN:
            cells.clear()  # pytest-html leaves out a row whose cells are emptied
            return
        _FIRST_ATTEMPTS_SHOWN.add(attempt)
    status = getattr(report, "dija_outcome", None) or report.outcome
    colour = STATUS_COLOURS.get(status, "#57606a")
    message = html.escape(getattr(report, "dija_message", "") or "")
    label = f"{status.upper()}, RETESTED" if report.outcome == "rerun" else status.upper()  # a first attempt
    cells.insert(2, f'<td style="color:{colour};font-weight:bold">{label}</td>')
    cells.insert(3, f"<td>{message}</td>")
