"""A mapping proposed from the live schema, for whatever does not fit. Tables and columns are paired
one-to-one, best pairs first: a table by its name's words (and the other names shops use) and by
how well its columns fit the contract's fields; a column by its name's words and its type (`id` is
the primary key). A vocabulary gets the values its status column really holds that mean the same.
Printed as TOML for the owner to paste and correct."""

from __future__ import annotations

import difflib
import json

from runner.shopschema import synonyms
from runner.shopschema.contract import BOOLEAN_FIELDS, FIELDS, VOCABULARIES
from runner.shopschema.likeness import best_likeness, best_pairs, type_fits
from runner.shopschema.live import Column
from runner.shopschema.mapping import Mapping

FLAG_FIELDS = BOOLEAN_FIELDS | {"login_attempts.success"}
NUMBER_FIELDS = {"total", "amount", "unit_price", "quantity", "stock", "low_stock_threshold", "attempts"}
COLUMN_FLOOR = 0.45  # below: no column is like the field, "" is suggested
TABLE_FLOOR = 0.75  # name likeness + share of the fields its columns fit
WORD_FLOOR = 0.8
WEAK = 0.6  # a guess below this gets a comment asking to check it


def field_kind(table: str, name: str) -> str | None:
    if name.endswith("_at") or name == "last_activity":
        return "time"
    if f"{table}.{name}" in FLAG_FIELDS:
        return "flag"
    return "number" if name in NUMBER_FIELDS else None


def column_score(table: str, name: str, column: Column, keys: list[Column]) -> float:
    if name == "id" or column.primary:  # the key is the id, and nothing else
        return 1.0 if name == "id" and keys == [column] else 0.0
    if not type_fits(field_kind(table, name), column):
        return 0.0
    names = [name, FIELDS[table][name], *synonyms.FIELDS.get(name, [])]
    return best_likeness(names, column.name)


def column_pairs(table: str, fields, columns: dict[str, Column]) -> dict[str, tuple[str, float]]:
    """{logical field: (live column, score)}: each column to at most one field."""
    keys = [c for c in columns.values() if c.primary]
    scores = {
        (name, column.name): column_score(table, name, column, keys) for name in fields for column in columns.values()
    }
    return best_pairs(scores, COLUMN_FLOOR)


def suggest(mapping: Mapping, live: dict[str, dict[str, Column]], needed: set[str], values_of) -> dict:
    """{"tables": {...}, "columns": {table: {...}}, "values": {...}, "comments": {...}}: the owner's
    mapping with every needed table, field and vocabulary that does not fit replaced by a guess."""
    tables = dict(mapping.tables)
    columns = {t: dict(c) for t, c in mapping.columns.items()}
    values = {k: list(v) for k, v in mapping.values.items()}
    comments: dict[str, str] = {}
    needed_tables = {n.split(".")[0] for n in needed}
    physical = _suggest_tables(mapping, live, needed_tables, tables, comments)
    for table in sorted(needed_tables & set(FIELDS)):
        if physical.get(table) in live:
            _suggest_columns(table, physical[table], live[physical[table]], mapping, needed, columns, comments)
    for dotted in sorted(needed):
        _note_listed_column(dotted, physical, live, comments)
    _suggest_values(live, needed, Mapping(tables, columns, values), values, comments, values_of)
    return {"tables": tables, "columns": columns, "values": values, "comments": comments}


def _suggest_tables(mapping, live, needed_tables, tables, comments) -> dict[str, str]:
    """{logical table: live table}, the misfits paired with the live tables no fitting table uses."""
    physical = {t: mapping.tables.get(t, t) for t in set(FIELDS) | needed_tables}
    misfits = [t for t, name in physical.items() if name and name not in live and t in FIELDS]
    free = [name for name in live if name not in physical.values()]
    scores = {(table, name): _table_score(table, name, live[name]) for table in misfits for name in free}
    guesses = best_pairs(scores, TABLE_FLOOR)
    for table in misfits:
        physical[table] = guesses.get(table, ("", 0))[0]
        if table in needed_tables:
            tables[table] = physical[table]
            if not physical[table]:
                comments[f"tables.{table}"] = 'no similar table: "" = the shop has none (its checks skip)'
    return physical


def _table_score(table: str, name: str, columns: dict[str, Column]) -> float:
    """How like `table` the live table is: its name's words, plus the share of the fields its columns fit."""
    fields = [field for field in FIELDS[table] if field != "id"]
    fit = sum(score for _, score in column_pairs(table, fields, columns).values()) / len(fields)
    return best_likeness([table, *synonyms.TABLES.get(table, [])], name) + fit


