"""Prometheus names for the checks' measurements: base units, ratios, and the item as a label.

A check records a figure in the unit its threshold is written in (`days_left=61`, `select1_ms=3`,
`payment_success_percent=99.2`, `age_minutes[orders]=12`): the history, the dashboard and the
alerts keep those names. The exposition converts them here, by the name's unit, to Prometheus'
conventions: seconds, bytes, ratios 0-1 (`dija_measurement_select1_seconds`), and the item in
brackets becomes a label named for what it is (`dija_measurement_age_seconds{data_class="orders"}`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# serve-metrics' port: outside 9100-9999 and the allocations after it in Prometheus' default port
# allocations list (9108, the old default, is the Graphite exporter's; 9464 OpenTelemetry's)
DEFAULT_PORT = 19464

PREFIX = "dija_measurement_"
DAY = 86400.0
# a unit at the end of a measurement's name → Prometheus' base unit and the factor to it
SUFFIXES = {
    "_ms": ("_seconds", 0.001),
    "_minutes": ("_seconds", 60.0),
    "_hours": ("_seconds", 3600.0),
    "_days": ("_seconds", DAY),
    "_kb": ("_bytes", 1024.0),  # the checks' KB are KiB (bytes / 1024)
    "_mib": ("_bytes", 2.0**20),
    "_percent": ("_ratio", 0.01),
}
# names whose unit is not a suffix: → (Prometheus name without the prefix, factor)
RENAMED = {
    "days_left": ("time_left_seconds", DAY),
    "chain_days_left": ("chain_time_left_seconds", DAY),
    "days_to_eol": ("time_to_eol_seconds", DAY),
    "minutes_since_run": ("time_since_run_seconds", 60.0),
    "hsts_max_age": ("hsts_max_age_seconds", 1.0),
}
# what the item in brackets is, by measurement (default: "item")
ITEM_LABELS = {
    "response_seconds": "path",
    "server_seconds": "path",
    "ttfb_seconds": "path",
    "load_seconds": "path",
    "dom_content_loaded_seconds": "path",
    "disk_free_percent": "path",
    "step_seconds": "step",
    "age_minutes": "data_class",
    "minutes_since_run": "job",
    "days_to_eol": "product",
}


@dataclass(frozen=True)
class Exposed:
    """How one measurement is exposed: metric name, factor to its base unit, the item's label."""

    metric: str
    factor: float
    label: str
    item: str

    def value(self, recorded: float) -> float:
        return recorded * self.factor


def expose(measurement: str) -> Exposed:
    """`age_minutes[orders]` → dija_measurement_age_seconds, ×60, label data_class="orders"."""
    base, _, item = measurement.partition("[")
    name = re.sub(r"[^a-zA-Z0-9_]+", "_", base).strip("_").lower() or "value"
    label = ITEM_LABELS.get(name, "item")
    metric, factor = _base_unit(name)
    return Exposed(PREFIX + metric, factor, label, item.rstrip("]"))


def _base_unit(name: str) -> tuple[str, float]:
    if name in RENAMED:
        return RENAMED[name]
    for suffix, (unit, factor) in SUFFIXES.items():
        if name.endswith(suffix):
            return name[: -len(suffix)] + unit, factor
    return name, 1.0
