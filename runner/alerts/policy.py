"""Alert policies from the config, most specific last: the [alerts] defaults, the cadence's defaults
(CADENCE_DEFAULTS, then [alerts.cadences.NAME]), the check's `alert(...)` marker, [alerts.checks."name"].

Critical and hourly checks count consecutive runs (no alert for a blip); a daily, weekly or
monthly check alerts on its first confirmed failure (retested within the run) and resolves on
its first pass: a monthly restore test must not wait a month.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from runner.alerts.state import Policies, Policy

FIELDS = ("failure_threshold", "success_threshold", "reminder_interval_minutes", "send_on_resolved", "notify_degraded")
FIRST_CONFIRMED = {"failure_threshold": 1, "success_threshold": 1}
CADENCE_DEFAULTS: dict[str, Mapping] = {"daily": FIRST_CONFIRMED, "weekly": FIRST_CONFIRMED, "monthly": FIRST_CONFIRMED}


def to_policy(values: Mapping, base: Policy | None = None) -> Policy:
    """A Policy from config-style values (None/missing: keep `base`)."""
    base = base or Policy()
    given = {k: v for k, v in values.items() if k in FIELDS and v is not None}
    minutes = given.pop("reminder_interval_minutes", None)
    if minutes is not None:
        given["reminder_interval"] = float(minutes) * 60
    return Policy(**{**base.__dict__, **given})


def cadence_policy(alerts, cadence: str | None, default: Policy) -> Policy:
    """The policy of a cadence: the built-in cadence defaults, then [alerts.cadences.NAME]."""
    policy = to_policy(CADENCE_DEFAULTS.get(cadence or "", {}), default)
    configured = alerts.cadences.get(cadence) if cadence else None
    return to_policy(configured.model_dump(), policy) if configured else policy


def policies(alerts, checks: Iterable[Mapping]) -> Policies:
    """Per-check policies for the checks we know (records and state snapshots: id, name, cadence, alert)."""
    default = to_policy(alerts.model_dump())
    overrides = {}
    for check in checks:
        config = alerts.checks.get(check.get("id")) or alerts.checks.get(check.get("name") or "")
        policy = cadence_policy(alerts, check.get("cadence"), default)
        policy = to_policy(check.get("alert") or {}, policy)  # the config wins over the marker: ops can always tune
        policy = to_policy(config.model_dump(), policy) if config else policy
        if policy != default:
            overrides[check["id"]] = policy
    return Policies(default, overrides)
