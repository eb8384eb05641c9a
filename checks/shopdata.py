"""Small helpers shared by the checks that read the shop's own data (not a check module)."""

from __future__ import annotations

MAX_LISTED = 10


def listing(values, total: int | None = None, limit: int = MAX_LISTED) -> str:
    """'991, 992, 993' or '991, ..., 1000 (and 5 more)': enough to find the rows, short enough to read.

    `total` is the full count when `values` holds only the first rows of a longer result."""
    values = [str(v) for v in values]
    total = len(values) if total is None else total
    shown = ", ".join(values[:limit])
    hidden = total - min(len(values), limit)
    return f"{shown} (and {hidden} more)" if hidden > 0 else shown


def money(value) -> str:
    return f"{float(value):,.2f}"
