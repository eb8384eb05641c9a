"""The issue's acceptance on the demo shop, through the CLI: a monthly fault alerts after one monthly
run; a single blip of a critical check (one run) sends nothing."""

import json
import subprocess
import sys

from tests.runner.test_against_demo import demo_config

ADMIN_REVIEW = "checks/test_accounts.py::test_admin_accounts_reviewed"


def cli_run(config, reports, *selection):
    return subprocess.run(
        [sys.executable, "-m", "runner", "run", "--config", str(config), *selection, "--reports-dir", str(reports)],
        capture_output=True,
        text=True,
        timeout=600,
    )


def outbox(reports) -> list[dict]:
    path = reports / "alerts" / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_rogue_admin_alerts_after_one_monthly_run(demo, fault, tmp_path):
    config, reports = demo_config(demo, tmp_path), tmp_path / "reports"
    fault("rogue_admin")
    run = cli_run(config, reports, "--cadence", "monthly")
    assert run.returncode == 1, run.stdout + run.stderr
    incidents = [(m["kind"], e["check"]) for m in outbox(reports) for e in m["events"]]
    assert incidents == [("incident", ADMIN_REVIEW)], run.stdout
    assert "support: not in security.approved_admins" in outbox(reports)[0]["body"]


def test_a_single_critical_blip_sends_nothing(demo, fault, tmp_path):
    config, reports = demo_config(demo, tmp_path), tmp_path / "reports"
    demo.fault("site_down", True)
    try:
        blip = cli_run(config, reports, "--cadence", "critical")
    finally:
        demo.fault("site_down", False)
    assert blip.returncode == 1, blip.stdout + blip.stderr  # it failed, retest included
    healed = cli_run(config, reports, "--cadence", "critical")
    assert healed.returncode == 0, healed.stdout + healed.stderr
    assert outbox(reports) == []
