"""The one-screen terminal summary of a run."""

from __future__ import annotations

from runner.execute import RunResult

ORDER = ("fail", "error", "degraded", "pass", "skipped")
SYMBOL = {"pass": "ok", "degraded": "DEGRADED", "fail": "FAIL", "error": "ERROR", "skipped": "skip"}


def print_summary(result: RunResult, out) -> None:
    checks = sorted(result.checks, key=lambda c: (ORDER.index(c.get("outcome", "error")), c["id"]))
    out.write(f"\n{len(checks)} checks ({result.selection.label}): ")
    out.write(", ".join(f"{result.count(o)} {o}" for o in ORDER if result.count(o)) + "\n")
    for check in checks:
        outcome = check.get("outcome", "error")
        if outcome in ("pass", "skipped"):
            continue
        out.write(f"  {SYMBOL[outcome]:<8} {check['name']}: {check.get('message', '')[:300]}\n")
    if result.exit_code == 3:
        out.write(f"  the run itself failed (pytest exit {result.pytest_exit}); see {result.run_dir / 'pytest.log'}\n")
    out.write(f"report: {result.report}\n")
