"""The exposition as Prometheus' own tools see it: promtool lints it, a real Prometheus scrapes
serve-metrics, and the scrape config and alert rules in docs/operations.md are the ones tested."""

import ast
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from demoshop.procs import free_port
from runner import metricnames, metrics
from runner.store import Store
from tests.alerts.conftest import T0, check

PROJECT = Path(__file__).resolve().parents[2]
OPERATIONS = PROJECT / "docs" / "operations.md"
PROMTOOL, PROMETHEUS = shutil.which("promtool"), shutil.which("prometheus")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="promtool is not installed (Debian package `prometheus`, installed by `make setup`)"
)


def recorded_measurement_names() -> set[str]:
    """Every measurement name a check in checks/ records (`measure(x=...)`, `measure(**{f"x[{item}]": ...})`),
    an item standing for each placeholder."""
    names = set()
    for module in (PROJECT / "checks").glob("test_*.py"):
        for call in ast.walk(ast.parse(module.read_text())):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "measure":
                names |= {kw.arg for kw in call.keywords if kw.arg}
                names |= {
                    _literal(key)
                    for kw in call.keywords
                    if kw.arg is None
                    for key in getattr(kw.value, "keys", [getattr(kw.value, "key", None)])
                    if key is not None
                }
    return names - {None}


def _literal(node) -> str | None:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "item" for part in node.values)
    return None


def history_of_every_measurement(settings) -> set[str]:
    names = recorded_measurement_names()
    with Store(settings.reports_dir() / "history.sqlite3") as store:
        record = check("test_everything", "fail", measurements={name: 1.0 for name in names})
        store.record_run("hourly", [record, check("test_home", "pass")], status="failed", exit_code=1, at=T0)
        store.record_notification("ops-mail", "incident", [record["id"]], False, at=T0)
        store.record_notification("ops-mail", "incident", [record["id"]], True, at=T0 + 60)
    return names


def promtool_lint(text: str) -> str:
    linted = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True, timeout=60)
    return (linted.stdout + linted.stderr).strip() if linted.returncode else ""


@needs_promtool
def test_promtool_accepts_the_exposition_of_every_measurement_the_checks_record(make_settings, tmp_path):
    settings = make_settings()
    names = history_of_every_measurement(settings)
    assert {"days_left", "select1_ms", "largest_image_kb", "age_minutes[item]", "days_to_eol[item]"} <= names
    text = metrics.write_textfile(settings.reports_dir() / "history.sqlite3", tmp_path / "dija.prom").read_text()
    assert promtool_lint(text) == ""
    for line in (
        'dija_check_runs_total{outcome="fail"} 1.0',
        'dija_check_runs_total{outcome="pass"} 1.0',
        'dija_notifications_total{channel="ops-mail",result="failed"} 1.0',
        'dija_notifications_total{channel="ops-mail",result="delivered"} 1.0',
        'dija_measurement_select1_seconds{area="availability",check="test_everything"} 0.001',
        'dija_measurement_largest_image_bytes{area="availability",check="test_everything"} 1024.0',
        'dija_measurement_age_seconds{area="availability",check="test_everything",data_class="item"} 60.0',
        'dija_measurement_time_to_eol_seconds{area="availability",check="test_everything",product="item"} 86400.0',
    ):
        assert line in text, line
    assert not re.search(r"^dija_\w*(_ms|_kb|_mib|_minutes|_percent|days_\w+)[{ ]", text, re.M)
    # the lint is real: the names the exposition had before break Prometheus' conventions
    assert "abbreviated units" in promtool_lint(text.replace("select1_seconds", "select1_ms"))


def documented_block(starting: str) -> str:
    """The ```yaml block of docs/operations.md whose first line starts with `starting`."""
    blocks = re.findall(r"^```yaml\n(.*?)^```", OPERATIONS.read_text(), re.M | re.S)
    found = [block for block in blocks if block.startswith(starting)]
    assert len(found) == 1, f"docs/operations.md: one ```yaml block starting with {starting!r}"
    return found[0]


