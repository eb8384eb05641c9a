"""The check catalogue as pytest collects it (`pytest --collect-only` in a subprocess, the plugin
writing the result file): pytest collection is the registry, there is no second parser."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from runner.errors import MonitorError
from runner.execute import PROJECT_ROOT, Selection, pytest_base

COLLECT_TIMEOUT_SECONDS = 300
COLUMNS = ("id", "area", "cadence", "severity", "summary")


def collect(selection: Selection, checks_dir: Path | None = None) -> list[dict]:
    """Every check the selection covers, with its markers and docstring (no config needed)."""
    with tempfile.TemporaryDirectory(prefix="dija-collect-") as tmp:
        out = Path(tmp) / "catalogue.json"
        command = [*pytest_base(checks_dir), "--collect-only", "--results-json", str(out), *selection.pytest_args()]
        try:
            done = subprocess.run(
                command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=COLLECT_TIMEOUT_SECONDS
            )
        except subprocess.TimeoutExpired:
            raise MonitorError(f"collecting the checks took over {COLLECT_TIMEOUT_SECONDS} s") from None
        if done.returncode not in (0, 5) or not out.exists():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-8:])
            raise MonitorError(f"cannot collect the checks (pytest exit {done.returncode}):\n{tail}")
        checks = json.loads(out.read_text())["checks"]
    return sorted(checks, key=lambda c: (c.get("area", ""), c["id"]))


def table(checks: list[dict], width: int = 160) -> str:
    """A plain-text table: id (module::name), area, cadence, severity, the docstring's first line."""
    rows = [
        (
            c["id"].rsplit("/", 1)[-1],
            c.get("area", ""),
            c.get("cadence", ""),
            ("smoke " if c.get("smoke") else "") + c.get("severity", ""),
            c.get("summary", ""),
        )
        for c in checks
    ]
    header = ("check", "area", "cadence", "severity", "what it verifies")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = []
    for row in [header, *rows]:
        line = "  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[4]
        lines.append(line if len(line) <= width else line[: width - 1] + "…")
    return "\n".join(lines) + f"\n{len(rows)} checks\n"
