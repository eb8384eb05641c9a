"""What the app's parts read from the running app (app.py and every blueprint import this module,
never each other): the shop's shape and its fault flags."""

from __future__ import annotations

from flask import current_app

from demoshop.faults import flags
from demoshop.shapes import Shape


def shape() -> Shape:
    return current_app.config["SHAPE"]


def fault_on(flag: str) -> bool:
    """Whether the fault flag `flag` (a constant of demoshop/faults/flags.py) is on, read per request."""
    return flags.is_on(flag, current_app.config["SHOP"]["faults_dir"])
