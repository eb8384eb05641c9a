"""What a person sees in the terminal: a line per finished check while a run goes, then a
one-screen summary."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from runner.execute import RunResult

ORDER = ("fail", "error", "degraded", "pass", "skipped")
SYMBOL = {"pass": "ok", "degraded": "DEGRADED", "fail": "FAIL", "error": "ERROR", "skipped": "skip"}
# --progress: the plugin prints JSON lines with this prefix on pytest's output as checks start and
# finish; defined here, not in the plugin, so the runner reads them without importing pytest
PROGRESS_PREFIX = "@@dija "
PROGRESS_MESSAGE = 90


class Progress:
    """Reads pytest's output for the plugin's progress lines (--progress); keeps the records of
    finished checks (the partial result when a run is killed) and prints one line for each;
    `started` lists the checks as they start (one never finished is where pytest crashed)."""

    def __init__(self, output=None):
        self.output = output
        self.total: int | None = None
        self.records: list[dict] = []
        self.started: list[str] = []

    def feed(self, line: str, scrub=str) -> None:
        _, found, payload = line.partition(PROGRESS_PREFIX)
        if not found:
            return
        try:
            data = json.loads(payload)
        except ValueError:
            return
        if "collected" in data:
            self.total = data["collected"]
        elif "started" in data:
            self.started.append(data["started"])
        elif "check" in data:
            self.records.append(data["check"])
            self._show(data["check"], scrub)

    def _show(self, check: dict, scrub) -> None:
        if self.output is None:
            return
        outcome = check.get("outcome", "error")
        width = len(str(self.total or 0))
        where = f"[{len(self.records):>{width}}/{self.total}]" if self.total else f"[{len(self.records)}]"
        message = " ".join(check.get("message", "").split())
        if len(message) > PROGRESS_MESSAGE:
            message = message[:PROGRESS_MESSAGE - 1] + "…"
        line = f"{where} {SYMBOL.get(outcome, outcome):<8} {check.get('name', check['id'])} " \
               f"({check.get('duration', 0):.1f} s){'  ' + message if message else ''}"
        try:
            self.output.write(scrub(line) + "\n")
            self.output.flush()
        except (OSError, ValueError):  # the terminal went away (a closed pipe): the run goes on unseen
            self.output = None


def print_summary(result: RunResult, out, scrub=str) -> None:
    checks = sorted(result.checks, key=lambda c: (_rank(c.get("outcome")), c["id"]))
    took = result.finished - result.started
    out.write(f"\n{len(checks)} checks ({result.selection.label}, {took:.1f} s): ")
    counts = ", ".join(f"{result.count(o)} {o}" for o in ORDER if result.count(o))
    out.write((counts or ("none ran" if result.error else "none selected")) + "\n")
    for check in checks:
        outcome = check.get("outcome", "error")
        if outcome in ("pass", "skipped"):
            continue
        out.write(scrub(f"  {SYMBOL.get(outcome, outcome):<8} {check['name']}: {check.get('message', '')[:300]}\n"))
    if result.error:
        out.write(scrub(f"  RUNNER ERROR: {result.error}\n"))
    pytest_log = result.run_dir / "pytest.log"
    if result.error and pytest_log.exists() and not result.unwritable:
        out.write(f"  pytest's output: {pytest_log}\n")
    if result.report.exists() and not result.unwritable:  # not when the run broke before pytest wrote it
        out.write(f"report: {result.report}\n")


def _rank(outcome: str | None) -> int:
    return ORDER.index(outcome) if outcome in ORDER else 0
