"""Fault switches: one registry, three kinds declared in one line each.

- flag fault: a file RUN/faults/<name>; the shop (or gateway, SMTP server) checks it per request.
- SQL fault: statements run as root on `dija_shop` when switched on, and others that restore it;
  written once as templates in the default shape's names (demoshop/shapes.py), run in the stack's;
  a statement may also be a function of the shape (for data only one shape has, as its URLs).
- process fault: stops a component; switching off restarts it on the same port.

Every active fault leaves a marker file RUN/faults/<name> (for flag faults the marker is the
flag), so `status` shows it and a later `up` re-applies it instead of silently healing it.
Area modules (web, data, ops, browser) register their faults with `register(...)`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from demoshop.errors import UnknownFault

if TYPE_CHECKING:
    from demoshop.stack import Stack


@dataclass(frozen=True)
class Fault:
    name: str
    description: str
    on: Callable[["Stack"], None]
    off: Callable[["Stack"], None]
    kind: str = "custom"


FAULTS: dict[str, Fault] = {}


def register(fault: Fault) -> Fault:
    if fault.name in FAULTS:
        raise ValueError(f"fault {fault.name!r} registered twice")
    FAULTS[fault.name] = fault
    return fault


def get(name: str) -> Fault:
    try:
        return FAULTS[name]
    except KeyError:
        raise UnknownFault(f"unknown fault {name!r}; known faults: {', '.join(sorted(FAULTS))}") from None


def flag_fault(name: str, description: str) -> Fault:
    """The marker file is the switch: the component checks RUN/faults/<name> per request."""
    return register(Fault(name, description, on=lambda stack: None, off=lambda stack: None, kind="flag"))


Statement = str | Callable[..., str]


def sql_fault(name: str, description: str, on_sql: list[Statement] | Statement,
              off_sql: list[Statement] | Statement) -> Fault:
    """Run `on_sql` as root when switched on and `off_sql` (which must restore exactly) when off."""
    on_list = list(on_sql) if isinstance(on_sql, list) else [on_sql]
    off_list = list(off_sql) if isinstance(off_sql, list) else [off_sql]
    return register(Fault(name, description, on=lambda stack: run_sql(stack, on_list),
                          off=lambda stack: run_sql(stack, off_list), kind="sql"))


def process_fault(name: str, description: str, component: str) -> Fault:
    """Stop `component`; off restarts it with the same command line and port and waits for it."""
    return register(Fault(name, description, on=lambda stack: stack.stop_component(component),
                          off=lambda stack: stack.start_component(component), kind="process"))


def run_sql(stack: "Stack", statements: list[Statement]) -> None:
    shape = stack.shape
    with stack.db_root() as conn, conn.cursor() as cur:
        for statement in statements:
            cur.execute(shape.sql(statement(shape) if callable(statement) else statement))


# the area modules register their faults on import
from demoshop.faults import browser, data, ops, web  # noqa: E402,F401
