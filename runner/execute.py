"""One monitoring run: pytest over checks/ in a subprocess, so that a hung or crashing check
cannot take the runner down. Each run gets its own folder with the HTML report, JUnit XML,
the result file, pytest's full output and the evidence of failures.

pytest runs in its own process group under an overall deadline (`runner.run_timeout_seconds`):
past it the whole group is interrupted (SIGINT, so pytest still writes what it has), then
killed. Such a run is a runner error that keeps the checks that completed before the kill.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from runner import diskspace, lifeline
from runner.errors import MonitorError
from runner.progress import PROGRESS_PREFIX, Progress
from runner.records import CheckRecord, from_json

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = PROJECT_ROOT / "checks"
CHECKS_INI = Path(__file__).resolve().parent / "pytest_plugin" / "checks.ini"
FAILING = ("fail", "error")
INTERRUPT_GRACE_SECONDS = 15  # after SIGINT, pytest writes its reports; then SIGKILL
PYTEST_EXITS = {2: "interrupted", 3: "internal error", 4: "usage error"}
INTERRUPTED = "interrupted"
LATEST = "latest"  # runs/latest: a link to the newest run folder


@dataclass(frozen=True)
class Selection:
    """Which checks a run covers."""

    cadence: str | None = None
    smoke: bool = False
    keyword: str | None = None
    name: str | None = None  # the run's label when not the default (verify's watch: "watch")
    options: tuple[str, ...] = ()  # more pytest options (verify's --since, --baseline, ...)

    @property
    def label(self) -> str:
        return self.name or self.cadence or ("smoke" if self.smoke else ("selected" if self.keyword else "all"))

    def pytest_args(self) -> list[str]:
        args = ["--cadence", self.cadence] if self.cadence else []
        args += ["--smoke"] if self.smoke else []
        return args + (["-k", self.keyword] if self.keyword else []) + list(self.options)


@dataclass
class RunResult:
    run_dir: Path
    selection: Selection
    pytest_exit: int | None
    checks: list[CheckRecord] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float = field(default_factory=time.time)
    error: str = ""  # set when the run itself broke: the checks list is then partial
    interrupted: bool = False  # stopped by SIGINT/SIGTERM of the runner: recorded, then re-raised
    unwritable: str = ""  # why the run's files could not be written (no space left on /x): then none are kept

    @property
    def report(self) -> Path:
        return self.run_dir / "report.html"

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.checks if c["outcome"] == outcome)

    @property
    def status(self) -> str:
        """error (the run broke), failed, degraded or passed."""
        if self.error:
            return "error"
        if any(c["outcome"] in FAILING for c in self.checks):
            return "failed"
        return "degraded" if self.count("degraded") else "passed"

    @property
    def exit_code(self) -> int:
        """0 pass/degraded, 1 a check failed or errored, 3 the run itself broke."""
        return {"error": 3, "failed": 1}.get(self.status, 0)


def new_run_dir(reports_dir: Path, label: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    run_dir = reports_dir / "runs" / f"{stamp}-{label}"
    try:
        run_dir.mkdir(parents=True, exist_ok=False)
    except OSError as exc:
        raise MonitorError(f"cannot create the run folder {run_dir}: {exc.strerror or exc}") from None
    point_latest(run_dir)
    return run_dir


def point_latest(run_dir: Path) -> None:
    """runs/latest -> the newest run folder (replaced atomically: a reader never finds it missing)."""
    link = run_dir.parent / LATEST
    temporary = run_dir.parent / f".{LATEST}.{os.getpid()}.{threading.get_ident()}"
    try:
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(run_dir.name)
        temporary.replace(link)
    except OSError as exc:  # a convenience: the run goes on without it
        log.warning("cannot point %s at %s: %s", link, run_dir.name, exc)


def pytest_base(checks_dir: Path | None) -> list[str]:
    """pytest over the checks with the plugin and the checks' own ini, wherever the checks are and
    wherever the project is installed (a checkout, or site-packages: checks/ sits beside runner/,
    and the check ids stay `checks/test_x.py::test_y`)."""
    return [
        sys.executable,
        "-m",
        "pytest",
        str(checks_dir or CHECKS_DIR),
        "-p",
        "runner.pytest_plugin",
        "-c",
        str(CHECKS_INI),
        "--rootdir",
        str(PROJECT_ROOT),
        "-p",
        "no:cacheprovider",
        "-q",
        "--no-header",
    ]


def pytest_command(settings, selection: Selection, run_dir: Path, workers: int | None = None) -> list[str]:
    runner = settings.runner
    workers = workers or runner.workers
    return [
        *pytest_base(runner.checks_dir),
        "--tb=short",
        "--config",
        str(settings.source.resolve()),
        *selection.pytest_args(),
        "--results-json",
        str(run_dir / "results.json"),
        "--progress",
        "--evidence-dir",
        str(run_dir / "evidence"),
        "--junitxml",
        str(run_dir / "junit.xml"),
        "--html",
        str(run_dir / "report.html"),
        "--self-contained-html",
        "--timeout",
        f"{runner.check_timeout_seconds:g}",  # int() would make 0.5 s "0": no timeout
        "-o",
        "junit_family=xunit2",
        *(["-n", str(workers)] if workers > 1 else []),
        *retest_args(settings.alerts),
    ]


def retest_args(alerts) -> list[str]:
    """pytest-rerunfailures: a failing or erroring check runs again at once; only a surviving failure counts."""
    if not alerts.retries:
        return []
    # a check cut by its timeout is not retested: the retest would hang as long again and delay the next run
    return [
        "--reruns",
        str(alerts.retries),
        "--reruns-delay",
        f"{alerts.retry_delay_seconds:g}",
        "--rerun-except",
        "from pytest-timeout",
    ]


def run_folder(reports_dir: Path, label: str) -> tuple[Path, str]:
    """(the run's folder, why it is a scratch one): when the reports folder cannot take it (full,
    read-only) the checks still run, in a temporary folder removed afterwards, so alerts go out."""
    try:
        return new_run_dir(reports_dir, label), ""
    except MonitorError as exc:
        reason = str(exc)
    try:
        return Path(tempfile.mkdtemp(prefix=f"dija-run-{label}-")), reason
    except OSError:
        raise MonitorError(reason) from None


def child_environment() -> dict[str, str]:
    """Every run's pytest: this environment, output unbuffered (progress as it happens), the lifeline."""
    return lifeline.child_environment({**os.environ, "PYTHONUNBUFFERED": "1"})


