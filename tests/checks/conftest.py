"""The fault matrix harness: run checks against the demo stack in a pytest subprocess, the way
`dija-monitor run` does, and read their outcomes from the result file."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class CheckRunner:
    def __init__(self, config_path: Path, workdir: Path):
        self.config_path = config_path
        self.workdir = workdir
        self.state_dir = workdir / "state"
        self.runs = 0

    def run(self, *selectors: str, state_dir: Path | None = None, config: Path | None = None) -> dict[str, dict]:
        """Run checks (node ids or `-k EXPR` args) and return {check name: result record}."""
        self.runs += 1
        out = self.workdir / f"run{self.runs}"
        command = [
            sys.executable,
            "-m",
            "pytest",
            *selectors,
            "--config",
            str(config or self.config_path),
            "-p",
            "no:cacheprovider",
            "-q",
            "--no-header",
            "--timeout",
            "180",
            "--results-json",
            str(out / "results.json"),
            "--evidence-dir",
            str(out / "evidence"),
            "--state-dir",
            str(state_dir or self.state_dir),
        ]
        completed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
        try:
            checks = json.loads((out / "results.json").read_text())["checks"]
        except FileNotFoundError:
            raise AssertionError(  # noqa: B904 (the missing file is not the news: what pytest said is)
                f"no result file; pytest said:\n{completed.stdout[-3000:]}\n{completed.stderr[-2000:]}"
            )
        return {c["name"]: c for c in checks}

    def one(self, node_id: str, **kwargs) -> dict:
        """Run a single check by node id (checks/test_x.py::test_y) and return its record."""
        results = self.run(node_id, **kwargs)
        name = node_id.split("::", 1)[1]
        assert name in results, f"{name} did not run: {sorted(results)}"
        return results[name]

    def variant(self, **sections: dict) -> Path:
        """The demo's config with keys overridden, e.g. variant(thresholds={"email_fail_seconds": 3}); tables
        merge key by key (database={"columns": {"orders": {...}}} keeps the other columns), None leaves a key out."""
        data = tomllib.loads(self.config_path.read_text())
        data["env_file"] = str(self.config_path.parent / data.get("env_file", "monitor.env"))
        data = _merged(data, sections)
        self.runs += 1
        path = self.workdir / f"variant{self.runs}.toml"
        path.write_text(
            "".join(f"{k} = {_toml(v)}\n" for k, v in data.items() if not isinstance(v, dict))
            + "".join(
                f"[{k}]\n" + "".join(f"{key} = {_toml(value)}\n" for key, value in v.items())
                for k, v in data.items()
                if isinstance(v, dict)
            )
        )
        return path


def _merged(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(base.get(key), dict) and value:
            merged[key] = _merged(base[key], value)
        else:
            merged[key] = value
    return merged


def _toml(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value)  # strings, numbers, booleans: JSON's syntax is valid TOML


@pytest.fixture(scope="session", params=("default", "alt"))
def demo(request):
    """The fault matrix runs on both demo shapes: every check proves itself on a shop built differently,
    configured by that shop's monitor.toml alone. One stack per shape per test session."""
    return request.getfixturevalue(f"{request.param}_demo")


@pytest.fixture(scope="session")
def check_runner(demo, tmp_path_factory):
    return CheckRunner(Path(demo.config_path), tmp_path_factory.mktemp("check-runs"))


@pytest.fixture(scope="session")
def healthy(check_runner):
    """Every check, run once against the healthy demo stack: {name: record}."""
    return check_runner.run("checks/")


def assert_outcome(record: dict, outcome: str, *fragments: str) -> None:
    """The check ended as expected and its message names what it should."""
    assert record["outcome"] == outcome, f"{record['name']}: {record['outcome']} ({record.get('message')})"
    for fragment in fragments:
        assert fragment in record["message"], f"{fragment!r} not in message: {record['message']!r}"
