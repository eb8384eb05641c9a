"""The deploy gate's options (`dija-monitor verify` passes them): the deploy's start, the backup
that must precede it, and the timings of the 24 h before it.

`--since` makes the log checks judge only what happened after the deploy started. `--baseline`
names a JSON file of timing medians from the history (written by the runner): a check that passes
but whose timing grew past the file's ratios is degraded, or failed, with the ratio in its message.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from runner.pytest_plugin.fixtures import MEASUREMENT_PREFIX

BASELINE_KEY = pytest.StashKey[dict]()


def pytest_addoption(parser):
    group = parser.getgroup("dija-monitor")
    group.addoption(
        "--since",
        dest="monitor_since",
        default=None,
        type=_aware_time,
        metavar="TIME",
        help="the deploy's start (ISO 8601): log checks judge only what happened after it",
    )
    group.addoption(
        "--backup-within",
        dest="monitor_backup_within",
        default=None,
        type=float,
        metavar="MINUTES",
        help="the deploy gate: a full backup must be at most this old when the deploy started",
    )
    group.addoption(
        "--baseline",
        dest="monitor_baseline",
        default=None,
        metavar="FILE",
        help="timing medians of the 24 h before the deploy (JSON, written by dija-monitor verify)",
    )


def _aware_time(text: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(text)
    return when if when.tzinfo else when.astimezone()  # a naive time is local time


def pytest_configure(config):
    since = config.getoption("monitor_since", None)
    if since is None:
        return
    try:
        from pytest_metadata.plugin import metadata_key
    except ImportError:
        return
    config.stash.setdefault(metadata_key, {})["Deploy gate: since"] = since.isoformat(timespec="seconds")


@pytest.fixture(scope="session")
def deploy_since(pytestconfig) -> dt.datetime | None:
    """The deploy's start when the checks run as the deploy gate (--since), else None."""
    return pytestconfig.getoption("monitor_since")


@pytest.fixture(scope="session")
def backup_within(pytestconfig) -> float | None:
    """Minutes before the deploy within which a full backup must have been taken (--backup-within)."""
    return pytestconfig.getoption("monitor_backup_within")


def load_baseline(config) -> dict:
    path = config.getoption("monitor_baseline", None)
    if not path:
        return {}
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise pytest.UsageError(f"--baseline {path}: unreadable ({exc})") from None


def slowdowns(baseline: dict, check_id: str, measurements: dict[str, float]) -> tuple[str, list[str]]:
    """('fail' | 'degraded' | '', the slowdowns named with their ratio) of one check's timings."""
    medians = baseline.get("checks", {}).get(check_id, {})
    warn, fail, floor = baseline["warn_ratio"], baseline["fail_ratio"], baseline["min_increase_seconds"]
    worst, found = "", []
    for name, now in measurements.items():
        before = medians.get(name)
        if not before or now - before < floor or now / before < warn:
            continue
        ratio = now / before
        over = fail if ratio >= fail else warn
        worst = "fail" if ratio >= fail or worst == "fail" else "degraded"
        found.append(
            f"{name} {now:.2f} s vs {before:.2f} s (median of the 24 h before the deploy): ×{ratio:.1f} ≥ ×{over:g}"
        )
    return worst, found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A passing check that got slower than the baseline allows: degraded, or failed past fail_ratio."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or getattr(report, "dija_outcome", None) not in ("pass", "degraded"):
        return
    baseline = item.config.stash.get(BASELINE_KEY, None)
    if baseline is None:
        baseline = item.config.stash[BASELINE_KEY] = load_baseline(item.config)
    if not baseline:
        return
    figures = {
        k.removeprefix(MEASUREMENT_PREFIX): v
        for k, v in item.user_properties
        if isinstance(k, str) and k.startswith(MEASUREMENT_PREFIX)
    }
    worst, found = slowdowns(baseline, item.nodeid, figures)
    if not worst:
        return
    message = "slower since the deploy: " + "; ".join(found)
    if report.dija_message:
        message = f"{report.dija_message}; {message}"
    report.dija_outcome, report.dija_message = worst, message
    if worst == "fail":
        report.outcome, report.longrepr = "failed", message
