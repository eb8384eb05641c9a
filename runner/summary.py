"""What a person sees in the terminal after a run: a one-screen summary (the line per finished
check while it goes is runner.progress)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from runner.progress import SYMBOL

if TYPE_CHECKING:
    from runner.execute import RunResult

ORDER = ("fail", "error", "degraded", "pass", "skipped")


def print_summary(result: RunResult, out, scrub=str) -> None:
    checks = sorted(result.checks, key=lambda c: (_rank(c["outcome"]), c["id"]))
    took = result.finished - result.started
    out.write(f"\n{len(checks)} checks ({result.selection.label}, {took:.1f} s): ")
    counts = ", ".join(f"{result.count(o)} {o}" for o in ORDER if result.count(o))
    out.write((counts or ("none ran" if result.error else "none selected")) + "\n")
    for check in checks:
        outcome = check["outcome"]
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


def _rank(outcome: str) -> int:
    return ORDER.index(outcome) if outcome in ORDER else 0
