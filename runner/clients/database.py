"""Read-only access to the shop's MariaDB/MySQL database.

Every session is `SET SESSION TRANSACTION READ ONLY`, so a check that tried to write would fail
at the server, whatever grants the configured user has. All SQL is parameterised; identifiers
that come from config go through `identifier()`.
"""

from __future__ import annotations

import re
import time

import pymysql
import pymysql.cursors

from runner.errors import MonitorError

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class DatabaseUnavailable(MonitorError):
    pass


def identifier(name: str) -> str:
    """A table or column name from config, checked against a strict pattern and quoted."""
    if not _IDENTIFIER.match(name):
        raise MonitorError(f"not a valid table/column name: {name!r}")
    return f"`{name}`"


class ReadOnlyDatabase:
    def __init__(self, connection: pymysql.connections.Connection):
        self.connection = connection

    @classmethod
    def connect(cls, section, read_timeout: float = 30) -> ReadOnlyDatabase:
        database = cls(_open(section, section.name, read_timeout))
        database.execute("SET SESSION TRANSACTION READ ONLY")
        return database

    def execute(self, sql: str, args=None) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)

    def rows(self, sql: str, args=None) -> list[dict]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, args)
            return list(cursor.fetchall())

    def value(self, sql: str, args=None):
        """The first column of the first row (None when there is no row)."""
        rows = self.rows(sql, args)
        return next(iter(rows[0].values())) if rows else None

    def timed_ping(self) -> float:
        """Milliseconds for a SELECT 1 round trip."""
        started = time.perf_counter()
        self.value("SELECT 1")
        return (time.perf_counter() - started) * 1000

    def status(self, name: str) -> int:
        row = self.rows("SHOW GLOBAL STATUS LIKE %s", (name,))
        return int(row[0]["Value"]) if row else 0

    def variable(self, name: str) -> str | None:
        row = self.rows("SHOW GLOBAL VARIABLES LIKE %s", (name,))
        return row[0]["Value"] if row else None

    def close(self) -> None:
        try:
            self.connection.close()
        except pymysql.MySQLError:
            pass


class ScratchDatabase(ReadOnlyDatabase):
    """A writable session with no default database, for the restore test's scratch databases only.

    The monitor user's grants confine its writes to those (the demo: ALL on `dija_restore_%`).
    """

    @classmethod
    def connect(cls, section, read_timeout: float = 300) -> ScratchDatabase:
        return cls(_open(section, None, read_timeout))


def _open(section, database: str | None, read_timeout: float) -> pymysql.connections.Connection:
    password = section.secret("password")
    try:
        return pymysql.connect(
            host=section.host,
            port=section.port,
            user=section.user,
            password=password.reveal() if password else "",
            database=database,
            connect_timeout=section.connect_timeout_seconds,
            read_timeout=read_timeout,
            autocommit=True,
            charset="utf8mb4",
            cursorclass=pymysql.cursors.DictCursor,
        )
    except pymysql.MySQLError as exc:
        raise DatabaseUnavailable(
            f"{section.user}@{section.host}:{section.port}/{database or ''}: {describe(exc)}"
        ) from None


def describe(exc: pymysql.MySQLError) -> str:
    """A one-line reason: 'connection refused', 'access denied', ... (never a password)."""
    code = exc.args[0] if exc.args else None
    text = str(exc.args[1]) if len(exc.args) > 1 else str(exc)
    if code == 2003:
        return "cannot connect (connection refused or host unreachable)"
    if code == 1045:
        return "access denied for the configured user"
    if code == 1049:
        return "database does not exist"
    return f"error {code}: {text}" if code else text
