"""verify and run for pipelines, on tiny checks: the watch's cadence, alerts "since the deploy",
the CI options (JUnit with outcomes, JSON, no alerts, no history, strict), runs/latest, and the
slowdown and log-window rules."""

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET
from datetime import datetime

from runner import cli
from runner.ci import CiOptions
from runner.clients.logfiles import php_lines_since
from runner.pipeline import open_store
from runner.pytest_plugin.gate import slowdowns
from runner.verify import Deploy, verify

GATE_CHECKS = '''
@check()
def test_home_answers():
    """The home page answers: customers can reach the shop."""

@check(cadence="hourly")
def test_checkout_works():
    """A customer can buy."""

@check(cadence="weekly", smoke=False)
def test_tables_healthy():
    """Tables are healthy."""
'''

DEGRADED_CHECK = '''
@check()
def test_page_speed():
    """Pages are fast."""
    raise Degraded("/product: 2.5 s > 2.0 s")
'''


def test_the_watch_runs_the_critical_gate_checks_often_and_every_gate_check_less_often(checks_settings):
    settings = checks_settings(GATE_CHECKS, extra="[schedule]\nwatch_gate_every_seconds = 20\n")
    now = [1_700_000_000.0]

    def sleep(seconds):
        now[0] += seconds

    output = io.StringIO()
    code = verify(settings, None, output, watch_hours=40 / 3600, interval=10, clock=lambda: now[0], sleep=sleep)
    assert code == 0, output.getvalue()
    text = output.getvalue()
    assert text.count("critical: passed (1 checks)") == 2 and text.count("gate: passed (2 checks)") == 2, text
    with open_store(settings.reports_dir()) as store:
        assert [r["label"] for r in reversed(store.runs())] == ["smoke"] + ["watch"] * 4


def test_the_gates_alert_says_since_the_deploy_of_when(checks_settings, receiver):
    settings = checks_settings(
        '''
@check()
def test_checkout_works():
    """A customer can buy."""
    assert False, "payment step: HTTP 500"
''',
        extra=f"[alerts]\nfailure_threshold = 1\n[[alerts.channels]]\n"
        f'url = "json://{receiver.url.removeprefix("http://")}/hook"\n',
    )
    deploy = Deploy(since=datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC))
    output = io.StringIO()
    assert verify(settings, None, output, deploy=deploy) == 1, output.getvalue()
    assert "logs and error rate judged since the deploy of 2026-12-02 12:00:00 UTC" in output.getvalue()
    [alert] = receiver.on("/hook")
    assert "payment step: HTTP 500 (since the deploy of 2026-12-02 12:00:00 UTC)" in alert["message"]
    with open_store(settings.reports_dir()) as store:  # the history keeps the check's own words
        [state] = [s for s in store.latest_states() if s["check_id"].endswith("test_checkout_works")]
        assert state["message"] == "payment step: HTTP 500"


def test_run_for_a_pipeline_writes_junit_with_outcomes_and_json_and_leaves_alerts_alone(
    checks_settings, tmp_path, capsys
):
    settings = checks_settings(DEGRADED_CHECK, extra="[alerts]\nfailure_threshold = 1\n")
    junit, results = tmp_path / "ci" / "junit.xml", tmp_path / "ci" / "results.json"
    args = ["run", "--config", str(settings.source), "--junitxml", str(junit), "--json", str(results), "--no-alerts"]
    assert cli.main(args) == 0, capsys.readouterr()
    assert cli.main([*args, "--strict"]) == 1  # degraded fails a strict run
    [case] = ET.parse(junit).getroot().iter("testcase")
    properties = {p.get("name"): p.get("value") for p in case.iter("property")}
    assert properties["outcome"] == "degraded" and properties["message"] == "/product: 2.5 s > 2.0 s"
    document = json.loads(results.read_text())
    assert {k: document[k] for k in ("version", "command", "selection", "status", "exit_code")} == {
        "version": 1,
        "command": "run",
        "selection": "all",
        "status": "degraded",
        "exit_code": 1,
    }
    assert document["counts"]["degraded"] == 1 and document["since"] is None
    [check] = document["checks"]
    assert check["outcome"] == "degraded" and check["message"] == "/product: 2.5 s > 2.0 s"
    runs = settings.reports_dir() / "runs"
    with open_store(settings.reports_dir()) as store:
        assert len(store.runs()) == 2 and store.alert_states() == {}  # recorded, not alerted
        assert (runs / "latest").resolve() == (runs / store.runs()[0]["run_dir"].rsplit("/", 1)[1]).resolve()
    assert cli.main([*args, "--no-history"]) == 0
    with open_store(settings.reports_dir()) as store:
        assert len(store.runs()) == 2
    assert (runs / "latest" / "results.json").exists()


def test_ci_options_leave_out_the_steps_they_name():
    steps = [(name, None) for name in ("history", "retention", "alerts", "dashboard")]
    assert [n for n, _ in CiOptions(no_alerts=True).steps(steps)] == ["history", "retention", "dashboard"]
    assert [n for n, _ in CiOptions(no_history=True).steps(steps)] == ["alerts", "dashboard"]


def test_a_timing_degrades_past_the_warn_ratio_and_fails_past_the_fail_ratio_above_the_noise_floor():
    baseline = {
        "warn_ratio": 1.5,
        "fail_ratio": 3,
        "min_increase_seconds": 0.25,
        "checks": {"c": {"response_seconds[/]": 1.0, "response_seconds[/cart]": 0.05}},
    }
    assert slowdowns(baseline, "c", {"response_seconds[/]": 1.2}) == ("", [])
    worst, found = slowdowns(baseline, "c", {"response_seconds[/]": 1.6})
    assert worst == "degraded" and "×1.6 ≥ ×1.5" in found[0]
    assert slowdowns(baseline, "c", {"response_seconds[/]": 3.5})[0] == "fail"
    assert slowdowns(baseline, "c", {"response_seconds[/cart]": 0.2}) == ("", [])  # ×4 but only +0.15 s
    assert slowdowns(baseline, "other", {"response_seconds[/]": 9}) == ("", [])


def test_the_php_log_since_the_deploy_keeps_the_lines_stamped_after_it(tmp_path):
    log = tmp_path / "php_errors.log"
    log.write_text(
        "[02-Dec-2026 11:59:59 UTC] PHP Fatal error: before\n"
        "[02-Dec-2026 12:00:00 UTC] PHP Warning: at\n"
        "[02-Dec-2026 13:00:01 Europe/Paris] PHP Fatal error: after (12:00:01 UTC)\n"
        "#0 {main}\n"
    )
    since = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
    assert [line.split("] ")[1] for line in php_lines_since(log, since)[:2]] == [
        "PHP Warning: at",
        "PHP Fatal error: after (12:00:01 UTC)",
    ]
    assert php_lines_since(log, since)[-1] == "#0 {main}"
