"""The machine-readable result file: one record per check, written at the end of the session.

Works under pytest-xdist: records are built from reports on the controller, where every
worker's reports arrive with their markers' values in `user_properties`.

A check retested by pytest-rerunfailures (`alerts.retries`) has one record: the outcome, message,
problems and measurements of its last attempt, the duration of its first, and `attempts` listing
each attempt's outcome, message and duration. Only a failure that survives the retest counts.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from runner.progress import PROGRESS_PREFIX
from runner.pytest_plugin.contract import is_check, marker_value
from runner.pytest_plugin.fixtures import MEASUREMENT_PREFIX
from runner.records import Attempt, CheckRecord

RESULTS_VERSION = 1
JUNIT_PROPERTIES = ("outcome", "message")


def pytest_addoption(parser):
    parser.getgroup("dija-monitor").addoption(
        "--progress",
        dest="monitor_progress",
        action="store_true",
        help=f"print a line '{PROGRESS_PREFIX}{{json}}' when collection ends and as each check starts and finishes "
        "(read by dija-monitor for its progress display and for partial results)",
    )


def pytest_configure(config):
    path = config.getoption("monitor_results", None)
    if path and not hasattr(config, "workerinput"):
        progress = config.pluginmanager if config.getoption("monitor_progress", False) else None
        config.pluginmanager.register(ResultCollector(Path(path), progress), "dija-results")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Copy the check's identity into user_properties so it reaches the controller with xdist."""
    if not is_check(item):
        return
    # a retest starts afresh: figures and evidence are those of the attempt that counts
    item.user_properties[:] = [
        (k, v) for k, v in item.user_properties if k != "evidence" and not str(k).startswith(MEASUREMENT_PREFIX)
    ]
    if not any(k == "check" for k, _ in item.user_properties):
        item.user_properties.append(("check", identity(item)))


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """The check's outcome and message as JUnit properties (outermost: after degraded and the gate's
    verdicts), so that a CI dashboard tells "passed with warnings" from a plain pass."""
    outcome = yield
    report = outcome.get_result()
    verdict = getattr(report, "dija_outcome", None)
    if verdict is None or not is_check(item):
        return
    properties = [(k, v) for k, v in item.user_properties if k not in JUNIT_PROPERTIES]
    properties += [("outcome", verdict), ("message", report.dija_message)]
    item.user_properties[:] = properties
    report.user_properties = list(properties)  # a teardown's verdict: its report is already made


def identity(item) -> dict:
    doc = (item.function.__doc__ or "").strip()
    return {
        "module": item.module.__name__.rsplit(".", 1)[-1] if item.module else "",
        "area": marker_value(item, "area", ""),
        "cadence": marker_value(item, "cadence", ""),
        "severity": marker_value(item, "severity", "warning"),
        "smoke": item.get_closest_marker("smoke") is not None,
        "runbook": marker_value(item, "runbook", None),
        "alert": dict(item.get_closest_marker("alert").kwargs) if item.get_closest_marker("alert") else None,
        "shop_data": _shop_data(item),
        "summary": doc.splitlines()[0] if doc else "",
        "doc": doc,
    }


def _shop_data(item) -> dict | None:
    """The contract's fields a check reads (its shop_data marker), for the probe; None: reads none."""
    marker = item.get_closest_marker("shop_data")
    return {"fields": list(marker.args), "from_config": marker.kwargs.get("from_config")} if marker else None


