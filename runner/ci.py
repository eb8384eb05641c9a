"""What a pipeline asks of `run` and `verify`: the JUnit and JSON results at paths it names,
alerts and history left alone when asked, degraded counted as a failure when strict.

The JSON document (`--json PATH`) has a stable shape, documented in docs/ci.md; a new field may
be added, none is renamed or removed without a new `version`.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from runner.errors import MonitorError

JSON_VERSION = 1
CHECK_FIELDS = (
    "id",
    "name",
    "area",
    "cadence",
    "severity",
    "smoke",
    "outcome",
    "message",
    "duration",
    "measurements",
    "attempts",
)
OUTCOMES = ("pass", "degraded", "fail", "error", "skipped")


@dataclass(frozen=True)
class CiOptions:
    junitxml: Path | None = None
    json: Path | None = None
    no_alerts: bool = False
    no_history: bool = False
    strict: bool = False

    @classmethod
    def from_args(cls, args) -> CiOptions:
        return cls(args.junitxml, args.json, args.no_alerts, args.no_history, args.strict)

    def steps(self, steps: list[tuple]) -> list[tuple]:
        """The post-run steps these options leave in (alerts off: no notice, no alert state change)."""
        left_out = {"alerts"} if self.no_alerts else set()
        left_out |= {"history", "retention"} if self.no_history else set()
        return [(name, step) for name, step in steps if name not in left_out]


def add_ci_options(parser) -> None:
    group = parser.add_argument_group("for CI and deploy pipelines")
    group.add_argument("--junitxml", type=Path, metavar="PATH", help="also write the run's JUnit XML here")
    group.add_argument(
        "--json", type=Path, metavar="PATH", help="write the results here as JSON (the stable shape of docs/ci.md)"
    )
    group.add_argument(
        "--no-alerts",
        action="store_true",
        help="send no notice and leave the alert state alone (the run is still recorded)",
    )
    group.add_argument("--no-history", action="store_true", help="do not record the run in the history")
    group.add_argument("--strict", action="store_true", help="a degraded check fails the run (exit 1)")


def exit_code(code: int, result, options: CiOptions) -> int:
    """The run's exit code; with --strict a degraded run is a failed one (1)."""
    return 1 if code == 0 and options.strict and result.status == "degraded" else code


def publish(result, code: int, options: CiOptions, command: str, since: datetime | None = None) -> None:
    """Copy the JUnit XML and write the JSON document where the pipeline asked."""
    try:
        if options.junitxml:
            source = result.run_dir / "junit.xml"
            if not source.is_file():
                raise MonitorError(f"--junitxml: the run wrote no JUnit XML ({result.error or 'no checks ran'})")
            _parent(options.junitxml)
            shutil.copyfile(source, options.junitxml)
        if options.json:
            _parent(options.json)
            options.json.write_text(json.dumps(document(result, code, command, since), indent=1, default=str) + "\n")
    except OSError as exc:
        raise MonitorError(f"cannot write the CI results: {exc.filename}: {exc.strerror}") from None


def _parent(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)


def document(result, code: int, command: str, since: datetime | None = None) -> dict:
    """The results in the documented shape (docs/ci.md)."""
    return {
        "version": JSON_VERSION,
        "command": command,
        "selection": result.selection.label,
        "status": result.status,
        "exit_code": code,
        "started": _iso(result.started),
        "finished": _iso(result.finished),
        "since": since.astimezone(UTC).isoformat(timespec="seconds") if since else None,
        "run_dir": str(result.run_dir),
        "error": result.error,
        "counts": {outcome: result.count(outcome) for outcome in OUTCOMES},
        "checks": [{field: check.get(field) for field in CHECK_FIELDS} for check in result.checks],
    }


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="seconds")
