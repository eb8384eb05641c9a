"""A pytest started before its command is known, so that `dija-monitor run` pays for pytest's
imports and the CLI's own (the config's models) at the same time instead of one after the other.

`dija-monitor run` and `verify` (runner.__main__) start `python -m runner.prestart` first thing, with the
environment and folder every run's pytest gets; it imports pytest and the plugins pytest will load
(0.5 s) while the CLI imports and validates the config (0.2 s). `Prestarted.start` then hands it the
run's arguments on its stdin, one JSON line, and it becomes exactly the cold path's `python -m
pytest ARGS`; a second run of the same command (`verify --watch`) starts a fresh one. A command
that never gets that far (a bad config, `run --help`) kills it unused.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from runner import lifeline
from runner.execute import PROJECT_ROOT, child_environment, start_subprocess

PRESTART_VERBS = ("run", "verify")  # the commands that start with a run of checks


class Prestarted:
    """The runner's side: the waiting pytest, and `start(command, cwd, env)` for run_checks."""

    def __init__(self) -> None:
        self.env = child_environment()
        self.used = False
        self.process = subprocess.Popen(
            [sys.executable, "-m", "runner.prestart"],
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            env=self.env,
        )

    @classmethod
    def for_command(cls, argv: list[str]) -> Prestarted | None:
        """One for a verb that runs checks (the first word that is not an option), else None."""
        verb = next((word for word in argv if not word.startswith("-")), None)
        return cls() if verb in PRESTART_VERBS and "-h" not in argv and "--help" not in argv else None

    def start(self, command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
        """The waiting pytest given `command`'s arguments; a fresh subprocess when it cannot be
        (used already, another program, folder or environment)."""
        fits = command[:3] == [sys.executable, "-m", "pytest"] and Path(cwd) == PROJECT_ROOT and env == self.env
        if self.used or not fits or self.process.poll() is not None:
            return start_subprocess(command, cwd, env)
        self.used = True
        try:
            self.process.stdin.write(json.dumps(command[3:]) + "\n")
            self.process.stdin.close()
        except OSError:  # it died while importing: its output says why, and so does a fresh pytest
            self.discard()
            return start_subprocess(command, cwd, env)
        return self.process

    def discard(self) -> None:
        """Kill it if it was never given a run (nothing ran in it), and reap it."""
        if self.used and self.process.returncode is not None:
            return
        if not self.used:
            self.used = True
            lifeline.kill_group(self.process.pid)
        self.process.wait()


def main() -> int:
    """The waiting side: import, then read the arguments (EOF: nothing to run), then be pytest."""
    import importlib
    from importlib.metadata import entry_points

    import pytest

    for plugin in entry_points(group="pytest11"):
        try:
            importlib.import_module(plugin.module)
        except Exception:  # noqa: BLE001 - pytest reports a broken plugin itself, as the cold path would
            pass
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    args = json.loads(line)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # as the cold path's pytest: stdin is not the runner's pipe
    os.close(devnull)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.argv = [pytest.__file__, *args]
    return pytest.console_main()


if __name__ == "__main__":
    sys.exit(main())
