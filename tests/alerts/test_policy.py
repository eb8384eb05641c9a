"""Thresholds that fit the cadence: the defaults per cadence and every way to override them."""

import pytest

from runner.alerts.engine import alert_run
from runner.alerts.policy import policies
from runner.errors import ConfigError
from tests.alerts.conftest import T0, check
from tests.alerts.test_delivery import outbox, run

ID = "checks/test_x.py::test_x"


def policy_of(settings, cadence, alert=None, name="test_x"):
    record = {"id": ID, "name": name, "cadence": cadence, **({"alert": alert} if alert else {})}
    return policies(settings.alerts, [record]).for_check(ID)


@pytest.mark.parametrize(
    "cadence, failures, successes",
    [
        ("critical", 2, 2),
        ("hourly", 2, 2),
        ("daily", 1, 1),
        ("weekly", 1, 1),
        ("monthly", 1, 1),
        (None, 2, 2),
    ],
)
def test_counting_cadences_wait_for_consecutive_runs_slow_ones_alert_on_the_first_confirmed_failure(
    make_settings, cadence, failures, successes
):
    policy = policy_of(make_settings(), cadence)
    assert (policy.failure_threshold, policy.success_threshold) == (failures, successes)


def test_overrides_per_cadence_then_marker_then_check_config(make_settings):
    settings = make_settings(
        "failure_threshold = 3\nreminder_interval_minutes = 30\n"
        "[alerts.cadences.hourly]\nfailure_threshold = 4\n"
        "[alerts.cadences.weekly]\nsuccess_threshold = 2\nreminder_interval_minutes = 0\n"
        "[alerts.checks.test_tuned]\nfailure_threshold = 5\n"
    )
    assert policy_of(settings, "critical").failure_threshold == 3  # [alerts]: the counting cadences
    assert policy_of(settings, "daily").failure_threshold == 1  # not the slow ones
    assert policy_of(settings, "hourly").failure_threshold == 4
    weekly = policy_of(settings, "weekly")
    assert (weekly.failure_threshold, weekly.success_threshold, weekly.reminder_interval) == (1, 2, 0)
    assert policy_of(settings, "monthly").reminder_interval == 1800
    assert policy_of(settings, "monthly", alert={"failure_threshold": 2}).failure_threshold == 2  # the marker
    assert policy_of(settings, "monthly", alert={"failure_threshold": 2}, name="test_tuned").failure_threshold == 5


def test_an_unknown_cadence_in_the_config_is_an_error_naming_it(make_settings):
    with pytest.raises(ConfigError, match="alerts.cadences"):
        make_settings("[alerts.cadences.fortnightly]\nfailure_threshold = 1\n")


def test_a_monthly_check_alerts_on_its_first_confirmed_failure_a_critical_blip_stays_silent(make_settings, store):
    settings = make_settings()
    run(settings, store, "fail", T0, name="test_restore")  # a blip of a critical check: one failing run
    run(settings, store, "pass", T0 + 300)
    assert outbox(settings) == []
    monthly = check("test_admins_reviewed", "fail", cadence="monthly", severity="warning")
    store.record_run("monthly", [monthly], status="failed", exit_code=1, at=T0 + 600)
    alert_run(settings, store, [monthly], now=T0 + 600)
    assert [(m["kind"], [e["check"] for e in m["events"]]) for m in outbox(settings)] == [("incident", [monthly["id"]])]
    alert_run(settings, store, [{**monthly, "outcome": "pass", "message": ""}], now=T0 + 86400 * 31)
    assert [m["kind"] for m in outbox(settings)] == ["incident", "resolved"]  # its first pass resolves it
