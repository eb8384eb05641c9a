"""`dija-monitor run` starts its pytest before it has read the config (runner.prestart): the run is
the cold path's, in that early process; a command that never runs checks leaves nothing behind."""

import json
import os
import subprocess
import sys
import uuid

import psutil

from runner.execute import PROJECT_ROOT, child_environment
from runner.prestart import Prestarted
from tests.cli import dija

WHO_RUNS_ME = '''
@check()
def test_records_its_process():
    """Writes the command line of the process running it."""
    import pathlib, os
    pathlib.Path(os.environ["DIJA_TEST_CMDLINE"]).write_bytes(pathlib.Path("/proc/self/cmdline").read_bytes())
'''


def marked_environment(**extra) -> tuple[dict, str]:
    mark = uuid.uuid4().hex
    return {**os.environ, "DIJA_TEST_MARK": mark, **extra}, mark


def processes_marked(mark: str) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("DIJA_TEST_MARK") == mark:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def test_run_carries_out_its_checks_in_the_prestarted_pytest(checks_settings, tmp_path):
    settings = checks_settings(WHO_RUNS_ME)
    cmdline = tmp_path / "cmdline"
    env, mark = marked_environment(DIJA_TEST_CMDLINE=str(cmdline))
    done = dija("run", "--config", str(settings.source), env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert cmdline.read_bytes().split(b"\0")[1:3] == [b"-m", b"runner.prestart"]
    (results,) = (settings.reports_dir() / "runs").glob("*Z-all/results.json")
    assert [c["outcome"] for c in json.loads(results.read_text())["checks"]] == ["pass"]
    assert processes_marked(mark) == []


def test_a_bad_config_kills_the_waiting_pytest_unused(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('[site]\nbase_url = "https://shop.example"\n[runner]\nworkers = 0\n')
    env, mark = marked_environment()
    done = dija("run", "--config", str(path), env=env)
    assert done.returncode == 2 and "runner.workers" in done.stderr
    assert processes_marked(mark) == []


def test_the_waiting_side_runs_nothing_when_no_arguments_come():
    done = subprocess.run(
        [sys.executable, "-m", "runner.prestart"],
        cwd=PROJECT_ROOT,
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_command_it_cannot_be_gets_a_fresh_pytest_and_it_is_killed():
    prestarted = Prestarted()
    try:
        other_folder = prestarted.start(
            [sys.executable, "-m", "pytest", "--version"], PROJECT_ROOT.parent, child_environment()
        )
        other_folder.communicate(timeout=60)
        assert other_folder is not prestarted.process and other_folder.returncode == 0
    finally:
        prestarted.discard()
    assert prestarted.process.returncode == -9


def test_only_the_commands_that_run_checks_get_one():
    assert Prestarted.for_command(["check-config", "--config", "x.toml"]) is None
    assert Prestarted.for_command(["run", "--help"]) is None
    for argv in (["-v", "run", "--cadence", "critical"], ["verify", "--since", "2026-12-02T10:00"]):
        prestarted = Prestarted.for_command(argv)
        assert prestarted is not None
        prestarted.discard()
