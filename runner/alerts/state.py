"""The alert state machine, as pure functions: no clock, no store, no network.

`transition(previous states, this run's records, policies, now) -> (new states, events)`.

Per check: a failing result ("fail" or "error") below `failure_threshold` is PENDING and
silent; reaching it opens an incident and queues an "incident" notice. While the incident is
open and its notice was delivered, a "reminder" is queued every `reminder_interval`. After
`success_threshold` passing runs ("pass" or "degraded") it closes and, when
`send_on_resolved`, queues "resolved" for the channels that were told about the incident.
"degraded" is queued once per degraded spell when `notify_degraded`. Skipped results change
nothing. While an incident is open, a failing record whose `problems` list names a problem not
yet announced queues one "updated" notice (naming what is new) for the channels that were told.
`firing()` lists the open incidents of this run's checks: what Alertmanager is told again each run.

A queued notice stays in the state until every channel it is routed to has taken it (or
refused it for good): `acknowledge()` records that after a send. So a failed delivery is
retried at the next run, a restart (state reloaded from the store) neither repeats nor
forgets a notice, and notices held during a maintenance window go out when it ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace

from runner.records import CheckRecord

FAILING = ("fail", "error")
PASSING = ("pass", "degraded")
SNAPSHOT_KEYS = (
    "id",
    "name",
    "area",
    "cadence",
    "severity",
    "runbook",
    "alert",
    "summary",
    "doc",
    "outcome",
    "message",
    "problems",
    "measurements",
    "evidence",
    "report",
    "at",
)


@dataclass(frozen=True)
class Policy:
    failure_threshold: int = 2
    success_threshold: int = 2
    reminder_interval: float = 3600.0  # seconds; 0 = no reminders
    send_on_resolved: bool = True
    notify_degraded: bool = False


@dataclass(frozen=True)
class Policies:
    """The default policy and per-check overrides (by check id)."""

    default: Policy = Policy()
    overrides: Mapping[str, Policy] = field(default_factory=dict)

    def for_check(self, check_id: str) -> Policy:
        return self.overrides.get(check_id, self.default)


@dataclass(frozen=True)
class AlertState:
    status: str = "ok"  # ok | pending | failing (an incident is open)
    failures: int = 0  # consecutive failing runs
    successes: int = 0  # consecutive passing runs
    degraded_runs: int = 0  # consecutive degraded runs
    failing_since: float | None = None  # the first failure of the current streak
    opened_at: float | None = None  # when the incident opened
    notified_at: float | None = None  # last incident notice or reminder fully delivered
    told: tuple[str, ...] = ()  # channels that took this incident's notice
    problems_told: tuple[str, ...] = ()  # the incident's problems announced so far (notice and updates)
    degraded_told: bool = False
    last: Mapping = field(default_factory=dict)  # snapshot of the newest counted record
    queue: tuple[Mapping, ...] = ()  # notices raised, not yet taken by every channel

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping) -> AlertState:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["told"] = tuple(known.get("told", ()))
        known["problems_told"] = tuple(known.get("problems_told", ()))
        known["queue"] = tuple(dict(item) for item in known.get("queue", ()))
        return cls(**known)


@dataclass(frozen=True)
class Event:
    """A notice to deliver: `check` is the check's newest snapshot (name, message, measurements...)."""

    kind: str  # incident | reminder | updated | degraded | resolved | offline | firing (Alertmanager only)
    check_id: str
    raised_at: float
    check: Mapping
    since: float | None = None
    only_channels: tuple[str, ...] | None = None  # resolved: only the channels told of the incident
    delivered: tuple[str, ...] = ()  # channels that already took it
    new_problems: tuple[str, ...] = ()  # updated: the problems the incident gained

    @property
    def key(self) -> str:
        return f"{self.kind}@{self.raised_at}"

    @property
    def severity(self) -> str:
        return self.check.get("severity") or "warning"

    @property
    def could_not_run(self) -> bool:
        return self.check.get("outcome") == "error"


def transition(
    states: Mapping[str, AlertState], records: Iterable[CheckRecord], policies: Policies, now: float
) -> tuple[dict[str, AlertState], list[Event]]:
    """Advance every check's state with this run's records; return the states and every queued notice."""
    new = dict(states)
    for record in records:
        if record["outcome"] in (*FAILING, *PASSING):
            check_id = record["id"]
            new[check_id] = step(new.get(check_id, AlertState()), record, policies.for_check(check_id), now)
    for check_id, state in new.items():
        new[check_id] = remind(state, policies.for_check(check_id), now)
    return new, [event for check_id in sorted(new) for event in pending_events(check_id, new[check_id])]


def step(state: AlertState, record: CheckRecord, policy: Policy, now: float) -> AlertState:
    """One counted result for one check."""
    snapshot = {k: record[k] for k in SNAPSHOT_KEYS if k in record}
    if record["outcome"] in FAILING:
        return _failed(replace(state, last=snapshot), policy, now)
    return _passed(replace(state, last=snapshot), record["outcome"] == "degraded", policy, now)


