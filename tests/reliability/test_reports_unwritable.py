"""reports/ unusable (tests run as root, so chmod would not stop a write: a regular file stands
where a folder must be): the checks still run (in a scratch folder), a clear error and exit code 3
without a traceback; the daemon logs it, pings the heartbeat's /fail, records it when the history
is still writable, and keeps going. A full or read-only disk: test_disk_full."""

import logging

import pytest

from runner.pipeline import open_store
from runner.schedule import Daemon
from tests.cli import dija
from tests.reliability.conftest import EVERY_10S, NOTICE, alerting, next_slot

ONE_CHECK = '''
@check()
def test_passes():
    """Passes."""
'''


@pytest.fixture
def blocker(tmp_path):
    """A regular file: nothing can be created under it, not even by root."""
    path = tmp_path / "not-a-folder"
    path.write_text("")
    return path


def test_run_with_an_unusable_reports_folder_is_exit_3_with_a_clear_message(checks_settings, blocker):
    settings = checks_settings(ONE_CHECK)
    done = dija("run", "--config", str(settings.source), "--reports-dir", str(blocker / "reports"))
    assert done.returncode == 3, done.stdout + done.stderr
    assert "[1/1] ok       test_passes" in done.stdout  # the checks ran all the same (alerts first)
    assert (
        f"RUNNER ERROR: cannot write the reports: cannot create the run folder {blocker}/reports/runs/" in done.stdout
    )
    assert done.stdout.rstrip().endswith(": Not a directory")  # no report line: there is no report
    assert f"history: history database {blocker}/reports/history.sqlite3" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_the_daemon_logs_and_pings_fail_when_it_cannot_write_anywhere_and_goes_on(
    checks_settings, clock, blocker, receiver, caplog
):
    settings = checks_settings(ONE_CHECK, extra=EVERY_10S + f'heartbeat_url = "{receiver.url}/hb"\n')
    daemon = Daemon(settings, blocker / "reports", clock=clock.time)
    with caplog.at_level(logging.WARNING, logger="runner.schedule"):
        next_slot(daemon, clock)
        next_slot(daemon, clock)
    assert daemon.exit_codes == [3, 3] and receiver.gets == ["/hb/fail", "/hb/fail"]
    assert (
        f"cannot open the run lock {blocker}/reports/locks/critical.lock (Not a directory): running without it"
        in caplog.text
    )  # the checks still run, so that their alerts go out (tests/reliability/test_disk_full.py)
    assert "Traceback" not in caplog.text


def test_the_daemon_records_a_run_folder_it_cannot_create_tells_it_once_and_goes_on(checks_settings, clock, receiver):
    settings = alerting(checks_settings, receiver, failure_threshold=1, extra=EVERY_10S)
    reports = settings.reports_dir()
    reports.mkdir()
    (reports / "runs").write_text("")  # the history beside it is fine
    daemon = Daemon(settings, clock=clock.time)
    next_slot(daemon, clock)
    next_slot(daemon, clock)
    assert daemon.exit_codes == [3, 3]
    with open_store(reports) as store:
        runs = [(r["status"], r["exit_code"], r["message"]) for r in store.runs()]
    assert len(runs) == 2
    for status, code, message in runs:
        assert (status, code) == ("error", 3)
        assert message.startswith(f"cannot write the reports: cannot create the run folder {reports}/runs/"), message
        assert message.endswith(": Not a directory")
    titles = sorted(body["title"] for body in receiver.on("/hook"))  # over both runs: the checks still ran
    assert titles == ["[FAILING] shop.invalid: test_site_is_down", NOTICE], titles
    with open_store(reports) as store:
        [state] = store.alert_states().values()
    assert state["failures"] == 2
