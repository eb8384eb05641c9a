"""`dija-monitor` as a person or cron runs it: a subprocess of this interpreter."""

import subprocess
import sys


def dija(*args, **kwargs) -> subprocess.CompletedProcess:
    """Run a command to its end (killed past `timeout`, default 120 s); output captured as text."""
    kwargs.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "runner", *args], capture_output=True, text=True, **kwargs)


def start_dija(*args, **kwargs) -> subprocess.Popen:
    """Start a command; the caller stops it by its PID (`stop`) in a finally."""
    return subprocess.Popen(
        [sys.executable, "-m", "runner", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def stop(process: subprocess.Popen) -> None:
    """SIGKILL a process still running, and reap it."""
    if process.poll() is None:
        process.kill()
    process.wait()
