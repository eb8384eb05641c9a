"""Service-level objectives from the guide's targets ([slo]): 30-day attainment and error budget left.

Each objective is a share of good events among all events over the window:
- key pages availability: results of the key-pages check that pass (or are degraded);
- HTTP error rate: requests not answered 5xx, summed over the error-rate check's hourly windows;
- payment success: the payment check's success rate, averaged over its results;
- e-mail delivered in time: round trips delivered within the limit (an undelivered probe is a bad event).
The error budget is what the target allows to fail (100 − target); "left" is its unspent share.
"""

from __future__ import annotations

from dataclasses import dataclass

from runner.store import DAY, Store


@dataclass(frozen=True)
class Objective:
    key: str
    title: str
    target: float  # percent of good events
    attained: float | None  # percent over the window, None: no data
    events: int

    @property
    def budget_left(self) -> float | None:
        """Percent of the error budget not yet spent (negative: overspent)."""
        if self.attained is None:
            return None
        return 100.0 * (1 - (100.0 - self.attained) / (100.0 - self.target))

    @property
    def met(self) -> bool | None:
        return None if self.attained is None else self.attained >= self.target


def objectives(store: Store, slo, now: float) -> list[Objective]:
    since = now - slo.window_days * DAY
    up, counted = _up_share(store, slo.key_pages_check, since)
    key_pages = Objective(
        "key_pages_availability", "Key pages available", slo.key_pages_availability_percent, up, counted
    )
    requests, errors = _sums(store, slo.http_error_rate_check, since, "requests_last_hour", "http_5xx")
    http = Objective(
        "http_error_rate",
        f"HTTP requests without a 5xx (error rate < {slo.http_error_rate_max_percent:g} %)",
        100.0 - slo.http_error_rate_max_percent,
        100.0 * (1 - errors / requests) if requests else None,
        int(requests),
    )
    rate, samples = _mean(store, slo.payment_success_check, since, "payment_success_percent")
    payments = Objective(
        "payment_success",
        f"Payments succeeding (> {slo.payment_success_min_percent:g} %)",
        slo.payment_success_min_percent,
        rate,
        samples,
    )
    in_time, probes = _delivered_in_time(store, slo.email_check, since, slo.email_delivery_max_seconds)
    email = Objective(
        "email_delivery",
        f"E-mails delivered in < {slo.email_delivery_max_seconds / 60:g} min",
        slo.email_delivered_in_time_percent,
        in_time,
        probes,
    )
    return [key_pages, http, payments, email]


# through the (check_id, at) index: the check's ids first, then its window
RESULTS = (
    "SELECT r.id, r.outcome FROM results r WHERE r.check_id IN (SELECT check_id FROM checks"
    " WHERE name = :check OR substr(name, 1, length(:check) + 1) = :check || '[')"  # or name[chromium]
    " AND r.at >= :since"
    " AND r.outcome IN ('pass','degraded','fail','error')"
)


def _up_share(store: Store, check: str, since: float) -> tuple[float | None, int]:
    up, counted = store.db.execute(
        f"SELECT SUM(outcome IN ('pass','degraded')), COUNT(*) FROM ({RESULTS})", {"check": check, "since": since}
    ).fetchone()
    return (100.0 * up / counted if counted else None), counted


def _measured(store: Store, check: str, since: float, names: tuple[str, ...]) -> list[tuple]:
    marks = ",".join(f":name{i}" for i in range(len(names)))
    return store.db.execute(
        f"SELECT m.result_id, m.name, m.value FROM measurements m JOIN ({RESULTS}) r "
        f"ON r.id = m.result_id WHERE m.name IN ({marks})",
        {"check": check, "since": since, **{f"name{i}": n for i, n in enumerate(names)}},
    ).fetchall()


def _sums(store: Store, check: str, since: float, total: str, bad: str) -> tuple[float, float]:
    rows = _measured(store, check, since, (total, bad))
    return (sum(v for _, n, v in rows if n == total), sum(v for _, n, v in rows if n == bad))


def _mean(store: Store, check: str, since: float, name: str) -> tuple[float | None, int]:
    values = [v for _, _, v in _measured(store, check, since, (name,))]
    return (sum(values) / len(values) if values else None), len(values)


def _delivered_in_time(store: Store, check: str, since: float, limit: float) -> tuple[float | None, int]:
    _, probes = _up_share(store, check, since)
    delivered = sum(1 for _, _, v in _measured(store, check, since, ("delivery_seconds",)) if v <= limit)
    return (100.0 * delivered / probes if probes else None), probes