@needs_promtool
def test_the_documented_alert_rules_pass_promtool_and_fire_when_they_should(tmp_path):
    (tmp_path / "rules.yml").write_text(documented_block("groups:"))
    checked = subprocess.run(
        [PROMTOOL, "check", "rules", "rules.yml"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 2 rules found" in checked.stdout
    (tmp_path / "cases.yml").write_text(json.dumps(RULE_CASES))  # JSON is YAML
    tested = subprocess.run(
        [PROMTOOL, "test", "rules", "cases.yml"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr


FAILING = {"check": "test_home", "area": "availability", "severity": "critical"}
RULE_CASES = {
    "rule_files": ["rules.yml"],
    "evaluation_interval": "1m",
    "tests": [
        {
            "interval": "1m",
            "input_series": [
                {"series": 'up{job="dija-monitor",instance="monitor:19464"}', "values": "1 1 0x10"},
                {
                    "series": 'dija_check_status{check="test_home",area="availability",severity="critical",outcome="fail"}',  # noqa: E501
                    "values": "0 0 1x20",
                },
                {
                    "series": 'dija_check_status{check="test_tls",area="tls",severity="warning",outcome="pass"}',
                    "values": "1x22",
                },
                {
                    "series": 'dija_check_status{check="test_tls",area="tls",severity="warning",outcome="fail"}',
                    "values": "0x22",
                },
            ],
            "alert_rule_test": [
                {"eval_time": "5m", "alertname": "DijaMonitorDown", "exp_alerts": []},  # down for 3 minutes: not yet
                {
                    "eval_time": "8m",
                    "alertname": "DijaMonitorDown",
                    "exp_alerts": [
                        {
                            "exp_labels": {"severity": "critical", "job": "dija-monitor", "instance": "monitor:19464"},
                            "exp_annotations": {
                                "summary": "dija-monitor's metrics at monitor:19464 do not answer: "
                                "the shop is not being watched"
                            },
                        }
                    ],
                },
                {"eval_time": "10m", "alertname": "DijaCheckFailing", "exp_alerts": []},
                {
                    "eval_time": "18m",
                    "alertname": "DijaCheckFailing",
                    "exp_alerts": [
                        {
                            "exp_labels": {**FAILING, "outcome": "fail"},
                            "exp_annotations": {
                                "summary": "test_home (availability): fail for 15 minutes",
                                "description": "See the check's report on the dija-monitor dashboard and its "
                                "runbook in docs/runbooks.md.",
                            },
                        }
                    ],
                },
            ],
        }
    ],
}


@pytest.mark.skipif(
    PROMETHEUS is None or PROMTOOL is None,
    reason="prometheus is not installed (Debian package `prometheus`, installed by `make setup`)",
)
def test_a_real_prometheus_scrapes_serve_metrics_with_the_documented_scrape_config(make_settings, tmp_path):
    settings = make_settings()
    history_of_every_measurement(settings)
    exporter_port, prometheus_port = free_port(), free_port()
    scrape = documented_block("scrape_configs:")
    assert f"127.0.0.1:{metricnames.DEFAULT_PORT}" in scrape and "scrape_interval: 60s" in scrape  # docs = code
    (tmp_path / "prometheus.yml").write_text(
        scrape.replace("127.0.0.1:19464", f"127.0.0.1:{exporter_port}").replace(
            "scrape_interval: 60s", "scrape_interval: 1s"
        )
    )
    exporter = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runner",
            "serve-metrics",
            "--port",
            str(exporter_port),
            "--config",
            str(settings.source),
        ],
        cwd=PROJECT,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen(
        [
            PROMETHEUS,
            "--config.file=prometheus.yml",
            "--storage.tsdb.path=data",
            f"--web.listen-address=127.0.0.1:{prometheus_port}",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "prometheus.log").open("w"),
    )
    try:
        result = query_until_found(prometheus_port, 'dija_check_runs_total{job="dija-monitor",outcome="fail"}')
        assert result[0]["value"][1] == "1"
        assert query_until_found(prometheus_port, 'up{job="dija-monitor"}')[0]["value"][1] == "1"
    finally:
        for process in (server, exporter):
            process.terminate()
        assert server.wait(30) == 0, (tmp_path / "prometheus.log").read_text()[-2000:]
        assert exporter.wait(30) == 0


def query_until_found(port: int, query: str, seconds: float = 60) -> list:
    """The query's result from Prometheus' API once it has one (the first scrape takes a moment)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answer = requests.get(f"http://127.0.0.1:{port}/api/v1/query", params={"query": query}, timeout=5)
        except requests.ConnectionError:
            answer = None  # not listening yet
        if answer is not None and answer.ok and answer.json()["data"]["result"]:  # 503 until it is ready
            return answer.json()["data"]["result"]
        time.sleep(0.5)
    raise AssertionError(f"Prometheus on {port} had no result for {query} within {seconds:g} s")
