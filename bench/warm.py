"""Critical run cold vs warm, and the key-pages check vs curl of the same pages, against the demo.

    python bench/warm.py [--rounds 5]

Starts its own demo stack. Per round, in turn: the critical cadence (key pages, database) run as the
daemon runs it cold (a `python -m pytest` subprocess, `[schedule] warm = false`) and warm (a child
forked from runner.warm's parent); then the key-pages check alone, warm (`-k`), against one `curl`
of the same pages (it reuses its connection across them, as the check's HTTP session does).
Wall time from the start to the run's result in hand; CPU seconds of pytest and everything under
it (cold: RUSAGE_CHILDREN of this process; warm: the child's rusage from wait4 in the warm parent)
plus this process's own (the runner's side: the output pump, reading the results). Ratios are
taken within each round, then their median.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import time

from _common import check_nothing_left, figure, machine, spread, timed

from demoshop.stack import temporary_stack
from runner import config
from runner.execute import Selection, run_checks
from runner.warm import WarmRunner

KEY_PAGES = "test_key_pages_answer"


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def one_run(settings, selection: Selection, reports, warm: WarmRunner | None) -> dict:
    started = {"children": cpu(resource.RUSAGE_CHILDREN), "self": cpu(resource.RUSAGE_SELF)}
    processes = []

    def start(command, cwd, env):
        processes.append(warm.start(command, cwd, env))
        return processes[-1]

    wall = time.perf_counter()
    result = run_checks(settings, selection, reports, **({"start": start} if warm else {}))
    wall = time.perf_counter() - wall
    if result.status != "passed":
        raise SystemExit(f"{selection.label} run {result.status}: {result.error} {result.run_dir}")
    pytest_cpu = processes[0].cpu_seconds if warm else cpu(resource.RUSAGE_CHILDREN) - started["children"]
    own = cpu(resource.RUSAGE_SELF) - started["self"]
    check = {c["name"]: c["duration"] for c in result.checks}
    return {"wall": wall, "cpu": pytest_cpu + own, "own_cpu": own, "key_pages": check.get(KEY_PAGES)}


def curl_pages(settings) -> float:
    base = str(settings.site.base_url).rstrip("/")
    urls = [base + page.path for page in settings.site.key_pages]
    seconds, done = timed(["curl", "-sk", "--fail", *[arg for url in urls for arg in ("-o", "/dev/null", url)]])
    if done.returncode != 0:
        raise SystemExit(f"curl failed ({done.returncode}): {done.stderr}")
    return seconds


def measure(settings, reports, rounds: int) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}
    warm = WarmRunner(settings)
    started = time.perf_counter()
    warm.refresh()
    if warm.parent.wait_ready(120):
        raise SystemExit("the warm parent did not start")
    figure("warm parent: start to ready", f"{time.perf_counter() - started:.2f} s")
    try:
        for _ in range(rounds):
            for kind, runner in (("cold", None), ("warm", warm)):
                run = one_run(settings, Selection("critical"), reports, runner)
                for name in ("wall", "cpu", "own_cpu"):
                    figures.setdefault(f"{kind} {name}", []).append(run[name])
            run = one_run(settings, Selection(keyword=KEY_PAGES), reports, warm)
            figures.setdefault("key-pages run, warm", []).append(run["wall"])
            figures.setdefault("key-pages check's own duration", []).append(run["key_pages"])
            figures.setdefault("curl of the key pages", []).append(curl_pages(settings))
        import psutil

        figure(
            "warm parent's memory (RSS)", f"{psutil.Process(warm.parent.process.pid).memory_info().rss / 2**20:.0f} MiB"
        )
    finally:
        warm.stop()
    return figures


def show(figures: dict[str, list[float]]) -> None:
    for name, values in figures.items():
        figure(name, spread(values))
    for what in ("wall", "cpu"):
        ratios = [c / w for c, w in zip(figures[f"cold {what}"], figures[f"warm {what}"])]
        figure(f"critical run {what}: cold / warm", spread(ratios, unit="×"))
    for name in ("key-pages run, warm", "key-pages check's own duration"):
        ratios = [k / c for k, c in zip(figures[name], figures["curl of the key pages"])]
        figure(f"{name} / curl", spread(ratios, unit="×"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="repetitions (default 5)")
    args = parser.parse_args()
    print(f"critical run cold vs warm, key pages vs curl; {machine()}")
    with temporary_stack() as stack:
        settings = config.load(stack.config_path)
        reports = stack.run_dir / "bench-warm-reports"
        show(measure(settings, reports, args.rounds))
        shutil.rmtree(reports, ignore_errors=True)
    print(f"  load average after: {machine().rsplit('load average ', 1)[1]}")
    check_nothing_left()


if __name__ == "__main__":
    main()
