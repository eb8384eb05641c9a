"""The schema contract against the live demo database: the probe says what fits and suggests a
mapping that makes it fit; in a run, a misfit is a sentence naming the key and a field the shop
does not have skips only the checks that need it."""

import subprocess
import sys
import tomllib

from tests.checks.conftest import PROJECT_ROOT, assert_outcome

STUCK_ORDERS = "checks/test_orders.py::test_paid_orders_are_processed"


def probe(config) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "runner.cli", "check-config", "--probe", "--config", str(config)],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def test_probe_says_every_data_check_fits_the_healthy_demo(check_runner):
    done = probe(check_runner.config_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "DOES NOT FIT" not in done.stdout
    assert "20 of 20 data checks fit" in done.stdout


def test_probe_names_the_check_the_column_and_the_key_and_its_suggestion_makes_it_fit(check_runner, demo):
    shape = demo.shape
    broken = check_runner.variant(database={"columns": {"orders": {"paid_at": "paid_date"}},
                                            "values": {"payment_failed": ["bounced"]}})
    done = probe(broken)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "DOES NOT FIT  test_paid_orders_are_processed" in done.stdout
    assert (f"orders.paid_at is mapped to column paid_date, which table {shape.table('orders')} does not have: "
            "set database.columns.orders.paid_at") in done.stdout
    assert ("database.values.payment_failed = ['bounced']: not among the values of "
            f"{shape.table('payments')}.{shape.column('payments', 'status')}") in done.stdout
    suggested = tomllib.loads(done.stdout.split("# suggested mapping", 1)[1].split("\n", 1)[1])["database"]
    assert suggested["columns"]["orders"]["paid_at"] == shape.column("orders", "paid_at")
    assert suggested["values"]["payment_failed"] == [shape.word("payments", "status", "failed")]
    fixed = probe(check_runner.variant(database={k: suggested[k] for k in ("columns", "values")}))
    assert fixed.returncode == 0, fixed.stdout


def test_a_misfit_in_a_run_is_an_error_naming_the_key_never_a_driver_error(check_runner):
    broken = check_runner.variant(database={"columns": {"orders": {"paid_at": "paid_date"}}})
    record = check_runner.one(STUCK_ORDERS, config=broken)
    assert_outcome(record, "error", "orders.paid_at is mapped to column paid_date", "set database.columns.orders.paid_at")
    assert "OperationalError" not in record["message"] and "1054" not in record["message"]


def test_a_field_the_shop_does_not_have_skips_only_the_checks_that_need_it(check_runner):
    results = check_runner.run("checks/test_orders.py", "checks/test_inventory.py",
                               config=check_runner.variant(database={"columns": {"orders": {"processed_at": ""},
                                                                                 "products": {"low_stock_threshold": ""}}}))
    assert_outcome(results["test_paid_orders_are_processed"], "skipped",
                   'the shop has no orders.processed_at column (database.columns.orders.processed_at = "")')
    assert_outcome(results["test_sales_figures_on_track"], "pass")
    assert_outcome(results["test_stock_above_low_threshold"], "pass")  # the default threshold for every product
