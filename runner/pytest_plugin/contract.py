"""The check contract: options, registered markers, validation and selection of checks."""

from __future__ import annotations

import pytest

from runner.config import CADENCES, SEVERITIES
from runner.records import AREAS

MARKERS = {
    "cadence": "cadence(name): how often the check runs: " + ", ".join(CADENCES),
    "area": "area(name): the part of the shop the check watches: " + ", ".join(AREAS),
    "severity": "severity(level): critical or warning; routes the alert",
    "smoke": "smoke: part of the post-deployment verification (dija-monitor verify)",
    "runbook": "runbook(id): the docs/runbooks.md section with the steps to take",
    "alert": "alert(failure_threshold=, success_threshold=, reminder_interval_minutes=, send_on_resolved=, "
    "notify_degraded=): this check's alert policy (the config's [alerts.checks] wins)",
    "shop_data": "shop_data(*fields) or shop_data(from_config=KEY): the contract's fields the check reads "
    '("orders.total"; a trailing ? when it can do without) or the config key listing them',
}
REQUIRED = ("cadence", "area", "severity")


def pytest_addoption(parser):
    group = parser.getgroup("dija-monitor", "dija-monitor checks")
    group.addoption(
        "--config",
        dest="monitor_config",
        default=None,
        help="monitor config file (default: $DIJA_MONITOR_CONFIG or ./monitor.toml)",
    )
    group.addoption(
        "--cadence", dest="monitor_cadence", choices=CADENCES, default=None, help="run only the checks of this cadence"
    )
    group.addoption(
        "--smoke",
        dest="monitor_smoke",
        action="store_true",
        help="run only the smoke checks (post-deployment verification)",
    )
    group.addoption(
        "--results-json",
        dest="monitor_results",
        default=None,
        help="write every check's outcome, message and measurements to this JSON file",
    )
    group.addoption(
        "--evidence-dir",
        dest="monitor_evidence",
        default=None,
        help="folder for screenshots and traces of failed checks (default: reports/evidence)",
    )
    group.addoption(
        "--state-dir",
        dest="monitor_state",
        default=None,
        help="folder for the checks' state between runs (default: runner.state_dir)",
    )


def pytest_configure(config):
    for line in MARKERS.values():
        config.addinivalue_line("markers", line)


def is_check(item) -> bool:
    return item.get_closest_marker("cadence") is not None or item.nodeid.startswith("checks/")


def marker_value(item, name: str, default=None):
    marker = item.get_closest_marker(name)
    return marker.args[0] if marker and marker.args else default


def pytest_collection_modifyitems(session, config, items):
    problems = [p for item in items if is_check(item) for p in _contract_problems(item)]
    if problems:
        raise pytest.UsageError("checks break the check contract:\n  " + "\n  ".join(problems))
    cadence = config.getoption("monitor_cadence")
    smoke = config.getoption("monitor_smoke")
    if not cadence and not smoke:
        return
    keep, drop = [], []
    for item in items:
        wanted = (not cadence or marker_value(item, "cadence") == cadence) and (
            not smoke or item.get_closest_marker("smoke") is not None
        )
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _contract_problems(item) -> list[str]:
    problems = [
        f"{item.nodeid}: missing @pytest.mark.{name}(...)" for name in REQUIRED if marker_value(item, name) is None
    ]
    cadence, severity, area = (marker_value(item, name) for name in ("cadence", "severity", "area"))
    if cadence is not None and cadence not in CADENCES:
        problems.append(f"{item.nodeid}: cadence {cadence!r} is not one of {', '.join(CADENCES)}")
    if area is not None and area not in AREAS:
        problems.append(f"{item.nodeid}: area {area!r} is not one of {', '.join(AREAS)} (runner/records.py AREAS)")
    if severity is not None and severity not in SEVERITIES:
        problems.append(f"{item.nodeid}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
    if not (item.function.__doc__ or "").strip():
        problems.append(f"{item.nodeid}: no docstring (its first line is the alert text)")
    return problems


def configured(settings, name: str):
    """The config section `name`, or skip the check saying it is not configured."""
    section = getattr(settings, name, None)
    if section is None:
        pytest.skip(f"not configured: no [{name}] section in {settings.source}")
    return section
