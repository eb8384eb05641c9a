"""The kinds of fault, each built by one call:

- flag fault: the marker file RUN/faults/<name> is the switch; the shop (or gateway, SMTP server)
  reads it per request through `flags.is_on` (demoshop/faults/flags.py names every flag).
- SQL fault: statements run as root on `dija_shop` when switched on, and others that restore it;
  written once as templates in the default shape's names (demoshop/shapes.py), run in the stack's;
  a statement may also be a function of the shape (for data only one shape has, as its URLs).
- process fault: stops a component; switching off restarts it on the same port.
- any other: a `Fault` with its own `on` and `off` functions of the stack.

Every active fault leaves a marker file RUN/faults/<name> (for flag faults the marker is the
flag), so `status` shows it and a later `up` re-applies it instead of silently healing it.
The area modules (web, browser, data, ops) list their faults; demoshop/faults/catalog.py collects them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from demoshop.faults import flags


@dataclass(frozen=True)
class Fault:
    """`on` and `off` are functions of the running stack (demoshop.stack.Stack, not imported: the
    stack imports the faults)."""

    name: str
    description: str
    on: Callable[[Any], None]
    off: Callable[[Any], None]
    kind: str = "custom"


def flag_fault(name: str, description: str) -> Fault:
    """The marker file is the switch: `name` must be a constant of demoshop/faults/flags.py."""
    if name not in flags.ALL:
        raise ValueError(f"flag fault {name!r} is not declared in demoshop/faults/flags.py")
    return Fault(name, description, on=lambda stack: None, off=lambda stack: None, kind="flag")


Statement = str | Callable[..., str]


def sql_fault(
    name: str, description: str, on_sql: list[Statement] | Statement, off_sql: list[Statement] | Statement
) -> Fault:
    """Run `on_sql` as root when switched on and `off_sql` (which must restore exactly) when off."""
    on_list = list(on_sql) if isinstance(on_sql, list) else [on_sql]
    off_list = list(off_sql) if isinstance(off_sql, list) else [off_sql]
    return Fault(
        name,
        description,
        on=lambda stack: run_sql(stack, on_list),
        off=lambda stack: run_sql(stack, off_list),
        kind="sql",
    )


def process_fault(name: str, description: str, component: str) -> Fault:
    """Stop `component`; off restarts it with the same command line and port and waits for it."""
    return Fault(
        name,
        description,
        on=lambda stack: stack.stop_component(component),
        off=lambda stack: stack.start_component(component),
        kind="process",
    )


def run_sql(stack, statements: list[Statement]) -> None:
    shape = stack.shape
    with stack.db_root() as conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(shape.sql(statement(shape) if callable(statement) else statement))
