"""A mapping proposed from the live schema, for whatever does not fit: the closest table and column
names (by name, the contract's default name and the column's type) and, for vocabularies, the values
the status column really holds. Printed as TOML for the owner to paste and correct."""

from __future__ import annotations

import difflib
import json

from runner.shopschema.contract import BOOLEAN_FIELDS, FIELDS, VOCABULARIES
from runner.shopschema.live import Column
from runner.shopschema.mapping import Mapping

TIME_TYPES = {"datetime", "timestamp", "date"}
NUMBER_TYPES = {"int", "tinyint", "smallint", "mediumint", "bigint", "decimal", "float", "double"}


def _expected_types(table: str, name: str) -> set[str] | None:
    if name.endswith("_at") or name == "last_activity":
        return TIME_TYPES
    if f"{table}.{name}" in BOOLEAN_FIELDS or name in {"total", "amount", "unit_price", "quantity", "stock",
                                                       "low_stock_threshold", "attempts", "id"}:
        return NUMBER_TYPES
    return None


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio()


def best_table(table: str, live: dict[str, dict[str, Column]], taken: set[str]) -> str | None:
    """The live table most like logical `table`: its name, and how many of the contract's default columns it has."""
    defaults = set(FIELDS.get(table, {}).values())

    def score(candidate: str) -> float:
        overlap = len(defaults & set(live[candidate])) / len(defaults) if defaults else 0
        return _similarity(table, candidate) + overlap

    candidates = [t for t in live if t not in taken]
    best = max(candidates, key=score, default=None)
    return best if best and score(best) >= 0.6 else None


def best_column(table: str, name: str, columns: dict[str, Column], taken: set[str]) -> str | None:
    default = FIELDS.get(table, {}).get(name, name)
    types = _expected_types(table, name)

    def score(column: Column) -> float:
        fit = 0.0 if types is None or column.data_type in types else -0.5
        return max(_similarity(name, column.name), _similarity(default, column.name)) + fit

    candidates = [c for c in columns.values() if c.name not in taken]
    best = max(candidates, key=score, default=None)
    return best.name if best and score(best) >= 0.5 else None


def best_words(words: list, seen: list) -> list:
    """For each word (the owner's and the contract's), the closest value the column really holds."""
    chosen = []
    for word in dict.fromkeys(words):
        match = max(seen, key=lambda value: _similarity(str(word), str(value)), default=None)
        if match is not None and _similarity(str(word), str(match)) >= 0.5 and match not in chosen:
            chosen.append(match)
    return chosen


def suggest(mapping: Mapping, live: dict[str, dict[str, Column]], needed: set[str], values_of) -> dict:
    """{"tables": {...}, "columns": {table: {...}}, "values": {...}, "comments": {...}}: the owner's
    mapping with every needed table, field and vocabulary that does not fit replaced by a guess."""
    tables = dict(mapping.tables)
    columns = {t: dict(c) for t, c in mapping.columns.items()}
    values = {k: list(v) for k, v in mapping.values.items()}
    comments: dict[str, str] = {}
    physical_tables = {t: tables.get(t, t) for t in {n.split(".")[0] for n in needed}}
    for table, physical in sorted(physical_tables.items()):
        if physical and physical not in live:
            guess = best_table(table, live, set(physical_tables.values()))
            tables[table] = guess or ""
            physical_tables[table] = guess or ""
            if not guess:
                comments[f"tables.{table}"] = "no similar table: \"\" = the shop has none (its checks skip)"
    for dotted in sorted(n for n in needed if "." in n):
        table, name = dotted.split(".")
        physical = physical_tables.get(table)
        column = columns.get(table, {}).get(name, FIELDS.get(table, {}).get(name, name))
        if not physical or not column or column in live.get(physical, {}):
            continue
        taken = {mapping.column(table, other) for other in FIELDS.get(table, {})
                 if other != name and mapping.has(table, other)} | set(columns.get(table, {}).values())
        guess = best_column(table, name, live[physical], taken)
        columns.setdefault(table, {})[name] = guess or ""
        if not guess:
            comments[f"columns.{table}.{name}"] = f"no similar column in {physical}: \"\" = the shop has none"
    _suggest_values(mapping, live, needed, tables, columns, values, comments, values_of)
    return {"tables": tables, "columns": columns, "values": values, "comments": comments}


def _suggest_values(mapping, live, needed, tables, columns, values, comments, values_of) -> None:
    proposed = Mapping(tables, columns, values)
    for vocabulary, (dotted, _) in VOCABULARIES.items():
        table, name = dotted.split(".")
        if dotted not in needed or not proposed.has(table, name):
            continue
        physical, column = proposed.table(table), proposed.column(table, name)
        if column not in live.get(physical, {}):
            continue
        seen = values_of(physical, column)
        words = proposed.words(vocabulary)
        if seen and not set(map(str, words)) <= set(map(str, seen)):
            guess = best_words([*words, *VOCABULARIES[vocabulary][1]], seen)
            values[vocabulary] = guess or words
            comments[f"values.{vocabulary}"] = f"{physical}.{column} holds: {', '.join(map(str, seen[:12]))}"


def as_toml(suggestion: dict) -> str:
    """The suggestion as a [database] fragment: paste it under your [database] section's keys."""
    comments = suggestion["comments"]
    lines = ["# suggested mapping: check every line against your shop, then paste into monitor.toml"]
    if suggestion["tables"]:
        lines.append("[database]  # these keys belong in your existing [database] section")
        lines.append("tables = " + _inline(suggestion["tables"]))
        lines += [f"#   tables.{k}: {v}" for k, v in comments.items() if k.startswith("tables.")]
    if suggestion["columns"]:
        lines.append("[database.columns]")
        for table, fields in sorted(suggestion["columns"].items()):
            lines.append(f"{table} = " + _inline(fields))
            lines += [f"#   {k.split('.', 1)[1]}: {v}" for k, v in comments.items() if k.startswith(f"columns.{table}.")]
    if suggestion["values"]:
        lines.append("[database.values]")
        for vocabulary, words in sorted(suggestion["values"].items()):
            note = comments.get(f"values.{vocabulary}")
            lines.append(f"{vocabulary} = {json.dumps(words)}" + (f"  # {note}" if note else ""))
    return "\n".join(lines) + "\n"


def _inline(mapping: dict) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in sorted(mapping.items())) + " }"
