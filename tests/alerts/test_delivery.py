"""End to end: synthetic runs through the store and the alert step to a local fake webhook and Alertmanager."""

import json
import socket

from runner.alerts.engine import alert_run
from tests.alerts.conftest import T0, check

MIN = 60.0


def channels(receiver, extra=""):
    return (
        f'[[alerts.channels]]\nurl = "json://{receiver.url[7:]}/hook"\n'
        f'[[alerts.channels]]\ntype = "alertmanager"\nurl = "{receiver.url}"\n{extra}'
    )


def run(settings, store, outcome, at, name="test_home", **kw):
    record = check(name, outcome)
    store.record_run("critical", [record], status="ok", exit_code=0, at=at)
    return alert_run(settings, store, [record], now=at, **kw)


def outbox(settings):
    path = settings.reports_dir() / "alerts" / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_a_fault_alerts_once_reminds_after_the_interval_and_resolves_once(make_settings, store, receiver):
    settings = make_settings(channels(receiver, "[schedule]\ncritical_every_minutes = 5\n"))  # the lease below
    timeline = [
        ("fail", 0),
        ("fail", 5),
        ("fail", 10),
        ("fail", 50),
        ("fail", 66),
        ("fail", 70),
        ("pass", 75),
        ("pass", 80),
        ("pass", 85),
    ]
    for outcome, minute in timeline:
        run(settings, store, outcome, T0 + minute * MIN)
    hooks = receiver.on("/hook")
    assert [h["title"].split("]")[0] + "]" for h in hooks] == ["[FAILING]", "[STILL FAILING]", "[RESOLVED]"]
    assert "Runbook (Site down" in hooks[0]["message"] and "/: HTTP 500, expected 200" in hooks[0]["message"]
    alerts = receiver.on("/api/v2/alerts")  # every run while open (no reminders): 5..75, then resolved at 80
    assert len(alerts) == 7 and [a[0]["labels"]["check"] for a in alerts] == ["test_home"] * 7
    assert alerts[0][0]["endsAt"] == "2023-11-14T22:33:20Z"  # run at 22:18 + 3 critical periods of 5 min
    assert alerts[5][0]["endsAt"] == "2023-11-14T23:43:20Z" and alerts[6][0]["endsAt"] == "2023-11-14T23:33:20Z"
    assert alerts[0][0]["labels"] == {
        "alertname": "DijaMonitorCheckFailing",
        "check": "test_home",
        "area": "availability",
        "severity": "critical",
        "site": "shop.example",
    }
    assert [m["kind"] for m in outbox(settings)] == ["incident", "reminder", "resolved"]


def test_nothing_is_sent_during_a_maintenance_window_and_an_open_incident_is_sent_after(make_settings, store, receiver):
    # T0 is Tuesday 22:13 UTC: a recurring window every Tuesday 22:00-23:00
    settings = make_settings(
        channels(receiver, '[[alerts.maintenance]]\ndays = ["tuesday"]\nfrom_time = "22:00"\nto_time = "23:00"\n')
    )
    for minute in (0, 5, 10):
        assert run(settings, store, "fail", T0 + minute * MIN).status == "held"
    run(settings, store, "fail", T0 + 15 * MIN, name="test_flapping")
    run(settings, store, "fail", T0 + 16 * MIN, name="test_flapping")
    run(settings, store, "pass", T0 + 17 * MIN, name="test_flapping")
    run(settings, store, "pass", T0 + 18 * MIN, name="test_flapping")
    assert receiver.posts == [] and outbox(settings) == []
    report = run(settings, store, "fail", T0 + 50 * MIN)  # 23:03: the window is over
    assert report.status == "delivered"
    assert [h["title"] for h in receiver.on("/hook")] == ["[FAILING] shop.example: test_home"]


def test_a_manual_maintenance_window_holds_notices(make_settings, store, receiver):
    from runner.maintenance import META_KEY, manual_window

    settings = make_settings(channels(receiver))
    store.set_meta(META_KEY, manual_window(T0, 30 * MIN, "deploy"))
    assert [run(settings, store, "fail", T0 + m * MIN).status for m in (1, 2)] == ["held", "held"]
    assert receiver.posts == []
    assert run(settings, store, "fail", T0 + 31 * MIN).status == "delivered"


