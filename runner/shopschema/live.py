"""What the shop's database really has: its tables and their columns, read once from information_schema."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str  # varchar, int, enum, datetime, ...
    column_type: str  # enum('paid','failed'), int(10) unsigned, ...
    primary: bool = False  # part of the table's primary key


def live_schema(db) -> dict[str, dict[str, Column]]:
    """{table: {column: Column}} of the connected database."""
    rows = db.rows(
        "SELECT table_name AS t, column_name AS c, data_type AS d, column_type AS ct, column_key AS k "
        "FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position"
    )
    schema: dict[str, dict[str, Column]] = {}
    for row in rows:
        schema.setdefault(row["t"], {})[row["c"]] = Column(
            row["c"], row["d"].lower(), row["ct"].lower(), row["k"] == "PRI"
        )
    return schema
