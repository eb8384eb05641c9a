"""Each operations fault that changes files puts back exactly what it changed: content, mode, mtime."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from demoshop.faults.catalog import FAULTS
from tests.demoshop.helpers import cron_held

WATCHED = ("backups", "offsite", "heartbeats", "www", "logs/php_errors.log", "logs/access.log")
FILE_FAULTS = sorted(name for name, fault in FAULTS.items() if fault.kind in ("file", "log")) + [
    "upload_webshell",
    "dated_dump_soft_404",
    "refused_archive",
]


def snapshot(demo) -> dict[str, tuple]:
    files = {}
    for watched in WATCHED:
        root = demo.run_dir / watched
        for path in [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file()):
            stat = path.stat()
            # a log keeps its inode (the shop appends to it) and its mtime moves with every write;
            # a restored backup is a new inode with the old mtime
            identity = stat.st_ino if watched.startswith("logs/") else stat.st_mtime
            files[str(path.relative_to(demo.run_dir))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                stat.st_mode,
                identity,
            )
    return files


def test_ops_file_faults_are_registered():
    assert {
        "stale_backup_orders",
        "corrupt_backup",
        "truncated_backup",
        "fatal_logged",
        "config_world_readable",
    } <= set(FILE_FAULTS)


@pytest.mark.parametrize("name", FILE_FAULTS)
def test_file_fault_changes_files_and_off_restores_them_exactly(demo, name):
    with cron_held(demo):
        before = snapshot(demo)
        demo.fault(name, True)
        try:
            assert snapshot(demo) != before, f"{name} changed nothing"
        finally:
            demo.fault(name, False)
        assert snapshot(demo) == before
    assert not (demo.run_dir / ".fault_stash" / name).exists()


def test_the_demo_cron_refreshes_backups_and_heartbeats_but_pauses_while_a_fault_is_on(demo):
    from demoshop import cron

    heartbeat = demo.run_dir / "heartbeats" / "backup"
    os.utime(heartbeat, (1, 1))
    demo.fault("stale_heartbeat", True)
    try:
        assert cron.tick(demo.run_dir) is False
    finally:
        demo.fault("stale_heartbeat", False)
    before = len(list((demo.run_dir / "backups" / "orders").glob("*.enc")))
    assert cron.tick(demo.run_dir) is True
    assert heartbeat.stat().st_mtime > time.time() - 60
    assert len(list((demo.run_dir / "backups" / "orders").glob("*.enc"))) >= before
