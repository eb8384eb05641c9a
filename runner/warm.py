"""The warm runner (`[schedule] warm = true`): the daemon keeps a warm parent process
(runner.warmparent) that has imported pytest, the plugins and the checks, and runs each due
cadence in a child forked from it, so a run skips Python's start, the imports and the collection
of the checks. The child is what the cold path's `python -m pytest` subprocess is: same arguments,
environment and working folder, its own session (the run timeout stops its process group), its
output on a pipe; a hang or a crash ends only the child.

Before each round of due runs the daemon calls `refresh()` from its main thread (the parent must be
started from a thread that lives as long as the daemon: it dies with that thread, runner.lifeline):
a change to the checks, the config, the root conftest.py or pyproject.toml (by mtime and size)
retires the parent (it exits once its children have) and starts a new one. A parent that died is
restarted with a logged reason; one that cannot start is left until the files change, and the
runs go cold meanwhile, each with a logged reason.
"""

from __future__ import annotations

import json
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from runner import lifeline
from runner.execute import CHECKS_DIR, PROJECT_ROOT, start_subprocess
from runner.warmparent import HEADER, READY

log = logging.getLogger(__name__)
READY_TIMEOUT_SECONDS = 60  # importing and collecting the checks on a loaded 2-core machine takes ~10 s
REPLY_TIMEOUT_SECONDS = 30
STOP_GRACE_SECONDS = 5


def fingerprint(paths: list[Path]) -> tuple:
    """(path, mtime, size) of every file under `paths`: a change to any of them changes it."""
    entries = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if "__pycache__" not in p.parts) if root.is_dir() else [root]
        for path in files:
            try:
                stat = path.stat()
            except OSError:
                entries.append((str(path), None))
                continue
            if not path.is_dir():
                entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class WarmParent:
    """One warm parent process, its socket and whether it said it is ready."""

    def __init__(self, config: Path, checks_dir: Path | None):
        self.folder = Path(tempfile.mkdtemp(prefix="dija-warm-"))
        self.socket_path = self.folder / "parent.sock"
        command = [sys.executable, "-m", "runner.warmparent", str(self.socket_path), str(config)]
        self.process = subprocess.Popen(
            command + ([str(checks_dir)] if checks_dir else []),
            cwd=PROJECT_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,
            env=lifeline.child_environment(dict(os.environ)),
        )
        lifeline.track(self.process.pid)
        self.lock = threading.Lock()
        self.ready = False

    def wait_ready(self, timeout: float) -> str:
        """ "" once the parent serves, else why it does not (yet)."""
        with self.lock:
            if self.ready:
                return ""
            if select.select([self.process.stdout], [], [], timeout)[0]:
                self.ready = self.process.stdout.readline().decode().strip() == READY
            if self.ready:
                return ""
            code = self.process.poll()
            return (
                f"the warm parent exited (code {code}) before it was ready"
                if code is not None
                else f"the warm parent is not ready after {timeout:g} s"
            )

    def alive(self) -> bool:
        return self.process.poll() is None

    def retire(self) -> None:
        """No new runs; it exits once the runs it has going are over."""
        if self.process.stdin and not self.process.stdin.closed:
            self.process.stdin.close()

    def finished(self) -> bool:
        if self.alive():
            return False
        self.process.stdout.close()
        lifeline.untrack(self.process.pid)
        shutil.rmtree(self.folder, ignore_errors=True)
        return True

    def stop(self) -> None:
        self.retire()
        try:
            self.process.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            lifeline.kill_group(self.process.pid)
            self.process.wait()
        self.finished()


