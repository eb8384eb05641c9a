"""Every demo fault by name: the area modules' lists, collected (a name used twice is an error)."""

from __future__ import annotations

from demoshop.errors import UnknownFault
from demoshop.faults import browser, data, ops, web
from demoshop.faults.kinds import Fault

AREAS = (browser, data, ops, web)


def _by_name(faults: list[Fault]) -> dict[str, Fault]:
    found: dict[str, Fault] = {}
    for fault in faults:
        if fault.name in found:
            raise ValueError(f"fault {fault.name!r} declared twice")
        found[fault.name] = fault
    return found


FAULTS: dict[str, Fault] = _by_name([fault for area in AREAS for fault in area.FAULTS])


def get(name: str) -> Fault:
    try:
        return FAULTS[name]
    except KeyError:
        raise UnknownFault(f"unknown fault {name!r}; known faults: {', '.join(sorted(FAULTS))}") from None
