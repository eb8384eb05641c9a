"""`dija-monitor verify`: the post-deployment gate. The smoke checks now (the exit code is for
`deploy.sh`); with `--watch HOURS`, then the critical checks every `schedule.watch_every_seconds`
(default a minute) for that long: the guide's heightened monitoring after a deployment.
Every run goes through the pipeline (history, alerts) like a scheduled one."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path

from runner.execute import Selection
from runner.pipeline import exit_code, run_once
from runner.summary import print_summary

log = logging.getLogger(__name__)


def verify(settings, reports_dir: Path | None, output, watch_hours: float | None = None,
           interval: float | None = None, clock=time.time, sleep=time.sleep) -> int:
    """0 the smoke checks pass (and, watching, every critical run too); else 1 or 3."""
    result, failures = run_once(settings, Selection(smoke=True), reports_dir, output=output)
    print_summary(result, output, settings.scrubber())
    _warn(failures, output)
    code = exit_code(result, failures)
    if code != 0 or not watch_hours:
        return code
    try:  # SIGTERM, under the CLI, raises KeyboardInterrupt too
        return watch(settings, reports_dir, watch_hours, interval or settings.schedule.watch_every_seconds,
                     output, clock, sleep)
    except KeyboardInterrupt:
        output.write("watch stopped\n")
        return 0


def watch(settings, reports_dir, hours: float, interval: float, output, clock, sleep) -> int:
    """The critical checks every `interval` seconds until `hours` have passed; the worst exit code."""
    start = clock()
    deadline, next_at, worst = start + hours * 3600, start, 0
    output.write(f"watching the critical checks every {interval:g} s for {hours:g} h (Ctrl-C stops)\n")
    while True:
        while next_at <= clock():  # a run longer than the interval skips the slots it overran
            next_at += interval
        if next_at > deadline:
            break
        sleep(next_at - clock())
        result, failures = run_once(settings, Selection("critical"), reports_dir)
        code = exit_code(result, failures)
        worst = max(worst, code)
        problems = [f"{c['name']}: {c.get('message', '')[:120]}" for c in result.checks
                    if c.get("outcome") in ("fail", "error")]
        line = f"{datetime.now():%H:%M:%S} critical: {result.status} ({len(result.checks)} checks)"
        output.write(settings.scrubber()("; ".join([line, *problems, *([result.error] if result.error else [])])) + "\n")
        output.flush()
        _warn(failures, output)
    output.write(f"watch over: {'every critical run passed' if worst == 0 else 'some runs failed'}\n")
    return worst


def _warn(failures: list[str], output) -> None:
    for failure in failures:
        output.write(f"warning: post-run step failed: {failure}\n")
