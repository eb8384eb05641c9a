import pytest

from tests.checks.conftest import CheckRunner, assert_outcome

PAYMENTS = "checks/test_payments.py::"
GATEWAY = "checks/test_gateways.py::test_gateway_up_and_key_accepted"


@pytest.fixture
def variant_runner(demo, tmp_path):
    """A check runner on a copy of the demo's config with some lines replaced (kept next to monitor.env)."""
    made = []

    def make(name: str, replacements: dict[str, str]) -> CheckRunner:
        text = demo.config_path.read_text()
        for old, new in replacements.items():
            assert old in text, old
            text = text.replace(old, new)
        path = demo.run_dir / f"monitor-{name}.toml"
        path.write_text(text)
        made.append(path)
        return CheckRunner(path, tmp_path)

    yield make
    for path in made:
        path.unlink(missing_ok=True)


def test_payment_checks_pass_on_healthy_demo(healthy):
    rate, hooks = healthy["test_payment_success_rate"], healthy["test_webhooks_arrive_and_are_processed"]
    assert_outcome(rate, "pass")
    assert_outcome(hooks, "pass")
    # the demo's last 24 h hold fewer payments than the minimum sample: recorded, and said so
    assert rate["measurements"]["payments_in_window"] >= 1
    assert rate["measurements"]["payment_sample_sufficient"] == 0
    assert hooks["measurements"]["webhooks_received"] >= 1 and hooks["measurements"]["webhooks_failed"] == 0


def test_payment_success_rate_passes_with_enough_healthy_payments(variant_runner):
    runner = variant_runner("min-sample", {"[thresholds]\n": "[thresholds]\npayment_min_sample = 3\n"})
    record = runner.one(PAYMENTS + "test_payment_success_rate")
    assert_outcome(record, "pass")
    assert record["measurements"]["payment_sample_sufficient"] == 1
    assert record["measurements"]["payment_success_percent"] == 100


def test_payment_success_rate_fails_on_failed_payments(check_runner, fault):
    fault("failed_payments")
    record = check_runner.one(PAYMENTS + "test_payment_success_rate")
    assert_outcome(record, "fail", "15 failed) in the last 24 h < 98 %")
    assert record["measurements"]["payments_failed"] == 15


def test_webhook_check_fails_on_webhook_failures(check_runner, fault):
    fault("webhook_failures")
    assert_outcome(
        check_runner.one(PAYMENTS + "test_webhooks_arrive_and_are_processed"),
        "fail",
        "4 webhook events failed or unprocessed",
        "paystack ",
        " (signature verification failed)",
    )


def test_gateways_pass_on_healthy_demo(healthy):
    for gateway in ("stripe", "paystack", "remita"):
        record = healthy[f"test_gateway_up_and_key_accepted[{gateway}]"]
        assert_outcome(record, "pass")
        assert record["measurements"] == {"key_http_status": 200, "outage": 0}


def test_gateway_check_fails_when_key_revoked(check_runner, fault):
    fault("revoked_key")
    results = check_runner.run(GATEWAY.split("::")[0])
    assert_outcome(results["test_gateway_up_and_key_accepted[paystack]"], "fail", "paystack: key rejected (HTTP 401")
    assert_outcome(results["test_gateway_up_and_key_accepted[stripe]"], "pass")


def test_gateway_check_fails_on_status_page_outage(check_runner, fault):
    fault("gateway_outage")
    assert_outcome(
        check_runner.one(GATEWAY + "[remita]"),
        "fail",
        "remita: status page reports a major outage (Major System Outage)",
    )


def test_gateway_check_errors_when_unreachable_and_skips_without_key(variant_runner, demo):
    gateway = f"http://127.0.0.1:{demo.ports['gateway']}"
    runner = variant_runner(
        "gateways", {f'"{gateway}/stripe"': '"http://127.0.0.1:9/stripe"', 'key_env = "DIJA_PAYSTACK_KEY"\n': ""}
    )
    results = runner.run(GATEWAY.split("::")[0])
    assert_outcome(results["test_gateway_up_and_key_accepted[paystack]"], "skipped", "paystack: no API key configured")
    assert_outcome(results["test_gateway_up_and_key_accepted[stripe]"], "error", "stripe:", "connection refused")
    assert_outcome(results["test_gateway_up_and_key_accepted[remita]"], "pass")
