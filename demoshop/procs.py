"""Start, watch and stop the stack's processes by PID (no systemd, no pkill)."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

from demoshop.errors import DemoError

log = logging.getLogger(__name__)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (the kernel picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


@dataclass
class Component:
    """One long-running process of the stack, restartable from its command line."""

    name: str
    cmd: list[str]
    log_path: str
    port: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    pid: int | None = None
    create_time: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def process(self) -> psutil.Process | None:
        """The live process, or None (also when the PID was reused by another process)."""
        if not self.pid:
            return None
        try:
            proc = psutil.Process(self.pid)
            if self.create_time and abs(proc.create_time() - self.create_time) > 0.05:
                return None
            if proc.status() == psutil.STATUS_ZOMBIE:
                return None
            return proc
        except psutil.Error:
            return None

    def alive(self) -> bool:
        return self.process() is not None

    def tail_log(self, lines: int = 8) -> str:
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return " | ".join(text.strip().splitlines()[-lines:])


def spawn(comp: Component) -> subprocess.Popen:
    """Start the component in its own session so it outlives the CLI that started it."""
    env = {**os.environ, **comp.env}
    with open(comp.log_path, "ab") as out:
        popen = subprocess.Popen(
            comp.cmd,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
    comp.pid = popen.pid
    try:
        comp.create_time = psutil.Process(popen.pid).create_time()
    except psutil.Error:
        comp.create_time = None
    log.debug("started %s pid %s: %s", comp.name, popen.pid, " ".join(comp.cmd))
    return popen


def signal_group(comp: Component, sig: int) -> None:
    """Signal the component's process group (its session leader is the recorded PID)."""
    if comp.process() is None:
        return
    try:
        os.killpg(comp.pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError:
        os.kill(comp.pid, sig)


def stop_all(comps: list[Component], popens: dict[str, subprocess.Popen], timeout: float = 5.0) -> None:
    """SIGTERM every component, wait, SIGKILL what is left; reap our own children."""
    live = [c for c in comps if c.alive()]
    for comp in live:
        signal_group(comp, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_still_running(c, popens) for c in live):
        time.sleep(0.02)
    for comp in live:
        if _still_running(comp, popens):
            log.warning("%s (pid %s) ignored SIGTERM; killing", comp.name, comp.pid)
            signal_group(comp, signal.SIGKILL)
            _still_running(comp, popens)
    for comp in live:
        _wait_gone(comp, popens)
        comp.pid = None
        comp.create_time = None


def _still_running(comp: Component, popens: dict[str, subprocess.Popen]) -> bool:
    popen = popens.get(comp.name)
    if popen is not None and popen.pid == comp.pid:
        return popen.poll() is None
    return comp.alive()


def _wait_gone(comp: Component, popens: dict[str, subprocess.Popen]) -> None:
    deadline = time.monotonic() + 3
    while _still_running(comp, popens) and time.monotonic() < deadline:
        time.sleep(0.02)
    if comp.port:
        while port_open(comp.port) and time.monotonic() < deadline:
            time.sleep(0.02)


def wait_port(comp: Component, popen: subprocess.Popen | None, timeout: float = 20.0) -> None:
    """Wait until the component accepts TCP connections; fail with its log if it dies."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if port_open(comp.port):
            return
        if popen is not None and popen.poll() is not None:
            raise DemoError(f"{comp.name} exited ({popen.returncode}) before listening: {comp.tail_log()}")
        time.sleep(0.02)
    raise DemoError(f"{comp.name} not listening on port {comp.port} after {timeout:.0f} s: {comp.tail_log()}")