def start_subprocess(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    """The cold path: pytest in a new process, its own session, its output on a pipe."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
        env=env,
    )


def run_checks(
    settings,
    selection: Selection,
    reports_dir: Path | None = None,
    output=None,
    workers: int | None = None,
    start=start_subprocess,
) -> RunResult:
    """Run the selected checks once; show a line per finished check on `output` (None: quiet).
    `start(command, cwd, env)` starts pytest (the daemon's warm runner: runner.warm)."""
    run_dir, scratch_reason = run_folder(Path(reports_dir or settings.reports_dir()), selection.label)
    try:
        result = _run_in(run_dir, settings, selection, output, workers, start)
        result.unwritable = scratch_reason or result.unwritable
    finally:
        if scratch_reason:
            shutil.rmtree(run_dir, ignore_errors=True)
    if result.unwritable:  # the checks' records came over the pipe; the disk is the cause, not a check
        timed_out = result.error if result.error.startswith(("run timed out", INTERRUPTED)) else ""
        result.error = "; ".join(filter(None, [f"cannot write the reports: {result.unwritable}", timed_out]))
    return result


def _run_in(run_dir: Path, settings, selection: Selection, output, workers: int | None, start) -> RunResult:
    result = RunResult(run_dir, selection, None)
    command = pytest_command(settings, selection, run_dir, workers)
    log.info("run %s started", run_dir.name)
    log.debug("pytest command: %s", " ".join(command))
    progress = Progress(output)
    try:
        process = start(command, PROJECT_ROOT, child_environment())
    except OSError as exc:
        result.error = f"cannot start pytest: {exc}"
        return result
    sink = diskspace.LogSink(run_dir / "pytest.log")
    lifeline.track(process.pid)
    try:
        result.error = supervise(process, sink, progress, settings)
    finally:
        lifeline.untrack(process.pid)
        lifeline.kill_group(process.pid)  # what pytest left behind in its group (a browser, a worker)
    result.pytest_exit, result.interrupted = process.returncode, result.error.startswith(INTERRUPTED)
    result.finished = time.time()
    partial = bool(result.error)  # stopped by the supervisor: the checks are those that finished
    results_file = run_dir / "results.json"
    try:
        result.checks = read_results(results_file, fallback=progress.records)
    except MonitorError as exc:
        result.checks, result.error = progress.records, result.error or str(exc)
    if not result.error:
        result.error = pytest_error(result.pytest_exit, run_dir / "pytest.log")
    unfinished = [node_id for node_id in progress.started if node_id not in {c["id"] for c in result.checks}]
    if not result.error and (unfinished or not results_file.exists()):  # pytest, or an xdist worker, died
        result.error, partial = crash_error(result.pytest_exit, unfinished), True
    if partial and result.checks:
        result.error += f"; {len(result.checks)} checks completed before"
    result.unwritable = diskspace.unwritable(run_dir, sink.failure)
    return result


def supervise(process, sink: diskspace.LogSink, progress: Progress, settings) -> str:
    """Copy pytest's output to the log (scrubbed) and the progress display; enforce the deadline.
    Returns a runner error message, or "" when pytest ended by itself."""
    scrub = settings.scrubber()
    timeout = settings.runner.run_timeout_seconds

    def pump() -> None:
        for line in process.stdout:
            sink.write(scrub(line))
            progress.feed(line, scrub)
        sink.close()

    reader = threading.Thread(target=pump, name="pytest-output", daemon=True)
    reader.start()
    error = ""
    try:
        wait_without_polling(process, timeout)
    except subprocess.TimeoutExpired:
        error = f"run timed out after {timeout:g} s (runner.run_timeout_seconds): pytest was stopped"
        stop_group(process)
    except KeyboardInterrupt:
        error = f"{INTERRUPTED}: pytest was stopped"
        stop_group(process)
    reader.join(30)
    return error


def wait_without_polling(process, timeout: float) -> None:
    """process.wait(timeout), but a Popen's without its sleep-and-poll loop (up to 50 ms late: a
    short run's end is on the clock): a thread blocks in waitpid while this one waits on an Event,
    which Ctrl-C and SIGTERM still interrupt. A warm run (runner.warm) already blocks on its socket.
    Raises subprocess.TimeoutExpired like process.wait."""
    if not isinstance(process, subprocess.Popen):
        process.wait(timeout=timeout)
        return
    ended = threading.Event()
    threading.Thread(target=lambda: (process.wait(), ended.set()), name="pytest-wait", daemon=True).start()
    if not ended.wait(timeout):
        raise subprocess.TimeoutExpired(process.args, timeout)


def stop_group(process, grace: float = INTERRUPT_GRACE_SECONDS) -> None:
    """SIGINT the run's process group (pytest then writes its reports), SIGKILL what remains."""
    log.warning("stopping pytest (pid %s) and its process group", process.pid)
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        try:  # the leader is gone; kill what it left in its group (xdist workers, drivers)
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        break


def pytest_error(exit_status: int | None, log_path: Path) -> str:
    """A runner error message when pytest itself failed (not its checks), else ""."""
    if exit_status not in PYTEST_EXITS:
        return ""
    tail = [line for line in _read_lines(log_path) if line.strip() and PROGRESS_PREFIX not in line][-3:]
    detail = " | ".join(line.strip() for line in tail)[:500]
    return f"pytest {PYTEST_EXITS[exit_status]} (exit {exit_status}): {detail}"


def crash_error(exit_status: int | None, running: list[str]) -> str:
    """The runner error of a pytest that died, or lost an xdist worker, in the middle of checks
    (os._exit in a check, a segfault, the OOM killer): naming the checks that never finished."""
    how = f"exit {exit_status}"
    if exit_status is not None and exit_status < 0:
        how = f"killed by {_signal_name(-exit_status)}"
    during = f" during {', '.join(dict.fromkeys(running))}" if running else ""  # a retest starts it twice
    return f"pytest ended ({how}) without finishing its checks: it crashed or was killed{during}"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(errors="replace").splitlines()
    except OSError:
        return []


def read_results(path: Path, fallback: list[CheckRecord] | None = None) -> list[CheckRecord]:
    """The result file's checks; `fallback` (records streamed so far) when pytest wrote none."""
    try:
        checks = json.loads(path.read_text())["checks"]
    except FileNotFoundError:
        return list(fallback or [])
    except (ValueError, KeyError) as exc:
        raise MonitorError(f"{path}: unreadable result file ({exc})") from None
    return [from_json(check) for check in checks]
