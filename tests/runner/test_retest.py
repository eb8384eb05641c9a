"""Retest on failure (alerts.retries, pytest-rerunfailures): a failing or erroring check runs
again at once; only a failure that survives counts. Real pytest runs of tiny checks."""

import json

from runner.execute import Selection
from runner.pipeline import open_store, run_once

FLAKY = '''
from pathlib import Path
from runner.pytest_plugin import no_problems

def attempt_number(name):
    """1 on a check's first attempt in a run, 2 on its retest (counted in a file next to the checks)."""
    counter = Path(__file__).with_name(name + ".count")
    number = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(number))
    return number

@check()
def test_blip(measure):
    """Fails on its first attempt only, slowly."""
    first = attempt_number("blip") % 2 == 1
    measure(load_seconds=4.8 if first else 1.2)
    if first:
        time.sleep(0.4)
    assert not first, "/: 4.8 s > 3.0 s"

@check()
def test_broken():
    """Fails every time, with two problems."""
    no_problems(["/robots.txt: HTTP 404", "/sitemap.xml: HTTP 500"])

@check()
def test_could_not_run():
    """Errors on its first attempt, passes on the retest."""
    if attempt_number("error") % 2 == 1:
        raise ConnectionError("database unreachable")

@check()
def test_slowish():
    """Degraded: a pass, never retested."""
    raise Degraded("2.5 s > 2.0 s")
'''


def by_name(result):
    return {c["name"]: c for c in result.checks}


def test_a_failure_that_passes_its_retest_counts_as_a_pass_and_keeps_both_attempts(checks_settings):
    settings = checks_settings(FLAKY, extra="[alerts]\nfailure_threshold = 1\nretry_delay_seconds = 0.2\n")
    result, failures = run_once(settings, Selection())
    checks = by_name(result)
    blip = checks["test_blip"]
    assert blip["outcome"] == "pass" and blip["message"] == ""
    assert [(a["outcome"], a["message"]) for a in blip["attempts"]] == [("fail", "/: 4.8 s > 3.0 s"), ("pass", "")]
    assert blip["duration"] >= 0.4 and blip["duration"] == blip["attempts"][0]["duration"]  # the first attempt's
    assert blip["measurements"] == {"load_seconds": 1.2}  # the figures of the attempt that counts
    assert [a["outcome"] for a in checks["test_could_not_run"]["attempts"]] == ["error", "pass"]
    assert checks["test_could_not_run"]["attempts"][0]["message"].startswith("could not run: ConnectionError")
    broken = checks["test_broken"]
    assert broken["outcome"] == "fail" and [a["outcome"] for a in broken["attempts"]] == ["fail", "fail"]
    assert broken["problems"] == ["/robots.txt: HTTP 404", "/sitemap.xml: HTTP 500"]
    assert broken["message"] == "/robots.txt: HTTP 404; /sitemap.xml: HTTP 500"
    assert checks["test_slowish"]["outcome"] == "degraded" and "attempts" not in checks["test_slowish"]
    assert result.exit_code == 1 and failures == []
    report = result.report.read_text()
    assert report.count("FAIL, RETESTED") == 2 and report.count("ERROR, RETESTED") == 1  # a row per first attempt
    with open_store(settings.reports_dir()) as store:
        [stored] = store.history(blip["id"], 1)
        assert stored.outcome == "pass" and [a["outcome"] for a in stored.attempts] == ["fail", "pass"]
    outbox = settings.reports_dir() / "alerts" / "outbox.jsonl"
    events = [e for line in outbox.read_text().splitlines() for e in json.loads(line)["events"]]
    assert [e["check"].split("::")[1] for e in events] == ["test_broken"]  # the blips were not alerted


def test_with_retries_0_a_check_runs_once(checks_settings):
    settings = checks_settings(FLAKY, extra="[alerts]\nretries = 0\n")
    result, _ = run_once(settings, Selection(keyword="blip or broken"))
    checks = by_name(result)
    assert checks["test_blip"]["outcome"] == "fail" and "attempts" not in checks["test_blip"]
    assert "attempts" not in checks["test_broken"]
    assert "RETESTED" not in result.report.read_text()
