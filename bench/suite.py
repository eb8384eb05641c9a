"""One full run of every check against the healthy demo stack: wall time serial and with pytest-xdist,
the slowest single check, and the ratio full run / slowest check (goal ≤ 2 on 2 cores).

    python bench/suite.py [--rounds 3] [--workers 1,2]

Starts its own demo stack. Per round, in turn: plain `pytest checks/` (no reports: the runner's
cost on the whole suite is the difference to the serial run), then `dija-monitor run --workers N`
for each N, each into a fresh reports folder. The slowest check comes from that run's
results.json (setup + call + teardown), so the ratio is taken within one run; a second ratio
divides by the slowest check of the same round's run with the fewest workers (under -n 2 that
check is slowed by its neighbour). The figures are medians over the rounds. `--workers 1,2,3` also
tries three processes on this machine's cores.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

from _common import check_nothing_left, figure, machine, spread, timed

from demoshop.stack import temporary_stack

GOAL_RATIO = 2.0  # issue 16: on this 2-core machine


def full_run(config: Path, reports: Path, workers: int) -> dict:
    """`dija-monitor run` of every check; its wall time, slowest check and outcomes."""
    seconds, _ = timed(
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            "--config",
            str(config),
            "--reports-dir",
            str(reports),
            "--workers",
            str(workers),
        ]
    )
    (results,) = reports.glob("runs/*Z-*/results.json")  # not runs/latest
    checks = json.loads(results.read_text())["checks"]
    checks.sort(key=lambda c: c["duration"], reverse=True)
    return {
        "wall": seconds,
        "slowest": checks[0]["duration"],
        "slowest_id": checks[0]["id"],
        "top": [(c["id"].split("::")[-1], c["duration"]) for c in checks[:5]],
        "checks_total": sum(c["duration"] for c in checks),
        "outcomes": Counter(c["outcome"] for c in checks),
        "failing": {c["id"].split("::")[-1] for c in checks if c["outcome"] in ("fail", "error")},
    }


def plain_pytest(config: Path) -> float:
    seconds, _ = timed(
        [sys.executable, "-m", "pytest", "checks/", "-q", "-p", "no:cacheprovider", "--config", str(config)]
    )
    return seconds


def measure(stack, rounds: int, worker_counts: list[int]) -> tuple[list[float], dict[int, list[dict]]]:
    plain: list[float] = []
    runs: dict[int, list[dict]] = {n: [] for n in worker_counts}
    for round_number in range(rounds):
        plain.append(plain_pytest(stack.config_path))
        for workers in worker_counts:
            reports = stack.run_dir / f"bench-reports-{round_number}-{workers}"
            runs[workers].append(full_run(stack.config_path, reports, workers))
    return plain, runs


def show(plain: list[float], runs: dict[int, list[dict]]) -> None:
    figure("plain pytest checks/, serial, no reports", spread(plain))
    alone = [r["slowest"] for r in runs[min(runs)]]  # the slowest check with the fewest workers beside it
    figure(
        "five slowest checks, first run, fewest workers",
        ", ".join(f"{name} {seconds:.1f} s" for name, seconds in runs[min(runs)][0]["top"]),
    )
    for workers, results in runs.items():
        show_variant(workers, results, alone)
    if 1 in runs:  # paired within each round: the machine's load drifts between rounds
        cost = statistics.median(r["wall"] - p for r, p in zip(runs[1], plain))
        figure("runner's cost on the suite (serial run - plain)", f"{cost:.2f} s")
    best = min(runs, key=lambda n: statistics.median(r["wall"] for r in runs[n]))
    figure("best worker count", f"{best} (fastest median wall time)")


def show_variant(workers: int, results: list[dict], alone: list[float]) -> None:
    outcomes = sum((r["outcomes"] for r in results), Counter())
    figure(
        f"dija-monitor run, {'serial (--workers 1)' if workers == 1 else f'-n {workers}'}",
        spread([r["wall"] for r in results]),
    )
    failing = set().union(*(r["failing"] for r in results))
    figure(
        "  outcomes over all its runs",
        ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
        + (f" (failing: {', '.join(sorted(failing))})" if failing else ""),
    )
    figure("  sum of the check durations", spread([r["checks_total"] for r in results]))
    figure("  slowest check", spread([r["slowest"] for r in results]) + f" ({results[0]['slowest_id']})")
    show_ratio("  ratio full run / slowest check of that run", [r["wall"] / r["slowest"] for r in results])
    show_ratio("  ratio full run / slowest check, fewest workers", [r["wall"] / s for r, s in zip(results, alone)])


def show_ratio(name: str, ratios: list[float]) -> None:
    ratio = statistics.median(ratios)
    figure(name, f"{ratio:.2f}", f"goal ≤ {GOAL_RATIO}: {'met' if ratio <= GOAL_RATIO else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="repetitions of each variant (default 3)")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    args = parser.parse_args()
    worker_counts = [int(n) for n in args.workers.split(",")]
    print(f"full suite against the healthy demo stack; {machine()}")
    with temporary_stack() as stack:
        show(*measure(stack, args.rounds, worker_counts))
    check_nothing_left()


if __name__ == "__main__":
    main()
