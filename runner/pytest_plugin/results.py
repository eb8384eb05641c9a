"""The machine-readable result file: one record per check, written at the end of the session.

Works under pytest-xdist: records are built from reports on the controller, where every
worker's reports arrive with their markers' values in `user_properties`.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from runner.pytest_plugin.contract import is_check, marker_value
from runner.pytest_plugin.fixtures import MEASUREMENT_PREFIX
from runner.summary import PROGRESS_PREFIX

RESULTS_VERSION = 1


def pytest_addoption(parser):
    parser.getgroup("dija-monitor").addoption(
        "--progress", dest="monitor_progress", action="store_true",
        help=f"print a line '{PROGRESS_PREFIX}{{json}}' when collection ends and as each check starts and finishes "
             "(read by dija-monitor for its progress display and for partial results)")


def pytest_configure(config):
    path = config.getoption("monitor_results", None)
    if path and not hasattr(config, "workerinput"):
        progress = config.pluginmanager if config.getoption("monitor_progress", False) else None
        config.pluginmanager.register(ResultCollector(Path(path), progress), "dija-results")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Copy the check's identity into user_properties so it reaches the controller with xdist."""
    if is_check(item) and not any(k == "check" for k, _ in item.user_properties):
        item.user_properties.append(("check", identity(item)))


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
        self.started = datetime.now(timezone.utc)
        self.records: dict[str, dict] = {}
        self.check_ids: set[str] = set()
        self.counted = False

    def pytest_collection_finish(self, session):
        """Under --collect-only the result file lists the catalogue (outcome "collected")."""
        checks = [item for item in session.items if is_check(item)]
        self.check_ids = {item.nodeid for item in checks}  # none on an xdist controller: it does not collect
        if session.config.option.collectonly:
            self.records = {item.nodeid: {"id": item.nodeid, "duration": 0.0, **identity(item), "outcome": "collected"}
                            for item in checks}
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
            record = self.records[report.nodeid]
            self._emit({"check": {**record, "name": record["id"].split("::", 1)[-1]}})

    def _record(self, report, outcome: str) -> None:
        record = self.records.setdefault(report.nodeid, {"id": report.nodeid, "duration": 0.0})
        record["duration"] += report.duration
        props = dict(p for p in report.user_properties if isinstance(p, (tuple, list)) and len(p) == 2)
        record.update(props.get("check", {}))
        record["measurements"] = {k.removeprefix(MEASUREMENT_PREFIX): v for k, v in props.items()
                                  if k.startswith(MEASUREMENT_PREFIX)}
        record["evidence"] = props.get("evidence", record.get("evidence", []))
        first_problem = record.get("outcome") not in ("fail", "error")  # a teardown error keeps the call's
        if report.when != "teardown" or (outcome == "error" and first_problem):
            record["outcome"], record["message"] = outcome, getattr(report, "dija_message", "")

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        for record in self.records.values():
            record["duration"] = round(record["duration"], 3)
            record["name"] = record["id"].split("::", 1)[-1]
        document = {
            "version": RESULTS_VERSION,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "exit_status": int(exitstatus),
            "checks": list(self.records.values()),
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}.{time.monotonic_ns()}")
        tmp.write_text(json.dumps(document, indent=1, default=str))
        tmp.replace(self.path)
