"""Backups: recent enough, readable, encrypted, restorable, copied offsite and kept month by month."""

import datetime as dt
import logging
import secrets
import time

import pymysql
import pytest

from runner.clients import backups
from runner.clients.database import ScratchDatabase, describe, identifier
from runner.pytest_plugin import configured
from runner.units import minutes_text

pytestmark = pytest.mark.area("backups")

log = logging.getLogger(__name__)
LEFTOVER_AFTER_HOURS = 6  # an older scratch database is a leftover of an interrupted restore test
STAMP = "%Y%m%d%H%M%S"


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("backups")
def test_backups_within_rpo(settings, measure):
    """The newest backup of each data class is younger than its recovery point objective: a crash now loses at most that much."""
    section = configured(settings, "backups")
    problems = []
    for data_class, rpo_minutes in section.rpo_minutes.items():
        newest = backups.newest(section, data_class)
        if newest is None:
            problems.append(
                f"{data_class}: no backup in {section.dir / section.file_pattern.format(data_class=data_class)}"
            )
            continue
        age_minutes = (time.time() - newest.mtime) / 60
        measure(**{f"age_minutes[{data_class}]": age_minutes})
        if age_minutes > rpo_minutes:
            problems.append(
                f"{data_class}: newest backup {newest.label} is {minutes_text(age_minutes)} old "
                f"> RPO {minutes_text(rpo_minutes)}"
            )
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("backups")
@pytest.mark.smoke
def test_backup_taken_before_the_deploy(settings, deploy_since, backup_within, measure):
    """A full backup was taken shortly before the deploy (the deploy gate, --backup-within): a rollback needs it."""
    if backup_within is None:
        pytest.skip("only in the deploy gate (dija-monitor verify --backup-within)")
    section = configured(settings, "backups")
    started = deploy_since.timestamp() if deploy_since else time.time()
    classes = section.deploy_data_classes or [section.full_data_class]
    found = [b for data_class in classes if (b := backups.newest(section, data_class)) is not None]
    newest = max(found, key=lambda b: b.mtime, default=None)
    assert newest is not None, f"no {' or '.join(classes)} backup in {section.dir}"
    age_minutes = (started - newest.mtime) / 60
    measure(backup_age_at_deploy_minutes=age_minutes)
    assert age_minutes <= backup_within, (
        f"newest backup {newest.label} was {minutes_text(age_minutes)} old when the deploy started "
        f"> {minutes_text(backup_within)} (--backup-within): take a backup before deploying"
    )


