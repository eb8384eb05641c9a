import pytest

from tests.checks.conftest import assert_outcome

MODULE = "checks/test_backups.py"
RPO = f"{MODULE}::test_backups_within_rpo"
RESTORE = f"{MODULE}::test_restore_newest_full_backup"
CHECKS = ("test_backups_within_rpo", "test_backups_intact_and_encrypted", "test_restore_newest_full_backup",
          "test_offsite_copy_present", "test_monthly_backups_retained")


def scratch_databases(demo) -> list[str]:
    with demo.db_root() as conn, conn.cursor() as cur:
        cur.execute(r"SHOW DATABASES LIKE 'dija\_restore\_%'")
        return [row[0] for row in cur.fetchall()]


def test_backup_checks_pass_on_healthy_demo_and_leave_no_scratch_database(healthy, demo):
    for name in CHECKS:
        assert_outcome(healthy[name], "pass")
    assert healthy["test_backups_within_rpo"]["measurements"]["age_minutes[orders]"] < 15
    assert healthy["test_backups_intact_and_encrypted"]["measurements"]["verified_backups"] == 4
    assert healthy["test_restore_newest_full_backup"]["measurements"]["restored_statements"] > 0
    assert healthy["test_monthly_backups_retained"]["measurements"]["months_retained"] == 12
    assert scratch_databases(demo) == []


@pytest.mark.parametrize("data_class, rpo", [("orders", "15 min"), ("customers", "60 min"),
                                             ("products", "60 min"), ("full", "24.0 h")])
def test_rpo_check_fails_when_a_class_backup_is_stale(check_runner, fault, data_class, rpo):
    fault(f"stale_backup_{data_class}")
    assert_outcome(check_runner.one(RPO), "fail", f"{data_class}: newest backup {data_class}/", f"3.0 days old > RPO {rpo}")


def test_integrity_fails_on_corrupt_backup(check_runner, fault):
    fault("corrupt_backup")
    results = check_runner.run(MODULE)
    assert_outcome(results["test_backups_intact_and_encrypted"], "fail", "full/", "checksum mismatch")
    assert_outcome(results["test_restore_newest_full_backup"], "fail", "cannot decrypt")


def test_integrity_fails_on_unencrypted_backup(check_runner, fault):
    fault("unencrypted_backup")
    results = check_runner.run(MODULE)
    assert_outcome(results["test_backups_intact_and_encrypted"], "fail", "full/", "unencrypted backup (plain gzip)")


def test_restore_fails_on_truncated_backup_and_still_drops_its_scratch_database(check_runner, fault, demo):
    fault("truncated_backup")
    results = check_runner.run(MODULE)
    assert_outcome(results["test_restore_newest_full_backup"], "fail", "restore of full/", "into dija_restore_",
                   "dump ends in the middle of a statement")
    assert_outcome(results["test_backups_intact_and_encrypted"], "fail", "dump incomplete")
    assert scratch_databases(demo) == []


def test_retention_fails_when_a_month_is_missing(check_runner, fault):
    fault("missing_month")
    assert_outcome(check_runner.one(f"{MODULE}::test_monthly_backups_retained"), "fail",
                   "no full backup for 20", "(one per month for 12 months)")


def test_offsite_check_fails_when_copy_missing(check_runner, fault):
    fault("missing_offsite")
    assert_outcome(check_runner.one(f"{MODULE}::test_offsite_copy_present"), "fail", "offsite copy missing: full/")
