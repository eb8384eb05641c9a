"""A malformed config stops `check-config` and `run` alike: one clear message on stderr naming the key
(or the file and line), exit code 2, no traceback, nothing run. The table goes through the command
line's main() in this process, one row also through `python -m runner` as installed."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from runner.cli import main

SITE = '[site]\nbase_url = "https://shop.invalid"\n'
COMMANDS = {"check-config": [], "run": ["-k", "anything"]}


def text(content: str | bytes):
    def write(folder: Path) -> Path:
        path = folder / "monitor.toml"
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
        return path

    return write


def directory(folder: Path) -> Path:
    (folder / "monitor.toml").mkdir()
    return folder / "monitor.toml"


def env_file_not_utf8(folder: Path) -> Path:
    (folder / "secrets.env").write_bytes(b"DIJA_DB_PASSWORD=caf\xe9\n")
    return text(
        f'env_file = "secrets.env"\n{SITE}[database]\nname = "shop"\nuser = "m"\npassword_env = "DIJA_DB_PASSWORD"\n'
    )(folder)


CASES = {  # name -> (writes the file and returns its path, what stderr must say)
    "bad TOML syntax": (
        text(SITE + '[database\nname = "shop"\n'),
        "not valid TOML: Expected ']' at the end of a table declaration (at line 3, column 10)",
    ),
    "string for an int": (
        text(SITE + '[database]\nname = "shop"\nuser = "m"\nport = "3306"\n'),
        "database.port: Input should be a valid integer (got a string)",
    ),
    "string for a boolean": (
        text(SITE + '[alerts]\nsend_on_resolved = "no"\n'),  # lax parsing would say False
        "alerts.send_on_resolved: Input should be a valid boolean (got a string)",
    ),
    "negative threshold": (
        text(SITE + "[thresholds]\ndb_latency_fail_ms = -5\n"),
        "thresholds.db_latency_fail_ms: Input should be greater than 0",
    ),
    "unknown top-level key": (text("timeout = 5\n" + SITE), "timeout: unknown key"),
    "unknown nested key": (
        text(SITE + '[[alerts.channels]]\nurl = "json://127.0.0.1:9/hook"\ntokn = "x"\n'),
        "alerts.channels[0].tokn: unknown key",
    ),
    "missing env secret": (
        text(SITE + '[payments.stripe]\napi_base = "https://api.stripe.com"\nkey_env = "DIJA_TEST_UNSET_KEY"\n'),
        "payments.stripe.key_env: variable DIJA_TEST_UNSET_KEY is not set in the environment",
    ),
    "missing file": (lambda folder: folder / "absent.toml", "file not found (use --config or $DIJA_MONITOR_CONFIG)"),
    "a directory": (directory, "is a directory, not a config file"),
    "not UTF-8": (
        text(SITE.encode() + b'[security]\napproved_admins = ["ren\xe9"]\n'),
        "file is not UTF-8 text: byte 0xe9 on line 4 (save it as UTF-8)",
    ),
    "env_file not UTF-8": (env_file_not_utf8, "secrets.env is not UTF-8 text: byte 0xe9 on line 1"),
}


@pytest.fixture
def cli(capsys, monkeypatch):
    """cli(case, command) -> (exit code, stdout, stderr, reports dir): the command line's own main(), in
    this process (one interpreter start per row would cost the table 30 s)."""
    sigterm = signal.getsignal(signal.SIGTERM)  # main() makes SIGTERM act like Ctrl-C: restored after
    for name in [n for n in os.environ if n.startswith("DIJA_")]:
        monkeypatch.delenv(name)

    def run(case: str, command: str, folder: Path):
        reports = folder / "reports"
        argv = [command, "--config", str(CASES[case][0](folder)), *COMMANDS[command]]
        code = main(argv + (["--reports-dir", str(reports)] if command == "run" else []))
        captured = capsys.readouterr()
        return code, captured.out, captured.err, reports

    yield run
    signal.signal(signal.SIGTERM, sigterm)


def assert_stopped_clearly(case: str, code: int, stdout: str, stderr: str, reports: Path) -> None:
    assert code == 2, stderr
    assert CASES[case][1] in stderr
    lines = stderr.strip().splitlines()
    assert lines[0].startswith("dija-monitor: ") and lines[0].endswith(": invalid configuration"), stderr
    assert len(lines) == 2 and "Traceback" not in stderr, stderr
    assert stdout == "" and not reports.exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_a_malformed_config_is_one_clear_message_exit_2_and_nothing_run(cli, tmp_path, case, command):
    assert_stopped_clearly(case, *cli(case, command, tmp_path))


def test_the_installed_command_stops_the_same_way(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIJA_")}
    path, reports = CASES["not UTF-8"][0](tmp_path), tmp_path / "reports"
    done = subprocess.run(
        [sys.executable, "-m", "runner", "run", "--config", str(path), "--reports-dir", str(reports)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert_stopped_clearly("not UTF-8", done.returncode, done.stdout, done.stderr, reports)
