"""The check record: what the pytest plugin writes for each check (results.json, progress lines) and
the store and alerts read. A plain dict, typed; `id` and `outcome` are always there (from_json fills
them where a run broke), the rest only when the plugin had them. CheckStatus is what the store gives
back for the dashboard, status page and metrics: a known check and its newest result.
"""

from __future__ import annotations

from typing import Any, Literal, Required, TypedDict

Outcome = Literal["pass", "degraded", "fail", "error", "skipped", "collected"]
# the area marker's values: a check's part of the shop, one group on the dashboard and status page
AREAS: tuple[str, ...] = (
    "availability",
    "performance",
    "tls",
    "checkout",
    "compliance",
    "email",
    "database",
    "orders",
    "payments",
    "business",
    "inventory",
    "content",
    "security",
    "logs",
    "server",
    "backups",
)


class Attempt(TypedDict):
    outcome: Outcome
    message: str
    duration: float
    report: str  # the run report, relative to the reports folder (added by the alert step)


class CheckRecord(TypedDict, total=False):
    id: Required[str]  # the pytest node id
    outcome: Required[Outcome]
    name: str
    module: str
    area: str
    cadence: str
    severity: str
    smoke: bool
    runbook: str | None
    alert: dict[str, Any] | None
    shop_data: dict[str, Any] | None
    summary: str  # the docstring's first line: the alert's text
    doc: str
    message: str
    problems: list[str]
    measurements: dict[str, float]
    evidence: list[str]
    attempts: list[Attempt]
    duration: float
    report: str  # the run report, relative to the reports folder (added by the alert step)


class CheckStatus(TypedDict):
    check_id: str
    name: str
    area: str | None
    cadence: str | None
    severity: str | None
    smoke: int | None
    runbook: str | None
    summary: str | None
    doc: str | None
    last_seen: float | None
    outcome: Outcome | None  # None: the check has no result yet
    message: str | None
    at: float | None
    duration: float | None
    run_id: int | None


def from_json(raw: dict) -> CheckRecord:
    """A record read back from results.json or a progress line: named, and an error when it says no outcome."""
    raw.setdefault("name", raw["id"].split("::", 1)[-1])
    raw.setdefault("outcome", "error")
    return raw
