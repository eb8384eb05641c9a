"""Against a real Alertmanager: a check failing for longer than resolve_timeout stays active the
whole time (the monitor re-posts it each run with an endsAt lease) and is resolved once, after the
recovery. Real time (Alertmanager's own clock): about 15 s."""

import time

import pytest

from runner.alerts.engine import alert_run
from tests.alerts.alertmanager import active_alerts, alertmanager
from tests.alerts.conftest import check

RESOLVE_TIMEOUT = 2  # seconds; shorter than the time between runs, as 5 min against a 5-min cadence
RUN_EVERY = 3  # seconds between the synthetic critical runs: the lease is 3 x 3 s
POLLS_PER_RUN = 6


@pytest.fixture
def manager(tmp_path, receiver):
    with alertmanager(tmp_path / "alertmanager", f"{receiver.url}/am", f"{RESOLVE_TIMEOUT}s") as url:
        yield url


def notifications(receiver) -> list[str]:
    """The status of each notification Alertmanager sent its webhook: firing or resolved."""
    return [post["status"] for post in receiver.on("/am")]


def test_a_long_failure_stays_active_in_alertmanager_and_is_resolved_once(make_settings, store, receiver, manager):
    settings = make_settings(
        f'report_base_url = "https://monitor.example/reports"\n'
        f'[[alerts.channels]]\ntype = "alertmanager"\nurl = "{manager}"\n'
        f"[schedule]\ncritical_every_seconds = {RUN_EVERY}\n"
    )
    run_dir = settings.reports_dir() / "runs" / "r1"

    def run(outcome: str):
        return alert_run(settings, store, [check(outcome=outcome)], run_dir=run_dir, now=time.time())

    run("fail")
    assert active_alerts(manager) == []  # one failure of a critical check: pending, nothing posted
    run("fail")  # the incident
    failing_until = time.monotonic() + 3 * RUN_EVERY  # 4.5 x resolve_timeout
    seen_active = 0
    while time.monotonic() < failing_until:
        time.sleep(RUN_EVERY / POLLS_PER_RUN)
        alerts = active_alerts(manager)
        assert [a["labels"]["check"] for a in alerts] == ["test_home"], f"not active after {seen_active} polls"
        seen_active += 1
        if seen_active % POLLS_PER_RUN == 0:
            assert run("fail").status == "quiet"  # re-posted to Alertmanager only: no notice elsewhere
    [alert] = active_alerts(manager)
    assert alert["labels"] == {
        "alertname": "DijaMonitorCheckFailing",
        "check": "test_home",
        "area": "availability",
        "severity": "critical",
        "site": "shop.example",
    }
    assert alert["generatorURL"] == "https://monitor.example/reports/runs/r1/report.html"
    assert alert["annotations"]["runbook_url"] == "https://monitor.example/reports/runbooks.md#site-down"
    assert "resolved" not in notifications(receiver)  # no false RESOLVED while it kept failing
    run("pass")
    assert [a["labels"]["check"] for a in active_alerts(manager)] == ["test_home"]  # one pass of two
    run("pass")  # resolved: endsAt = now
    deadline = time.monotonic() + 10
    while "resolved" not in notifications(receiver) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # a second resolved notification would come within a group interval or two
    assert active_alerts(manager) == []
    assert notifications(receiver).count("resolved") == 1 and notifications(receiver)[0] == "firing"
