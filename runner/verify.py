"""`dija-monitor verify`: the post-deployment gate. The smoke checks now: key pages, the synthetic
checkout, sign-in, scripts, TLS, database, the backup before the deploy, and the logs since the
deploy (`--since`, default when verify starts); timings compared with the 24 h before it. The
exit code is for `deploy.sh`. With `--watch HOURS`, then the gate's checks on their own cadence
for that long (its critical ones every `schedule.watch_every_seconds`, all of them every
`schedule.watch_gate_every_seconds`): the guide's heightened monitoring after a deployment.
Every run goes through the pipeline (history, alerts) like a scheduled one, unless told otherwise.
"""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from runner import ci, gate
from runner.execute import Selection
from runner.pipeline import STEPS, exit_code, run_once
from runner.summary import print_summary
from runner.units import moment_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deploy:
    """What the gate knows of the deploy it judges."""

    since: datetime = field(default_factory=lambda: datetime.now(UTC))
    backup_within: float | None = None  # minutes before `since` a full backup must be from; None: not checked
    pipeline: ci.CiOptions = ci.CiOptions()  # --junitxml, --json, --no-alerts, --no-history, --strict
    keyword: str | None = None  # -k: only the gate's checks matching it
    start: object = None  # how the gate's pytest starts (runner.prestart's, already importing); None: a fresh one

    def steps(self) -> list[tuple]:
        """The post-run steps, the problems' messages saying "since the deploy of ..." before the alerts."""
        steps = []
        for name, step in STEPS:
            if name == "alerts":
                steps.append(("deploy", lambda ctx: gate.annotate(ctx.result, self.since)))
            steps.append((name, step))
        return self.pipeline.steps(steps)


def verify(
    settings,
    reports_dir: Path | None,
    output,
    watch_hours: float | None = None,
    interval: float | None = None,
    clock=time.time,
    sleep=time.sleep,
    deploy: Deploy | None = None,
) -> int:
    """0 the gate passes (and, watching, every run of the watch too); else 1 or 3."""
    deploy = deploy or Deploy()
    reports_dir = Path(reports_dir or settings.reports_dir())
    with tempfile.TemporaryDirectory(prefix="dija-gate-") as folder:
        baseline = Path(folder) / "baseline.json"
        timings = gate.write_baseline(settings, reports_dir, deploy.since, baseline)
        output.write(
            f"deploy gate: logs and error rate judged since the deploy of {moment_text(deploy.since)}; "
            + (
                f"{timings} timings compared with the 24 h before it\n"
                if timings
                else "no history of the 24 h before it to compare timings with\n"
            )
        )
        options = gate.pytest_options(deploy.since, deploy.backup_within, baseline if timings else None)
        selection = Selection(smoke=True, keyword=deploy.keyword, options=options)
        result, failures = run_once(
            settings, selection, reports_dir, output=output, steps=deploy.steps(), start=deploy.start
        )
        print_summary(result, output, settings.scrubber())
        _warn(failures, output)
        code = ci.exit_code(exit_code(result, failures), result, deploy.pipeline)
        ci.publish(result, code, deploy.pipeline, "verify", deploy.since)
        if code != 0 or not watch_hours:
            return code
        watch_options = gate.pytest_options(deploy.since, None, baseline if timings else None)
        try:  # SIGTERM, under the CLI, raises KeyboardInterrupt too
            return watch(
                settings,
                reports_dir,
                watch_hours,
                interval or settings.schedule.watch_every_seconds,
                output,
                clock,
                sleep,
                Watch(deploy, watch_options),
            )
        except KeyboardInterrupt:
            output.write("watch stopped\n")
            return 0


@dataclass(frozen=True)
class Watch:
    deploy: Deploy
    options: tuple[str, ...]

    def selection(self, every_check: bool) -> Selection:
        """Every gate check, or only its critical-cadence ones (pages, database)."""
        return Selection("critical" if not every_check else None, True, self.deploy.keyword, "watch", self.options)


def watch(settings, reports_dir, hours: float, interval: float, output, clock, sleep, plan: Watch) -> int:
    """The gate's checks until `hours` have passed: its critical ones every `interval` seconds,
    all of them every schedule.watch_gate_every_seconds; the worst exit code."""
    start = clock()
    deadline, next_at, worst = start + hours * 3600, start, 0
    every_check_at = start + settings.schedule.watch_gate_every_seconds
    output.write(
        f"watching the gate's checks for {hours:g} h: the critical ones every {interval:g} s, all of them "
        f"every {settings.schedule.watch_gate_every_seconds:g} s (Ctrl-C stops)\n"
    )
    while True:
        while next_at <= clock():  # a run longer than the interval skips the slots it overran
            next_at += interval
        if next_at > deadline:
            break
        sleep(next_at - clock())
        every_check = clock() >= every_check_at
        if every_check:
            every_check_at = clock() + settings.schedule.watch_gate_every_seconds
        result, failures = run_once(settings, plan.selection(every_check), reports_dir, steps=plan.deploy.steps())
        worst = max(worst, ci.exit_code(exit_code(result, failures), result, plan.deploy.pipeline))
        _report_watch_run(settings, result, "gate" if every_check else "critical", output)
        _warn(failures, output)
    output.write(f"watch over: {'every run passed' if worst == 0 else 'some runs failed'}\n")
    return worst


def _report_watch_run(settings, result, what: str, output) -> None:
    problems = [
        f"{c['name']}: {c.get('message', '')[:120]}" for c in result.checks if c["outcome"] in ("fail", "error")
    ]
    line = f"{datetime.now():%H:%M:%S} {what}: {result.status} ({len(result.checks)} checks)"
    output.write(settings.scrubber()("; ".join([line, *problems, *([result.error] if result.error else [])])) + "\n")
    output.flush()


def _warn(failures: list[str], output) -> None:
    for failure in failures:
        output.write(f"warning: post-run step failed: {failure}\n")
