"""The deploy gate against the demo shop: `verify` fails, naming the step, under each fault a
deploy typically brings; passes healthy within its budget; degrades or fails a slowed page."""

import json
import sys
import time
from datetime import datetime, timedelta, timezone

import pytest

from tests.runner.test_against_demo import demo_config
from tests.cli import dija

BUDGET_SECONDS = 15


def verify(config, reports, *args, timeout=300):
    started = time.monotonic()
    done = dija("verify", "--config", str(config), "--reports-dir", str(reports), *args, timeout=timeout)
    return done, time.monotonic() - started


def stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def test_the_gate_passes_the_healthy_demo_within_its_budget(demo, tmp_path):
    config = demo_config(demo, tmp_path)
    done, took = verify(config, tmp_path / "reports", "--json", str(tmp_path / "gate.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "gate.json").read_text())
    ran = {c["name"].split("[")[0] for c in results["checks"] if c["outcome"] != "skipped"}
    assert ran >= {"test_key_pages_answer", "test_checkout_records_and_confirms_the_order", "test_customer_can_sign_in",
                   "test_key_pages_have_no_javascript_errors", "test_certificate_verifies",
                   "test_database_answers_quickly", "test_no_new_php_fatal_errors", "test_http_error_rate",
                   "test_backup_taken_before_the_deploy"}, results["checks"]
    assert "since the deploy of" in done.stdout
    assert took <= BUDGET_SECONDS, f"the healthy gate took {took:.1f} s > {BUDGET_SECONDS} s"


# the deploy started a little before the fault appeared (the fault's log lines are dated up to 2 min back)
@pytest.mark.parametrize("name, failed_check, fragment", [
    ("payment_500", "test_checkout_records_and_confirms_the_order", "HTTP 500"),
    ("js_error", "test_key_pages_have_no_javascript_errors", "Error"),
    ("fatal_logged", "test_no_new_php_fatal_errors", "since the deploy of"),
    ("error_burst", "test_http_error_rate", "since the deploy of"),
    ("stale_backup_full", "test_backup_taken_before_the_deploy", "when the deploy started"),
])
def test_the_gate_fails_naming_the_step_a_deploy_broke(demo, fault, tmp_path, name, failed_check, fragment):
    config = demo_config(demo, tmp_path)
    since = datetime.now(timezone.utc) - timedelta(minutes=3)
    fault(name)
    done, _ = verify(config, tmp_path / "reports", "--since", stamp(since), "--json", str(tmp_path / "gate.json"))
    assert done.returncode == 1, done.stdout + done.stderr
    checks = {c["name"].split("[")[0]: c for c in json.loads((tmp_path / "gate.json").read_text())["checks"]}
    assert checks[failed_check]["outcome"] == "fail", checks[failed_check]
    assert fragment in checks[failed_check]["message"], checks[failed_check]["message"]
    assert failed_check in done.stdout


def test_a_page_slower_than_before_the_deploy_fails_the_gate_with_the_ratio(demo, fault, tmp_path):
    config, reports = demo_config(demo, tmp_path), tmp_path / "reports"
    for _ in range(2):  # the history of the 24 h before the deploy
        done = dija("run", "--config", str(config), "--reports-dir", str(reports), "-k", "test_key_pages_answer")
        assert done.returncode == 0, done.stdout + done.stderr
    fault("slow_pages")
    done, _ = verify(config, reports, "-k", "test_key_pages_answer", "--json", str(tmp_path / "gate.json"))
    assert done.returncode == 1, done.stdout + done.stderr
    assert "timings compared with the 24 h before it" in done.stdout
    [check] = json.loads((tmp_path / "gate.json").read_text())["checks"]
    assert check["outcome"] == "fail"
    assert check["message"].startswith("slower since the deploy: ")
    assert "response_seconds[/product/gold-hoops] " in check["message"]
    assert "≥ ×3" in check["message"], check["message"]
