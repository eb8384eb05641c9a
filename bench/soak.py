"""The scheduler for many cycles: memory, open files and CPU per cycle of the daemon, and the size
the history grows by per 1000 recorded runs.

    python bench/soak.py [--cycles 1000] [--checks 10] [--real]

The daemon (runner.schedule.Daemon, its real loop body `tick()`, job threads, cadence locks and
liveness) runs the critical cadence every 5 minutes of an injected clock that jumps 5 minutes per
cycle, so 1000 cycles are 3.5 days of schedule in a minute or two. Each run is canned: the records
of CHECKS checks (one measurement each; a failing spell now and then) go through the real post-run
pipeline (history, retention, alerts, dashboard), so the history grows as in production (10 checks
every 5 minutes are more results a day than the whole catalogue at its cadences; each cycle
renders the dashboard over the growing history, so cycles get slower: --checks 50 takes ~6 min).
With --real, each run is instead a real `pytest` run of one trivial check (about 2 s a cycle: use
--cycles 100). Prints RSS (psutil) after setup, after 10 % and 50 % of the cycles and at the end, open
file descriptors, threads, CPU and wall time per cycle, and the history's size per 1000 runs.
"""

from __future__ import annotations

import argparse
import datetime as datetime_module
import threading
import time
import types
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock

import psutil
import schedule
from _common import check_nothing_left, figure, machine, trivial_checks

from demoshop.stack import traversable_temp_dir
from runner import config
from runner.execute import RunResult, Selection
from runner.pipeline import after_run, history_path, open_store
from runner.schedule import Daemon
from tests.conftest import FakeClock

CADENCE_MINUTES = 5
AREAS = ("availability", "performance", "tls", "checkout", "database")


@contextmanager
def schedule_on(clock: FakeClock):
    """`schedule` reads datetime.datetime.now(): make it the fake clock's time."""

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return clock.now if tz is None else clock.now.astimezone(tz)

    shim = types.SimpleNamespace(
        datetime=FakeDatetime, date=datetime_module.date, time=datetime_module.time, timedelta=timedelta
    )
    with mock.patch.object(schedule, "datetime", shim):
        yield


def canned_records(count: int, cycle: int) -> list[dict]:
    """What the plugin's result file holds for `count` checks; check 0 fails 3 runs in every 100."""
    return [
        {
            "id": f"checks/test_{AREAS[i % len(AREAS)]}.py::test_soak_{i:02d}",
            "name": f"test_soak_{i:02d}",
            "area": AREAS[i % len(AREAS)],
            "cadence": "critical",
            "severity": "critical",
            "smoke": False,
            "summary": f"soak check {i}",
            "doc": f"soak check {i}",
            "duration": 0.01 * (1 + i % 7),
            "measurements": {"load_seconds": 0.5 + (cycle + i) % 10 / 10},
            "evidence": [],
            "outcome": "fail" if i == 0 and cycle % 100 >= 97 else "pass",
            "message": "soak failure" if i == 0 and cycle % 100 >= 97 else "",
        }
        for i in range(count)
    ]


def canned_run(settings, reports: Path, clock: FakeClock, checks: int):
    cycle = iter(range(10**9))

    def run(cadence: str) -> int:
        run_dir = reports / "runs" / "soak"
        run_dir.mkdir(parents=True, exist_ok=True)
        result = RunResult(
            run_dir,
            Selection(cadence),
            0,
            canned_records(checks, next(cycle)),
            started=clock.time() - 2,
            finished=clock.time(),
        )
        return 3 if after_run(settings, result, reports) else 0

    return run


def sample(process: psutil.Process) -> dict:
    cpu = process.cpu_times()
    return {
        "rss": process.memory_info().rss,
        "fds": process.num_fds(),
        "threads": process.num_threads(),
        "cpu": cpu.user + cpu.system,
        "wall": time.perf_counter(),
    }


def soak(daemon: Daemon, clock: FakeClock, cycles: int) -> list[dict]:
    """Drive the daemon's loop `cycles` times, each a cadence later; samples at start, 10 %, 50 %, end."""
    process = psutil.Process()
    samples = [sample(process)]
    for number in range(1, cycles + 1):
        clock.advance(minutes=CADENCE_MINUTES)
        daemon.tick()
        daemon.join()
        if number in (max(1, cycles // 10), max(2, cycles // 2), cycles):
            samples.append(sample(process))
    return samples


def show(samples: list[dict], cycles: int, reports: Path, runs: int) -> None:
    start, warm, half, end = samples
    mib = 2**20
    figure("RSS after setup / 10 % / 50 % / end", " / ".join(f"{s['rss'] / mib:.1f}" for s in samples) + " MiB")
    figure(
        "RSS growth 10-50 % / 50-100 % of the cycles",
        f"{(half['rss'] - warm['rss']) / mib:+.1f} / {(end['rss'] - half['rss']) / mib:+.1f} MiB",
    )
    figure("open file descriptors after setup / 10 % / end", f"{start['fds']} / {warm['fds']} / {end['fds']}")
    figure(
        "threads after setup / 10 % / end",
        f"{start['threads']} / {warm['threads']} / {end['threads']}"
        f" ({', '.join(t.name for t in threading.enumerate())} now)",
    )
    figure(
        "CPU per cycle, first 10 % / the rest",
        f"{1000 * (warm['cpu'] - start['cpu']) / max(1, cycles // 10):.1f} / "
        f"{1000 * (end['cpu'] - warm['cpu']) / (cycles - cycles // 10):.1f} ms",
    )
    figure("wall time per cycle (all)", f"{1000 * (end['wall'] - start['wall']) / cycles:.1f} ms")
    with open_store(reports) as store:
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the size of the data, not of a WAL yet to merge
        results = store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    size = history_path(reports).stat().st_size
    figure("runs recorded / results", f"{runs} / {results} (one per cycle expected: {cycles})")
    figure(
        "history size per 1000 runs",
        f"{size / mib * 1000 / runs:.2f} MiB ({size / max(1, results):.0f} bytes a result)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", type=int, default=1000, help="scheduler cycles (default 1000)")
    parser.add_argument("--checks", type=int, default=10, help="checks in a canned run (default 10)")
    parser.add_argument("--real", action="store_true", help="real pytest runs of one trivial check instead")
    args = parser.parse_args()
    kind = "a real trivial pytest run" if args.real else f"a canned run of {args.checks} checks"
    print(f"scheduler soak: {args.cycles} cycles, each {kind}; {machine()}")
    clock = FakeClock(datetime.now() - timedelta(minutes=CADENCE_MINUTES * args.cycles))
    with traversable_temp_dir() as folder, schedule_on(clock):
        path = trivial_checks(folder)
        path.write_text(
            path.read_text() + f'[schedule]\ncadences = ["critical"]\ncritical_every_minutes = {CADENCE_MINUTES}\n'
        )
        settings = config.load(path, environ={})
        reports = settings.reports_dir()
        run = None if args.real else canned_run(settings, reports, clock, args.checks)
        daemon = Daemon(settings, reports, run=run, clock=clock.time)
        samples = soak(daemon, clock, args.cycles)
        with open_store(reports) as store:
            runs = len(store.runs(10**9))
        show(samples, args.cycles, reports, runs)
    check_nothing_left()


if __name__ == "__main__":
    main()
