import pymysql
import pytest

from runner import config
from runner.clients.database import ReadOnlyDatabase
from tests.checks.conftest import assert_outcome

CONNECTIVITY = "checks/test_database.py::test_database_answers_quickly"
DATABASE = "checks/test_database.py::"
DATA_CHECKS = (
    "test_connections_below_limit",
    "test_no_orphaned_rows",
    "test_old_sessions_cleaned_up",
    "test_tables_healthy",
    "test_slow_queries_not_growing",
    "test_order_totals_match_items",
    "test_no_negative_stock",
    "test_personal_data_within_retention",
)


def test_database_connectivity_passes_on_healthy_demo(healthy):
    record = healthy["test_database_answers_quickly"]
    assert_outcome(record, "pass")
    assert 0 < record["measurements"]["select1_ms"] < 200


def test_database_connectivity_fails_when_database_down(check_runner, fault):
    fault("db_down")
    assert_outcome(check_runner.one(CONNECTIVITY), "fail", "database unreachable", "cannot connect")


def test_database_data_checks_pass_on_healthy_demo(healthy):
    for name in DATA_CHECKS:
        assert_outcome(healthy[name], "pass")
    measured = {name: healthy[name]["measurements"] for name in DATA_CHECKS}
    assert 0 < measured["test_connections_below_limit"]["connections_percent"] < 80
    assert measured["test_no_orphaned_rows"]["orphaned_rows"] == 0
    assert measured["test_old_sessions_cleaned_up"]["old_sessions"] == 0
    assert measured["test_tables_healthy"]["tables_checked"] >= 13
    assert measured["test_order_totals_match_items"]["mismatched_orders"] == 0
    assert measured["test_no_negative_stock"]["negative_stock_products"] == 0
    assert measured["test_personal_data_within_retention"]["customers_past_retention"] == 0


def test_connections_check_fails_when_connections_saturated(check_runner, fault):
    fault("connections_saturated")
    assert_outcome(
        check_runner.one(DATABASE + "test_connections_below_limit"), "fail", "of max_connections 20 in use", "> 80 %"
    )


def test_orphan_check_lists_the_orphaned_item_ids(check_runner, fault):
    fault("orphaned_items")
    record = check_runner.one(DATABASE + "test_no_orphaned_rows")
    assert_outcome(record, "fail", "reference missing orders via order_id (3 rows)")
    assert record["measurements"]["orphaned_rows"] == 3


def test_session_check_degrades_on_old_sessions(check_runner, fault):
    fault("old_sessions")
    assert_outcome(
        check_runner.one(DATABASE + "test_old_sessions_cleaned_up"),
        "degraded",
        "12 sessions inactive for more than 30 days",
    )


def test_table_health_fails_on_a_really_fragmented_table(check_runner, fault, demo):
    fault("fragmented_table")
    sessions = demo.shape.table("sessions")
    with demo.db_root() as conn, conn.cursor() as cur:  # the fragmentation is real: the file holds the free space
        cur.execute(
            "SELECT data_free FROM information_schema.tables WHERE table_schema = 'dija_shop' AND table_name = %s",
            (sessions,),
        )
        assert cur.fetchone()[0] >= 16 * 2**20
    assert (demo.run_dir / "mariadb" / "data" / "dija_shop" / f"{sessions}.ibd").stat().st_size >= 16 * 2**20
    assert_outcome(check_runner.one(DATABASE + "test_tables_healthy"), "fail", f"{sessions}:", "run OPTIMIZE TABLE")


def test_slow_query_check_baselines_then_fails_on_a_burst(check_runner, fault, tmp_path):
    check = DATABASE + "test_slow_queries_not_growing"
    assert_outcome(check_runner.one(check, state_dir=tmp_path), "pass")
    fault("slow_query_burst")
    record = check_runner.one(check, state_dir=tmp_path)
    assert_outcome(record, "fail", "Slow_queries grew by", "> 10")
    assert record["measurements"]["slow_queries_growth"] >= 20


def test_order_total_check_names_the_mismatched_order(check_runner, fault, demo):
    fault("mismatched_total")
    assert_outcome(
        check_runner.one(DATABASE + "test_order_totals_match_items"),
        "fail",
        f"{demo.shape.order_number(42)} total",
        "!= items",
    )


def test_stock_check_fails_on_negative_stock(check_runner, fault):
    fault("negative_stock")
    assert_outcome(check_runner.one(DATABASE + "test_no_negative_stock"), "fail", "DJ-RI-025")


def test_retention_check_fails_on_an_expired_account_with_personal_data(check_runner, fault):
    fault("expired_pii")
    assert_outcome(
        check_runner.one(DATABASE + "test_personal_data_within_retention"),
        "fail",
        "inactive for more than 1095 days still hold email and name",
    )


def test_monitor_user_has_select_and_process_only_and_its_session_is_read_only(demo, healthy):
    with demo.db_root() as conn, conn.cursor() as cur:
        cur.execute("SHOW GRANTS FOR 'monitor'@'127.0.0.1'")
        grants = sorted(row[0].split(" TO ")[0] for row in cur.fetchall())
        cur.execute("CREATE DATABASE IF NOT EXISTS dija_restore_readonly_probe")
        cur.execute("CREATE TABLE IF NOT EXISTS dija_restore_readonly_probe.t (x INT)")
    assert grants == [
        "GRANT ALL PRIVILEGES ON `dija\\_restore\\_%`.*",
        "GRANT PROCESS ON *.*",
        "GRANT SELECT ON `dija_shop`.*",
    ]
    for name in DATA_CHECKS:  # every data check passed as that user
        assert_outcome(healthy[name], "pass")
    database = ReadOnlyDatabase.connect(config.load(demo.config_path).database)
    try:
        with pytest.raises(pymysql.MySQLError, match="INSERT command denied"):
            database.execute("INSERT INTO orders (order_number, email) VALUES ('DJ-NEVER', 'x@example.com')")
        # even where the user may write (the restore scratch databases), the session refuses to
        with pytest.raises(pymysql.MySQLError, match="READ ONLY transaction"):
            database.execute("INSERT INTO dija_restore_readonly_probe.t VALUES (1)")
    finally:
        database.close()
        with demo.db_root() as conn, conn.cursor() as cur:
            cur.execute("DROP DATABASE dija_restore_readonly_probe")
