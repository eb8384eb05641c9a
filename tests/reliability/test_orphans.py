"""No orphans: when `schedule --once` is SIGKILLed in the middle of a run (the OOM killer, `kill -9`
from cron's timeout), pytest and its xdist workers die with it (PR_SET_PDEATHSIG) instead of running
on under init and overlapping the next run. Before, 4 of 5 pytest processes survived."""

import os
import signal
import time
from pathlib import Path

from tests.cli import start_dija, stop

SLEEPERS = '''
@check()
@pytest.mark.parametrize("n", [1, 2])
def test_sleeps(n):
    """Sleeps long after its runner is gone."""
    open(os.path.join({folder!r}, f"started-{{os.getpid()}}"), "w").close()
    time.sleep(300)
'''


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process on the machine."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        found[int(entry.name)] = (int(fields[1]), fields[0])
    return found


def descendants(pid: int) -> set[int]:
    table, found, todo = processes(), set(), [pid]
    while todo:
        parent = todo.pop()
        children = {p for p, (ppid, _) in table.items() if ppid == parent}
        found |= children
        todo += children
    return found


def alive(pids: set[int]) -> set[int]:
    table = processes()
    return {p for p in pids if p in table and table[p][1] != "Z"}


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while not (result := predicate()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


def test_sigkill_of_schedule_once_leaves_no_pytest_behind(checks_settings, tmp_path):
    started = tmp_path / "started"
    started.mkdir()
    settings = checks_settings(
        SLEEPERS.format(folder=str(started)), runner="workers = 2", extra='[schedule]\ncadences = ["critical"]\n'
    )
    runner = start_dija("schedule", "--once", "--config", str(settings.source))
    children: set[int] = set()
    try:
        assert wait_for(lambda: len(list(started.iterdir())) == 2, 120), "the checks did not start"
        children = descendants(runner.pid)
        assert len(children) >= 3  # pytest and its two xdist workers
        os.kill(runner.pid, signal.SIGKILL)
        runner.wait()
        assert wait_for(lambda: not alive(children), 10), f"survivors: {alive(children)}"
    finally:
        for pid in alive(children):
            os.kill(pid, signal.SIGKILL)
        stop(runner)
