"""What the benchmarks share (their demo stack and scratch folders come from demoshop.stack): timing,
figure lines, and a last look that nothing they started is left running. Not a benchmark (`make bench`
skips `_*.py`)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' helpers (fake webhook, generated history) serve here too

TRIVIAL_CHECK = '''import pytest


@pytest.mark.cadence("critical")
@pytest.mark.area("availability")
@pytest.mark.severity("critical")
def test_trivial():
    """Passes at once: what a run of it costs is the runner's and pytest's own cost."""
'''


def trivial_checks(folder: Path) -> Path:
    """A checks folder with one trivial check and a config naming it; returns the config's path."""
    checks = folder / "checks"
    checks.mkdir()
    (checks / "conftest.py").write_text('pytest_plugins = ["runner.pytest_plugin"]\n')
    (checks / "test_trivial.py").write_text(TRIVIAL_CHECK)
    config = folder / "monitor.toml"
    config.write_text(
        '[site]\nbase_url = "https://shop.invalid"\n[runner]\nreports_dir = "reports"\nchecks_dir = "checks"\n'
    )
    return config


def timed(command: list[str], cwd: Path = ROOT, timeout: float = 900) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    return time.perf_counter() - started, done


def spread(values: list[float], unit: str = "s", digits: int = 2) -> str:
    """'median X s (min A, max B, n N)'."""
    return (
        f"median {statistics.median(values):.{digits}f} {unit} "
        f"(min {min(values):.{digits}f}, max {max(values):.{digits}f}, n {len(values)})"
    )


def figure(name: str, value: str, goal: str = "") -> None:
    print(f"  {name:<46} {value}{f'   [{goal}]' if goal else ''}")


def machine() -> str:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB, load average {load}"


def check_nothing_left() -> None:
    """Say whether a process this benchmark started is still alive (it should not be)."""
    left = [p for p in psutil.Process().children(recursive=True) if p.is_running()]
    if left:
        print(f"  WARNING: still running: {', '.join(f'{p.pid} {p.name()}' for p in left)}")
    else:
        print("  no process left running")
