"""Channel validation, severity routing, maintenance windows, runbooks and message text."""

from datetime import UTC, datetime

import pytest

from runner import maintenance
from runner.alerts import channels, message, runbooks
from runner.alerts.providers import alertmanager
from runner.alerts.providers.base import redact_url
from runner.alerts.state import Event
from runner.errors import ConfigError, MonitorError
from runner.records import AREAS
from tests.alerts.conftest import check

RUNBOOK_IDS = {"site-down", "payment-issues", "security-incident", *AREAS}  # every area has its runbook


def at(text):
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def test_a_bad_apprise_url_is_a_config_error_naming_the_channel(make_settings):
    settings = make_settings(
        '[[alerts.channels]]\nurl = "json://127.0.0.1/ok"\n[[alerts.channels]]\nurl = "nosuchscheme://token@host"\n'
    )
    with pytest.raises(ConfigError) as caught:
        channels.check(settings)  # what every command's load_settings does after config.load
    assert caught.value.problems == ["alerts.channels[1].url: not a usable apprise URL (nosuchscheme://host)"]


def test_a_missing_url_variable_is_named_when_the_config_loads(make_settings):
    with pytest.raises(ConfigError, match=r"alerts.channels\[0\].url_env: variable NO_SUCH_VARIABLE_X"):
        make_settings('[[alerts.channels]]\nurl_env = "NO_SUCH_VARIABLE_X"\n')


def test_redacted_urls_show_scheme_and_host_only():
    assert redact_url("slack://TokenA/TokenB/TokenC/#ops") == "slack://tokena"
    assert redact_url("mailtos://user:pass@smtp.example:587?to=a@b") == "mailtos://smtp.example"


@pytest.mark.parametrize(
    "now, expected",
    [
        ("2024-06-02T03:30:00", True),  # Sunday 03:30
        ("2024-06-02T04:00:00", False),
        ("2024-06-09T02:59:00", False),
        ("2024-06-03T03:30:00", False),  # Monday
    ],
)
def test_a_weekly_window_holds_sunday_3_to_4(make_settings, now, expected):
    settings = make_settings('[[alerts.maintenance]]\ndays = ["sunday"]\nfrom_time = "03:00"\nto_time = "04:00"\n')
    assert (maintenance.active(settings.alerts.maintenance, None, at(now)) is not None) is expected


def test_a_window_across_midnight_in_a_time_zone(make_settings):
    settings = make_settings(
        '[[alerts.maintenance]]\nfrom_time = "23:30"\nto_time = "00:30"\ntimezone = "Africa/Lagos"\n'
    )
    windows = settings.alerts.maintenance  # Lagos is UTC+1
    assert maintenance.active(windows, None, at("2024-06-02T23:00:00"))["until"] == at("2024-06-02T23:30:00")
    assert maintenance.active(windows, None, at("2024-06-02T22:29:00")) is None


def test_a_one_off_window_and_a_manual_one(make_settings):
    settings = make_settings(
        '[[alerts.maintenance]]\nstart = 2024-06-01T22:00:00Z\nend = 2024-06-01T23:00:00Z\nreason = "host migration"\n'
    )
    assert (
        maintenance.active(settings.alerts.maintenance, None, at("2024-06-01T22:10:00"))["reason"] == "host migration"
    )
    manual = maintenance.manual_window(at("2024-06-05T10:00:00"), maintenance.parse_duration("30m"))
    assert maintenance.active([], manual, at("2024-06-05T10:29:00"))["source"] == "manual"
    assert maintenance.active([], manual, at("2024-06-05T10:30:00")) is None


def test_bad_durations_and_windows_are_refused(make_settings):
    with pytest.raises(MonitorError):
        maintenance.parse_duration("soon")
    with pytest.raises(ConfigError, match="one-off window needs start < end"):
        make_settings("[[alerts.maintenance]]\nstart = 2024-06-01T22:00:00Z\nend = 2024-06-01T21:00:00Z\n")


def test_every_runbook_section_exists_with_steps():
    books = runbooks.load()
    assert RUNBOOK_IDS <= set(books)
    assert all(books[i].steps for i in RUNBOOK_IDS)
    assert any("72 hours" in step for step in books["security-incident"].steps)


def test_the_message_has_name_doc_problem_measurements_report_and_runbook():
    event = Event("incident", "x", 1_700_000_600.0, {**check(), "report": "runs/r1/report.html"}, since=1_700_000_000.0)
    msg = message.compose([event], "shop.example", "https://monitor.example/reports")
    assert msg.title == "[FAILING] shop.example: test_home"
    for text in (
        "customers can reach the shop",
        "What is wrong: /: HTTP 500, expected 200",
        "response_seconds[/]=0.12",
        "Failing since: 2023-11-14 22:13 UTC (10 min)",
        "https://monitor.example/reports/runs/r1/report.html",
        "1. Check the hosting provider",
    ):
        assert text in msg.body
    assert len(msg.body) < 2000


def test_the_alertmanager_payload_ends_resolved_alerts_now_and_leases_firing_ones():
    resolved = Event("resolved", "x", 1_700_000_600.0, check(outcome="pass"), since=1_700_000_000.0)
    [alert] = alertmanager.payload(message.compose([resolved], "shop.example"), now=1_700_000_600.0)
    assert alert["endsAt"] == "2023-11-14T22:23:20Z" and alert["startsAt"] == "2023-11-14T22:13:20Z"
    assert alert["annotations"]["runbook_url"] == "docs/runbooks.md#site-down"
    firing = Event("firing", "x", 1_700_000_600.0, check(report="runs/r1/report.html"), since=1_700_000_000.0)
    [alert] = alertmanager.payload(
        message.compose([firing], "shop.example"),
        now=1_700_000_600.0,
        lease=lambda cadence: {"critical": 900}[cadence],
        report_root="https://monitor.example/reports",
        runbook_root="https://git.example/docs/runbooks.md",
    )
    assert alert["endsAt"] == "2023-11-14T22:38:20Z"  # now + 3 critical periods of 5 min
    assert alert["labels"] == {
        "alertname": "DijaMonitorCheckFailing",
        "check": "test_home",
        "area": "availability",
        "severity": "critical",
        "site": "shop.example",
    }
    assert alert["generatorURL"] == "https://monitor.example/reports/runs/r1/report.html"
    assert alert["annotations"]["runbook_url"] == "https://git.example/docs/runbooks.md#site-down"


def test_a_grouped_message_writes_each_runbook_once():
    events = [Event("incident", f"x{i}", 1_700_000_600.0, check(f"test_{i}")) for i in range(3)]
    body = message.compose(events, "shop.example").body
    assert body.count("1. Check the hosting provider") == 1 and body.count("Runbook: Site down (steps above)") == 2