class ResultCollector:
    def __init__(self, path: Path, progress=None):
        self.path = path
        self.progress = progress  # with --progress: the plugin manager, to find the terminal
        self.started = datetime.now(UTC)
        self.records: dict[str, CheckRecord] = {}
        self.check_ids: set[str] = set()
        self.counted = False
        self.retested: set[str] = set()  # checks whose current attempt failed and is run again
        self.attempt_seconds: dict[tuple[str, int], float] = {}

    def pytest_collection_finish(self, session):
        """Under --collect-only the result file lists the catalogue (outcome "collected")."""
        checks = [item for item in session.items if is_check(item)]
        self.check_ids = {item.nodeid for item in checks}  # none on an xdist controller: it does not collect
        if session.config.option.collectonly:
            self.records = {
                item.nodeid: {"id": item.nodeid, "duration": 0.0, **identity(item), "outcome": "collected"}
                for item in checks
            }
        self._emit({"collected": len(checks)})

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        if not self.counted:  # the controller does not collect under xdist; each worker does
            self.counted = True
            self._emit({"collected": len(ids)})

    def _emit(self, data: dict) -> None:
        terminal = self.progress.get_plugin("terminalreporter") if self.progress else None
        if terminal is not None:
            terminal.write_line(PROGRESS_PREFIX + json.dumps(data, default=str))

    def pytest_runtest_logstart(self, nodeid, location):
        if not self.check_ids or nodeid in self.check_ids:
            self._emit({"started": nodeid})  # a check started and never finished is where pytest died

    def pytest_runtest_logreport(self, report):
        outcome = getattr(report, "dija_outcome", None)
        if outcome is not None:
            self._record(report, outcome)
        if report.when == "teardown" and report.nodeid in self.records:
            if report.nodeid in self.retested:  # the end of a failed attempt: the check runs again
                self.retested.discard(report.nodeid)
                return
            record = self.records[report.nodeid]
            self._finish_attempts(record, getattr(report, "rerun", 0))
            self._emit({"check": {**record, "name": record["id"].split("::", 1)[-1]}})

    def _record(self, report, outcome: str) -> None:
        record = self.records.setdefault(report.nodeid, {"id": report.nodeid, "duration": 0.0})
        attempt = getattr(report, "rerun", 0) or 0  # pytest-rerunfailures numbers the attempts from 0
        key = (report.nodeid, attempt)
        self.attempt_seconds[key] = self.attempt_seconds.get(key, 0.0) + report.duration
        record["duration"] = self.attempt_seconds.get((report.nodeid, 0), 0.0)  # the first attempt's
        props = dict(p for p in report.user_properties if isinstance(p, (tuple, list)) and len(p) == 2)
        record.update(props.get("check", {}))
        record["measurements"] = {
            k.removeprefix(MEASUREMENT_PREFIX): v for k, v in props.items() if k.startswith(MEASUREMENT_PREFIX)
        }
        record["evidence"] = props.get("evidence", [])
        first_problem = record.get("outcome") not in ("fail", "error")  # a teardown error keeps the call's
        if report.when != "teardown" or (outcome == "error" and first_problem):
            record["outcome"], record["message"] = outcome, getattr(report, "dija_message", "")
            record.pop("problems", None)
            if getattr(report, "dija_problems", None):  # a check that says its problems as a list
                record["problems"] = list(report.dija_problems)
        if report.outcome == "rerun" and report.nodeid not in self.retested:
            self.retested.add(report.nodeid)
            record.setdefault("attempts", []).append(self._attempt(record, attempt))

    def _attempt(self, record: CheckRecord, attempt: int) -> Attempt:
        return {
            "outcome": record["outcome"],
            "message": record["message"],
            "duration": round(self.attempt_seconds.get((record["id"], attempt), 0.0), 3),
        }

    def _finish_attempts(self, record: CheckRecord, attempt: int) -> None:
        """A retested check's last attempt joins its list of attempts."""
        if record.get("attempts") and len(record["attempts"]) == attempt:
            record["attempts"].append(self._attempt(record, attempt))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        for record in self.records.values():
            record["duration"] = round(record["duration"], 3)
            record["name"] = record["id"].split("::", 1)[-1]
        document = {
            "version": RESULTS_VERSION,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "exit_status": int(exitstatus),
            "checks": list(self.records.values()),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}.{time.monotonic_ns()}")
        tmp.write_text(json.dumps(document, indent=1, default=str))
        tmp.replace(self.path)
