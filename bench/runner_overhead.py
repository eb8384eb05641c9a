"""Runner figures against the demo shop: the cost of `dija-monitor run` over plain pytest, and
serial vs pytest-xdist (-n 2). Prints medians of a few repetitions; starts and stops its own
demo stack. Usage: python bench/runner_overhead.py [REPEATS]"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from demoshop.stack import Stack

ROOT = Path(__file__).resolve().parents[1]


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, capture_output=True, check=False, timeout=900)
    return time.perf_counter() - started


def median(command: list[str], repeats: int) -> float:
    return statistics.median(timed(command) for _ in range(repeats))


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    run_dir = Path(tempfile.mkdtemp(prefix="dija-bench-"))
    os.chmod(run_dir, 0o755)
    stack = Stack.up(run_dir)
    try:
        config, reports = str(stack.config_path), str(run_dir / "bench-reports")
        plain = [sys.executable, "-m", "pytest", "checks/", "-q", "-p", "no:cacheprovider", "--config", config]
        run = [sys.executable, "-m", "runner.cli", "run", "--config", config, "--reports-dir", reports]
        figures = {
            "plain pytest checks/ (no reports)": median(plain, repeats),
            "dija-monitor run, serial": median(run + ["--workers", "1"], repeats),
            "dija-monitor run, -n 2": median(run + ["--workers", "2"], repeats),
        }
        checks = subprocess.run([sys.executable, "-m", "runner.cli", "checks", "--json"], cwd=ROOT,
                                capture_output=True, text=True).stdout.count('"id"')
        print(f"{checks} checks, median of {repeats} runs, {os.cpu_count()} cores")
        for name, seconds in figures.items():
            print(f"  {name:<36} {seconds:6.2f} s")
        overhead = figures["dija-monitor run, serial"] - figures["plain pytest checks/ (no reports)"]
        print(f"  runner overhead (reports, history)   {overhead:6.2f} s")
    finally:
        stack.down()
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
