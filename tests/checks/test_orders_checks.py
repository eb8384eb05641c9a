from tests.checks.conftest import assert_outcome

ORDERS = "checks/test_orders.py::"


def test_order_checks_pass_on_healthy_demo(healthy):
    for name in ("test_paid_orders_are_processed", "test_abandoned_carts_get_recovery_email"):
        assert_outcome(healthy[name], "pass")
    assert healthy["test_paid_orders_are_processed"]["measurements"]["stuck_orders"] == 0
    assert healthy["test_abandoned_carts_get_recovery_email"]["measurements"]["carts_without_recovery_email"] == 0


def test_sales_figures_pass_on_healthy_demo_and_are_measured(healthy):
    record = healthy["test_sales_figures_on_track"]
    assert_outcome(record, "pass")
    figures = record["measurements"]
    assert figures["orders_24h"] >= 8 and figures["trailing_daily_orders"] > 2
    assert figures["average_order_value"] > 0 and figures["sessions_24h"] > 0
    assert 0 < figures["conversion_percent"] <= 100


def test_stuck_order_check_names_the_order(check_runner, fault):
    fault("stuck_order")
    assert_outcome(
        check_runner.one(ORDERS + "test_paid_orders_are_processed"),
        "fail",
        "1 paid orders not processed after 24 h",
        "DJ-FAULT-STUCK (paid 30 h ago)",
    )


def test_cart_recovery_check_fails_when_recovery_job_stopped(check_runner, fault):
    fault("recovery_job_stopped")
    record = check_runner.one(ORDERS + "test_abandoned_carts_get_recovery_email")
    assert_outcome(record, "fail", "3 carts abandoned more than 24 h ago got no recovery email")


def test_sales_figures_degrade_on_order_drop(check_runner, fault):
    fault("order_drop")
    record = check_runner.one(ORDERS + "test_sales_figures_on_track")
    assert_outcome(record, "degraded", "orders in the last 24 h: 0 < 50 % of the trailing 7-day daily average")
    assert record["measurements"]["orders_24h"] == 0
