"""SQL templates rendered through the shop's mapping, run read-only.

In a template `{orders}` is the shop's orders table, `{orders.total}` its column for the logical
field `total`, `{paid}` the shop's words for paid as an SQL list, `{real_orders}` the predicate
that leaves the synthetic checkout's orders out (alias `o`), and `%(name)s` a parameter (a literal
percent sign is `%%`: queries always run with their parameters).
A check declares the fields it reads (`@pytest.mark.shop_data("orders.total", ...)`): a field the
shop lacks skips it, a field mapped to a column the database does not have is a sentence naming
the config key, and `[database.queries]` may replace a named query with the shop's own SQL.
"""

from __future__ import annotations

import re

import pymysql

from runner.errors import MonitorError
from runner.shopschema.contract import VOCABULARIES
from runner.shopschema.mapping import Mapping, NotInShop

TOKEN = re.compile(r"\{([a-z_]+)(?:\.([a-z_]+))?\}")
UNKNOWN_COLUMN = re.compile(r"Unknown column '(?:[^.']+\.)?([^']+)'")
UNKNOWN_TABLE = re.compile(r"Table '(?:[^.']+\.)?([^']+)' doesn't exist")

__all__ = ["NotInShop", "SchemaMismatch", "ShopSql", "mismatch_sentence"]


class SchemaMismatch(MonitorError):
    """The mapping names a table or column the shop's database does not have."""


def mismatch_sentence(mapping: Mapping, table: str, name: str | None, live_tables: set[str]) -> str:
    """`orders.paid_at is mapped to column paid_at, which table shop_orders does not have: set ...`."""
    physical_table = mapping.table(table)
    if physical_table not in live_tables:
        return (
            f"{table} is mapped to table {physical_table}, which the database does not have: "
            f"set database.tables.{table} (dija-monitor check-config --probe suggests one)"
        )
    return (
        f"{table}.{name} is mapped to column {mapping.column(table, name)}, which table {physical_table} "
        f"does not have: set database.columns.{table}.{name} (dija-monitor check-config --probe suggests one)"
    )


def field_problem(mapping: Mapping, live: dict, dotted: str, optional: bool = False) -> MonitorError | None:
    """Why the logical field (or table) `dotted` does not fit the live schema, or None when it fits.

    NotInShop: the owner mapped it to "" (the shop has none); SchemaMismatch: the mapped table or
    column is not in the database."""
    table, _, name = dotted.partition(".")
    try:
        physical = mapping.table(table)
        column = mapping.column(table, name) if name else None
    except NotInShop as exc:
        return None if optional else exc
    if physical not in live or (column and column not in live[physical]):
        return SchemaMismatch(mismatch_sentence(mapping, table, name or None, set(live)))
    return None


class ShopSql:
    def __init__(self, db, mapping: Mapping, declared: set[str] | None = None):
        self.db = db
        self.mapping = mapping
        self.declared = declared  # None: any field (the probe, tools); a set: what the check declared

    def render(self, template: str) -> str:
        # the query always runs with a parameter dict, so a literal % from the mapping is written %%
        return TOKEN.sub(lambda match: self._token(match).replace("%", "%%"), template)

    def rows(self, query: str, template: str, **params) -> list[dict]:
        """Run the named query (the shop's own SQL from database.queries.<query> if set) with `params`."""
        sql = self.mapping.queries.get(query) or self.render(template)
        try:
            return self.db.rows(sql, params)
        except pymysql.err.MySQLError as exc:
            raise self._explain(query, exc) from None

    def value(self, query: str, template: str, **params):
        rows = self.rows(query, template, **params)
        return next(iter(rows[0].values())) if rows else None

    def _token(self, match: re.Match) -> str:
        name, field = match.groups()
        if name == "real_orders":
            return self.mapping.real_order_sql("o")
        if name in VOCABULARIES and field is None:
            self._require(VOCABULARIES[name][0])
            return self.mapping.words_sql(name)
        if field is None:
            self._require_table(name)
            return f"`{self.mapping.table(name)}`"
        self._require(f"{name}.{field}")
        return f"`{self.mapping.column(name, field)}`"

    def _require(self, dotted: str) -> None:
        if self.declared is not None and dotted not in self.declared:
            raise MonitorError(f"the check reads {dotted} without declaring it in @pytest.mark.shop_data(...)")

    def _require_table(self, table: str) -> None:
        if self.declared is not None and not any(d.split(".")[0] == table for d in self.declared):
            raise MonitorError(f"the check reads table {table} without declaring it in @pytest.mark.shop_data(...)")

    def _explain(self, query: str, exc: pymysql.err.MySQLError) -> MonitorError:
        code, text = (exc.args + (None, ""))[:2]
        own = " (database.queries." + query + ")" if query in self.mapping.queries else ""
        if code == 1054 and (found := UNKNOWN_COLUMN.search(str(text))):
            return SchemaMismatch(
                f"the shop's database has no column {found.group(1)}{own}: "
                "map the field in database.columns (dija-monitor check-config --probe suggests one)"
            )
        if code == 1146 and (found := UNKNOWN_TABLE.search(str(text))):
            return SchemaMismatch(
                f"the shop's database has no table {found.group(1)}{own}: "
                "map it in database.tables (dija-monitor check-config --probe suggests one)"
            )
        return MonitorError(f"query {query}{own} failed: error {code}: {text}")
