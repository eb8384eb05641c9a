"""The demo shop's shapes: one shop code, two builds of it that differ in every name the monitor
must be configured for (tables, columns, status words, URLs, page ids, file layouts).

The shop's SQL, the seed and the data faults are written once, in the default shape's names, as
templates: `{orders}` is the shape's orders table, `o.{orders.status}` its column,
`{orders.status:cancelled}` its word for that value (a quoted literal), `{orders.*}` (or
`{order_items.*@oi}`) every column presented under the default's names and words (so reading
code and templates stay one), `{real_orders}` the shape's way of telling real orders from the
synthetic checkout's and `{now}` UTC_TIMESTAMP(). Any other brace text is left alone.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from demoshop import shape_alt
from demoshop.errors import DemoError
from demoshop.runfiles import SYNTHETIC_EMAIL

HERE = Path(__file__).resolve().parent
TOKEN = re.compile(r"\{([a-z_]+)(?:\.([a-z_]+|\*))?(?::([A-Za-z0-9_]+))?(?:@([a-z]+))?\}")


def _default_columns() -> dict[str, list[str]]:
    """{table: [column, ...]} of the default shape, read from its schema.sql."""
    tables: dict[str, list[str]] = {}
    for name, body in re.findall(r"CREATE TABLE (\w+) \((.*?)\n\)", (HERE / "schema.sql").read_text(), re.S):
        tables[name] = [
            m.group(1)
            for line in body.splitlines()
            if (m := re.match(r"\s+(\w+) ", line)) and m.group(1) not in ("UNIQUE", "KEY", "PRIMARY")
        ]
    return tables


DEFAULT_COLUMNS = _default_columns()
DEFAULT_PATHS = {
    "home": "/",
    "category": "/category/{slug}",
    "product": "/product/{slug}",
    "cart": "/cart",
    "cart_add": "/cart/add",
    "checkout": "/checkout",
    "order": "/order/{order}",
    "order_cancel": "/order/{order}/cancel",
    "login": "/login",
    "logout": "/logout",
    "account": "/account",
}
# the front controller's route for each page (order_cancel: the alt shop offers no cancellation)
ALT_ROUTES = {
    "category": "category",
    "product": "product",
    "cart": "cart",
    "cart_add": "cart/add",
    "checkout": "checkout",
    "order": "checkout/success",
    "login": "account/login",
    "logout": "account/logout",
    "account": "account",
}
ALT_PARAMS = {"category": ("slug",), "product": ("slug",), "order": ("order",)}


@dataclass(frozen=True)
class Shape:
    name: str
    schema_file: str
    tables: dict[str, str] = field(default_factory=dict)  # default table -> this shape's
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> default column -> ("" = none)
    words: dict[str, dict[str, dict]] = field(default_factory=dict)  # table -> column -> default word -> word
    order_prefix: str = "DJ-"
    query_string_urls: bool = False
    offers_cancel: bool = True
    checkout_required: tuple[str, ...] = ("name", "email", "card_number")
    heartbeat_suffix: str = ""
    flat_backups: bool = False  # <class>-<stamp>.sql.gz.enc side by side, monthly/ below

    # ---- database -------------------------------------------------------------------------------
    def table(self, table: str) -> str:
        return self.tables.get(table, table)

    def column(self, table: str, column: str) -> str:
        return self.columns.get(table, {}).get(column, column)

    def word(self, table: str, column: str, value):
        mapped = self.words.get(table, {}).get(column, {})
        return mapped.get(str(value), value)

    def row(self, table: str, data: dict) -> dict:
        """A row written in the default's column names and words, in this shape's."""
        return {self.column(table, k): self.word(table, k, v) for k, v in data.items() if self.column(table, k)}

    def sql(self, template: str) -> str:
        return TOKEN.sub(self._token, template)

    def _token(self, match: re.Match) -> str:
        table, column, word, alias = match.groups()
        if table == "now" and column is None:
            return "UTC_TIMESTAMP()"
        if table == "real_orders":
            return self.real_orders(alias)
        if table not in DEFAULT_COLUMNS:
            return match.group(0)
        if column is None:
            return self.table(table)
        if column == "*":
            return self.select_all(table, alias)
        if word is not None:
            return _literal(self.word(table, column, word))
        return self.column(table, column)

    def real_orders(self, alias: str | None = None) -> str:
        prefix = f"{alias}." if alias else ""
        if self.column("orders", "is_synthetic"):
            return f"{prefix}{self.column('orders', 'is_synthetic')} = 0"
        return f"{prefix}{self.column('orders', 'email')} <> {_literal(SYNTHETIC_EMAIL)}"

    def select_all(self, table: str, alias: str | None = None) -> str:
        prefix = f"{alias}." if alias else ""
        if all(self.column(table, c) == c for c in DEFAULT_COLUMNS[table]) and not self.words.get(table):
            return prefix + "*"
        parts = []
        for column in DEFAULT_COLUMNS[table]:
            physical = self.column(table, column)
            if physical:
                parts.append(f"{self._present(table, column, prefix + physical)} AS {column}")
        return ", ".join(parts)

    def _present(self, table: str, column: str, expr: str) -> str:
        """`expr` with this shape's words turned back into the default's."""
        mapped = self.words.get(table, {}).get(column)
        if not mapped:
            return expr
        cases = " ".join(f"WHEN {_literal(word)} THEN {_literal(_typed(default))}" for default, word in mapped.items())
        return f"CASE {expr} {cases} ELSE {expr} END"

    def order_number(self, order_id: int) -> str:
        return f"{self.order_prefix}{100000 + order_id}"

    # ---- web ------------------------------------------------------------------------------------
    def path(self, page: str, **params) -> str:
        """The shop's URL path (with query) of `page` (home, category, product, cart, ...)."""
        if not self.query_string_urls:
            return DEFAULT_PATHS[page].format(**params)
        if page == "home":
            return "/index.php"
        query = {"route": ALT_ROUTES[page], **{key: params[key] for key in ALT_PARAMS.get(page, ())}}
        return "/index.php?" + urlencode(query, safe="/")

    # ---- files ----------------------------------------------------------------------------------
    def heartbeat(self, job: str) -> str:
        return job + self.heartbeat_suffix

    def backup_file(self, data_class: str, when: dt.datetime, monthly: bool = False) -> str:
        """A backup's path below the backups folder."""
        if not self.flat_backups:
            return f"{data_class}/{when.strftime('%Y%m%dT%H%M%SZ')}.sql.gz.enc"
        if monthly:
            return f"monthly/{data_class}-{when.strftime('%Y%m')}.sql.gz.enc"
        return f"{data_class}-{when.strftime('%Y%m%d-%H%M')}.sql.gz.enc"

    def backup_glob(self, data_class: str) -> str:
        return f"**/{data_class}-*.sql.gz.enc" if self.flat_backups else f"{data_class}/*.sql.gz.enc"

    def monthly_glob(self, data_class: str) -> str:
        return f"monthly/{data_class}-*.sql.gz.enc" if self.flat_backups else f"{data_class}/*01T020000Z.sql.gz.enc"


def _typed(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


def _literal(value) -> str:
    value = _typed(value)
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("\\", "\\\\").replace("'", "''") + "'"


DEFAULT = Shape("default", "schema.sql", columns={"orders": {"delivery_address": ""}})
ALT = Shape(
    "alt",
    "schema_alt.sql",
    tables=shape_alt.TABLES,
    columns=shape_alt.COLUMNS,
    words=shape_alt.WORDS,
    **shape_alt.OPTIONS,
)
SHAPES = {"default": DEFAULT, "alt": ALT}


def get(variant: str | None) -> Shape:
    try:
        return SHAPES[variant or "default"]
    except KeyError:
        raise DemoError(f"unknown shop variant {variant!r}; known: {', '.join(SHAPES)}") from None


def of_run_dir(run_dir: Path) -> Shape:
    """The shape of the stack whose state.json is in `run_dir` (the default when there is none)."""
    try:
        return get(json.loads((Path(run_dir) / "state.json").read_text()).get("variant"))
    except (OSError, ValueError):
        return DEFAULT
