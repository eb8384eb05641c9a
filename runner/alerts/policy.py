"""Alert policies from the config: [alerts] defaults, [alerts.checks."name"] and `alert(...)` marker overrides."""

from __future__ import annotations

from typing import Iterable, Mapping

from runner.alerts.state import Policies, Policy

FIELDS = ("failure_threshold", "success_threshold", "reminder_interval_minutes", "send_on_resolved",
          "notify_degraded")


def to_policy(values: Mapping, base: Policy | None = None) -> Policy:
    """A Policy from config-style values (None/missing: keep `base`)."""
    base = base or Policy()
    given = {k: v for k, v in values.items() if k in FIELDS and v is not None}
    minutes = given.pop("reminder_interval_minutes", None)
    if minutes is not None:
        given["reminder_interval"] = float(minutes) * 60
    return Policy(**{**base.__dict__, **given})


def policies(alerts, checks: Iterable[Mapping]) -> Policies:
    """Per-check overrides for the checks we know (records and state snapshots: id, name, alert)."""
    default = to_policy(alerts.model_dump())
    overrides = {}
    for check in checks:
        config = alerts.checks.get(check.get("id")) or alerts.checks.get(check.get("name") or "")
        marker = check.get("alert") or {}
        if config is None and not marker:
            continue
        policy = to_policy(marker, default)  # the config wins over the marker: ops can always tune
        overrides[check["id"]] = to_policy(config.model_dump(), policy) if config else policy
    return Policies(default, overrides)
