"""A check that hangs forever or kills its pytest process: the run is a recorded error and the
daemon's next run starts at its time (the scheduler on an injected clock, real pytest runs).

Covered elsewhere: the overall run timeout killing the process group (tests/runner/test_execute.py),
a job raising (tests/runner/test_schedule.py), pytest-timeout's outcome (tests/runner/test_pytest_plugin.py)."""

import time
from datetime import timedelta

from runner.execute import Selection
from runner.pipeline import open_store, run_once
from runner.schedule import Daemon
from tests.reliability.conftest import EVERY_10S, next_slot

BROKEN_WHILE_FLAGGED = '''
@check()
def test_broken_while_flagged():
    """Breaks ({action}) while the flag file exists, passes once it is gone."""
    if os.path.exists({flag!r}):
        {action}
'''
CRASH = "os._exit(1)"
CRASHED = (
    "pytest ended (exit 1) without finishing its checks: it crashed or was killed during "
    "test_synthetic.py::test_broken_while_flagged"
)


def broken(checks_settings, tmp_path, action, runner=""):
    """(settings, flag): one critical check doing `action` while the flag file exists."""
    flag = tmp_path / "broken.flag"
    flag.touch()
    settings = checks_settings(
        BROKEN_WHILE_FLAGGED.format(flag=str(flag), action=action), runner=runner, extra=EVERY_10S
    )
    return settings, flag


def recorded(settings):
    with open_store(settings.reports_dir()) as store:
        return [(r["status"], r["exit_code"], r["message"]) for r in reversed(store.runs())]


def test_a_check_hanging_forever_is_cut_by_its_timeout_and_the_next_run_starts_on_time(
    checks_settings, clock, tmp_path
):
    settings, flag = broken(
        checks_settings, tmp_path, "time.sleep(3600)", runner="check_timeout_seconds = 0.5\nrun_timeout_seconds = 60"
    )
    daemon = Daemon(settings, clock=clock.time)
    started = time.monotonic()
    next_slot(daemon, clock)
    assert time.monotonic() - started < 10  # well within the 10 s slot: the next one is not missed
    assert daemon.scheduler.jobs[0].next_run == clock.now + timedelta(seconds=10)
    with open_store(settings.reports_dir()) as store:
        [result] = store.history(store.find_checks("test_broken_while_flagged")[0])
    assert result.outcome == "error" and result.message.startswith("could not finish: Timeout (>0.5s)")
    flag.unlink()
    next_slot(daemon, clock)
    assert daemon.exit_codes == [1, 0]
    assert [status for status, _, _ in recorded(settings)] == ["failed", "passed"]


def test_a_check_killing_pytest_is_a_runner_error_naming_it_and_the_daemon_goes_on(checks_settings, clock, tmp_path):
    settings, flag = broken(checks_settings, tmp_path, CRASH)
    daemon = Daemon(settings, clock=clock.time)
    next_slot(daemon, clock)
    assert recorded(settings) == [("error", 3, CRASHED)]
    flag.unlink()
    next_slot(daemon, clock)
    assert daemon.exit_codes == [3, 0]
    assert [status for status, _, _ in recorded(settings)] == ["error", "passed"]


def test_a_check_killing_its_xdist_worker_is_a_runner_error_too(checks_settings, tmp_path):
    settings, _ = broken(checks_settings, tmp_path, CRASH, runner="workers = 2")
    result, _ = run_once(settings, Selection("critical"))  # xdist replaces the worker and goes on
    assert (result.exit_code, result.error) == (3, CRASHED)
    assert recorded(settings) == [("error", 3, CRASHED)]
