"""The deploy gate against the demo shop: `verify` fails, naming the step, under each fault a
deploy typically brings; passes healthy within its budget; degrades or fails a slowed page."""

import json
import os
import re
import shlex
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.cli import dija
from tests.runner.test_against_demo import demo_config

DOCS = Path(__file__).resolve().parents[2] / "docs"
PROJECT_ROOT = DOCS.parent


def documented(doc: str, pattern: str) -> str:
    """The text of the first code block in docs/<doc> matching `pattern`."""
    blocks = re.findall(r"```(?:sh|yaml)\n(.*?)```", (DOCS / doc).read_text(), re.S)
    return next(block for block in blocks if re.search(pattern, block))


def verify(config, reports, *args, timeout=300):
    started = time.monotonic()
    done = dija("verify", "--config", str(config), "--reports-dir", str(reports), *args, timeout=timeout)
    return done, time.monotonic() - started


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def test_the_ci_command_line_of_the_docs_passes_the_healthy_demo(demo, tmp_path):
    """docs/ci.md's verify line, as a pipeline runs it: JUnit and JSON where it says, no alerts, strict."""
    config = demo_config(demo, tmp_path)
    line = next(
        line for line in documented("ci.md", "dija-monitor verify").splitlines() if "dija-monitor verify" in line
    )
    words = shlex.split(line.strip().removeprefix("- ").replace("$DEPLOY_STARTED", stamp(datetime.now(UTC))))
    assert words[:2] == ["dija-monitor", "verify"] and {"--no-alerts", "--strict"} <= set(words), line
    words[words.index("--config") + 1] = str(config)
    done = dija(*words[1:], "--reports-dir", str(tmp_path / "reports"), cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "reports" / "ci" / "results.json").read_text())
    assert (tmp_path / "reports" / "ci" / "junit.xml").read_text().count('name="outcome" value="pass"') >= 9
    ran = {c["name"].split("[")[0] for c in results["checks"] if c["outcome"] != "skipped"}
    assert ran >= {
        "test_key_pages_answer",
        "test_checkout_records_and_confirms_the_order",
        "test_customer_can_sign_in",
        "test_key_pages_have_no_javascript_errors",
        "test_certificate_verifies",
        "test_database_answers_quickly",
        "test_no_new_php_fatal_errors",
        "test_http_error_rate",
        "test_backup_taken_before_the_deploy",
    }, results["checks"]
    assert "since the deploy of" in done.stdout  # its time budget is measured by bench/gate.py, not asserted here


# the deploy started a little before the fault appeared (the fault's log lines are dated up to 2 min back)
@pytest.mark.parametrize(
    "name, failed_check, fragment",
    [
        ("payment_500", "test_checkout_records_and_confirms_the_order", "HTTP 500"),
        ("js_error", "test_key_pages_have_no_javascript_errors", "Error"),
        ("fatal_logged", "test_no_new_php_fatal_errors", "since the deploy of"),
        ("error_burst", "test_http_error_rate", "since the deploy of"),
        ("stale_backup_full", "test_backup_taken_before_the_deploy", "when the deploy started"),
    ],
)
def test_the_gate_fails_naming_the_step_a_deploy_broke(demo, fault, tmp_path, name, failed_check, fragment):
    config = demo_config(demo, tmp_path)
    since = datetime.now(UTC) - timedelta(minutes=3)
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


def test_deploy_sh_rolls_back_a_failing_release_and_verifies_again(demo, tmp_path):
    """operations.md's deploy.sh: payment_500 switched on by the "release", off by the "rollback"."""
    script = tmp_path / "deploy.sh"
    script.write_text(documented("operations.md", "# deploy.sh"))
    full = sorted((demo.run_dir / "backups" / "full").glob("*.sql.gz.enc"), key=lambda p: p.stat().st_mtime)[-1]
    demoshop = f"{sys.executable} -m demoshop fault payment_500"
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DIJA_DEMO_DIR": str(demo.run_dir),
        "DIJA_MONITOR_CONFIG": str(demo_config(demo, tmp_path)),
        "OUT": str(tmp_path / "out"),
        "DIJA": f"{sys.executable} -m runner",
        "BACKUP": f"touch {full} {full}.sha256",  # the demo's backup job made it; as fresh as one just taken
        "RELEASE": f"{demoshop} on",
        "ROLLBACK": f"{demoshop} off",
    }
    try:
        done = subprocess.run(["sh", str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    finally:
        demo.fault("payment_500", False)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "rolling back" in done.stdout and "verify after the rollback passed" in done.stdout
    first = json.loads((tmp_path / "out" / "verify.json").read_text())
    second = json.loads((tmp_path / "out" / "verify-rollback.json").read_text())
    assert first["status"] == "failed" and second["status"] == "passed"
    failed = {c["name"] for c in first["checks"] if c["outcome"] == "fail"}
    assert "test_checkout_records_and_confirms_the_order[chromium]" in failed  # and the 5xx rate its 500s raised
    assert failed <= {"test_checkout_records_and_confirms_the_order[chromium]", "test_http_error_rate"}, failed
    assert second["since"] > first["since"]
