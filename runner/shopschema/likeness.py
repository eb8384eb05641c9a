"""How alike a logical name and a live name are, by their words: `pay_state` is `payment_status`
once `pay` is read as a short `payment` and `state` as a synonym of `status`; and the pairing of
two sets of names one-to-one, best pairs first."""

from __future__ import annotations

import re

from runner.shopschema.live import Column

# words that say nothing about what a column holds (`is_active`, `paid_at`, `end_date`)
NOISE = {"is", "has", "at", "on", "date", "time", "tbl"}
# word pairs that mean the same thing in a column or table name
SAME_WORDS = [
    {"status", "state"},
    {"email", "mail"},
    {"product", "item"},
    {"quantity", "qty"},
    {"number", "no"},
    {"number", "num"},
    {"pass", "password"},
    {"user", "username"},
    {"cancelled", "canceled"},
]

TIME_TYPES = {"datetime", "timestamp", "date"}
NUMBER_TYPES = {"int", "tinyint", "smallint", "mediumint", "bigint", "decimal", "float", "double"}
FLAG_TYPES = {"tinyint", "smallint", "bit", "bool", "boolean", "enum"}


def words(name: str) -> list[str]:
    """`OrderLines` and `order_lines` -> ["order", "line"]: split, lowercased, singular, noise left out."""
    split = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name)).lower()
    found = [_singular(w) for w in re.split(r"[^a-z0-9]+", split) if w]
    return [w for w in found if w not in NOISE] or found


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "shes", "ches")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def same_word(a: str, b: str) -> bool:
    """Equal, a known pair, or one a short form of the other (`pay` of `payment`, `ref` of `reference`)."""
    if a == b or {a, b} in SAME_WORDS:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 3 and long.startswith(short)


def likeness(logical: str, live: str) -> float:
    """1.0 for the same words; less as words are missing on either side; 0.0 for no word in common.
    The live name's last word says what it is (`customer_login` is a login): it counts a little more."""
    mine, theirs = words(logical), words(live)
    matched = [any(same_word(m, t) for m in mine) for t in theirs]
    matched_mine = sum(any(same_word(m, t) for t in theirs) for m in mine)
    if matched_mine == len(mine) and all(matched):
        return 1.0
    return 0.55 * matched_mine / len(mine) + 0.35 * sum(matched) / len(theirs) + 0.1 * matched[-1]


def best_likeness(names: list[str], live: str) -> float:
    return max((likeness(name, live) for name in names), default=0.0)


def type_fits(kind: str | None, column: Column) -> bool:
    """kind: "time", "number", "flag" or None (text or a key: anything but a date)."""
    wanted = {"time": TIME_TYPES, "number": NUMBER_TYPES, "flag": FLAG_TYPES}.get(kind or "")
    return column.data_type in wanted if wanted else column.data_type not in TIME_TYPES


def best_pairs(scores: dict[tuple[str, str], float], floor: float) -> dict[str, tuple[str, float]]:
    """{left: (right, score)}: one-to-one, the highest-scoring pairs first, none below `floor`."""
    chosen: dict[str, tuple[str, float]] = {}
    used: set[str] = set()
    for (left, right), score in sorted(scores.items(), key=lambda item: (-item[1], item[0])):
        if score >= floor and left not in chosen and right not in used:
            chosen[left] = (right, score)
            used.add(right)
    return chosen
