"""The deploy gate's inputs from the runner's side: the pytest options of a gate run, and the
timing baseline (medians of the 24 h before the deploy, from the history)."""

from __future__ import annotations

import json
import statistics
from datetime import datetime
from pathlib import Path

from runner.pipeline import history_path, open_store
from runner.store import DAY
from runner.units import moment_text

SINCE_PHRASE = "since the deploy of"


def pytest_options(since: datetime, backup_within: float | None, baseline: Path | None) -> tuple[str, ...]:
    options = ["--since", since.isoformat()]
    options += ["--backup-within", f"{backup_within:g}"] if backup_within is not None else []
    return tuple(options + (["--baseline", str(baseline)] if baseline else []))


def write_baseline(settings, reports_dir: Path, since: datetime, path: Path) -> int:
    """Write the timing medians of the 24 h before `since` to `path`; the number of timings (0: no
    history, nothing written)."""
    if not history_path(reports_dir).exists():
        return 0
    limits = settings.thresholds
    end = since.timestamp()
    with open_store(reports_dir) as store:
        values = store.measurement_values(limits.regression_measurements, end - DAY, end)
    medians = {
        check: {name: statistics.median(series) for name, series in names.items()} for check, names in values.items()
    }
    count = sum(len(names) for names in medians.values())
    if count:
        path.write_text(
            json.dumps(
                {
                    "warn_ratio": limits.regression_warn_ratio,
                    "fail_ratio": limits.regression_fail_ratio,
                    "min_increase_seconds": limits.regression_min_increase_seconds,
                    "checks": medians,
                }
            )
        )
    return count


def annotate(result, since: datetime) -> None:
    """Say in each problem's message (and so in its alert) that it is since the deploy."""
    for check in result.checks:
        message = check.get("message") or ""
        if check["outcome"] in ("fail", "error", "degraded") and SINCE_PHRASE not in message:
            check["message"] = f"{message} ({SINCE_PHRASE} {moment_text(since)})"
