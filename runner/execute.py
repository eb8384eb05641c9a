"""One monitoring run: pytest over checks/ in a subprocess, so that a hung or crashing check
cannot take the runner down. Each run gets its own folder with the HTML report, JUnit XML,
the result file and the evidence of failures."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from runner.errors import MonitorError

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHECKS_DIR = PROJECT_ROOT / "checks"
FAILING = ("fail", "error")


@dataclass(frozen=True)
class Selection:
    """Which checks a run covers."""

    cadence: str | None = None
    smoke: bool = False
    keyword: str | None = None

    @property
    def label(self) -> str:
        return self.cadence or ("smoke" if self.smoke else ("selected" if self.keyword else "all"))

    def pytest_args(self) -> list[str]:
        args = ["--cadence", self.cadence] if self.cadence else []
        args += ["--smoke"] if self.smoke else []
        return args + (["-k", self.keyword] if self.keyword else [])


@dataclass
class RunResult:
    run_dir: Path
    selection: Selection
    pytest_exit: int
    checks: list[dict] = field(default_factory=list)

    @property
    def report(self) -> Path:
        return self.run_dir / "report.html"

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.checks if c.get("outcome") == outcome)

    @property
    def exit_code(self) -> int:
        """0 pass/degraded, 1 a check failed or errored, 3 the run itself broke."""
        if self.pytest_exit not in (0, 1) and not self.checks:
            return 3
        return 1 if any(c.get("outcome") in FAILING for c in self.checks) else 0


def new_run_dir(reports_dir: Path, label: str) -> Path:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    run_dir = reports_dir / "runs" / f"{stamp}-{label}"
    run_dir.mkdir(parents=True, exist_ok=False)
    return run_dir


def pytest_command(config_path: Path, selection: Selection, run_dir: Path, timeout: float) -> list[str]:
    return [
        sys.executable, "-m", "pytest", str(CHECKS_DIR),
        "--rootdir", str(PROJECT_ROOT), "-p", "no:cacheprovider", "-q", "--no-header", "--tb=short",
        "--config", str(config_path), *selection.pytest_args(),
        "--results-json", str(run_dir / "results.json"),
        "--evidence-dir", str(run_dir / "evidence"),
        "--junitxml", str(run_dir / "junit.xml"),
        "--html", str(run_dir / "report.html"), "--self-contained-html",
        "--timeout", str(int(timeout)),
        "-o", "junit_family=xunit2",
    ]


def run_checks(settings, selection: Selection, reports_dir: Path | None = None, output=None) -> RunResult:
    """Run the selected checks once; stream pytest's progress to `output` (None: quiet)."""
    reports_dir = Path(reports_dir or settings.reports_dir())
    run_dir = new_run_dir(reports_dir, selection.label)
    command = pytest_command(settings.source.resolve(), selection, run_dir,
                             settings.runner.check_timeout_seconds)
    log.info("run %s: %s", run_dir.name, " ".join(command))
    with open(run_dir / "pytest.log", "w") as pytest_log:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, errors="replace")
        for line in process.stdout:
            pytest_log.write(line)
            if output is not None:
                output.write(line)
                output.flush()
        exit_status = process.wait()
    return RunResult(run_dir, selection, exit_status, read_results(run_dir / "results.json"))


def read_results(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text())["checks"]
    except FileNotFoundError:
        return []
    except (ValueError, KeyError) as exc:
        raise MonitorError(f"{path}: unreadable result file ({exc})") from None
