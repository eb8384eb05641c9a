"""The runner's own cost: `dija-monitor run` of one trivial check against plain `pytest` of the same file.

    python bench/overhead.py [--rounds 7]

Writes a checks folder with one check that passes at once (and a config naming it), then per
round, in turn: plain `pytest checks/test_trivial.py`; the exact pytest command the runner
builds (HTML report, JUnit XML, result file, timeout; issue 16 measures `run` against this one);
the whole `dija-monitor run` as installed (`python -m runner`: its pytest started first, the CLI's
start and config beside pytest's imports, then history, alerts, dashboard); and `python -c "import
runner.cli, ..."` (what starting the CLI costs, now mostly off the clock). Prints medians; the ratio and the extra
seconds are taken within each round, then their median. Goal: ≤ 1.2× or ≤ 0.3 s extra. The same
figures in CPU seconds (user + system of the command and everything under it): on a machine
shared with other work the wall times swing with the load, the CPU seconds much less.
"""

from __future__ import annotations

import argparse
import operator
import resource
import statistics
import sys

from _common import check_nothing_left, figure, machine, spread, timed, trivial_checks

from demoshop.stack import traversable_temp_dir
from runner import config
from runner.execute import Selection, new_run_dir, pytest_command

GOAL_RATIO, GOAL_EXTRA = 1.2, 0.3


def commands(folder) -> dict[str, list[str]]:
    path = trivial_checks(folder)
    settings = config.load(path, environ={})
    runner_pytest = pytest_command(settings, Selection(), new_run_dir(folder / "pytest-only", "all"))
    return {
        "plain pytest": [sys.executable, "-m", "pytest", "checks/test_trivial.py", "-q", "-p", "no:cacheprovider"],
        "pytest as the runner calls it": runner_pytest,
        "dija-monitor run": [sys.executable, "-m", "runner", "run", "--config", str(path)],
        "python start + imports of the CLI": [sys.executable, "-c", "import runner.cli, runner.pipeline"],
    }


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(folder, rounds: int) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """(wall seconds, CPU seconds) of each command, per round."""
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    named = commands(folder)
    for _ in range(rounds):
        for name, command in named.items():
            before = children_cpu()
            seconds, done = timed(command, cwd=folder)
            if done.returncode != 0:
                raise SystemExit(f"{name} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
            times.setdefault(name, []).append(seconds)
            cpu.setdefault(name, []).append(children_cpu() - before)
    return times, cpu


def show(times: dict[str, list[float]], unit: str = "wall") -> None:
    print(f" {unit} seconds:")
    plain, runner_pytest, run, start = times.values()
    for name, values in times.items():
        figure(name, spread(values))
    ratio = statistics.median(map(operator.truediv, run, plain))
    extra = statistics.median(map(operator.sub, run, plain))
    met = ratio <= GOAL_RATIO or extra <= GOAL_EXTRA
    figure("overhead: ratio run / plain pytest", f"{ratio:.2f}×", f"goal ≤ {GOAL_RATIO}× or ≤ {GOAL_EXTRA} s")
    figure("overhead: extra seconds", f"{extra:.2f} s", "goal met" if met else "goal NOT met")
    over_its_own = statistics.median(map(operator.sub, run, runner_pytest))
    figure(
        "extra over the pytest command it starts",
        f"{over_its_own:.2f} s",
        f"the issue's measure: goal ≤ {GOAL_EXTRA} s " + ("met" if over_its_own <= GOAL_EXTRA else "NOT met"),
    )
    figure(
        "  of it: pytest's reports and options", f"{statistics.median(map(operator.sub, runner_pytest, plain)):.2f} s"
    )
    # `run` starts its pytest before importing the CLI (runner.prestart): the two overlap, so the CLI's
    # start is not on the clock unless it outlasts pytest's own imports
    figure("  python start + imports of the CLI (overlapped)", f"{statistics.median(start):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="repetitions of each command (default 7)")
    args = parser.parse_args()
    print(f"runner overhead on one trivial check; {machine()}")
    with traversable_temp_dir() as folder:
        wall, cpu = measure(folder, args.rounds)
    show(wall)
    show(cpu, "CPU")
    print(f"  load average after: {machine().rsplit('load average ', 1)[1]}")
    check_nothing_left()


if __name__ == "__main__":
    main()
