"""The shop's backup files: find them per data class, verify checksums, read and restore them.

A backup is `backups.dir / file_pattern` (default `<class>/<stamp>.sql.gz.enc`; `**` for any
folders, e.g. `**/<class>-*.sql.gz.enc`): an SQL dump,
gzipped, encrypted with Fernet (key in backups.key_env), with a sha256sum-format `<file>.sha256`.

The restore goes through PyMySQL rather than the `mariadb` client binary: the monitor host needs
no client package, the password never reaches a command line or a file, the scratch database's
create/drop share the same session, and errors arrive as exceptions with codes. The splitter
below handles what mysqldump/mariadb-dump write (one statement per line end, DELIMITER blocks).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from runner.clients.database import identifier
from runner.errors import MonitorError

GZIP_MAGIC = b"\x1f\x8b"
SQL_STARTS = (b"--", b"/*", b"CREATE ", b"INSERT ", b"DROP ", b"SET ", b"LOCK ")
DUMP_HEADER = re.compile(rb"^-- (MariaDB|MySQL) dump", re.M)
DUMP_TRAILER = b"-- Dump completed"
SKIPPED_STATEMENT = re.compile(r"^(USE\s|CREATE\s+DATABASE\b|DROP\s+DATABASE\b|/\*!\d+\s+DROP\s+DATABASE\b)", re.I)
DEFINER = re.compile(r"(/\*!50017 )?DEFINER=`[^`]*`@`[^`]*`( ?\*/)?")


class ArchiveError(MonitorError):
    """A backup file cannot be read as an encrypted, compressed SQL dump."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    label: str  # the path below backups.dir, for messages
    mtime: float


def backups_of(section, data_class: str) -> list[BackupFile]:
    """The data class's backup files, oldest first (by modification time).

    `file_pattern` may hold `**` (any depth of folders). Files that also match a longer class whose
    name starts with this one (`full_weekly` for `full`) belong to that class, not this one."""
    files = _matching(section, data_class)
    for other in _classes(section):
        if other != data_class and other.startswith(data_class):
            files -= _matching(section, other)
    found = [BackupFile(p, str(p.relative_to(section.dir)), p.stat().st_mtime) for p in files]
    return sorted(found, key=lambda b: b.mtime)


def _matching(section, data_class: str) -> set[Path]:
    pattern = section.file_pattern.format(data_class=data_class)
    return {p for p in section.dir.glob(pattern) if p.is_file() and not p.name.endswith(".sha256")}


def _classes(section) -> set[str]:
    return {*section.rpo_minutes, section.full_data_class}


def all_backups(section) -> list[BackupFile]:
    """Every configured data class's backups, oldest first."""
    return sorted(
        (b for data_class in _classes(section) for b in backups_of(section, data_class)), key=lambda b: b.mtime
    )


def newest(section, data_class: str) -> BackupFile | None:
    found = backups_of(section, data_class)
    return found[-1] if found else None


def month_of(backup: BackupFile) -> str:
    return dt.datetime.fromtimestamp(backup.mtime, dt.UTC).strftime("%Y-%m")


def months_to_keep(now: dt.datetime, count: int, since: str, due_after: dt.timedelta) -> list[str]:
    """The months ("2026-07") that must each hold a full backup, newest first: the current month and
    the `count - 1` before it, none before `since` (the shop's first backup month). The current month
    counts only once a backup was due in it (`due_after` past its first instant)."""
    year, month, months = now.year, now.month, []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    start_of_month = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if months and now - start_of_month < due_after:
        months.pop(0)
    return [m for m in months if m >= since]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def recorded_checksum(path: Path) -> str | None:
    """The hex digest in `<file>.sha256` (sha256sum format), or None when there is no such file."""
    try:
        text = path.with_name(path.name + ".sha256").read_text().strip()
    except FileNotFoundError:
        return None
    return text.split()[0].lower() if text else ""


def read_sql(path: Path, key) -> bytes:
    """Decrypt and gunzip a backup; ArchiveError says why it is not a readable encrypted SQL dump."""
    blob = path.read_bytes()
    if blob.startswith(GZIP_MAGIC):
        raise ArchiveError("unencrypted backup (plain gzip)")
    if blob.lstrip().startswith(SQL_STARTS):
        raise ArchiveError("unencrypted backup (plain SQL)")
    try:
        fernet = Fernet(key.reveal().encode())
    except ValueError:
        raise MonitorError("backups.key_env does not hold a valid Fernet key") from None
    try:
        compressed = fernet.decrypt(blob)
    except InvalidToken:
        raise ArchiveError("cannot decrypt (damaged file or wrong key)") from None
    try:
        sql = gzip.decompress(compressed)
    except (OSError, EOFError) as exc:
        raise ArchiveError(f"decrypted but not readable gzip ({exc})") from None
    if b"CREATE TABLE" not in sql and b"INSERT INTO" not in sql:
        raise ArchiveError("does not look like an SQL dump (no CREATE TABLE or INSERT INTO)")
    return sql


def is_incomplete(sql: bytes) -> bool:
    """A dump with mysqldump's header comment but not its closing line was cut off."""
    return bool(DUMP_HEADER.search(sql[:4096])) and DUMP_TRAILER not in sql[-4096:]


def statements(sql: str):
    """The dump's statements, one at a time; database switches and DEFINER clauses left out."""
    delimiter, buffer = ";", []
    for line in sql.splitlines():
        if not buffer and (not line.strip() or line.startswith("--") or line.startswith("/*M!999999")):
            continue
        if not buffer and line.startswith("DELIMITER "):
            delimiter = line.split(None, 1)[1].strip()
            continue
        buffer.append(line)
        if line.rstrip().endswith(delimiter):
            statement = "\n".join(buffer).rstrip()[: -len(delimiter)].strip()
            buffer = []
            if statement and not SKIPPED_STATEMENT.match(statement):
                yield DEFINER.sub("", statement)
    if any(line.strip() for line in buffer):
        raise ArchiveError("dump ends in the middle of a statement (truncated)")


def restore(scratch, database: str, sql: bytes) -> int:
    """Create `database` and run the dump in it; return how many statements ran."""
    quoted = identifier(database)
    scratch.execute(f"CREATE DATABASE {quoted}")
    scratch.execute(f"USE {quoted}")
    count = 0
    for statement in statements(sql.decode("utf-8", errors="replace")):
        scratch.execute(statement)
        count += 1
    return count
