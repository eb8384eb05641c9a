"""The owner's mapping of the contract onto one shop: physical table and column names, the shop's
words for states, and how its synthetic (monitor-made) orders are recognised. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass, field

import pymysql.converters

from runner.errors import MonitorError
from runner.shopschema.contract import FIELDS, VOCABULARIES


class NotInShop(MonitorError):
    """The shop has no such table or column (mapped to ""): the checks that need it are skipped."""


@dataclass(frozen=True)
class Mapping:
    tables: dict[str, str] = field(default_factory=dict)
    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    values: dict[str, list] = field(default_factory=dict)
    synthetic_email: str | None = None
    synthetic_order_prefix: str | None = None
    queries: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings) -> Mapping:
        section = settings.database
        checkout = getattr(settings, "checkout", None)
        email = section.synthetic_email or (checkout.customer_email if checkout else None)
        return cls(
            dict(section.tables),
            {t: dict(c) for t, c in section.columns.items()},
            {k: list(v) for k, v in section.values.items()},
            email,
            section.synthetic_order_prefix,
            dict(section.queries),
        )

    def table(self, name: str) -> str:
        """The shop's table for logical table `name` (a name outside the contract is the shop's own)."""
        physical = self.tables.get(name, name)
        if not physical:
            raise NotInShop(f'the shop has no {name} table (database.tables.{name} = "")')
        return physical

    def column(self, table: str, name: str) -> str:
        """The shop's column for logical field `table.name` (a field outside the contract is the shop's own)."""
        self.table(table)
        physical = self.columns.get(table, {}).get(name, FIELDS.get(table, {}).get(name, name))
        if not physical:
            raise NotInShop(f'the shop has no {table}.{name} column (database.columns.{table}.{name} = "")')
        return physical

    def has_table(self, name: str) -> bool:
        return bool(self.tables.get(name, name))

    def has(self, table: str, name: str) -> bool:
        try:
            self.column(table, name)
            return True
        except NotInShop:
            return False

    def words(self, vocabulary: str) -> list:
        return self.values.get(vocabulary, VOCABULARIES[vocabulary][1])

    def words_sql(self, vocabulary: str) -> str:
        """`('paid', 'settled')`: the words as an SQL list of escaped literals."""
        return "(" + ", ".join(pymysql.converters.escape_item(w, "utf8mb4") for w in self.words(vocabulary)) + ")"

    def real_order_sql(self, alias: str = "o") -> str:
        """A predicate true for the shop's real orders, false for the synthetic checkout's."""
        conditions = []
        if self.has("orders", "synthetic"):
            conditions.append(f"COALESCE({alias}.`{self.column('orders', 'synthetic')}`, 0) = 0")
        if self.synthetic_email and self.has("orders", "email"):
            email = pymysql.converters.escape_item(self.synthetic_email, "utf8mb4")
            conditions.append(f"COALESCE({alias}.`{self.column('orders', 'email')}`, '') <> {email}")
        if self.synthetic_order_prefix and self.has("orders", "number"):
            prefix = pymysql.converters.escape_item(_like_prefix(self.synthetic_order_prefix), "utf8mb4")
            conditions.append(f"{alias}.`{self.column('orders', 'number')}` NOT LIKE {prefix}")
        return "(" + " AND ".join(conditions) + ")" if conditions else "TRUE"

    def recognises_synthetic_orders(self) -> bool:
        return self.real_order_sql() != "TRUE"

    def field_for_column(self, table: str, physical: str) -> str | None:
        """The logical field mapped to a physical column of `table`, for error messages."""
        for name in FIELDS.get(table, {}):
            if self.has(table, name) and self.column(table, name) == physical:
                return name
        return None


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
