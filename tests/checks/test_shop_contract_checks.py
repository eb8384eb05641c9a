"""The schema contract against the live demo database: the probe says what fits and suggests a
mapping that makes it fit; in a run, a misfit is a sentence naming the key and a field the shop
does not have skips only the checks that need it."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from runner.shopschema.contract import FIELDS, VOCABULARIES
from tests.checks.conftest import PROJECT_ROOT, CheckRunner, assert_outcome

STUCK_ORDERS = "checks/test_orders.py::test_paid_orders_are_processed"


def probe(config) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "runner", "check-config", "--probe", "--config", str(config)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_probe_says_every_data_check_fits_the_healthy_demo(check_runner):
    done = probe(check_runner.config_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "DOES NOT FIT" not in done.stdout
    assert "20 of 20 data checks fit" in done.stdout


def test_probe_names_the_check_the_column_and_the_key_and_its_suggestion_makes_it_fit(check_runner, demo):
    shape = demo.shape
    broken = check_runner.variant(
        database={"columns": {"orders": {"paid_at": "paid_date"}}, "values": {"payment_failed": ["bounced"]}}
    )
    done = probe(broken)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "DOES NOT FIT  test_paid_orders_are_processed" in done.stdout
    assert (
        f"orders.paid_at is mapped to column paid_date, which table {shape.table('orders')} does not have: "
        "set database.columns.orders.paid_at"
    ) in done.stdout
    assert (
        "database.values.payment_failed = ['bounced']: not among the values of "
        f"{shape.table('payments')}.{shape.column('payments', 'status')}"
    ) in done.stdout
    suggested = tomllib.loads(done.stdout.split("# suggested mapping", 1)[1].split("\n", 1)[1])["database"]
    assert suggested["columns"]["orders"]["paid_at"] == shape.column("orders", "paid_at")
    assert suggested["values"]["payment_failed"] == [shape.word("payments", "status", "failed")]
    fixed = probe(check_runner.variant(database={k: suggested[k] for k in ("columns", "values")}))
    assert fixed.returncode == 0, fixed.stdout


def test_a_misfit_in_a_run_is_an_error_naming_the_key_never_a_driver_error(check_runner):
    broken = check_runner.variant(database={"columns": {"orders": {"paid_at": "paid_date"}}})
    record = check_runner.one(STUCK_ORDERS, config=broken)
    assert_outcome(
        record, "error", "orders.paid_at is mapped to column paid_date", "set database.columns.orders.paid_at"
    )
    assert "OperationalError" not in record["message"] and "1054" not in record["message"]


def test_a_field_the_shop_does_not_have_skips_only_the_checks_that_need_it(check_runner):
    results = check_runner.run(
        "checks/test_orders.py",
        "checks/test_inventory.py",
        config=check_runner.variant(
            database={"columns": {"orders": {"processed_at": ""}, "products": {"low_stock_threshold": ""}}}
        ),
    )
    assert_outcome(
        results["test_paid_orders_are_processed"],
        "skipped",
        'the shop has no orders.processed_at column (database.columns.orders.processed_at = "")',
    )
    assert_outcome(results["test_sales_figures_on_track"], "pass")
    assert_outcome(results["test_stock_above_low_threshold"], "pass")  # the default threshold for every product


# ---- the alt shop (other tables, columns and words): from no mapping at all to a fitting one ----

ALT_CONFIG_MAPPING = ("tables", "columns", "values")


@pytest.fixture(scope="module")
def alt_runner(alt_demo, tmp_path_factory):
    return CheckRunner(Path(alt_demo.config_path), tmp_path_factory.mktemp("alt-contract-runs"))


def suggestion(done: subprocess.CompletedProcess) -> dict:
    return tomllib.loads(done.stdout.split("# suggested mapping", 1)[1].split("\n", 1)[1])["database"]


def test_from_no_mapping_the_alt_shop_fits_by_pasting_the_suggestion_as_it_is(alt_runner):
    own = tomllib.loads(alt_runner.config_path.read_text())["database"]
    bare = probe(alt_runner.variant(database=dict.fromkeys(ALT_CONFIG_MAPPING)))
    assert bare.returncode == 2, bare.stdout + bare.stderr
    assert "0 of 20 data checks fit" in bare.stdout
    suggested = suggestion(bare)
    lines = [("tables", t, v) for t, v in suggested["tables"].items()]
    lines += [("columns", f"{t}.{f}", v) for t, fields in suggested["columns"].items() for f, v in fields.items()]
    lines += [("values", k, v) for k, v in suggested["values"].items()]
    wrong = [line for line in lines if _same(line[2]) != _same(_own_line(own, *line[:2]))]
    assert wrong == [] and len(lines) == 69  # every table, misfit column and vocabulary: the alt's own mapping
    fixed = probe(alt_runner.variant(database={key: suggested[key] for key in ALT_CONFIG_MAPPING}))
    assert fixed.returncode == 0, fixed.stdout
    assert "20 of 20 data checks fit" in fixed.stdout


def _same(value):
    return sorted(map(str, value)) if isinstance(value, list) else value  # a vocabulary's words in any order


def _own_line(own: dict, key: str, name: str):
    """What the alt's own monitor.toml says for `key`.`name` (the contract's default where it says nothing)."""
    if key == "tables":
        return own["tables"].get(name, name)
    if key == "columns":
        table, field = name.split(".")
        return own["columns"].get(table, {}).get(field, FIELDS[table][field])
    return own["values"].get(name, VOCABULARIES[name][1])


@pytest.mark.parametrize(
    "key, name, check, sentence, fix",
    [
        (
            "tables",
            "testimonials",
            "test_testimonials_moderated",
            "testimonials is mapped to table testimonials, which the database does not have: set database.tables.testimonials",  # noqa: E501
            "reviews",
        ),
        (
            "columns",
            "orders.paid_at",
            "test_paid_orders_are_processed",
            "orders.paid_at is mapped to column paid_at, which table sales_orders does not have: "
            "set database.columns.orders.paid_at",
            "paid_on",
        ),
        (
            "values",
            "payment_failed",
            "test_payment_success_rate",
            "database.values.payment_failed = ['failed']: not among the values of payment_attempts.state",
            ["declined"],
        ),
    ],
)
def test_one_mapping_left_out_of_the_alt_config_is_named_and_its_suggestion_fits(
    alt_runner, key, name, check, sentence, fix
):
    table, _, field = name.partition(".")
    left_out = {table: {field: None}} if field else {name: None}
    done = probe(alt_runner.variant(database={key: left_out}))
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"DOES NOT FIT  {check}" in done.stdout and sentence in done.stdout
    suggested = suggestion(done)
    assert (suggested[key][table][field] if field else suggested[key][name]) == fix
    fixed = probe(alt_runner.variant(database={k: suggested[k] for k in ALT_CONFIG_MAPPING if k in suggested}))
    assert fixed.returncode == 0, fixed.stdout