def column_guesses(table: str, mapping: Mapping, columns_live: dict[str, Column]) -> dict[str, tuple[str, float]]:
    """{misfit field: (live column or "", score)}: paired with the live columns no fitting field uses."""
    current = {name: mapping.column(table, name) if mapping.has(table, name) else "" for name in FIELDS[table]}
    misfits = [name for name, column in current.items() if column and column not in columns_live]
    free = {name: column for name, column in columns_live.items() if name not in current.values()}
    guesses = column_pairs(table, misfits, free)
    return {name: guesses.get(name, ("", 0.0)) for name in misfits}


def _suggest_columns(table, physical, columns_live, mapping, needed, columns, comments) -> None:
    for name, (guess, score) in column_guesses(table, mapping, columns_live).items():
        if f"{table}.{name}" not in needed:
            continue
        columns.setdefault(table, {})[name] = guess
        if not guess:
            comments[f"columns.{table}.{name}"] = f'no similar column in {physical}: "" = the shop has none'
        elif score < WEAK:
            comments[f"columns.{table}.{name}"] = f"{guess} is a weak guess: check it"


def _note_listed_column(dotted: str, physical: dict[str, str], live, comments) -> None:
    """A column outside the contract, named in a config list (security.pan_scan_columns): only a note."""
    table, _, name = dotted.partition(".")
    listed = name and table in physical and name not in FIELDS.get(table, {})
    if listed and physical[table] in live and name not in live[physical[table]]:
        comments[f"columns.{dotted}"] = (
            f"the config names {dotted}, which {physical[table]} does not have: correct the setting that lists it"
        )


def word_score(word, value) -> float:
    word, value = str(word).lower(), str(value).lower()
    if word == value:
        return 1.0
    if value in synonyms.WORDS.get(word, []):
        return 0.9
    return difflib.SequenceMatcher(None, word, value).ratio() * 0.9


def matching_values(words: list, seen: list) -> list:
    """Every value the column holds that means one of `words` (so all of a shop's closed states)."""
    return [value for value in seen if max((word_score(w, value) for w in words), default=0) >= WORD_FLOOR]


def _suggest_values(live, needed, proposed: Mapping, values, comments, values_of) -> None:
    for vocabulary, (dotted, defaults) in VOCABULARIES.items():
        table, name = dotted.split(".")
        if dotted not in needed or not proposed.has(table, name):
            continue
        physical, column = proposed.table(table), proposed.column(table, name)
        if column not in live.get(physical, {}):
            continue
        seen = values_of(physical, column)
        words = proposed.words(vocabulary)
        if seen and not set(map(str, words)) <= set(map(str, seen)):
            values[vocabulary] = matching_values([*words, *defaults], seen) or words
            comments[f"values.{vocabulary}"] = f"{physical}.{column} holds: {', '.join(map(str, seen[:12]))}"


def as_toml(suggestion: dict) -> str:
    """The suggestion as a [database] fragment: paste it under your [database] section's keys."""
    comments = suggestion["comments"]
    lines = ["# suggested mapping: check every line against your shop, then paste into monitor.toml"]
    if suggestion["tables"]:
        lines.append("[database]  # these keys belong in your existing [database] section")
        lines.append("tables = " + _inline(suggestion["tables"]))
        lines += [f"#   {k}: {v}" for k, v in sorted(comments.items()) if k.startswith("tables.")]
    if suggestion["columns"] or any(k.startswith("columns.") for k in comments):
        lines.append("[database.columns]")
        for table in sorted({*suggestion["columns"], *(k.split(".")[1] for k in comments if k.startswith("columns."))}):
            if suggestion["columns"].get(table):
                lines.append(f"{table} = " + _inline(suggestion["columns"][table]))
            lines += [
                f"#   {k.split('.', 1)[1]}: {v}"
                for k, v in sorted(comments.items())
                if k.startswith(f"columns.{table}.")
            ]
    if suggestion["values"]:
        lines.append("[database.values]")
        for vocabulary, words in sorted(suggestion["values"].items()):
            note = comments.get(f"values.{vocabulary}")
            lines.append(f"{vocabulary} = {json.dumps(words)}" + (f"  # {note}" if note else ""))
    return "\n".join(lines) + "\n"


def _inline(mapping: dict) -> str:
    return "{ " + ", ".join(f"{k} = {json.dumps(v)}" for k, v in sorted(mapping.items())) + " }"
