"""Check outcomes beyond pytest's: degraded (a warning tier) and error (could not run).

pass      the check ran and everything is within limits
degraded  the check raised Degraded: working, but past the warning threshold
fail      an assertion (or pytest.fail) says the shop is broken
error     the check could not run: a fixture failed, or an unexpected exception
skipped   not configured

The outcome and a one-paragraph message are stored on the report (`dija_outcome`,
`dija_message`, and `dija_problems` for a check that fails through `no_problems(list)`); they
travel with the report through pytest-xdist.
"""

from __future__ import annotations

import pytest
import requests

from runner.clients.http import describe_error
from runner.pytest_plugin.fixtures import SCRUBBER_KEY

MAX_MESSAGE = 2000


class Degraded(Exception):
    """Raise from a check when a figure is past its warning threshold but not its failure one."""


class Problems(AssertionError):
    """A failure made of several problems, kept as a list: the alerts notice when one is new."""

    def __init__(self, problems: list[str], prefix: str = ""):
        super().__init__(prefix + "; ".join(problems))
        self.problems = list(problems)


def no_problems(problems: list[str], prefix: str = "") -> None:
    """Fail the check with every problem (message: `prefix` + the problems joined by "; ")."""
    if problems:
        raise Problems(problems, prefix)


# trylast: innermost, so that a degraded check is a pass before pytest-rerunfailures decides on a retest
@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    classified = classify(report, call)
    if classified is None:
        return
    kind, message = classified
    if kind == "degraded":
        report.outcome, report.longrepr = "passed", None
    scrub = item.config.stash.get(SCRUBBER_KEY, None)
    if scrub:
        message = scrub(message)
        _scrub_report(report, scrub)
    report.dija_outcome, report.dija_message = kind, message[:MAX_MESSAGE]
    if kind == "fail" and call.excinfo.errisinstance(Problems):
        report.dija_problems = [scrub(p) if scrub else p for p in call.excinfo.value.problems]


def classify(report, call) -> tuple[str, str] | None:
    """(outcome, message) for a phase that decides the check's outcome, else None."""
    excinfo = call.excinfo
    if report.when == "call" and excinfo is not None and excinfo.errisinstance(Degraded):
        return "degraded", str(excinfo.value)
    if report.skipped:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        return "skipped", reason.removeprefix("Skipped: ")
    if report.passed:
        return ("pass", "") if report.when == "call" else None
    if report.when == "call" and _timed_out(excinfo):
        return "error", f"could not finish: {_first_lines(str(excinfo.value), 1)}"
    if report.when == "call" and excinfo.errisinstance((AssertionError, pytest.fail.Exception)):
        return "fail", failure_message(excinfo)
    phase = {"setup": "could not start", "call": "could not run", "teardown": "failed to clean up"}[report.when]
    return "error", f"{phase}: {error_text(excinfo.value)}"


def error_text(exc: BaseException) -> str:
    """A short reason: requests' nested "Max retries exceeded ..." and Playwright's call log left out."""
    if isinstance(exc, requests.RequestException):
        url = exc.request.url if exc.request is not None else None
        return f"{url}: {describe_error(exc)}" if url else describe_error(exc)
    text = str(exc).split("\nCall log:")[0]
    return f"{type(exc).__name__}: {_first_lines(text)}"


def _timed_out(excinfo) -> bool:
    """pytest-timeout ends a check with pytest.fail("Timeout (>Ns) from pytest-timeout.")."""
    return excinfo.errisinstance(pytest.fail.Exception) and "from pytest-timeout" in str(excinfo.value)


def failure_message(excinfo) -> str:
    """The check's own message, without pytest's assertion introspection below it."""
    text = str(excinfo.value)
    for marker in ("\nassert ", "\nAssertionError"):
        text = text.split(marker)[0]
    return text.strip() or "assertion failed"


def _first_lines(text: str, count: int = 3) -> str:
    return "\n".join(text.strip().splitlines()[:count])


def _scrub_report(report, scrub) -> None:
    if report.longrepr is not None:
        text = str(report.longrepr)
        if scrub(text) != text:
            report.longrepr = scrub(text)
    report.sections = [(name, scrub(content)) for name, content in report.sections]


def pytest_report_teststatus(report, config):
    if report.when == "call" and getattr(report, "dija_outcome", None) == "degraded":
        return "degraded", "D", ("DEGRADED", {"yellow": True})
    return None
