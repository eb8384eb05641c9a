"""The deploy gate on the healthy demo stack: wall time of `dija-monitor verify` (goal ≤ 15 s),
its checks' durations, and the load average beside each round.

    python bench/gate.py [--rounds 5] [--workers 1,2]

Starts its own demo stack; each round is one `verify` into a fresh reports folder (so no timing
baseline: a first deploy). The figures are medians over the rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys

from _common import check_nothing_left, figure, machine, spread, timed

from demoshop.stack import temporary_stack

GOAL_SECONDS = 15


def with_workers(stack, workers: int):
    """The demo's config with runner.workers set (its env_file made absolute)."""
    text = stack.config_path.read_text().replace(
        'env_file = "monitor.env"', f'env_file = "{stack.run_dir / "monitor.env"}"'
    )
    path = stack.run_dir / f"bench-gate-workers{workers}.toml"
    path.write_text(text.replace("[runner]\n", f"[runner]\nworkers = {workers}\n", 1))
    return path


def one_gate(config, reports) -> dict:
    seconds, done = timed(
        [
            sys.executable,
            "-m",
            "runner",
            "verify",
            "--config",
            str(config),
            "--reports-dir",
            str(reports),
            "--json",
            str(reports / "gate.json"),
        ]
    )
    checks = json.loads((reports / "gate.json").read_text())["checks"]
    return {
        "wall": seconds,
        "exit": done.returncode,
        "load": os.getloadavg()[0],
        "checks": {c["name"]: c["duration"] for c in checks},
        "outcomes": [c["outcome"] for c in checks],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="repetitions (default 5)")
    parser.add_argument("--workers", default="1", help="runner.workers values to compare (default 1)")
    args = parser.parse_args()
    print(f"deploy gate (dija-monitor verify) against the healthy demo stack; {machine()}")
    with temporary_stack() as stack:
        configs = {int(n): with_workers(stack, int(n)) for n in args.workers.split(",")}
        results = {n: [] for n in configs}
        for number in range(args.rounds):  # alternated: the machine's load drifts
            for workers, config in configs.items():
                results[workers].append(one_gate(config, stack.run_dir / f"bench-gate-{workers}-{number}"))
    for workers, rounds in results.items():
        show(workers, rounds)
    check_nothing_left()


def show(workers: int, rounds: list[dict]) -> None:
    walls = [r["wall"] for r in rounds]
    figure(
        f"verify, runner.workers = {workers}, wall time",
        spread(walls),
        f"goal ≤ {GOAL_SECONDS} s: {'met' if statistics.median(walls) <= GOAL_SECONDS else 'NOT met'}",
    )
    figure("  exit codes", ", ".join(str(r["exit"]) for r in rounds))
    figure("  load average (1 min) after each round", ", ".join(f"{r['load']:.1f}" for r in rounds))
    figure(
        "  checks and outcomes",
        f"{len(rounds[0]['outcomes'])} checks: "
        + ", ".join(f"{o} {rounds[0]['outcomes'].count(o)}" for o in sorted(set(rounds[0]["outcomes"]))),
    )
    figure("  sum of the check durations", spread([sum(r["checks"].values()) for r in rounds]))
    for name in sorted(rounds[0]["checks"], key=lambda n: -rounds[0]["checks"][n])[:4]:
        figure(f"  {name[:44]}", spread([r["checks"].get(name, 0.0) for r in rounds]))


if __name__ == "__main__":
    main()
