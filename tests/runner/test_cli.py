"""The command line: help, exit codes, checks, history, verify, and the daemon under SIGTERM."""

import logging
import os
import signal
import subprocess
import sys
import time

import pytest

from runner import cli
from runner.pipeline import open_store
from runner.schedule import LIVENESS_KEY
from tests.cli import dija, start_dija, stop

SUBCOMMANDS = ["check-config", "run", "schedule", "verify", "checks", "history", "demo"]
TWO_CHECKS = '''
@check()
def test_home_answers():
    """The home page answers: customers can reach the shop."""

@check(cadence="weekly", smoke=False)
def test_tables_healthy():
    """Tables are healthy."""
'''


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_a_helpful_help(command, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.main([command, "--help"])
    assert exited.value.code == 0
    text = capsys.readouterr().out
    assert "exit codes" in text and len(text.splitlines()) > 5


def test_a_bad_config_is_exit_2_with_one_clear_message_and_no_traceback(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('[site]\nbase_url = "https://shop.example"\n[runner]\nworkers = 0\nbogus = 1\n')
    done = dija("run", "--config", str(path))
    assert done.returncode == 2 and done.stdout == ""
    assert "runner.workers: Input should be greater than or equal to 1" in done.stderr
    assert "runner.bogus: unknown key" in done.stderr and "Traceback" not in done.stderr


def test_the_command_exits_fast_yet_flushes_its_output_and_runs_the_exit_functions(checks_settings, tmp_path, capsys):
    settings = checks_settings(TWO_CHECKS)
    assert cli.main(["checks", "--config", str(settings.source)]) == 0
    in_process = capsys.readouterr().out
    marker = tmp_path / "atexit-ran"
    script = (
        "import atexit, pathlib, sys; from runner.__main__ import entry_point; "
        f"atexit.register(pathlib.Path({str(marker)!r}).write_text, 'ran'); "
        f"sys.argv = ['dija-monitor', 'checks', '--config', {str(settings.source)!r}]; entry_point()"
    )
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # a pipe: block-buffered
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, env=buffered)
    assert done.returncode == 0, done.stderr
    assert done.stdout == in_process and "test_tables_healthy" in done.stdout
    assert marker.read_text() == "ran"


def test_checks_lists_the_catalogue_from_pytest_collection(checks_settings, capsys):
    settings = checks_settings(TWO_CHECKS)
    assert cli.main(["checks", "--config", str(settings.source), "--cadence", "weekly"]) == 0
    out = capsys.readouterr().out
    assert "test_tables_healthy" in out and "weekly" in out and "Tables are healthy." in out
    assert "test_home_answers" not in out and "1 checks" in out


def test_history_shows_a_checks_results_and_lists_candidates_when_ambiguous(checks_settings, capsys):
    settings = checks_settings(TWO_CHECKS)
    folder = settings.reports_dir()
    with open_store(folder) as store:
        for outcome, at in (("pass", 1_700_000_000), ("fail", 1_700_000_300)):
            store.record_run(
                "critical",
                [
                    {
                        "id": "checks/test_a.py::test_home_answers",
                        "outcome": outcome,
                        "message": "HTTP 503" if outcome == "fail" else "",
                    },
                    {"id": "checks/test_a.py::test_home_images", "outcome": "pass"},
                ],
                status="x",
                exit_code=0,
                at=at,
            )
    assert cli.main(["history", "home_answers", "--config", str(settings.source)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("checks/test_a.py::test_home_answers: last 2 results")
    assert "FAIL" in lines[1] and "HTTP 503" in lines[1] and "ok" in lines[2]
    assert cli.main(["history", "home", "--config", str(settings.source)]) == 2
    err = capsys.readouterr().err
    assert "matches 2 checks" in err and "test_home_images" in err


def test_the_daemon_finishes_its_run_on_sigterm_and_exits_0(checks_settings):
    settings = checks_settings(
        '''
@check()
def test_slow():
    """Takes a few seconds."""
    time.sleep(3)
''',
        extra='[schedule]\ncadences = ["critical"]\ncritical_every_minutes = 60\n',
    )
    daemon = start_dija("schedule", "--config", str(settings.source))
    try:
        runs = settings.reports_dir() / "runs"
        deadline = time.monotonic() + 60
        while not (runs.exists() and any(runs.iterdir())) and time.monotonic() < deadline:
            time.sleep(0.1)  # the critical cadence is due at start: never run
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=120) == 0, daemon.stdout.read()
    finally:
        stop(daemon)
    with open_store(settings.reports_dir()) as store:
        assert [(r["label"], r["status"]) for r in store.runs()] == [("critical", "passed")]
        assert store.get_meta(LIVENESS_KEY)["stopped"] is True


def test_secrets_are_scrubbed_from_the_log(tmp_path, monkeypatch, caplog):
    secret = "hunter2-hunter2"
    monkeypatch.setenv("DIJA_TEST_DB_PASSWORD", secret)
    path = tmp_path / "monitor.toml"
    path.write_text(
        '[site]\nbase_url = "https://shop.example"\n'
        '[database]\nname = "shop"\nuser = "m"\npassword_env = "DIJA_TEST_DB_PASSWORD"\n'
    )
    cli.load_settings(path)
    log = logging.getLogger("runner.test")
    log.error("connecting with %s", secret)
    try:
        raise ConnectionError(f"refused for {secret}")
    except ConnectionError:
        log.exception("the run failed")
    assert "connecting with ***" in caplog.text and "refused for ***" in caplog.text
    assert secret not in caplog.text
