"""`python -m demoshop` drives a stack in $DIJA_DEMO_DIR, and `down` leaves nothing running and removes it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from demoshop.stack import traversable_temp_dir


def _cli(run_dir: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DIJA_DEMO_DIR": str(run_dir)}
    return subprocess.run(
        [sys.executable, "-m", "demoshop", *args], env=env, capture_output=True, text=True, timeout=60
    )


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def cli_dir():
    with traversable_temp_dir("dija-cli-") as run_dir:
        yield run_dir
        _cli(run_dir, "down")


def test_cli_up_status_fault_down(cli_dir):
    up = _cli(cli_dir, "up")
    assert up.returncode == 0, up.stderr
    assert "monitor.toml" in up.stdout and "https://127.0.0.1:" in up.stdout
    assert "already running" in _cli(cli_dir, "up").stdout
    state = json.loads((cli_dir / "state.json").read_text())
    pids = [c["pid"] for c in state["components"].values()]
    assert all(psutil.pid_exists(pid) for pid in pids)  # outlived the CLI process

    assert _cli(cli_dir, "fault", "db_error_page", "on").returncode == 0
    status = _cli(cli_dir, "status")
    assert "active faults: db_error_page" in status.stdout and "alive" in status.stdout
    assert _cli(cli_dir, "fault", "db_error_page", "off").returncode == 0

    down = _cli(cli_dir, "down")
    assert down.returncode == 0 and "removed" in down.stdout, down.stderr
    assert not any(_alive(pid) for pid in pids)
    assert not any(_listening(port) for port in state["ports"].values())
    assert not cli_dir.exists()


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def test_cli_errors_are_one_line_with_exit_code_2(cli_dir):
    result = _cli(cli_dir, "fault", "db_down", "on")
    assert result.returncode == 2
    assert result.stderr.startswith("error: no demo stack") and "Traceback" not in result.stderr
    unknown = _cli(cli_dir, "fault", "nope", "on")
    assert unknown.returncode == 2 and "known faults" in unknown.stderr


def test_cli_lists_faults_with_descriptions(cli_dir):
    result = _cli(cli_dir, "faults")
    assert result.returncode == 0
    assert "site_down" in result.stdout and "db_down" in result.stdout


def test_cli_alt_variant_up_fault_down_removes_its_run_dir(cli_dir):
    up = _cli(cli_dir, "up", "--variant", "alt")
    assert up.returncode == 0, up.stderr
    state = json.loads((cli_dir / "state.json").read_text())
    assert state["variant"] == "alt" and "alt" in (cli_dir / "monitor.toml").read_text().splitlines()[0]
    assert "already running" in _cli(cli_dir, "up", "--variant", "alt").stdout
    assert "variant alt is running" in _cli(cli_dir, "up").stderr
    assert _cli(cli_dir, "fault", "stale_heartbeat", "on").returncode == 0  # attach reads the variant
    assert "active faults: stale_heartbeat" in _cli(cli_dir, "status").stdout
    assert _cli(cli_dir, "fault", "stale_heartbeat", "off").returncode == 0
    pids = [c["pid"] for c in state["components"].values()]

    down = _cli(cli_dir, "down", "--variant", "alt")
    assert down.returncode == 0 and "removed" in down.stdout, down.stderr
    assert not any(_alive(pid) for pid in pids)
    assert not any(_listening(port) for port in state["ports"].values())
    assert not cli_dir.exists()