@pytest.mark.cadence("daily")
@pytest.mark.severity("critical")
@pytest.mark.runbook("backups")
def test_backups_intact_and_encrypted(settings, measure):
    """The newest backup of each data class matches its checksum, decrypts to a complete SQL dump and is encrypted: a backup that cannot be read is no backup."""
    section = configured(settings, "backups")
    key = _key(section)
    problems, verified = [], 0
    for data_class in section.rpo_minutes:
        newest = backups.newest(section, data_class)
        if newest is None:
            continue  # test_backups_within_rpo names it
        problem = _integrity_problem(newest, key)
        if problem:
            problems.append(f"{newest.label}: {problem}")
        else:
            verified += 1
    measure(verified_backups=verified)
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("monthly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("backups")
@pytest.mark.shop_data(from_config="backups.restore_tables")
def test_restore_newest_full_backup(settings, shop, measure):
    """The newest full backup restores into a scratch database with the live row counts: restoring is the only proof a backup works."""
    section = configured(settings, "backups")
    full = backups.newest(section, section.full_data_class)
    assert full is not None, f"no {section.full_data_class} backup to restore in {section.dir}"
    try:
        sql = backups.read_sql(full.path, _key(section))
    except backups.ArchiveError as exc:
        pytest.fail(f"restore of {full.label} impossible: {exc}")
    tables = {t: shop.mapping.table(t) for t in section.restore_tables if shop.mapping.has_table(t)}
    live = {table: shop.value("live_row_count", f"SELECT COUNT(*) FROM {{{table}}}") for table in tables}
    restored = _restore_and_count(settings.database, section, full, sql, list(tables.values()), measure)
    tolerance = settings.thresholds.restore_row_tolerance_percent
    problems = [
        _count_problem(physical, live[table], restored[physical], tolerance) for table, physical in tables.items()
    ]
    problems = [p for p in problems if p]
    assert not problems, f"restored {full.label}: " + "; ".join(problems)


@pytest.mark.cadence("daily")
@pytest.mark.severity("warning")
@pytest.mark.runbook("backups")
def test_offsite_copy_present(settings, measure):
    """The newest full backup has an identical copy offsite: a lost server must not take the backups with it."""
    section = configured(settings, "backups")
    if section.offsite_dir is None:
        pytest.skip(f"not configured: no backups.offsite_dir in {settings.source}")
    full = backups.newest(section, section.full_data_class)
    assert full is not None, f"no {section.full_data_class} backup in {section.dir} to look for offsite"
    # the same layout as backups.dir, or all files in one folder
    copy = next(
        (p for p in (section.offsite_dir / full.label, section.offsite_dir / full.path.name) if p.is_file()), None
    )
    assert copy is not None, f"offsite copy missing: {full.label} not in {section.offsite_dir}"
    measure(offsite_age_minutes=(time.time() - copy.stat().st_mtime) / 60)
    expected = backups.recorded_checksum(full.path) or backups.sha256_of(full.path)
    assert backups.sha256_of(copy) == expected, f"offsite copy differs: {copy} does not match {full.label}'s checksum"


@pytest.mark.cadence("monthly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("backups")
def test_monthly_backups_retained(settings, state, measure):
    """A full backup is kept for this month and each of the months before it within the retention period: old data can be recovered after a late-noticed loss."""
    section = configured(settings, "backups")
    everything = backups.all_backups(section)
    assert everything, f"no backup at all in {section.dir}"
    since = _first_month(state, section, backups.month_of(everything[0]))
    full_due = dt.timedelta(minutes=section.rpo_minutes.get(section.full_data_class, 1440))
    months = backups.months_to_keep(dt.datetime.now(dt.UTC), section.retention_months, since, full_due)
    kept = {backups.month_of(b) for b in backups.backups_of(section, section.full_data_class)}
    missing = [m for m in months if m not in kept]
    measure(months_covered=len(months), months_retained=len(months) - len(missing))
    assert not missing, (
        f"no {section.full_data_class} backup for {', '.join(missing)} in {section.dir} "
        f"(one per month for {section.retention_months} months, this one included; "
        f"backups since {since})"
    )


def _first_month(state, section, oldest_now: str) -> str:
    """The shop's first backup month: the oldest seen now or on an earlier run (backups since deleted
    are still demanded). Months before it are not demanded: a young shop cannot have them."""
    remembered = state.load()
    if remembered.get("dir") == str(section.dir):
        oldest_now = min(oldest_now, remembered.get("first_month") or oldest_now)
    state.save({"dir": str(section.dir), "first_month": oldest_now})
    return oldest_now


def _key(section):
    key = section.secret("key")
    if key is None:
        pytest.skip("not configured: no backups.key_env, the backups cannot be decrypted")
    return key


def _integrity_problem(backup, key) -> str | None:
    recorded = backups.recorded_checksum(backup.path)
    if recorded is None:
        return "no checksum file"
    actual = backups.sha256_of(backup.path)
    if actual != recorded:
        return f"checksum mismatch (sha256 {actual[:12]}… ≠ recorded {recorded[:12]}…)"
    try:
        sql = backups.read_sql(backup.path, key)
    except backups.ArchiveError as exc:
        return str(exc)
    if backups.is_incomplete(sql):
        return "dump incomplete (no '-- Dump completed' line at the end)"
    return None


def _restore_and_count(
    database_section, section, full, sql: bytes, tables: list[str], measure
) -> dict[str, int | None]:
    """Restore into a fresh scratch database, count the rows, and always drop it again."""
    database_section = _database_section(database_section)
    scratch = ScratchDatabase.connect(database_section)
    name = f"{section.restore_database_prefix}{dt.datetime.now(dt.UTC).strftime(STAMP)}_{secrets.token_hex(3)}"
    try:
        _drop_leftovers(scratch, section.restore_database_prefix)
        started = time.perf_counter()
        try:
            statements = backups.restore(scratch, name, sql)
        except (backups.ArchiveError, pymysql.MySQLError) as exc:
            reason = describe(exc).split(" near ")[0] if isinstance(exc, pymysql.MySQLError) else str(exc)
            pytest.fail(f"restore of {full.label} into {name} failed: {reason}")
        measure(restore_seconds=time.perf_counter() - started, restored_statements=statements)
        return {table: _count(scratch, name, table) for table in tables}
    finally:
        scratch.close()  # ends the restore's session: its LOCK TABLES would block the DROP
        _drop(database_section, name)


def _drop(database_section, name: str) -> None:
    cleaner = ScratchDatabase.connect(database_section)
    try:
        cleaner.execute(f"DROP DATABASE IF EXISTS {identifier(name)}")
    finally:
        cleaner.close()


def _database_section(database_section):
    if database_section is None:
        pytest.skip("not configured: the restore test needs the [database] section's server")
    return database_section


def _drop_leftovers(scratch, prefix: str) -> None:
    pattern = prefix.replace("_", r"\_") + "%"
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(hours=LEFTOVER_AFTER_HOURS)
    for row in scratch.rows("SHOW DATABASES LIKE %s", (pattern,)):
        name = next(iter(row.values()))
        try:
            made = dt.datetime.strptime(name[len(prefix) :].split("_")[0], STAMP).replace(tzinfo=dt.UTC)
        except ValueError:
            continue  # not one of ours
        if made < cutoff:
            log.warning("dropping scratch database %s left by an interrupted restore test", name)
            scratch.execute(f"DROP DATABASE IF EXISTS {identifier(name)}")


def _count(scratch, database: str, table: str) -> int | None:
    try:
        return scratch.value(f"SELECT COUNT(*) FROM {identifier(database)}.{identifier(table)}")
    except pymysql.MySQLError:
        return None  # the table is not in the backup


def _count_problem(table: str, live: int, restored: int | None, tolerance_percent: float) -> str | None:
    if restored is None:
        return f"table {table} missing"
    allowed = live * tolerance_percent / 100
    if abs(restored - live) > allowed:
        return f"{table} has {restored} rows, live {live} (more than {tolerance_percent:g} % apart)"
    return None
