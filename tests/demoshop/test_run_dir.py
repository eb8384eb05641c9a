"""The demo's run dir lives outside the checkout, one per checkout and shape, so a clone in a 0700
home (root's on Debian, most users') runs the demo: Dovecot reads the mail as `mail`, which cannot
pass that home. `python -m demoshop down` stops the stack and removes its run dir."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest

from demoshop.errors import DemoError
from demoshop.layout import default_run_dir, prepare_run_dir
from demoshop.procs import port_open
from demoshop.stack import Stack, traversable_temp_dir
from runner.pipeline import open_store

PROJECT_ROOT = Path(__file__).resolve().parents[2]
EMAIL_CHECK = "checks/test_email.py::test_email_round_trip"
DATABASE_CHECK = "checks/test_database.py::test_database_answers_quickly"


@pytest.mark.parametrize("variant, prefix", [(None, "dija-demo-"), ("alt", "dija-demo-alt-")])
def test_run_dir_is_outside_the_checkout_one_per_checkout_and_shape(monkeypatch, variant, prefix):
    monkeypatch.delenv("DIJA_DEMO_DIR", raising=False)
    run_dir = default_run_dir(variant)
    assert run_dir.parent == Path(tempfile.gettempdir()) and run_dir.name.startswith(prefix)
    assert run_dir == default_run_dir(variant) and default_run_dir() != default_run_dir("alt")
    assert all(parent.stat().st_mode & 0o001 for parent in run_dir.parents)
    assert not run_dir.is_relative_to(PROJECT_ROOT)


def test_a_run_dir_another_user_made_is_refused():
    """The name in /tmp is predictable: a folder planted there by another user is not used."""
    with traversable_temp_dir("dija-owner-") as folder:
        planted = folder / "dija-demo-planted"
        planted.mkdir()
        nobody = pwd.getpwnam("nobody")
        os.chown(planted, nobody.pw_uid, nobody.pw_gid)
        with pytest.raises(DemoError, match="belongs to another user"):
            prepare_run_dir(planted)


def _run(cmd: list[str], clone: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DIJA_DEMO_DIR", "DIJA_MONITOR_CONFIG")}
    env["PYTHONPATH"] = str(clone)
    return subprocess.run(cmd, cwd=clone, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def clone_in_0700_home(tmp_path):
    """A git clone of this checkout (its HEAD) at HOME/x/clone, where HOME is 0700 like root's."""
    if shutil.which("git") is None or not (PROJECT_ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    os.chmod(home, 0o700)
    clone = home / "x" / "clone"
    cloned = subprocess.run(
        ["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)], capture_output=True, text=True, timeout=120
    )
    assert cloned.returncode == 0, cloned.stderr
    yield clone
    run_dir = default_run_dir_of(clone)
    if (run_dir / "state.json").exists():  # the test failed half-way: stop what it started
        Stack.attach(run_dir).remove()


def default_run_dir_of(clone: Path) -> Path:
    found = _run([sys.executable, "-c", "from demoshop.layout import default_run_dir; print(default_run_dir())"], clone)
    assert found.returncode == 0, found.stderr
    return Path(found.stdout.strip())


def test_a_clone_in_a_0700_home_runs_the_demo_and_its_checks_and_down_leaves_nothing(clone_in_0700_home):
    clone = clone_in_0700_home
    run_dir = default_run_dir_of(clone)
    assert not run_dir.is_relative_to(clone) and run_dir != default_run_dir()  # its own, not this checkout's

    up = _run([sys.executable, "-m", "demoshop", "up"], clone)
    assert up.returncode == 0, up.stderr
    assert f"monitor config: {run_dir / 'monitor.toml'}" in up.stdout
    state = json.loads((run_dir / "state.json").read_text())
    pids = [component["pid"] for component in state["components"].values()]

    reports = clone / "reports"
    run = _run(
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            "--config",
            str(run_dir / "monitor.toml"),
            "-k",
            "test_email_round_trip or test_database_answers_quickly",
            "--reports-dir",
            str(reports),
        ],
        clone,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    with open_store(reports) as store:
        assert store.latest_result(EMAIL_CHECK).outcome == "pass"  # IMAP read the mail: Dovecot reached it
        assert store.latest_result(DATABASE_CHECK).outcome == "pass"

    down = _run([sys.executable, "-m", "demoshop", "down"], clone)
    assert down.returncode == 0 and "removed" in down.stdout, down.stderr
    assert not run_dir.exists()
    assert not [pid for pid in pids if _alive(pid)]
    assert not [port for port in state["ports"].values() if port_open(port)]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False
