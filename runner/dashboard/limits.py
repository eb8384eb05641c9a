"""Which measurements are worth a chart, and the thresholds (from [thresholds]) drawn on them."""

from __future__ import annotations

from dataclasses import dataclass

# measurement (its name before any "[item]") → (warn key, fail key, lower values are worse)
LIMITS = {
    "response_seconds": ("page_load_warn_seconds", "page_load_fail_seconds", False),
    "load_seconds": ("page_load_warn_seconds", "page_load_fail_seconds", False),
    "server_seconds": ("page_load_warn_seconds", "page_load_fail_seconds", False),
    "days_left": ("cert_warn_days", "cert_fail_days", True),
    "chain_days_left": ("cert_warn_days", "cert_fail_days", True),
    "select1_ms": (None, "db_latency_fail_ms", False),
    "connections_percent": (None, "db_connections_fail_percent", False),
    "delivery_seconds": ("email_warn_seconds", "email_fail_seconds", False),
    "payment_success_percent": (None, "payment_success_min_percent", True),
    "http_5xx_percent": (None, "http_5xx_max_percent", False),
    "disk_free_percent": (None, "disk_free_min_percent", True),
    "memory_available_percent": (None, "memory_available_min_percent", True),
    "load_per_core": (None, "load_per_core_max", False),
    "busiest_ip_requests": (None, "requests_per_ip_max", False),
}
# bookkeeping, not health: how much a check looked at, or its own run time
NOT_CHARTED_SUFFIXES = ("_checked", "_sufficient")
NOT_CHARTED = {"duration_seconds"}


@dataclass(frozen=True)
class Limit:
    warn: float | None
    fail: float | None
    lower_is_worse: bool


def limit_for(measurement: str, thresholds) -> Limit | None:
    entry = LIMITS.get(measurement.partition("[")[0])
    if entry is None:
        return None
    warn, fail, lower = entry
    return Limit(getattr(thresholds, warn) if warn else None, getattr(thresholds, fail), lower)


def worth_charting(measurement: str, series: list, thresholds) -> bool:
    """Charted: a measurement with a threshold, or one that moved in the window (a flat count of zero says
    nothing a green line does not)."""
    if measurement in NOT_CHARTED or measurement.partition("[")[0].endswith(NOT_CHARTED_SUFFIXES):
        return False
    if limit_for(measurement, thresholds):
        return True
    return min(low for _, low, _ in series) != max(high for _, _, high in series)
