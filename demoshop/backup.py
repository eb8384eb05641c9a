"""The demo backup job: mysqldump -> gzip -> Fernet, per data class, with checksums and an offsite copy.

Files (default shape): RUN/backups/<class>/<UTC stamp>.sql.gz.enc + .sha256; the alt shape keeps
RUN/backups/<class>-<YYYYmmdd-HHMM>.sql.gz.enc side by side and monthly/full-<YYYYmm>.sql.gz.enc.
Everything is copied to RUN/offsite/ in the same layout; plus 12 older monthly full backups
(mtime set back) so the retention check has a year to look at.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cryptography.fernet import Fernet

from demoshop import mariadb
from demoshop.errors import DemoError
from demoshop.shapes import DEFAULT, Shape

CLASSES = {
    "full": [],
    "orders": ["orders", "order_items", "payments", "webhook_events"],
    "customers": ["customers", "sessions", "abandoned_carts", "email_queue"],
    "products": ["products", "testimonials", "banners"],
}


def dump(run_dir: Path, tables: list[str]) -> bytes:
    cmd = [
        "mariadb-dump",
        "--no-defaults",
        f"--socket={mariadb.paths(run_dir)['socket']}",
        "-uroot",
        "--single-transaction",
        "--skip-dump-date",
        mariadb.DB_NAME,
        *tables,
    ]
    result = subprocess.run(cmd, capture_output=True, timeout=60)
    if result.returncode != 0:
        raise DemoError(f"mariadb-dump failed: {result.stderr.decode(errors='replace').strip()[:300]}")
    return result.stdout


def write_backup(path: Path, blob: bytes, when: dt.datetime | None = None) -> Path:
    """Write the backup and its sha256sum-format .sha256 file; set both mtimes to `when`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    checksum = path.with_name(f"{path.name}.sha256")
    checksum.write_text(f"{hashlib.sha256(blob).hexdigest()}  {path.name}\n")
    if when is not None:
        for file in (path, checksum):
            os.utime(file, (when.timestamp(), when.timestamp()))
    return path


def run_backup(run_dir: Path, key: str, shape: Shape = DEFAULT, now: dt.datetime | None = None) -> list[Path]:
    """One backup run of every data class, mirrored offsite; return the backup files written."""
    now = now or dt.datetime.now(dt.UTC)
    fernet = Fernet(key.encode())
    with ThreadPoolExecutor(max_workers=4) as pool:
        dumps = dict(
            zip(CLASSES, pool.map(lambda tables: dump(run_dir, [shape.table(t) for t in tables]), CLASSES.values()))
        )
    written = []
    for name, sql in dumps.items():
        blob = fernet.encrypt(gzip.compress(sql, compresslevel=6))
        written.append(write_backup(run_dir / "backups" / shape.backup_file(name, now), blob))
    written += _monthly(run_dir, fernet.encrypt(gzip.compress(dumps["full"], compresslevel=6)), now, shape)
    _mirror(run_dir / "backups", run_dir / "offsite")
    return written


def _monthly(run_dir: Path, blob: bytes, now: dt.datetime, shape: Shape) -> list[Path]:
    """Twelve monthly full backups, taken at 02:00 on the 1st of each of the previous months."""
    written = []
    year, month = now.year, now.month
    for _ in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        when = dt.datetime(year, month, 1, 2, 0, tzinfo=dt.UTC)
        written.append(write_backup(run_dir / "backups" / shape.backup_file("full", when, monthly=True), blob, when))
    return written


def _mirror(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
