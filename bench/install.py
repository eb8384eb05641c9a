"""What installing the project costs: `pip install .` into a fresh venv, and the installed size.

    python bench/install.py [--rounds 3] [--with-dependencies]

Each round: a fresh venv, then `pip install --no-index --no-deps --no-build-isolation` of a copy of
the project, the dependencies reached through this interpreter's site-packages (as
tests/runner/test_install.py does). `--with-dependencies` adds one round as a new user's: a venv
with pip, then a plain `pip install .` resolving every dependency from the configured index.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

from _common import ROOT, check_nothing_left, figure, machine, spread

from tests.runner.test_install import NOT_SHIPPED, fresh_venv, outside_the_checkout


def copy_of_the_project(folder: Path) -> Path:
    source = folder / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    return source


def installed_bytes(site_packages: Path, distribution: str) -> tuple[int, int]:
    """(bytes, files) of what the distribution's RECORD lists, its own .pyc files included."""
    record = next(site_packages.glob(f"{distribution}-*.dist-info")) / "RECORD"
    with record.open() as lines:
        paths = [site_packages / row[0] for row in csv.reader(lines)]
    paths += [pyc for package in ("runner", "checks", "demoshop") for pyc in (site_packages / package).rglob("*.pyc")]
    files = {p.resolve() for p in paths if p.is_file()}
    return sum(p.stat().st_size for p in files), len(files)


def timed_pip(python: Path, source: Path, *options: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "pip", "install", "-q", *options, str(source)],
        capture_output=True,
        text=True,
        env=outside_the_checkout(),
        timeout=1800,
    )
    if done.returncode:
        sys.exit(f"pip install failed:\n{done.stdout}{done.stderr}")
    return time.perf_counter() - started


def offline_round(folder: Path, source: Path) -> tuple[float, float, Path]:
    started = time.perf_counter()
    bin_dir = fresh_venv(folder)
    made = time.perf_counter() - started
    pip = timed_pip(bin_dir / "python", source, "--no-index", "--no-deps", "--no-build-isolation")
    return made, pip, next((folder / "lib").glob("python3*/site-packages"))


def with_dependencies(folder: Path, source: Path) -> None:
    started = time.perf_counter()
    venv.EnvBuilder(with_pip=True).create(folder)
    made = time.perf_counter() - started
    pip = timed_pip(folder / "bin" / "python", source)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    figure("venv with pip (ensurepip)", f"{made:.1f} s")
    figure("pip install . with every dependency", f"{pip:.1f} s")
    figure("the whole venv afterwards", f"{size / 2**20:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="offline installs (default 3)")
    parser.add_argument("--with-dependencies", action="store_true", help="one install resolving every dependency")
    args = parser.parse_args()
    print(f"install ({machine()})")
    with tempfile.TemporaryDirectory() as scratch:
        source = copy_of_the_project(Path(scratch))
        made, pip = [], []
        for n in range(args.rounds):
            venv_seconds, pip_seconds, site_packages = offline_round(Path(scratch) / f"venv{n}", source)
            made.append(venv_seconds)
            pip.append(pip_seconds)
        size, files = installed_bytes(site_packages, "dija_monitor")
        figure("fresh venv (no pip)", spread(made))
        figure("pip install . (offline, no dependencies)", spread(pip))
        figure("installed package", f"{size / 2**20:.2f} MiB in {files} files (runner, checks, demoshop)")
        if args.with_dependencies:
            with_dependencies(Path(scratch) / "full", source)
    check_nothing_left()


if __name__ == "__main__":
    main()