def _failed(state: AlertState, policy: Policy, now: float) -> AlertState:
    failures = state.failures + 1
    state = replace(
        state,
        failures=failures,
        successes=0,
        degraded_runs=0,
        failing_since=state.failing_since if state.failures else now,
    )
    if state.status == "failing":
        return _grown(state, now)
    if failures < policy.failure_threshold:
        return replace(state, status="pending")
    queue = _without(state.queue, "degraded") + ({"kind": "incident", "at": now, "delivered": []},)
    return replace(
        state,
        status="failing",
        opened_at=now,
        notified_at=None,
        told=(),
        queue=queue,
        problems_told=tuple(state.last.get("problems") or ()),
    )


def _grown(state: AlertState, now: float) -> AlertState:
    """An open incident whose check reports a problem not announced yet: one "updated" notice."""
    new = [p for p in state.last.get("problems") or () if p not in state.problems_told]
    if not new:
        return state
    state = replace(state, problems_told=state.problems_told + tuple(new))
    if not state.told:  # the incident notice itself is still to go out, with the newest problems
        return state
    item = {"kind": "updated", "at": now, "delivered": [], "channels": list(state.told), "new": new}
    return replace(state, queue=state.queue + (item,))


def _passed(state: AlertState, degraded: bool, policy: Policy, now: float) -> AlertState:
    state = replace(
        state, failures=0, successes=state.successes + 1, degraded_runs=state.degraded_runs + 1 if degraded else 0
    )
    if state.status == "pending":
        state = replace(state, status="ok", failing_since=None)
    if state.status == "failing":
        if state.successes < policy.success_threshold:
            return state
        state = _resolve(state, policy, now)
    if not degraded:
        return replace(state, degraded_told=False, queue=_without(state.queue, "degraded"))
    wants_notice = policy.notify_degraded and state.degraded_runs >= policy.failure_threshold
    if wants_notice and not state.degraded_told and not _queued(state.queue, "degraded"):
        return replace(state, queue=state.queue + ({"kind": "degraded", "at": now, "delivered": []},))
    return state


def _resolve(state: AlertState, policy: Policy, now: float) -> AlertState:
    queue = _without(state.queue, "incident", "reminder", "updated")
    if policy.send_on_resolved and state.told:
        queue += (
            {
                "kind": "resolved",
                "at": now,
                "delivered": [],
                "channels": list(state.told),
                "since": state.failing_since,
            },
        )
    return replace(
        state, status="ok", failing_since=None, opened_at=None, notified_at=None, told=(), problems_told=(), queue=queue
    )


def remind(state: AlertState, policy: Policy, now: float) -> AlertState:
    """Queue a reminder when the incident's last notice is older than the reminder interval."""
    if (
        state.status != "failing"
        or not policy.reminder_interval
        or state.notified_at is None
        or now - state.notified_at < policy.reminder_interval
        or _queued(state.queue, "reminder")
    ):
        return state
    return replace(state, queue=state.queue + ({"kind": "reminder", "at": now, "delivered": []},))


def pending_events(check_id: str, state: AlertState) -> list[Event]:
    return [
        Event(
            item["kind"],
            check_id,
            item["at"],
            state.last,
            item.get("since", state.failing_since),
            tuple(item["channels"]) if "channels" in item else None,
            tuple(item["delivered"]),
            tuple(item.get("new", ())),
        )
        for item in state.queue
    ]


def firing(states: Mapping[str, AlertState], records: Iterable[CheckRecord], now: float) -> list[Event]:
    """The open incidents of the checks in this run, to be re-posted (Alertmanager's lease)."""
    ran = sorted({r["id"] for r in records if r["outcome"] in (*FAILING, *PASSING)})
    return [
        Event("firing", check_id, now, states[check_id].last, states[check_id].failing_since)
        for check_id in ran
        if check_id in states and states[check_id].status == "failing"
    ]


def acknowledge(
    state: AlertState, event: Event, took: Iterable[str], gave_up: Iterable[str], routed: Iterable[str], now: float
) -> AlertState:
    """Record a delivery attempt: `took` accepted the notice, `gave_up` refused it for good.

    The notice leaves the queue once every routed channel took it or gave up.
    """
    took, done = set(took), set(took) | set(gave_up)
    queue, finished = [], False
    for item in state.queue:
        if item["kind"] == event.kind and item["at"] == event.raised_at:
            item = {**item, "delivered": sorted(set(item["delivered"]) | done)}
            finished = set(routed) <= set(item["delivered"])
            if finished:
                continue
        queue.append(item)
    told = tuple(sorted(set(state.told) | took)) if event.kind in ("incident", "reminder") else state.told
    state = replace(state, queue=tuple(queue), told=told)
    if not finished:
        return state
    if event.kind in ("incident", "reminder"):
        return replace(state, notified_at=now)
    return replace(state, degraded_told=True) if event.kind == "degraded" else state


def _queued(queue: tuple[Mapping, ...], kind: str) -> bool:
    return any(item["kind"] == kind for item in queue)


def _without(queue: tuple[Mapping, ...], *kinds: str) -> tuple[Mapping, ...]:
    return tuple(item for item in queue if item["kind"] not in kinds)
