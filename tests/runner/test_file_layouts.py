"""File layouts from config: heartbeat and backup name patterns, the backup finder, retention months."""

import datetime as dt
import os

import pytest

from runner import config
from runner.clients import backups
from runner.errors import ConfigError

UTC = dt.UTC
DAY = dt.timedelta(days=1)


def load(tmp_path, section: str):
    path = tmp_path / "monitor.toml"
    path.write_text(f'[site]\nbase_url = "https://shop.example"\n{section}')
    return config.load(path, environ={})


def problems(tmp_path, section: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, section)
    return caught.value.problems


def test_patterns_default_to_the_demo_layout(tmp_path):
    settings = load(tmp_path, '[server]\n[backups]\ndir = "b"\n')
    assert settings.server.heartbeat_pattern == "{job}"
    assert settings.backups.file_pattern == "{data_class}/*.sql.gz.enc"


@pytest.mark.parametrize(
    "value, problem",
    [
        ("backup.last", "must contain {job} (got 'backup.last')"),
        ("{job}-{host}", "only {job} may stand in braces"),
        ("/var/{job}", "must be relative to its folder"),
        ("../{job}", "must be relative to its folder"),
    ],
)
def test_a_heartbeat_pattern_without_its_placeholder_is_named(tmp_path, value, problem):
    found = problems(tmp_path, f'[server]\nheartbeat_pattern = "{value}"\n')
    assert len(found) == 1 and found[0].startswith(f"server.heartbeat_pattern: {problem}")


def test_a_backup_pattern_without_its_placeholder_is_named(tmp_path):
    found = problems(tmp_path, '[backups]\ndir = "b"\nfile_pattern = "**/*.sql.gz.enc"\n')
    assert found == ["backups.file_pattern: must contain {data_class} (got '**/*.sql.gz.enc')"]


def touch(path, when=None):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    if when:
        os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def test_finder_searches_nested_folders_and_leaves_a_longer_class_its_files(tmp_path):
    settings = load(
        tmp_path,
        f'[backups]\ndir = "{tmp_path}"\nfile_pattern = "**/{{data_class}}*.sql.gz.enc"\n'
        "rpo_minutes = { full = 1440, full_weekly = 10080 }\n",
    )
    old = dt.datetime(2026, 11, 1, 2, tzinfo=UTC)
    touch(tmp_path / "monthly" / "full-202611.sql.gz.enc", old)
    touch(tmp_path / "full-20261202.sql.gz.enc")
    touch(tmp_path / "full-20261202.sql.gz.enc.sha256")
    touch(tmp_path / "full_weekly-20261129.sql.gz.enc")
    found = [b.label for b in backups.backups_of(settings.backups, "full")]
    assert found == ["monthly/full-202611.sql.gz.enc", "full-20261202.sql.gz.enc"]
    assert [b.label for b in backups.backups_of(settings.backups, "full_weekly")] == ["full_weekly-20261129.sql.gz.enc"]
    assert len(backups.all_backups(settings.backups)) == 3


def test_months_to_keep_are_this_month_and_the_ones_before():
    now = dt.datetime(2026, 3, 15, tzinfo=UTC)
    assert backups.months_to_keep(now, 4, "2000-01", DAY) == ["2026-03", "2026-02", "2026-01", "2025-12"]
    assert backups.months_to_keep(now, 0, "2000-01", DAY) == []


def test_months_before_the_first_backup_are_not_demanded():
    now = dt.datetime(2026, 3, 15, tzinfo=UTC)
    assert backups.months_to_keep(now, 12, "2026-01", DAY) == ["2026-03", "2026-02", "2026-01"]


def test_this_month_is_demanded_only_once_a_full_backup_was_due_in_it():
    early = dt.datetime(2026, 3, 1, 5, tzinfo=UTC)
    assert backups.months_to_keep(early, 3, "2000-01", DAY) == ["2026-02", "2026-01"]
    assert backups.months_to_keep(early + DAY, 3, "2000-01", DAY) == ["2026-03", "2026-02", "2026-01"]