class WarmRunner:
    """What the daemon holds: the current warm parent, those retired and still running, and the
    `start` that execute.run_checks uses instead of its subprocess."""

    def __init__(self, settings):
        self.config = settings.source.resolve()
        self.checks_dir = settings.runner.checks_dir
        self.watched = [
            self.config,
            Path(self.checks_dir or CHECKS_DIR),
            PROJECT_ROOT / "conftest.py",
            PROJECT_ROOT / "pyproject.toml",
        ]
        self.lock = threading.Lock()
        self.parent: WarmParent | None = None
        self.retired: list[WarmParent] = []
        self.files: tuple | None = None
        self.given_up_on: tuple | None = None  # the files a parent could not start with

    def refresh(self) -> None:
        """From the daemon's main thread, before due runs start: a parent for the current files."""
        self.retired = [p for p in self.retired if not p.finished()]
        files = fingerprint(self.watched)
        parent = self.parent
        if parent is not None and parent.alive() and files == self.files:
            return
        if parent is not None and not parent.alive():
            served = not parent.wait_ready(0)
            code = parent.process.poll()
            if served:
                log.warning("the warm parent died (code %s): starting a new one", code)
            else:
                log.warning(
                    "the warm parent exited (code %s) before it was ready: runs go cold until the checks "
                    "or the config change",
                    code,
                )
                self.given_up_on = self.files
            parent.finished()
        elif parent is not None:
            log.info("the checks or the config changed: a new warm parent takes over")
            parent.retire()
            self.retired.append(parent)
        with self.lock:
            self.parent, self.files = None, files
            if files != self.given_up_on:
                self.parent = WarmParent(self.config, self.checks_dir)

    def start(self, command: list[str], cwd: Path, env: dict[str, str]):
        """The run's process: a warm child, or the cold subprocess with the reason logged."""
        with self.lock:
            parent = self.parent
        reason = "no warm parent (it could not start; see above)" if parent is None else ""
        if command[1:3] != ["-m", "pytest"]:
            reason = f"not a pytest command: {command[:3]}"
        reason = reason or parent.wait_ready(READY_TIMEOUT_SECONDS)
        if not reason:
            try:
                return WarmRun(parent.socket_path, command, cwd, env)
            except (OSError, ValueError) as exc:
                reason = f"the warm parent did not take the run: {exc}"
        log.warning("cold run: %s", reason)
        return start_subprocess(command, cwd, env)

    def stop(self) -> None:
        for parent in [*self.retired, *filter(None, [self.parent])]:
            parent.stop()
        self.parent, self.retired = None, []


class WarmRun:
    """A forked child, looking to execute.supervise like the subprocess.Popen of the cold path."""

    def __init__(self, socket_path: Path, command: list[str], cwd: Path, env: dict[str, str]):
        self.args, self.returncode, self.cpu_seconds = command, None, None
        self._buffer = b""
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        read_end, write_end = os.pipe()
        try:
            self.sock.settimeout(REPLY_TIMEOUT_SECONDS)
            self.sock.connect(str(socket_path))
            body = json.dumps({"args": command, "cwd": str(cwd), "env": env}).encode()
            request = HEADER.pack(len(body)) + body
            sent = socket.send_fds(self.sock, [request], [write_end])
            self.sock.sendall(request[sent:])
            os.close(write_end)
            write_end = None
            self.pid = self._message(REPLY_TIMEOUT_SECONDS)["pid"]
        except (OSError, ValueError, TypeError, KeyError, subprocess.TimeoutExpired) as exc:
            self.sock.close()
            for fd in (read_end, write_end):
                if fd is not None:
                    os.close(fd)
            raise OSError(str(exc) or type(exc).__name__) from None
        self.stdout = open(read_end, encoding="utf-8", errors="replace")  # noqa: SIM115 - read by supervise() until EOF

    def _message(self, timeout: float | None) -> dict:
        """The parent's next message; ValueError when it hung up."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            self.sock.settimeout(None if deadline is None else max(0.0, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(4096)
            except TimeoutError:
                raise subprocess.TimeoutExpired(self.args, timeout) from None
            if not chunk:
                raise ValueError("the warm parent hung up")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            try:
                message = self._message(timeout)
                self.returncode, self.cpu_seconds = message["exit"], message["cpu"]
            except ValueError:  # the parent died, and the child with it (runner.lifeline)
                log.warning("the warm parent ended during the run of pid %s", self.pid)
                self.returncode = -signal.SIGKILL
            self.sock.close()
        return self.returncode
