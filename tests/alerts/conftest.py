"""Config and history helpers for the alert tests (the `receiver` fixture is in tests/conftest.py)."""

import pytest

from runner import config
from runner.store import Store

T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC, a Tuesday


@pytest.fixture
def make_settings(tmp_path):
    def make(alerts_toml="", environ=None):
        path = tmp_path / "monitor.toml"
        path.write_text(
            f'[site]\nbase_url = "https://shop.example"\n[runner]\nreports_dir = "reports"\n[alerts]\n{alerts_toml}'
        )
        return config.load(path, environ=environ or {})

    return make


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "reports" / "history.sqlite3") as history:
        yield history


def check(name="test_home", outcome="fail", **extra):
    record = {
        "id": f"checks/test_availability.py::{name}",
        "name": name,
        "area": "availability",
        "cadence": "critical",
        "severity": "critical",
        "runbook": "site-down",
        "summary": "Key pages answer 200.",
        "doc": "Key pages answer 200: customers can reach the shop.",
        "outcome": outcome,
        "message": "/: HTTP 500, expected 200" if outcome == "fail" else "",
        "duration": 0.4,
        "measurements": {"response_seconds[/]": 0.12},
    }
    record.update(extra)
    return record
