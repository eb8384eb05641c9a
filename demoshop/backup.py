"""The demo backup job: mysqldump -> gzip -> Fernet, per data class, with checksums and an offsite copy.

Files: RUN/backups/<class>/<UTC stamp>.sql.gz.enc + .sha256, copied to RUN/offsite/<class>/; plus 12
older monthly full backups (mtime set back) so the retention check has a year to look at.
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

CLASSES = {
    "full": [],
    "orders": ["orders", "order_items", "payments", "webhook_events"],
    "customers": ["customers", "sessions", "abandoned_carts", "email_queue"],
    "products": ["products", "testimonials", "banners"],
}
STAMP = "%Y%m%dT%H%M%SZ"


def dump(run_dir: Path, tables: list[str]) -> bytes:
    cmd = ["mariadb-dump", "--no-defaults", f"--socket={mariadb.paths(run_dir)['socket']}", "-uroot",
           "--single-transaction", "--skip-dump-date", mariadb.DB_NAME, *tables]
    result = subprocess.run(cmd, capture_output=True, timeout=60)
    if result.returncode != 0:
        raise DemoError(f"mariadb-dump failed: {result.stderr.decode(errors='replace').strip()[:300]}")
    return result.stdout


def write_backup(directory: Path, stamp: str, blob: bytes, when: dt.datetime | None = None) -> Path:
    """Write <stamp>.sql.gz.enc and its sha256sum-format .sha256 file; set both mtimes to `when`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stamp}.sql.gz.enc"
    path.write_bytes(blob)
    checksum = directory / f"{path.name}.sha256"
    checksum.write_text(f"{hashlib.sha256(blob).hexdigest()}  {path.name}\n")
    if when is not None:
        for file in (path, checksum):
            os.utime(file, (when.timestamp(), when.timestamp()))
    return path


def run_backup(run_dir: Path, key: str, now: dt.datetime | None = None) -> list[Path]:
    """One backup run of every data class, mirrored offsite; return the backup files written."""
    now = now or dt.datetime.now(dt.timezone.utc)
    fernet = Fernet(key.encode())
    with ThreadPoolExecutor(max_workers=4) as pool:
        dumps = dict(zip(CLASSES, pool.map(lambda tables: dump(run_dir, tables), CLASSES.values())))
    written = []
    for name, sql in dumps.items():
        blob = fernet.encrypt(gzip.compress(sql, compresslevel=6))
        written.append(write_backup(run_dir / "backups" / name, now.strftime(STAMP), blob))
    written += _monthly(run_dir, fernet.encrypt(gzip.compress(dumps["full"], compresslevel=6)), now)
    _mirror(run_dir / "backups", run_dir / "offsite")
    return written


def _monthly(run_dir: Path, blob: bytes, now: dt.datetime) -> list[Path]:
    """Twelve monthly full backups, taken at 02:00 on the 1st of each of the previous months."""
    written = []
    year, month = now.year, now.month
    for _ in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        when = dt.datetime(year, month, 1, 2, 0, tzinfo=dt.timezone.utc)
        written.append(write_backup(run_dir / "backups" / "full", when.strftime(STAMP), blob, when))
    return written


def _mirror(source: Path, target: Path) -> None:
    for path in source.rglob("*"):
        if path.is_file():
            copy = target / path.relative_to(source)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)


def new_key() -> str:
    return Fernet.generate_key().decode()
