"""Small helpers for talking to the demo stack the way the monitor will."""

from __future__ import annotations

import imaplib
import os
import re
import signal
import time
from contextlib import contextmanager

import psutil
import pymysql
import requests

GOLD_HOOPS_ID_SQL = "SELECT id FROM products WHERE slug = 'gold-hoops'"


def get(stack, path: str, session: requests.Session | None = None, **kwargs) -> requests.Response:
    """GET over HTTPS verified against the demo CA (verify= per request: REQUESTS_CA_BUNDLE is set here)."""
    return (session or requests).get(stack.base_url + path, verify=str(stack.ca_path), timeout=10, **kwargs)


def post(stack, path: str, session: requests.Session, **kwargs) -> requests.Response:
    return session.post(stack.base_url + path, verify=str(stack.ca_path), timeout=15, **kwargs)


def scalar(stack, sql: str, *args):
    with stack.db_root() as conn, conn.cursor() as cur:
        cur.execute(sql, args or None)
        row = cur.fetchone()
        return row[0] if row else None


def checkout(stack, email: str, card: str) -> requests.Response:
    """Add gold hoops to a fresh cart and pay with `card`; return the final response."""
    session = requests.Session()
    product_id = scalar(stack, GOLD_HOOPS_ID_SQL)
    post(stack, "/cart/add", session, data={"product_id": product_id, "quantity": 1})
    return post(
        stack,
        "/checkout",
        session,
        data={"name": "Synthetic Monitor", "email": email, "card_number": card, "gateway": "stripe"},
    )


def order_number_from(html: str) -> str:
    match = re.search(r'id="order-number">([^<]+)<', html)
    assert match, "no element with id=order-number on the confirmation page"
    return match.group(1)


def wait_for_mail(stack, user: str, password: str, subject: str, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with imaplib.IMAP4("127.0.0.1", stack.ports["imap"]) as imap:
            imap.login(user, password)
            imap.select("INBOX")
            status, data = imap.search(None, "SUBJECT", f'"{subject}"')
            if status == "OK" and data[0].split():
                return True
        time.sleep(0.1)
    return False


def database_fingerprint(stack) -> dict:
    """Every table's checksum and the server settings faults change (or why the server cannot be read)."""
    try:
        with stack.db_root() as conn, conn.cursor() as cur:
            cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
            tables = sorted(row[0] for row in cur.fetchall())
            cur.execute("CHECKSUM TABLE " + ", ".join(f"`{t}`" for t in tables))
            checksums = dict(cur.fetchall())
            cur.execute("SELECT @@GLOBAL.max_connections, @@GLOBAL.long_query_time")
            return {"checksums": checksums, "settings": cur.fetchone()}
    except pymysql.MySQLError as exc:
        return {"unreachable": exc.args[0]}


@contextmanager
def cron_held(stack):
    """The demo's cron stopped for the block (SIGSTOP, then SIGCONT): its backup round every 300 s
    must not land between two snapshots a test compares."""
    cron = stack.components.get("cron")
    pid = cron.pid if cron is not None and cron.alive() else None
    if pid:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        if pid and psutil.pid_exists(pid):
            os.kill(pid, signal.SIGCONT)
