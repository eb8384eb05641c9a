"""Backup folders laid out as other shops do, built from the demo's real backup files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

CLASSES = ("orders", "customers", "products", "full")


def newest_demo_backup(demo, data_class: str) -> Path:
    """The newest backup of a class that the demo's backup job wrote, in its shape's layout."""
    found = (demo.run_dir / "backups").glob(demo.shape.backup_glob(data_class))
    return sorted(found, key=lambda p: p.stat().st_mtime)[-1]


def place(source: Path, target: Path, when: dt.datetime) -> Path:
    """Copy a backup and its checksum file to `target`, both dated `when`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for src, dst in (
        (source, target),
        (source.with_name(source.name + ".sha256"), target.with_name(target.name + ".sha256")),
    ):
        shutil.copyfile(src, dst)
        os.utime(dst, (when.timestamp(), when.timestamp()))
    return target


def months_back(now: dt.datetime, count: int) -> dt.datetime:
    """02:00 UTC on the 1st of the month `count` months before `now`'s."""
    year, month = divmod(now.year * 12 + now.month - 1 - count, 12)
    return dt.datetime(year, month + 1, 1, 2, 0, tzinfo=dt.UTC)


def flat_layout(demo, root: Path, now: dt.datetime, monthly: int = 11) -> Path:
    """Classes side by side (`orders-20261202-1100.sql.gz.enc`), a `full_weekly` class whose name starts
    with `full`, and the monthly fulls in a subfolder (`monthly/full-202611.sql.gz.enc`)."""
    for data_class in CLASSES:
        place(newest_demo_backup(demo, data_class), root / f"{data_class}-{now:%Y%m%d-%H%M}.sql.gz.enc", now)
    place(newest_demo_backup(demo, "full"), root / f"full_weekly-{now:%Y%m%d}.sql.gz.enc", now)
    for count in range(1, monthly + 1):
        when = months_back(now, count)
        place(newest_demo_backup(demo, "full"), root / "monthly" / f"full-{when:%Y%m}.sql.gz.enc", when)
    return root


def mirror(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)  # copy2: the dates come along, as with rsync -a
    return target


FLAT_SETTINGS = {
    "file_pattern": "**/{data_class}-*.sql.gz.enc",
    "rpo_minutes": {"orders": 15, "customers": 60, "products": 60, "full": 1440, "full_weekly": 10080},
}
