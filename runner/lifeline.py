"""No orphans: every process a run starts dies with the runner.

- The runner: pytest runs in its own process group, killed when a run is stopped (execute.stop_group)
  and, for any still running, when the runner exits (`kill_groups_at_exit`).
- A SIGKILLed runner runs no code: so pytest, and each xdist worker under it, asks the kernel for
  SIGKILL when its parent dies (PR_SET_PDEATHSIG), from the runner's pytest plugin. The parent's
  pid travels in LIFELINE_ENV; a child whose parent is already gone exits at once.
"""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import signal

log = logging.getLogger(__name__)
LIFELINE_ENV = "DIJA_MONITOR_PARENT_PID"
PR_SET_PDEATHSIG = 1
_groups: set[int] = set()  # process groups of the runs going in this process


def child_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment of a child that must die with this process."""
    return {**environ, LIFELINE_ENV: str(os.getpid())}


def die_with_parent() -> None:
    """In a child started with child_environment(): be SIGKILLed when the parent dies; then pass the
    lifeline on to this process's own children. Elsewhere (a developer's pytest) nothing."""
    parent = os.environ.get(LIFELINE_ENV)
    if not parent or not parent.isdigit():
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("cannot ask to die with the parent process: %s", os.strerror(ctypes.get_errno()))
    if os.getppid() != int(parent):  # the parent died before the request: already an orphan
        os._exit(1)
    os.environ[LIFELINE_ENV] = str(os.getpid())


def track(pid: int) -> None:
    """A run's process group (led by `pid`), killed if this process exits while it runs."""
    if not _groups:
        atexit.register(kill_groups_at_exit)
    _groups.add(pid)


def untrack(pid: int) -> None:
    _groups.discard(pid)


def kill_groups_at_exit() -> None:
    for pid in list(_groups):
        kill_group(pid)
    _groups.clear()


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
