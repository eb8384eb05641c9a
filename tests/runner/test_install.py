"""`pip install .` into a fresh venv outside the checkout, then the monitor and plain pytest run the
shipped checks from there against the demo (~25 s).

Offline: the fresh venv reaches this interpreter's site-packages (every dependency, and a setuptools
that builds wheels on its own) through a .pth file, and pip builds without isolation or an index.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from tests.runner.test_against_demo import demo_config

PROJECT = Path(__file__).resolve().parents[2]
CHECKS = "key_pages_answer or database_answers_quickly or customer_can_sign_in"  # one of them in a browser
NOT_SHIPPED = (".git", ".venv", "reports", ".demo", "__pycache__", "build", "*.egg-info", "tests", "bench")


def dependency_dirs() -> list[str]:
    """This interpreter's site-packages folders (a venv's, and those its own .pth files add)."""
    return [p for p in sys.path if p.endswith(("site-packages", "dist-packages")) and Path(p).is_dir()]


def fresh_venv(folder: Path) -> Path:
    venv.EnvBuilder(with_pip=False).create(folder)
    site_packages = Path(sysconfig.get_path("purelib", vars={"base": str(folder), "platbase": str(folder)}))
    (site_packages / "_dija_dependencies.pth").write_text("\n".join(dependency_dirs()) + "\n")
    return folder / "bin"


def outside_the_checkout() -> dict[str, str]:
    """The environment less PYTHONPATH, which may name the checkout."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_pip_install_into_a_fresh_venv_runs_the_checks_outside_the_checkout(demo, tmp_path):
    # a copy of the project, as a clone would be: an in-tree build leaves build/ and *.egg-info behind
    source = tmp_path / "source"
    shutil.copytree(PROJECT, source, symlinks=True, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    bin_dir, env = fresh_venv(tmp_path / "venv"), outside_the_checkout()
    installed = subprocess.run(
        [
            bin_dir / "python",
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            str(source),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    shutil.rmtree(source)  # nothing may come from the source tree any more
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [bin_dir / "python", "-c", "import runner, checks; print(runner.__file__, checks.__file__)"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout.split()
    assert all(path.startswith(str(tmp_path / "venv")) for path in where), where
    config = demo_config(demo, elsewhere)

    run = subprocess.run(
        [bin_dir / "dija-monitor", "run", "--config", str(config), "-k", CHECKS],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    results = json.loads((elsewhere / "reports" / "runs" / "latest" / "results.json").read_text())
    outcomes = {check["id"]: check["outcome"] for check in results["checks"]}
    assert outcomes == {
        "checks/test_availability.py::test_key_pages_answer": "pass",
        "checks/test_database.py::test_database_answers_quickly": "pass",
        "checks/test_checkout.py::test_customer_can_sign_in[chromium]": "pass",
    }, run.stdout

    plain = subprocess.run(
        [
            bin_dir / "python",
            "-m",
            "pytest",
            "--pyargs",
            "checks",
            "--config",
            str(config),
            "-k",
            CHECKS,
            "-p",
            "no:cacheprovider",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "3 passed" in plain.stdout, plain.stdout
