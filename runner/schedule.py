"""`dija-monitor schedule`: the daemon. One `schedule.Scheduler`; each cadence is a job that
starts its run in a worker thread, so a long daily run does not hold up the critical cadence.

- A cadence never overlaps itself: while its run goes (in this process, or in another one
  such as a cron `--once`: a file lock per cadence), the next start is skipped and recorded
  as a skipped run.
- A job's exception is recorded as a runner error (logged when even the history is unusable,
  and the heartbeat gets `/fail`); the loop goes on.
- At start, every cadence that is due (never run, or missed while the daemon was down) runs.
- A run that leaves a check pending (failing, below its alert's `failure_threshold`) is run again
  after `recheck_pending_seconds` instead of a whole interval later, so a real outage is confirmed
  (and alerted) within about interval + recheck, while a blip is still never announced: the retest
  within each run filters it, and a recheck that passes clears it. Uptime Kuma's "retry interval".
- SIGTERM/SIGINT: no new runs; the current ones finish; exit 0.
- Warm runs (`schedule.warm`, runner.warm): under `serve()` each run is a child forked from a warm
  parent that has imported pytest and the checks; `--once` (cron) and `warm = false` start a cold
  pytest subprocess per run.
- Liveness (pid, last loop time, runs going) is in the history's meta table under "scheduler";
  an optional heartbeat URL is pinged after each run (`<url>`, or `<url>/fail`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
import signal
import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import schedule

from runner import cadences
from runner.errors import MonitorError, reason
from runner.execute import Selection
from runner.pipeline import exit_code, open_store, run_once

log = logging.getLogger(__name__)
LIVENESS_KEY = "scheduler"
MAX_SLEEP_SECONDS = 1.0  # the loop notices a stop request within this
LIVENESS_EVERY_SECONDS = 10.0
HEARTBEAT_TIMEOUT_SECONDS = 10


class Daemon:
    def __init__(
        self,
        settings,
        reports_dir: Path | None = None,
        run: Callable[[str], int] | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.settings = settings
        self.spec = settings.schedule
        self.reports_dir = Path(reports_dir or settings.reports_dir())
        self.run = run or self.run_checks
        self.clock = clock
        self.scheduler = schedule.Scheduler()
        self.workers: dict[str, threading.Thread] = {}
        self.stopping = threading.Event()
        self.stop_requested = False  # set by the signal handler; the loop acts on it
        self.exit_codes: list[int] = []
        self._liveness_at = 0.0
        self._store = None
        self.warm = None  # runner.warm.WarmRunner while serving warm
        self.rechecks: dict[str, float] = {}  # cadence -> when to run it again (a check is pending)
        self.one_pass = False  # `--once`: no loop to come back for a recheck
        self.started = clock()
        for cadence in self.spec.cadences:
            cadences.add_job(self.scheduler, self.spec, cadence, self.launch, self.now)

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock())

    # -- the loop -----------------------------------------------------------------------------

    def serve(self) -> int:
        """Run until SIGTERM/SIGINT, then let the current runs finish. Returns the exit code."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._request_stop)
        log.info("scheduler started (pid %d): %s", os.getpid(), ", ".join(self.spec.cadences))
        if self.spec.warm and self.run == self.run_checks:
            self.start_warm()
        self.catch_up()
        while not self.stop_requested:
            self.tick()
            idle = self.scheduler.idle_seconds
            time.sleep(max(0.0, min(MAX_SLEEP_SECONDS, idle if idle is not None else MAX_SLEEP_SECONDS)))
        log.info("stopping: waiting for %s", ", ".join(self.running()) or "no runs")
        self.stopping.set()
        self.join()
        self.stop_warm()
        self.write_liveness(force=True, stopped=True)
        if self._store is not None:
            self._store.close()
        return 0

    def _request_stop(self, signum, frame) -> None:
        self.stop_requested = True

    def start_warm(self) -> None:
        """Run the cadences warm from now on; from the thread that runs the loop (the warm parent dies with it)."""
        from runner.warm import WarmRunner

        self.warm = WarmRunner(self.settings)
        self.warm.refresh()

    def refresh_warm(self) -> None:
        """Before due runs: a new warm parent when the checks or the config changed, or it died."""
        try:
            self.warm.refresh()
        except Exception:
            log.exception("the warm runner failed: the runs go cold from now on")
            self.stop_warm()

    def stop_warm(self) -> None:
        if self.warm is not None:
            self.warm.stop()
            self.warm = None

    def tick(self) -> None:
        """One pass of the loop: start the due jobs, write liveness. Never raises."""
        due_rechecks = [c for c, at in list(self.rechecks.items()) if at <= self.clock() and c not in self.running()]
        if self.warm is not None and (due_rechecks or any(job.should_run for job in self.scheduler.jobs)):
            self.refresh_warm()
        try:
            self.scheduler.run_pending()
            for cadence in due_rechecks:
                if cadence in self.rechecks:  # its regular run, just started, supersedes the recheck
                    log.info("rechecking %s: a check is pending", cadence)
                    self.launch(cadence)
        except Exception:  # launch() guards its own work; this is a last resort for the loop
            log.exception("scheduler loop error")
        self.write_liveness()

    def catch_up(self) -> list[str]:
        """Start every cadence that is due by the history (never run, or missed while down)."""
        try:
            with open_store(self.reports_dir) as store:
                last = {c: store.last_run(c) for c in self.spec.cadences}
        except Exception as exc:
            log.error("cannot read the history to catch up: %s", exc)
            return []
        due = [
            c
            for c in self.spec.cadences
            if cadences.is_due(self.spec, c, last[c] and last[c]["started_at"], self.now())
        ]
        for cadence in due:
            self.launch(cadence)
        return due

    def once(self) -> int:
        """`schedule --once`: run every due cadence, wait for them; the worst exit code."""
        self.one_pass = True
        due = self.catch_up()
        self.join()
        log.info("due: %s", ", ".join(due) or "nothing")
        return max(self.exit_codes, default=0)

    def running(self) -> list[str]:
        return [c for c, worker in self.workers.items() if worker.is_alive()]

    def join(self) -> None:
        for worker in list(self.workers.values()):
            worker.join()

    # -- one cadence --------------------------------------------------------------------------

    def launch(self, cadence: str) -> None:
        """Start the cadence's run in its worker thread, unless its previous run still goes."""
        if self.stopping.is_set():
            return
        if cadence in self.running():
            self.record(cadence, "skipped", None, f"skipped: the previous {cadence} run is still going")
            return
        self.rechecks.pop(cadence, None)
        worker = threading.Thread(target=self.work, args=(cadence,), name=f"run-{cadence}", daemon=False)
        self.workers[cadence] = worker
        worker.start()

    def work(self, cadence: str) -> None:
        if self.spec.jitter_seconds and self.stopping.wait(random.uniform(0, self.spec.jitter_seconds)):
            return
        try:
            with CadenceLock(self.reports_dir, cadence) as locked:
                if not locked:
                    self.record(cadence, "skipped", None, f"skipped: a {cadence} run is going in another process")
                    return
                code = self.run(cadence)
            self.plan_recheck(cadence)
        except Exception as exc:  # the run, or its lock (reports_dir unusable): a runner error, never the end
            if not isinstance(exc, MonitorError):
                log.exception("the %s run failed", cadence)
            code = 3
            self.record(cadence, "error", 3, f"runner error: {reason(exc)}")
        self.exit_codes.append(code)
        self.heartbeat(code)

    def plan_recheck(self, cadence: str) -> None:
        """After a run: when one of its checks is pending, run the cadence again soon. Never raises."""
        delay = self.spec.recheck_pending_seconds
        if not delay or self.one_pass or self.stopping.is_set():
            return
        try:
            with open_store(self.reports_dir) as store:
                pending = store.pending_checks(cadence)
        except Exception as exc:  # the history is unusable: the run itself has said so
            log.error("cannot read the %s run's alert states: %s", cadence, exc)
            return
        if pending:
            log.info("%s: %d check(s) pending, rechecking in %g s", cadence, len(pending), delay)
            self.rechecks[cadence] = self.clock() + delay

    def run_checks(self, cadence: str) -> int:
        result, failures = run_once(
            self.settings, Selection(cadence), self.reports_dir, start=self.warm and self.warm.start
        )
        log.info("%s run: %s (%d checks) %s", cadence, result.status, len(result.checks), result.run_dir)
        return exit_code(result, failures)

    def record(self, cadence: str, status: str, exit_code: int | None, message: str) -> None:
        log.warning("%s run %s: %s", cadence, status, message)
        try:
            with open_store(self.reports_dir) as store:
                store.record_run(
                    cadence,
                    [],
                    status=status,
                    exit_code=exit_code,
                    at=self.clock(),
                    message=self.settings.scrubber()(message),
                )
        except Exception as exc:
            log.error("cannot record the %s run in the history: %s", cadence, exc)

    # -- liveness and heartbeat ---------------------------------------------------------------

    def write_liveness(self, force: bool = False, stopped: bool = False) -> None:
        now = self.clock()
        if not force and now - self._liveness_at < LIVENESS_EVERY_SECONDS:
            return
        self._liveness_at = now
        try:
            self._store = self._store or open_store(self.reports_dir)  # the loop's thread only
            self._store.set_meta(
                LIVENESS_KEY,
                {
                    "pid": os.getpid(),
                    "started": self.started,
                    "last_loop": now,
                    "running": self.running(),
                    "stopped": stopped,
                },
            )
        except Exception as exc:
            log.error("cannot write the scheduler's liveness: %s", exc)

    def heartbeat(self, exit_code: int) -> None:
        url = heartbeat_url(self.settings)
        if not url:
            return
        failed = exit_code == 3 or (self.spec.heartbeat_fail_on == "failure" and exit_code != 0)
        ping(url.rstrip("/") + ("/fail" if failed else ""), self.settings.scrubber())


def heartbeat_url(settings) -> str | None:
    secret = settings.schedule.secret("heartbeat_url")
    return secret.reveal() if secret else settings.schedule.heartbeat_url


def ping(url: str, scrub=str) -> bool:
    """GET the heartbeat URL; a failure is logged, never raised."""
    try:
        with urllib.request.urlopen(url, timeout=HEARTBEAT_TIMEOUT_SECONDS) as response:
            response.read(1024)
        return True
    except Exception as exc:
        log.warning("heartbeat ping failed: %s", scrub(str(exc)))
        return False


class CadenceLock:
    """An exclusive, non-blocking file lock per cadence, shared by every process on the machine. A lock
    that cannot be made (the reports folder is full or read-only) does not stop the run: its alerts
    still go out (runner.pipeline)."""

    def __init__(self, reports_dir: Path, cadence: str):
        self.path = Path(reports_dir) / "locks" / f"{cadence}.lock"
        self.fh = None

    def __enter__(self) -> bool:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a")
        except OSError as exc:
            log.warning("cannot open the run lock %s (%s): running without it", self.path, exc.strerror or exc)
            return True
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()  # closing releases the lock
