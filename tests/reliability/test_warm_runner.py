"""The daemon's warm runner (runner.warm): each run a child forked from a warm parent, with the
isolation of the cold subprocess. Real pytest runs, the scheduler on an injected clock."""

import json
import logging
import os
import signal

import psutil
import pytest

from runner import config
from runner.execute import Selection, run_checks
from runner.schedule import Daemon
from runner.warm import WarmRunner
from tests.reliability.conftest import EVERY_10S, next_slot
from tests.reliability.test_broken_checks import (
    BROKEN_WHILE_FLAGGED,
    CRASH,
    CRASHED,
    broken,
    recorded,
)
from tests.runner.test_against_demo import demo_config

COLD = "cold run:"


@pytest.fixture
def warm_daemon(clock):
    """warm_daemon(settings): a Daemon on the fake clock running warm; its warm parents are stopped after."""
    daemons = []

    def make(settings) -> Daemon:
        daemon = Daemon(settings, clock=clock.time)
        daemon.start_warm()
        daemons.append(daemon)
        return daemon

    yield make
    for daemon in daemons:
        daemon.stop_warm()


def cold_runs(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(COLD)]


def comparable(run_dir) -> list[tuple]:
    """What a run's result file says of each check, without its timings."""
    checks = json.loads((run_dir / "results.json").read_text())["checks"]
    return [(c["id"], c["outcome"], c["message"], sorted(c["measurements"]), c["area"], c["severity"]) for c in checks]


def test_a_warm_run_against_the_demo_gives_what_a_cold_one_gives(demo, tmp_path, caplog):
    settings = config.load(demo_config(demo, tmp_path))
    warm = WarmRunner(settings)
    warm.refresh()
    try:
        with caplog.at_level(logging.INFO):
            cold = run_checks(settings, Selection("critical"), tmp_path / "reports")
            hot = run_checks(settings, Selection("critical"), tmp_path / "reports", start=warm.start)
    finally:
        warm.stop()
    assert cold_runs(caplog) == []
    assert (hot.status, hot.error, hot.pytest_exit) == (cold.status, cold.error, cold.pytest_exit) == ("passed", "", 0)
    assert comparable(hot.run_dir) == comparable(cold.run_dir) and len(hot.checks) == 2
    assert {p.name for p in hot.run_dir.iterdir()} == {p.name for p in cold.run_dir.iterdir()}
    assert "2 passed" in (hot.run_dir / "pytest.log").read_text()


def test_a_check_hanging_in_a_warm_child_is_stopped_by_the_run_timeout_and_the_next_run_works(
    checks_settings, warm_daemon, clock, tmp_path, caplog
):
    settings, flag = broken(checks_settings, tmp_path, "time.sleep(3600)", runner="run_timeout_seconds = 3")
    daemon = warm_daemon(settings)
    with caplog.at_level(logging.INFO):
        next_slot(daemon, clock)
        [(status, code, message)] = recorded(settings)
        assert (status, code) == ("error", 3) and "run timed out after 3 s" in message
        children = psutil.Process(daemon.warm.parent.process.pid).children(recursive=True)
        assert children == []  # the hung child and its group are gone; the parent still serves
        flag.unlink()
        next_slot(daemon, clock)
    assert daemon.exit_codes == [3, 0]
    assert [status for status, _, _ in recorded(settings)] == ["error", "passed"]
    assert cold_runs(caplog) == []


def test_a_warm_child_killing_itself_is_reported_as_a_cold_crash_is(
    checks_settings, warm_daemon, clock, tmp_path, caplog
):
    settings, flag = broken(checks_settings, tmp_path, CRASH)
    daemon = warm_daemon(settings)
    with caplog.at_level(logging.INFO):
        next_slot(daemon, clock)
        assert recorded(settings) == [("error", 3, CRASHED)]
        flag.unlink()
        next_slot(daemon, clock)
    assert daemon.exit_codes == [3, 0]
    assert cold_runs(caplog) == []


def test_an_edited_check_is_run_as_edited_by_a_new_warm_parent(checks_settings, warm_daemon, clock, tmp_path, caplog):
    settings, flag = broken(checks_settings, tmp_path, 'assert False, "the first version"')
    daemon = warm_daemon(settings)
    first_parent = daemon.warm.parent.process.pid
    next_slot(daemon, clock)
    check = tmp_path / "checks" / "test_synthetic.py"
    check.write_text(check.read_text().replace("the first version", "the edited version"))
    with caplog.at_level(logging.INFO):
        next_slot(daemon, clock)
    first, edited = (r.message for r in store_results(settings))
    assert "the first version" in first and "the edited version" in edited
    assert daemon.warm.parent.process.pid != first_parent
    assert not psutil.pid_exists(first_parent) or psutil.Process(first_parent).status() == psutil.STATUS_ZOMBIE
    assert cold_runs(caplog) == []
    assert flag.exists()


def store_results(settings):
    from runner.pipeline import open_store

    with open_store(settings.reports_dir()) as store:
        return list(reversed(store.history(store.find_checks("test_broken_while_flagged")[0])))


def test_a_dead_warm_parent_is_replaced_with_a_logged_reason(checks_settings, warm_daemon, clock, tmp_path, caplog):
    settings, flag = broken(checks_settings, tmp_path, CRASH)
    flag.unlink()
    daemon = warm_daemon(settings)
    next_slot(daemon, clock)
    dead = daemon.warm.parent.process.pid
    os.kill(dead, signal.SIGKILL)
    daemon.warm.parent.process.wait()
    with caplog.at_level(logging.INFO):
        next_slot(daemon, clock)
    assert f"the warm parent died (code -{signal.SIGKILL})" in caplog.text
    assert daemon.exit_codes == [0, 0] and daemon.warm.parent.process.pid != dead


def test_checks_that_start_a_thread_at_import_run_cold_with_the_reason_logged(
    checks_settings, warm_daemon, clock, caplog
):
    body = (
        BROKEN_WHILE_FLAGGED.format(flag="/nonexistent", action="pass")
        + "\nimport threading\nthreading.Thread(target=time.sleep, args=(30,), daemon=True).start()\n"
    )
    settings = checks_settings(body, extra=EVERY_10S)
    daemon = warm_daemon(settings)
    with caplog.at_level(logging.INFO):
        next_slot(daemon, clock)
        next_slot(daemon, clock)
    assert "before it was ready: runs go cold until the checks or the config change" in caplog.text
    assert len(cold_runs(caplog)) == 2 and daemon.exit_codes == [0, 0]
    assert daemon.warm.parent is None


def test_warm_false_runs_cold_and_the_critical_cadence_defaults_follow_it(checks_settings, monkeypatch):
    from runner.cadences import interval_seconds

    warm = checks_settings(BROKEN_WHILE_FLAGGED.format(flag="/nonexistent", action="pass"))
    cold = checks_settings(
        BROKEN_WHILE_FLAGGED.format(flag="/nonexistent", action="pass"), extra="[schedule]\nwarm = false\n"
    )
    assert (interval_seconds(warm.schedule, "critical"), interval_seconds(cold.schedule, "critical")) == (60, 300)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # serve() would take over this process's signals
    for settings, warm_runs in ((cold, []), (warm, [True])):
        started = []
        daemon = Daemon(settings, reports_dir=settings.reports_dir())
        daemon.start_warm = lambda started=started: started.append(True)
        daemon.catch_up = list  # no runs
        daemon.stop_requested = True  # serve() returns at once
        assert daemon.serve() == 0 and started == warm_runs
