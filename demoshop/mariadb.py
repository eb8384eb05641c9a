"""The private MariaDB instance: datadir, server command, readiness, users and schema."""

from __future__ import annotations

import logging
import socket
import subprocess
import time
from pathlib import Path

import pymysql

from demoshop.errors import DemoError
from demoshop.procs import Component

log = logging.getLogger(__name__)

DB_NAME = "dija_shop"


def paths(run_dir: Path) -> dict[str, Path]:
    base = run_dir / "mariadb"
    return {"base": base, "data": base / "data", "socket": base / "mysqld.sock", "pid": base / "mariadbd.pid"}


def start_install(run_dir: Path) -> subprocess.Popen:
    """Begin `mariadb-install-db` (about 0.6 s) so the caller can do other work meanwhile."""
    p = paths(run_dir)
    p["base"].mkdir(parents=True, exist_ok=True)
    out = open(run_dir / "logs" / "mariadb-install.log", "wb")
    cmd = [
        "mariadb-install-db",
        "--no-defaults",
        f"--datadir={p['data']}",
        "--user=root",
        "--auth-root-authentication-method=normal",
        "--skip-test-db",
        "--innodb-log-file-size=8M",
    ]
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    out.close()
    return proc


def finish_install(proc: subprocess.Popen, run_dir: Path) -> None:
    if proc.wait(timeout=60) != 0:
        tail = (run_dir / "logs" / "mariadb-install.log").read_text(errors="replace")[-600:]
        raise DemoError(f"mariadb-install-db failed ({proc.returncode}): {tail}")


def component(run_dir: Path, port: int) -> Component:
    p = paths(run_dir)
    cmd = [
        "mariadbd",
        "--no-defaults",
        f"--datadir={p['data']}",
        f"--socket={p['socket']}",
        f"--pid-file={p['pid']}",
        f"--port={port}",
        "--bind-address=127.0.0.1",
        "--user=root",
        "--skip-name-resolve",
        "--default-time-zone=+00:00",
        "--innodb-log-file-size=8M",
        "--innodb-buffer-pool-size=64M",
        "--skip-log-bin",
        "--character-set-server=utf8mb4",
        f"--log-error={run_dir / 'logs' / 'mariadb.err'}",
    ]
    return Component("mariadb", cmd, str(run_dir / "logs" / "mariadb.log"), port=port)


def connect_root(run_dir: Path, database: str | None = DB_NAME, timeout: float = 5) -> pymysql.Connection:
    return pymysql.connect(
        unix_socket=str(paths(run_dir)["socket"]),
        user="root",
        password="",
        database=database,
        autocommit=True,
        connect_timeout=timeout,
        charset="utf8mb4",
    )


def wait_ready(run_dir: Path, comp: Component, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if _socket_accepts(paths(run_dir)["socket"]):
                connect_root(run_dir, database=None, timeout=1).close()
                return
        except pymysql.MySQLError:
            pass
        if not comp.alive():
            raise DemoError(f"mariadbd exited before it was ready: {comp.tail_log()}")
        time.sleep(0.03)
    raise DemoError(f"mariadbd not ready after {timeout:.0f} s: {comp.tail_log()}")


def _socket_accepts(path: Path) -> bool:
    """A raw connect first: PyMySQL leaks its socket when the server is not there yet."""
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.connect(str(path))
            return True
        except OSError:
            return False


def create_database(run_dir: Path, shop_password: str, monitor_password: str, schema: str = "schema.sql") -> str:
    """Create the shop database, its schema and users; return the server's version string."""
    with connect_root(run_dir, database=None) as conn, conn.cursor() as cur:
        cur.execute("DELETE FROM mysql.global_priv WHERE User = ''")
        cur.execute("FLUSH PRIVILEGES")
        cur.execute(f"CREATE DATABASE {DB_NAME} CHARACTER SET utf8mb4")
        cur.execute(f"USE {DB_NAME}")
        for statement in schema_statements(schema):
            cur.execute(statement)
        for sql in _user_grants(shop_password, monitor_password):
            cur.execute(sql[0], sql[1:] or None)
        cur.execute("SELECT VERSION()")
        return cur.fetchone()[0]


def schema_statements(schema: str = "schema.sql") -> list[str]:
    text = Path(__file__).with_name(schema).read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [stmt.strip() for stmt in "\n".join(lines).split(";") if stmt.strip()]


def _user_grants(shop_password: str, monitor_password: str) -> list[tuple]:
    return [
        ("CREATE USER 'shop'@'127.0.0.1' IDENTIFIED BY %s", shop_password),
        (f"GRANT SELECT, INSERT, UPDATE, DELETE ON {DB_NAME}.* TO 'shop'@'127.0.0.1'",),
        ("CREATE USER 'monitor'@'127.0.0.1' IDENTIFIED BY %s", monitor_password),
        (f"GRANT SELECT ON {DB_NAME}.* TO 'monitor'@'127.0.0.1'",),
        ("GRANT PROCESS ON *.* TO 'monitor'@'127.0.0.1'",),
        # scratch databases for the monthly restore test (dija_restore_*), nothing else writable
        ("GRANT ALL PRIVILEGES ON `dija\\_restore\\_%`.* TO 'monitor'@'127.0.0.1'",),
    ]
