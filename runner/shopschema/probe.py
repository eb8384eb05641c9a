"""`dija-monitor check-config --probe`: does every data check fit the live shop database?

Read-only: it reads information_schema, the distinct values of the status columns a vocabulary
names, and EXPLAINs the owner's own queries; it reads no other data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from runner.shopschema.contract import VOCABULARIES
from runner.shopschema.live import Column
from runner.shopschema.mapping import Mapping, NotInShop
from runner.shopschema.sql import field_problem

PARAMETER = re.compile(r"%\((\w+)\)s")
SYNTHETIC_FIELDS = ("orders.synthetic", "orders.email", "orders.number")  # how the synthetic orders are recognised


@dataclass
class Verdict:
    check: str
    misfits: list[str] = field(default_factory=list)  # sentences naming the field, the column and the key
    skipped: list[str] = field(default_factory=list)  # what the shop does not have (mapped to "")
    notes: list[str] = field(default_factory=list)

    @property
    def word(self) -> str:
        return "DOES NOT FIT" if self.misfits else ("skips" if self.skipped else "fits")


def check_fields(check: dict, settings) -> list[tuple[str, bool]]:
    """(logical field or table, optional) a check reads, from its shop_data marker (and the config key it names)."""
    data = check.get("shop_data") or {}
    fields = [(name.rstrip("?"), name.endswith("?")) for name in data.get("fields", [])]
    key = data.get("from_config")
    if key:
        section_name, _, attribute = key.partition(".")
        section = getattr(settings, section_name, None)
        for spec in getattr(section, attribute, None) or []:
            for side in (part.strip() for part in spec.split("->")):
                fields.append((side, True))
                if "." in side:
                    fields.append((side.split(".")[0] + ".id", True))
    return fields


def probe_check(check: dict, settings, mapping: Mapping, live: dict[str, dict[str, Column]], values_of) -> Verdict:
    verdict = Verdict(check["id"].rsplit("::", 1)[-1].split("[")[0])
    used = set()
    for name, optional in check_fields(check, settings):
        problem = field_problem(mapping, live, name, optional)
        if isinstance(problem, NotInShop):
            verdict.skipped.append(str(problem))
        elif problem:
            verdict.misfits.append(str(problem))
        else:
            used.add(name)
    for vocabulary, (dotted, _) in VOCABULARIES.items():
        if dotted in used:
            verdict.misfits += _vocabulary_problems(vocabulary, dotted, mapping, live, values_of)
    return verdict


def _vocabulary_problems(vocabulary: str, dotted: str, mapping: Mapping, live, values_of) -> list[str]:
    table, name = dotted.split(".")
    physical, column = mapping.table(table), mapping.column(table, name)
    words = mapping.words(vocabulary)
    seen = values_of(physical, column)
    enum = live[physical][column].data_type == "enum"
    missing = [w for w in words if str(w) not in {str(v) for v in seen}]
    # an enum lists every value it can hold; other columns only show the values in use so far
    if (enum and missing) or (not enum and seen and len(missing) == len(words)):
        return [
            f"database.values.{vocabulary} = {words}: {'not among' if enum else 'none of them is among'} the "
            f"values of {physical}.{column} ({', '.join(map(str, seen[:12]))})"
        ]
    return []


def synthetic_problems(mapping: Mapping, live) -> list[str]:
    """The synthetic checkout's orders must be recognisable, by a column that exists."""
    problems = [str(p) for name in SYNTHETIC_FIELDS if (p := field_problem(mapping, live, name, optional=True))]
    if not mapping.recognises_synthetic_orders():
        problems.append(
            "the synthetic checkout's orders cannot be told from real ones: map columns.orders.synthetic, "
            "or set database.synthetic_email (or checkout.customer_email) or database.synthetic_order_prefix"
        )
    return problems


def query_problems(mapping: Mapping, db) -> list[str]:
    """The owner's own queries (database.queries), EXPLAINed with NULL parameters: they parse and their
    columns exist."""
    problems = []
    for name, sql in mapping.queries.items():
        try:
            db.rows("EXPLAIN " + sql, {p: None for p in PARAMETER.findall(sql)})
        except Exception as exc:  # noqa: BLE001 - any driver error is the owner's SQL not fitting
            problems.append(f"database.queries.{name}: {exc.args[-1] if exc.args else exc}")
    return problems


def column_values(db, limit: int = 30):
    """values_of(table, column): an enum's values, else the distinct values in use (at most `limit`)."""

    def values_of(table: str, column: str) -> list:
        row = db.rows(
            "SELECT column_type FROM information_schema.columns WHERE table_schema = DATABASE() "
            "AND table_name = %s AND column_name = %s",
            (table, column),
        )
        kind = row[0]["column_type"] if row else ""
        if kind.lower().startswith("enum("):
            return re.findall(r"'((?:[^']|'')*)'", kind)
        rows = db.rows(
            f"SELECT DISTINCT `{column}` AS v FROM `{table}` WHERE `{column}` IS NOT NULL ORDER BY 1 LIMIT {int(limit)}"
        )
        return [r["v"] for r in rows]

    return values_of


def run_probe(settings, checks: list[dict], db) -> tuple[str, bool]:
    """The probe's report (one line per data check, then what to change) and whether everything fits."""
    from runner.shopschema.live import live_schema
    from runner.shopschema.suggest import as_toml, suggest

    mapping, live, values_of = Mapping.from_settings(settings), live_schema(db), column_values(db)
    data_checks = [c for c in checks if c.get("shop_data") is not None]
    verdicts = [probe_check(c, settings, mapping, live, values_of) for c in data_checks]
    general = synthetic_problems(mapping, live) + query_problems(mapping, db)
    lines = [
        f"# probe of database {settings.database.name} at {settings.database.host}:{settings.database.port} "
        f"(read-only): {len(verdicts)} data checks"
    ]
    for verdict in verdicts:
        lines.append(f"{verdict.word:<13} {verdict.check}")
        lines += [f"    {sentence}" for sentence in dict.fromkeys(verdict.misfits + verdict.skipped)]
    lines += [f"DOES NOT FIT  {sentence}" for sentence in general]
    misfits = sum(1 for v in verdicts if v.misfits)
    fits = not misfits and not general
    lines.append(
        f"{len(verdicts) - misfits} of {len(verdicts)} data checks fit"
        + ("" if fits else f"; {misfits} do not" + (" and the shop's settings above need fixing" if general else ""))
    )
    if not fits:
        needed = {name for c in data_checks for name, _ in check_fields(c, settings)} | set(SYNTHETIC_FIELDS)
        lines += ["", as_toml(suggest(mapping, live, needed, values_of))]
    return "\n".join(lines) + "\n", fits