def test_with_the_webhook_down_the_outbox_has_the_alert_and_the_next_run_delivers_it(make_settings, store, receiver):
    settings = make_settings(channels(receiver))
    receiver.status = 503
    run(settings, store, "fail", T0)
    report = run(settings, store, "fail", T0 + 5 * MIN)
    assert [d["ok"] for d in report.deliveries] == [True, False, False]  # outbox, webhook, alertmanager
    assert [m["kind"] for m in outbox(settings)] == ["incident"]
    failures = [n for n in store.notifications() if not n["ok"]]
    assert {n["channel"] for n in failures} == {"alerts.channels[0]", "alerts.channels[1]"}
    assert all(str(receiver.server.server_address[1]) not in n["error"] for n in failures)
    receiver.status = 200
    report = run(settings, store, "fail", T0 + 10 * MIN)
    assert [d["channel"] for d in report.deliveries] == ["alerts.channels[0]", "alerts.channels[1]"]
    assert len(receiver.on("/hook")) == 1 and len(outbox(settings)) == 1
    run(settings, store, "fail", T0 + 15 * MIN)
    assert len(receiver.on("/hook")) == 1  # delivered: not repeated


def test_warnings_go_only_to_channels_that_list_them(make_settings, store, receiver):
    settings = make_settings(
        f'[[alerts.channels]]\nurl = "json://{receiver.url[7:]}/pager"\nseverities = ["critical"]\n'
        f'[[alerts.channels]]\nurl = "json://{receiver.url[7:]}/team"\n'
    )
    for minute in (0, 5):
        record = check("test_banner", "fail", severity="warning", area="content", runbook=None)
        alert_run(settings, store, [record], now=T0 + minute * MIN)
    assert receiver.on("/pager") == [] and len(receiver.on("/team")) == 1
    assert "Runbook (Content" in receiver.on("/team")[0]["message"]


def test_one_message_groups_the_runs_new_incidents(make_settings, store, receiver):
    settings = make_settings(channels(receiver))
    records = [
        check("test_home"),
        check("test_db", "error", area="database", runbook=None, message="cannot connect: Connection refused"),
    ]
    for minute in (0, 5):
        alert_run(settings, store, records, now=T0 + minute * MIN)
    hooks = receiver.on("/hook")
    assert len(hooks) == 1 and hooks[0]["title"] == "[dija-monitor] shop.example: 2 failing"
    assert "FAILING (the check could not run): test_db" in hooks[0]["message"]
    assert "Could not run: cannot connect" in hooks[0]["message"]
    assert len(receiver.on("/api/v2/alerts")[0]) == 2


def test_an_unreachable_canary_makes_the_run_inconclusive_with_one_offline_notice(make_settings, store, receiver):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: connection refused
    offline = make_settings(
        f'canary_url = "http://127.0.0.1:{port}/"\ncanary_timeout_seconds = 2\n' + channels(receiver)
    )
    reports = [run(offline, store, "fail", T0 + m * MIN) for m in (0, 5, 10)]
    assert [r.status for r in reports] == ["inconclusive"] * 3
    assert [h["title"] for h in receiver.on("/hook")] == ["[MONITOR OFFLINE] shop.example: monitor offline"]
    assert store.alert_states() == {}
    online = make_settings(f'canary_url = "{receiver.url}/canary"\n' + channels(receiver))
    assert run(online, store, "fail", T0 + 15 * MIN).status == "quiet"  # state advances again: first failure
    assert run(online, store, "fail", T0 + 20 * MIN).status == "delivered"


def test_a_channel_url_with_a_token_never_reaches_logs_store_or_outbox(make_settings, store, receiver, caplog):
    token = "xoxb-SECRET-TOKEN-12345"
    environ = {"HOOK": f"json://user:{token}@127.0.0.1:9/{token}"}  # port 9: nothing listens
    settings = make_settings('[[alerts.channels]]\nurl_env = "HOOK"\n', environ=environ)
    caplog.set_level("DEBUG")
    for minute in (0, 5, 10):
        alert_run(settings, store, [check()], now=T0 + minute * MIN)
    stored = json.dumps(store.notifications())
    assert "json://127.0.0.1: not delivered" in stored and token not in stored
    assert token not in caplog.text and token not in (settings.reports_dir() / "alerts" / "outbox.jsonl").read_text()


def test_per_check_policy_from_the_marker_and_the_config_which_wins(make_settings, store, receiver):
    settings = make_settings(channels(receiver, "[alerts.checks.test_db]\nfailure_threshold = 3\n"))
    urgent = check("test_home", alert={"failure_threshold": 1})
    tuned = check("test_db", alert={"failure_threshold": 1})  # the config's 3 wins over the marker's 1
    for minute in (0, 5):
        alert_run(settings, store, [urgent, tuned], now=T0 + minute * MIN)
    assert [h["title"] for h in receiver.on("/hook")] == ["[FAILING] shop.example: test_home"]
    alert_run(settings, store, [urgent, tuned], now=T0 + 10 * MIN)
    assert receiver.on("/hook")[-1]["title"] == "[FAILING] shop.example: test_db"
