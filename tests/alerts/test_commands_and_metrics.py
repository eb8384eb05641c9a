"""The maintenance, metrics, serve-metrics and dashboard commands, and the pipeline steps, end to end."""

import socket
import subprocess
import sys
import threading
from pathlib import Path

import requests
from prometheus_client.utils import floatToGoString

from runner import metrics
from runner.cli import main
from runner.execute import RunResult, Selection
from runner.metricnames import Exposed, expose
from runner.post_run import alerts_step, dashboard_step
from runner.store import Store
from tests.alerts.conftest import T0, check

PROJECT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def history(settings):
    store = Store(settings.reports_dir() / "history.sqlite3")
    cert = check(
        "test_certificate_not_expiring",
        "degraded",
        area="tls",
        measurements={"days_left": 12.5, "response_seconds[/cart]": 0.2},
    )
    store.record_run("daily", [check(), cert], status="failed", exit_code=1, at=T0)
    store.set_meta("scheduler", {"pid": 1, "last_loop": T0 + 30})
    return store


def test_maintenance_start_status_stop_from_the_command_line(make_settings, capsys):
    settings = make_settings()
    args = ["--config", str(settings.source)]
    assert main(["maintenance", "start", "--for", "30m", "--reason", "deploy", *args]) == 0
    assert main(["maintenance", "status", *args]) == 0
    assert "maintenance (manual: deploy) until" in capsys.readouterr().out
    assert main(["maintenance", "stop", *args]) == 0
    assert main(["maintenance", "status", *args]) == 0
    assert capsys.readouterr().out.endswith("no maintenance window active\n")
    assert main(["maintenance", "start", "--for", "soon", *args]) == 2  # a usage error
    assert "expected a duration like 30m" in capsys.readouterr().err


def test_the_metrics_textfile_has_status_duration_measurements_and_expiry(make_settings, tmp_path):
    settings = make_settings()
    history(settings).close()
    assert main(["metrics", "--textfile", str(tmp_path / "dija.prom"), "--config", str(settings.source)]) == 0
    text = (tmp_path / "dija.prom").read_text()
    for line in (
        'dija_check_status{area="availability",check="test_home",outcome="fail",severity="critical"} 1.0',
        'dija_check_status{area="tls",check="test_certificate_not_expiring",outcome="degraded",severity="critical"} 1.0',  # noqa: E501
        'dija_check_duration_seconds{area="availability",check="test_home",severity="critical"} 0.4',
        'dija_measurement_time_left_seconds{area="tls",check="test_certificate_not_expiring"} 1.08e+06',
        'dija_measurement_response_seconds{area="tls",check="test_certificate_not_expiring",path="/cart"} 0.2',
        f'dija_certificate_expiry_timestamp_seconds{{check="test_certificate_not_expiring",item=""}} {floatToGoString(T0 + 12.5 * 86400)}',  # noqa: E501
        f"dija_scheduler_last_loop_timestamp_seconds {floatToGoString(T0 + 30)}",
    ):
        assert line in text, line


def test_serve_metrics_answers_scrapes_from_its_own_thread(make_settings):
    settings = make_settings()
    history(settings).close()
    port, stop = free_port(), threading.Event()
    server = threading.Thread(
        target=metrics.serve_forever, args=(settings.reports_dir() / "history.sqlite3", port, "127.0.0.1", stop)
    )
    server.start()
    try:
        for _ in range(100):
            try:
                body = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
                break
            except requests.ConnectionError:
                stop.wait(0.05)
        assert 'dija_check_up{area="availability",check="test_home",severity="critical"} 0.0' in body
    finally:
        stop.set()
        server.join(10)
    assert not server.is_alive()


def test_serve_metrics_command_stops_cleanly_on_sigterm(make_settings):
    settings = make_settings()
    history(settings).close()
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "runner", "serve-metrics", "--port", str(port), "--config", str(settings.source)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert "serving http://127.0.0.1" in process.stdout.readline()
        assert "dija_check_status" in requests.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    finally:
        process.terminate()
        assert process.wait(20) == 0


def test_the_pipeline_steps_alert_and_write_dashboard_and_textfile(make_settings, receiver, tmp_path):
    settings = make_settings(
        f'metrics_textfile = "metrics/dija.prom"\nfailure_threshold = 1\n'
        f'[[alerts.channels]]\nurl = "json://{receiver.url[7:]}/hook"\n'
    )
    run_dir = settings.reports_dir() / "runs" / "20231114T221320Z-critical"
    run_dir.mkdir(parents=True)
    result = RunResult(run_dir, Selection("critical"), 1, [check()])
    with Store(settings.reports_dir() / "history.sqlite3") as store:
        store.record_run("critical", result.checks, status="failed", exit_code=1, run_dir=str(run_dir), at=T0)
        report = alerts_step(settings, store, result, now=T0)
        page = dashboard_step(settings, store, result, now=T0)
    assert report.status == "delivered"
    assert (
        "Report: " + str(settings.reports_dir() / "runs/20231114T221320Z-critical/report.html")
        in receiver.on("/hook")[0]["message"]
    )
    assert 'href="runs/20231114T221320Z-critical/report.html"' in page.read_text()
    assert "dija_check_status" in (tmp_path / "metrics" / "dija.prom").read_text()


def test_the_dashboard_command_writes_index_html(make_settings, capsys):
    settings = make_settings()
    history(settings).close()
    assert main(["dashboard", "--config", str(settings.source)]) == 0
    assert capsys.readouterr().out.strip().endswith("reports/index.html")


def test_measurement_names_are_sanitised_and_exposed_in_base_units_with_their_item_as_a_label():
    assert expose("load time (s)") == Exposed("dija_measurement_load_time_s", 1.0, "item", "")
    assert expose("response_seconds[/product/gold-hoops]") == Exposed(
        "dija_measurement_response_seconds", 1.0, "path", "/product/gold-hoops"
    )
    assert expose("select1_ms").metric == "dija_measurement_select1_seconds"
    assert expose("select1_ms").value(250) == 0.25
    assert expose("age_minutes[orders]") == Exposed("dija_measurement_age_seconds", 60.0, "data_class", "orders")
    assert expose("days_to_eol[php]") == Exposed("dija_measurement_time_to_eol_seconds", 86400.0, "product", "php")
    assert expose("largest_image_kb").value(300) == 300 * 1024
    assert expose("payment_success_percent") == Exposed("dija_measurement_payment_success_ratio", 0.01, "item", "")
