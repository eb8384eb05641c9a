"""Faults of files in the web root: a dated dump served while unknown paths answer 200, an archive
the server refuses. Off removes exactly what on wrote."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import shutil
import zipfile

from demoshop import mariadb
from demoshop.faults.kinds import Fault

DUMP_TEXT = (
    f"-- MariaDB dump 10.19  Distrib 10.11.6-MariaDB, for debian-linux-gnu (x86_64)\n--\n"
    f"-- Host: 127.0.0.1    Database: {mariadb.DB_NAME}\n"
    "-- ------------------------------------------------------\n"
    "CREATE TABLE `customers` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `email` varchar(190) NOT NULL,\n"
    "  PRIMARY KEY (`id`)\n);\nINSERT INTO `customers` VALUES (1,'ada@example.test');\n"
)
REFUSED_FOLDER = "site-backups"


def dump_name(day: dt.date) -> str:
    """How a hurried export is named: the database and the day."""
    return f"{mariadb.DB_NAME}-{day:%Y-%m-%d}.sql.gz"


def dated_dump_fault(name: str, description: str) -> Fault:
    def on(stack) -> None:
        day = dt.datetime.now(dt.UTC).date()
        (stack.run_dir / "www" / dump_name(day)).write_bytes(gzip.compress(DUMP_TEXT.encode(), mtime=0))

    def off(stack) -> None:
        for path in (stack.run_dir / "www").glob(f"{mariadb.DB_NAME}-*.sql.gz"):
            path.unlink()

    return Fault(name, description, on=on, off=off)


def refused_archive_fault(name: str, description: str) -> Fault:
    def on(stack) -> None:
        folder = stack.run_dir / "www" / REFUSED_FOLDER
        folder.mkdir()
        (folder / ".htaccess").write_text("Require all denied\n")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("www/index.php", "<?php\n")
        (folder / f"site-{dt.datetime.now(dt.UTC):%Y}.zip").write_bytes(archive.getvalue())

    def off(stack) -> None:
        shutil.rmtree(stack.run_dir / "www" / REFUSED_FOLDER, ignore_errors=True)

    return Fault(name, description, on=on, off=off)
