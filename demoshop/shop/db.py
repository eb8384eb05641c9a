"""Per-request database access, failing the way the PHP shop does (a warning in the error log).
Statements are templates in the default shape's names (demoshop/shapes.py), run in the shop's."""

from __future__ import annotations

import pymysql
import pymysql.cursors
from flask import current_app, g

from demoshop.shop.context import shape
from demoshop.shop.logs import php_error


class DatabaseDown(Exception):
    """The shop could not reach MariaDB."""


def db() -> pymysql.Connection:
    if "db" not in g:
        cfg = current_app.config["SHOP"]["db"]
        try:
            g.db = pymysql.connect(
                host=cfg["host"],
                port=cfg["port"],
                user=cfg["user"],
                password=cfg["password"],
                database=cfg["name"],
                autocommit=True,
                connect_timeout=2,
                cursorclass=pymysql.cursors.DictCursor,
                charset="utf8mb4",
            )
        except pymysql.MySQLError as exc:
            php_error("Warning", f"mysqli_connect(): ({exc.args[0]}): {exc.args[-1]}", "includes/db.php", 12)
            raise DatabaseDown(str(exc)) from exc
    return g.db


def query(sql: str, *args) -> list[dict]:
    with db().cursor() as cur:
        cur.execute(shape().sql(sql), args or None)
        return list(cur.fetchall())


def query_one(sql: str, *args) -> dict | None:
    rows = query(sql, *args)
    return rows[0] if rows else None


def execute(sql: str, *args) -> int:
    """Run a statement; return the last insert id (or 0)."""
    with db().cursor() as cur:
        cur.execute(shape().sql(sql), args or None)
        return cur.lastrowid or 0


def insert(table: str, row: dict) -> int:
    """Insert `row` (the default's column names and words) into `table`; return its id."""
    row = shape().row(table, row)
    marks = ", ".join(["%s"] * len(row))
    return execute(f"INSERT INTO {shape().table(table)} ({', '.join(row)}) VALUES ({marks})", *row.values())


def close_db(_exc=None) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        try:
            conn.close()
        except pymysql.Error:
            pass
