"""Service-level objectives: attainment and error budget from a hand-made history, in config and in metrics."""

import shutil
import subprocess

import pytest

from runner import config, metrics
from runner.dashboard.slo import objectives
from runner.store import Store
from tests.dashboard.conftest import NOW, load_settings

HOUR = 3600.0


def result(name: str, area: str, outcome: str, **measurements) -> dict:
    return {
        "id": f"checks/test_{area}.py::{name}",
        "name": name,
        "area": area,
        "severity": "critical",
        "outcome": outcome,
        "message": "",
        "measurements": measurements,
    }


@pytest.fixture
def store(tmp_path):
    """1000 key-page results (2 failed), 10 e-mail probes (8 in time, 1 slow, 1 lost), payments and 5xx."""
    with Store(tmp_path / "history.sqlite3") as store:
        for n in range(1000):
            at = NOW - 29 * 86400 + n * 2000
            checks = [result("test_key_pages_answer", "availability", "fail" if n in (10, 500) else "pass")]
            if n < 10:
                email = "fail" if n == 9 else ("degraded" if n == 8 else "pass")
                checks.append(
                    result(
                        "test_email_round_trip",
                        "email",
                        email,
                        **({} if n == 9 else {"delivery_seconds": 400 if n == 8 else 20}),
                    )
                )
                checks.append(
                    result(
                        "test_payment_success_rate",
                        "payments",
                        "pass",
                        payment_success_percent=96.0 if n < 5 else 100.0,
                    )
                )
                checks.append(result("test_http_error_rate", "logs", "pass", requests_last_hour=1000, http_5xx=n))
            store.record_run("hourly", checks, status="ok", exit_code=0, at=at)
        store.record_run(
            "hourly",
            [result("test_key_pages_answer", "availability", "fail")],
            status="failed",
            exit_code=1,
            at=NOW - 31 * 86400,
        )  # outside the 30-day window
        yield store


def test_attainment_and_error_budget_of_each_objective(store):
    found = {o.key: o for o in objectives(store, config.Slo(), NOW)}
    pages = found["key_pages_availability"]
    assert (pages.attained, pages.events, pages.target) == (99.8, 1000, 99.9)
    assert pages.budget_left == pytest.approx(-100.0) and pages.met is False  # spent twice over
    http = found["http_error_rate"]
    assert http.attained == pytest.approx(100 * (1 - 45 / 10_000)) and http.events == 10_000
    assert http.budget_left == pytest.approx(55.0)  # 0.45 % errors of a 1 % budget
    payments = found["payment_success"]
    assert payments.attained == pytest.approx(98.0) and payments.budget_left == pytest.approx(0.0)
    email = found["email_delivery"]
    assert (email.attained, email.events) == (80.0, 10)  # the slow and the lost probe are bad events
    assert email.budget_left == pytest.approx(-1900.0)


def test_targets_and_checks_come_from_the_slo_section(tmp_path, store):
    settings = load_settings(
        tmp_path, "[slo]\nkey_pages_availability_percent = 99.5\nemail_delivery_max_seconds = 600\nwindow_days = 7\n"
    )
    found = {o.key: o for o in objectives(store, settings.slo, NOW)}
    assert found["key_pages_availability"].target == 99.5
    assert found["key_pages_availability"].events == 49  # n = 951 … 999 are in the last 7 days
    assert found["email_delivery"].events == 0 and found["email_delivery"].attained is None
    assert config.Slo().model_dump() | {} == {
        "window_days": 30,
        "key_pages_availability_percent": 99.9,
        "key_pages_check": "test_key_pages_answer",
        "http_error_rate_max_percent": 1.0,
        "http_error_rate_check": "test_http_error_rate",
        "payment_success_min_percent": 98.0,
        "payment_success_check": "test_payment_success_rate",
        "email_delivery_max_seconds": 300,
        "email_delivered_in_time_percent": 99.0,
        "email_check": "test_email_round_trip",
    }


@pytest.mark.parametrize(
    "section, message",
    [
        ("days = 3\n", "status_page.days: Input should be greater than or equal to 7"),  # CONFIG ends in it
        ("areas = {}\n", "status_page.areas: Dictionary should have at least 1 item"),
        ("area_messages = { checkout = 3 }\n", "status_page.area_messages.checkout: Input should be a valid string"),
        ("[slo]\nuptime = 99\n", "slo.uptime: unknown key"),
        (
            "[slo]\nkey_pages_availability_percent = 100\n",
            "slo.key_pages_availability_percent: Input should be less than 100",
        ),
        ('[slo]\nemail_check = "checks/test_email.py"\n', "slo.email_check: invalid value 'checks/test_email.py'"),
    ],
)
def test_a_bad_slo_or_status_page_key_is_named(tmp_path, section, message):
    with pytest.raises(config.ConfigError) as error:
        load_settings(tmp_path, section)
    assert message in str(error.value)


def test_metrics_export_each_objective(store, tmp_path):
    path = metrics.write_textfile(store.path, tmp_path / "dija.prom", config.Slo(), clock=lambda: NOW)
    text = path.read_text()
    assert 'dija_slo_target_ratio{slo="key_pages_availability"} 0.999' in text
    assert 'dija_slo_attainment_ratio{slo="email_delivery"} 0.8' in text
    assert 'dija_slo_error_budget_remaining_ratio{slo="payment_success"} 0.0' in text
    assert 'dija_slo_window_events{slo="http_error_rate"} 10000.0' in text
    if shutil.which("promtool"):
        lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
        assert "slo" not in lint.stdout + lint.stderr, lint.stdout + lint.stderr


def test_a_parametrised_check_counts_under_its_function_name(tmp_path):
    with Store(tmp_path / "h.sqlite3") as store:
        store.record_run(
            "hourly",
            [result("test_key_pages_answer[chromium]", "availability", "fail")],
            status="failed",
            exit_code=1,
            at=NOW - 60,
        )
        store.record_run(
            "hourly",
            [result("test_key_pages_answer_slow", "availability", "pass")],
            status="ok",
            exit_code=0,
            at=NOW - 30,
        )
        pages = objectives(store, config.Slo(), NOW)[0]
    assert (pages.attained, pages.events) == (0.0, 1)
