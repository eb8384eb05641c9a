import datetime as dt
import os
import time

from tests.checks.conftest import assert_outcome

MODULE = "checks/test_logs.py"
FATALS = f"{MODULE}::test_no_new_php_fatal_errors"
SUSPICIOUS = f"{MODULE}::test_no_suspicious_traffic"
CHECKS = ("test_no_new_php_fatal_errors", "test_http_error_rate", "test_no_suspicious_traffic")
FATAL_TEXT = "PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect()"


def test_log_checks_pass_on_healthy_demo(healthy):
    for name in CHECKS:
        assert_outcome(healthy[name], "pass")
    assert healthy["test_http_error_rate"]["measurements"]["http_5xx"] == 0


def test_new_fatal_is_reported_once_and_not_again_after_rotation(check_runner, fault, demo, tmp_path):
    state, log = tmp_path / "state", demo.run_dir / "logs" / "php_errors.log"
    assert_outcome(check_runner.one(FATALS, state_dir=state), "pass")  # first run: the baseline
    fault("fatal_logged")
    assert_outcome(check_runner.one(FATALS, state_dir=state), "fail", "1 new PHP fatal/parse error(s)", FATAL_TEXT)
    assert_outcome(check_runner.one(FATALS, state_dir=state), "pass")
    rotated = log.with_name(log.name + ".1")
    os.rename(log, rotated)  # logrotate's default: rename, then a new empty file
    log.touch()
    try:
        record = check_runner.one(FATALS, state_dir=state)
        assert_outcome(record, "pass")
        assert record["measurements"]["log_rotated"] == 1
    finally:
        log.write_text(rotated.read_text() + log.read_text())
        rotated.unlink()


def test_fatal_written_after_copytruncate_rotation_is_reported(check_runner, fault, demo, tmp_path):
    state, log = tmp_path / "state", demo.run_dir / "logs" / "php_errors.log"
    original = log.read_text()
    assert_outcome(check_runner.one(FATALS, state_dir=state), "pass")
    with open(log, "r+") as fh:  # copytruncate: same file, emptied
        fh.truncate(0)
    try:
        fault("fatal_logged")
        record = check_runner.one(FATALS, state_dir=state)
        assert_outcome(record, "fail", "1 new PHP fatal/parse error(s)", FATAL_TEXT)
        assert record["measurements"]["log_rotated"] == 1
    finally:
        with open(log, "r+") as fh:
            rest = fh.read()
            fh.seek(0)
            fh.write(original + rest)
            fh.truncate()


def test_in_the_deploy_gate_only_what_was_logged_since_the_deploy_counts(check_runner, fault):
    before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)
    fault("fatal_logged")
    fault("error_burst")
    time.sleep(1)  # the deploy after the faults' lines (stamped to the second)
    after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)
    rate = f"{MODULE}::test_http_error_rate"
    results = check_runner.run(FATALS, rate, "--since", before.isoformat())
    assert_outcome(
        results["test_no_new_php_fatal_errors"],
        "fail",
        "1 new PHP fatal/parse error(s) since the deploy of",
        FATAL_TEXT,
    )
    assert_outcome(results["test_http_error_rate"], "fail", "since the deploy of", "> 1 %")
    results = check_runner.run(FATALS, rate, "--since", after.isoformat())
    assert_outcome(results["test_no_new_php_fatal_errors"], "pass")
    assert_outcome(results["test_http_error_rate"], "pass")


def test_error_rate_fails_on_error_burst(check_runner, fault):
    fault("error_burst")
    assert_outcome(
        check_runner.one(f"{MODULE}::test_http_error_rate"),
        "fail",
        "requests in the last hour answered 5xx",
        "> 1 %",
        "GET /checkout HTTP/1.1 ×",
    )


def test_suspicious_traffic_fails_on_request_flood(check_runner, fault):
    fault("request_flood")
    assert_outcome(check_runner.one(SUSPICIOUS), "fail", "198.51.100.23 made 700 requests in the last hour > 600")


def test_suspicious_traffic_fails_on_attack_probes(check_runner, fault):
    fault("attack_probe")
    assert_outcome(
        check_runner.one(SUSPICIOUS),
        "fail",
        "4 attack pattern request(s)",
        "192.0.2.66 SQL injection",
        "UNION%20SELECT",
        "path traversal: GET /../../etc/passwd",
    )
