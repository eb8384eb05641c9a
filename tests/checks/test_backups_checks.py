import datetime as dt

import pytest

from runner.clients import backups
from tests.checks.backup_layouts import FLAT_SETTINGS, flat_layout, mirror, months_back, newest_demo_backup, place
from tests.checks.conftest import assert_outcome

MODULE = "checks/test_backups.py"
RPO = f"{MODULE}::test_backups_within_rpo"
RESTORE = f"{MODULE}::test_restore_newest_full_backup"
RETENTION = f"{MODULE}::test_monthly_backups_retained"
CHECKS = (
    "test_backups_within_rpo",
    "test_backups_intact_and_encrypted",
    "test_restore_newest_full_backup",
    "test_offsite_copy_present",
    "test_monthly_backups_retained",
)


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
    assert healthy["test_monthly_backups_retained"]["measurements"]["months_covered"] == 12
    assert scratch_databases(demo) == []


@pytest.mark.parametrize(
    "data_class, rpo", [("orders", "15 min"), ("customers", "60 min"), ("products", "60 min"), ("full", "24.0 h")]
)
def test_rpo_check_fails_when_a_class_backup_is_stale(check_runner, fault, data_class, rpo):
    fault(f"stale_backup_{data_class}")
    assert_outcome(
        check_runner.one(RPO), "fail", f"{data_class}: newest backup {data_class}", f"3.0 days old > RPO {rpo}"
    )


def test_the_deploy_gate_wants_a_full_backup_from_shortly_before_the_deploy(check_runner, fault):
    gate, name = f"{MODULE}::test_backup_taken_before_the_deploy", "test_backup_taken_before_the_deploy"
    assert_outcome(check_runner.one(gate), "skipped", "only in the deploy gate")
    assert_outcome(check_runner.run(gate, "--backup-within", "60")[name], "pass")
    fault("stale_backup_full")
    assert_outcome(
        check_runner.run(gate, "--backup-within", "60")[name],
        "fail",
        "newest backup full",
        "3.0 days old when the deploy started > 60 min (--backup-within)",
    )


def test_integrity_fails_on_corrupt_backup(check_runner, fault):
    fault("corrupt_backup")
    results = check_runner.run(MODULE)
    assert_outcome(results["test_backups_intact_and_encrypted"], "fail", "full", "checksum mismatch")
    assert_outcome(results["test_restore_newest_full_backup"], "fail", "cannot decrypt")


def test_integrity_fails_on_unencrypted_backup(check_runner, fault):
    fault("unencrypted_backup")
    results = check_runner.run(MODULE)
    assert_outcome(results["test_backups_intact_and_encrypted"], "fail", "full", "unencrypted backup (plain gzip)")


def test_restore_fails_on_truncated_backup_and_still_drops_its_scratch_database(check_runner, fault, demo):
    fault("truncated_backup")
    results = check_runner.run(MODULE)
    assert_outcome(
        results["test_restore_newest_full_backup"],
        "fail",
        "restore of full",
        "into dija_restore_",
        "dump ends in the middle of a statement",
    )
    assert_outcome(results["test_backups_intact_and_encrypted"], "fail", "dump incomplete")
    assert scratch_databases(demo) == []


def test_retention_fails_when_a_month_is_missing(check_runner, fault):
    fault("missing_month")
    assert_outcome(
        check_runner.one(f"{MODULE}::test_monthly_backups_retained"),
        "fail",
        "no full backup for 20",
        "(one per month for 12 months, this one included",
    )


def test_offsite_check_fails_when_copy_missing(check_runner, fault):
    fault("missing_offsite")
    assert_outcome(check_runner.one(f"{MODULE}::test_offsite_copy_present"), "fail", "offsite copy missing: full")


def flat_config(check_runner, root, **extra):
    return check_runner.variant(
        backups={"dir": str(root / "backups"), "offsite_dir": str(root / "offsite"), **FLAT_SETTINGS, **extra}
    )


def test_backup_checks_pass_on_classes_side_by_side_with_monthly_fulls_in_a_subfolder(check_runner, demo, tmp_path):
    now = dt.datetime.now(dt.UTC)
    mirror(flat_layout(demo, tmp_path / "backups", now), tmp_path / "offsite")
    results = check_runner.run(MODULE, config=flat_config(check_runner, tmp_path), state_dir=tmp_path / "state")
    for name in CHECKS:
        assert_outcome(results[name], "pass")
    assert results["test_backups_intact_and_encrypted"]["measurements"]["verified_backups"] == 5
    assert results["test_monthly_backups_retained"]["measurements"]["months_retained"] == 12


def test_a_class_named_as_the_start_of_another_does_not_take_its_files(check_runner, demo, tmp_path):
    now = dt.datetime.now(dt.UTC)
    root = flat_layout(demo, tmp_path / "backups", now)
    stale = now - dt.timedelta(days=3)
    (root / f"full-{now:%Y%m%d-%H%M}.sql.gz.enc").unlink()
    place(newest_demo_backup(demo, "full"), root / f"full-{stale:%Y%m%d-%H%M}.sql.gz.enc", stale)
    config = flat_config(check_runner, tmp_path, file_pattern="**/{data_class}*.sql.gz.enc")
    assert_outcome(
        check_runner.one(RPO, config=config),
        "fail",
        f"full: newest backup full-{stale:%Y%m%d-%H%M}.sql.gz.enc is 3.0 days old > RPO 24.0 h",
    )


def test_retention_names_a_missing_month_in_a_subfolder_layout(check_runner, demo, tmp_path):
    now = dt.datetime.now(dt.UTC)
    root = flat_layout(demo, tmp_path / "backups", now)
    gone = months_back(now, 2)
    (root / "monthly" / f"full-{gone:%Y%m}.sql.gz.enc").unlink()
    record = check_runner.one(RETENTION, config=flat_config(check_runner, tmp_path), state_dir=tmp_path / "state")
    assert_outcome(record, "fail", f"no full backup for {gone:%Y-%m} in ")
    assert record["measurements"]["months_retained"] == 11


def test_retention_of_a_young_shop_demands_only_the_months_since_its_first_backup(check_runner, demo, tmp_path):
    now = dt.datetime.now(dt.UTC)
    root = flat_layout(demo, tmp_path / "backups", now, monthly=2)
    state = tmp_path / "state"
    config = flat_config(check_runner, tmp_path)
    record = check_runner.one(RETENTION, config=config, state_dir=state)
    assert_outcome(record, "pass")
    covered = len(backups.months_to_keep(now, 12, f"{months_back(now, 2):%Y-%m}", dt.timedelta(days=1)))
    assert record["measurements"]["months_covered"] == record["measurements"]["months_retained"] == covered
    oldest = months_back(now, 2)
    (root / "monthly" / f"full-{oldest:%Y%m}.sql.gz.enc").unlink()  # seen on the run before: still demanded
    assert_outcome(
        check_runner.one(RETENTION, config=config, state_dir=state),
        "fail",
        f"no full backup for {oldest:%Y-%m} in ",
        f"backups since {oldest:%Y-%m}",
    )
