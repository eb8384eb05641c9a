"""After every run, in one place: result → history → retention → (alerts → dashboard).

A step is a function of the RunContext, listed in STEPS with its name. A failing step is
logged, noted on the run's history record and in the run folder (`pipeline-errors.txt`); the
steps after it still run, and the run's own record, written first, is never lost.

Alerts do not depend on the disk: when the history cannot be opened or the run not recorded (a
full or read-only disk), the other steps are skipped and the alerts go out all the same
(runner.alerts.disk), with a notice that the monitor cannot write its reports.

`run_once` is how every command runs checks: `run`, `verify`, and each scheduled cadence.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from runner import diskspace
from runner.errors import MonitorError, reason
from runner.execute import RunResult, Selection, run_checks
from runner.store import DAY, Store

log = logging.getLogger(__name__)
HISTORY_FILE = "history.sqlite3"
PRUNE_META = "last_prune"


@dataclass
class RunContext:
    settings: object
    result: RunResult
    reports_dir: Path
    store: Store | None = None
    run_id: int | None = None  # set by the history step

    @property
    def scrub(self):
        return self.settings.scrubber()


def history_path(reports_dir: Path) -> Path:
    return Path(reports_dir) / HISTORY_FILE


def open_store(reports_dir: Path) -> Store:
    return Store(history_path(reports_dir))


def record_in_history(ctx: RunContext) -> None:
    result = ctx.result
    ctx.run_id = ctx.store.record_run(
        result.selection.label,
        result.checks,
        status=result.status,
        exit_code=result.exit_code,
        run_dir=None if result.unwritable else str(result.run_dir),  # no report was kept
        started=result.started,
        at=result.finished,
        message=ctx.scrub(result.error),
    )


def prune_history(ctx: RunContext, now: float | None = None) -> None:
    """Retention (runner.history_days), at most once a day."""
    now = now or time.time()
    if now - ctx.store.get_meta(PRUNE_META, 0) < DAY:
        return
    deleted = ctx.store.prune(keep_days=ctx.settings.runner.history_days, now=now)
    ctx.store.set_meta(PRUNE_META, now)
    log.info("history retention: %d old results deleted", deleted)


def send_alerts(ctx: RunContext) -> None:
    # requests, the channels, the dashboard: imported after the run (or while it goes: preload_post_run)
    from runner.post_run import alerts_step

    alerts_step(ctx.settings, ctx.store, ctx.result)


def render_dashboard(ctx: RunContext) -> None:
    from runner.post_run import dashboard_step

    dashboard_step(ctx.settings, ctx.store, ctx.result)


Step = Callable[[RunContext], None]
STEPS: list[tuple[str, Step]] = [
    ("history", record_in_history),
    ("retention", prune_history),
    ("alerts", send_alerts),
    ("dashboard", render_dashboard),
]
POST_RUN_MODULES = ("runner.post_run", "runner.alerts.disk")  # what the steps import, for preload_post_run


def preload_post_run() -> threading.Thread:
    """Import the post-run steps' modules in a thread while pytest runs (a `run` would otherwise
    import them before starting pytest, or after it, on the clock)."""

    def load() -> None:
        for name in POST_RUN_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # the step itself will raise it, where it is reported
                log.debug("preloading %s failed", name, exc_info=True)

    thread = threading.Thread(target=load, name="preload-post-run", daemon=True)
    thread.start()
    return thread


def after_run(settings, result: RunResult, reports_dir: Path, steps: list[tuple[str, Step]] | None = None) -> list[str]:
    """Run the post-run steps; return the failures as one-line messages (empty: all went well)."""
    ctx = RunContext(settings, result, Path(reports_dir))
    failures = []
    try:
        ctx.store = open_store(ctx.reports_dir)
    except MonitorError as exc:
        failures.append(f"history: {exc}")
    for name, step in STEPS if steps is None else steps:
        if ctx.store is None or failures and failures[0].startswith("history:"):
            break  # the disk is full or read-only: the steps after it would fail the same way
        try:
            step(ctx)
        except Exception as exc:  # a step's bug must not lose the run nor stop the next steps
            log.error("post-run step %s failed: %s", name, ctx.scrub(reason(exc)))
            log.debug("post-run step %s failed", name, exc_info=True)  # the traceback with -v
            failures.append(ctx.scrub(f"{name}: {reason(exc)}"))
    history_lost = bool(failures) and failures[0].startswith("history:")
    why = diskspace.unwritable(ctx.reports_dir) if failures else ""
    alerts_lost = bool(why) and any(f.startswith("alerts:") for f in failures)  # the disk filled after the record
    if history_lost or alerts_lost:
        failures += _alert_without_history(ctx, why or failures[0].split(": ", 1)[1])
    if why:  # the real cause first: the steps' own errors ("database or disk is full") follow from it
        failures.insert(0, f"reports: cannot write: {why}")
    _note_failures(ctx, failures)
    if ctx.store is not None:
        ctx.store.close()
    return failures


def _alert_without_history(ctx: RunContext, why: str) -> list[str]:
    """Alerts from what can be read when the run cannot be recorded; the failure, if any, as a line."""
    from runner.alerts.disk import alert_without_history

    try:
        alert_without_history(ctx.settings, history_path(ctx.reports_dir), why, list(ctx.result.checks))
    except Exception as exc:
        log.debug("alerts without history failed", exc_info=True)
        return [ctx.scrub(f"alerts: {reason(exc)}")]
    return []


def _note_failures(ctx: RunContext, failures: list[str]) -> None:
    if not failures:
        return
    text = "post-run step failed: " + "; ".join(failures)
    try:
        if ctx.run_id is not None:
            ctx.store.add_run_message(ctx.run_id, text)
        if ctx.result.run_dir.is_dir() and not ctx.result.unwritable:
            with open(ctx.result.run_dir / "pipeline-errors.txt", "a") as fh:
                fh.write(text + "\n")
    except Exception as exc:
        log.error("cannot record the failure of a post-run step: %s", exc)


def run_once(
    settings,
    selection: Selection,
    reports_dir: Path | None = None,
    output=None,
    workers: int | None = None,
    steps=None,
    start=None,
) -> tuple[RunResult, list[str]]:
    """Run checks once, then the post-run steps. Never raises for a broken run: a runner error is
    a result (status error, exit code 3) and is recorded like any other. An interrupted run
    (Ctrl-C, SIGTERM raising KeyboardInterrupt) is recorded, then KeyboardInterrupt goes on."""
    reports_dir = Path(reports_dir or settings.reports_dir())
    started = time.time()
    try:
        result = run_checks(
            settings, selection, reports_dir, output=output, workers=workers, **({"start": start} if start else {})
        )
    except Exception as exc:
        expected = isinstance(exc, MonitorError)  # e.g. the run folder cannot be made: no traceback
        log.error("run %s could not be carried out: %s", selection.label, exc, exc_info=not expected)
        result = RunResult(
            reports_dir / "runs",
            selection,
            None,
            started=started,
            error=settings.scrubber()(f"runner error: {reason(exc)}"),
        )
    failures = after_run(settings, result, reports_dir, steps)
    if result.interrupted:
        raise KeyboardInterrupt  # recorded; now let the command stop
    return result, failures


def exit_code(result: RunResult, failures: list[str]) -> int:
    """The run's exit code; a failed post-run step makes a passing run a runner error (3), and so does a
    history or reports folder that cannot be written whatever the checks said."""
    unwritable = any(f.startswith(("history:", "reports:")) for f in failures)
    return 3 if failures and (result.exit_code == 0 or unwritable) else result.exit_code
