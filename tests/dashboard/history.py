"""A generated history, written in bulk (fast enough for hundreds of thousands of results)."""

from __future__ import annotations

import math

from runner.store import Store

CHECKS = [  # (area, name, measurement names)
    ("availability", "test_key_pages_answer", ["response_seconds[/]"]),
    ("performance", "test_page_load_time", ["load_seconds"]),
    ("tls", "test_certificate_not_expiring", ["days_left"]),
    ("checkout", "test_checkout_end_to_end", ["cart_seconds", "payment_seconds", "confirmation_seconds"]),
    ("email", "test_email_round_trip", ["delivery_seconds"]),
    ("payments", "test_payment_success_rate", ["payment_success_percent"]),
    ("database", "test_database_latency", ["select1_ms"]),
    ("backups", "test_newest_backup_age", []),
]
MORE_CHECKS = [  # with CHECKS: 12 kinds of check, × 5 copies = 60 checks
    ("logs", "test_http_error_rate", ["requests_last_hour", "http_5xx", "http_5xx_percent"]),
    ("security", "test_security_headers", ["missing_headers"]),
    ("content", "test_seo_tags", ["pages_checked"]),
    ("server", "test_disk_free", ["disk_free_percent[/var]"]),
]
FAILURE_MESSAGE = "step payment: POST /var/www/shop/checkout.php on db01.internal: HTTP 500 (load_seconds=4.2)"


def outcome_for(name: str, step: int, steps: int) -> str:
    if name == "test_checkout_end_to_end" and steps - 6 <= step:
        return "fail"  # an open incident at the end
    if name == "test_email_round_trip" and steps // 2 <= step < steps // 2 + 5:
        return "fail"  # a past incident
    if name == "test_certificate_not_expiring" and step >= steps - 3:
        return "degraded"
    if name == "test_newest_backup_age":
        return "skipped" if step % 2 else "pass"
    return "pass"


def measured(name: str, index: int, step: int) -> float:
    if name == "http_5xx":
        return float(step % 40 == 0)
    if name == "requests_last_hour":
        return 400.0
    if name == "payment_success_percent":
        return 99.0 + math.sin(step / 9)
    return 1 + index + math.cos(step / 7 + index)


def generate(
    store: Store, now: float, days: float = 30, every: float = 3600, checks=CHECKS, copies: int = 1, run_dirs=None
) -> int:
    """One run every `every` seconds over `days` with every check (× `copies`); returns results written.
    With `run_dirs` (a folder), each run names a folder in it (not created) as its report's place."""
    steps = int(days * 86400 / every)
    db = store.db
    catalogue = [
        (f"checks/test_{area}.py::{name}{'_' + str(c) if c else ''}", area, name, measures)
        for c in range(copies)
        for area, name, measures in checks
    ]
    db.executemany(
        "INSERT OR REPLACE INTO checks (check_id, name, area, cadence, severity, smoke, runbook, summary,"
        " doc, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (cid, cid.split("::")[1], area, "hourly", "critical", 0, None, f"{name} summary", "", now)
            for cid, area, name, _ in catalogue
        ],
    )
    previous: dict[str, str] = {}
    written = 0
    db.execute("BEGIN")
    for step in range(steps):
        at = now - (steps - step) * every
        run_dir = str(run_dirs / f"run{step}") if run_dirs else None
        run_id = db.execute(
            "INSERT INTO runs (started_at, finished_at, label, status, exit_code, run_dir) VALUES (?,?,?,?,?,?)",
            (at, at + 5, "hourly", "ok", 0, run_dir),
        ).lastrowid
        for cid, _, name, measures in catalogue:
            outcome = outcome_for(name, step, steps)
            message = FAILURE_MESSAGE if outcome == "fail" else ""
            duration = 0.5 + 0.3 * math.sin(step / 10)
            rid = db.execute(
                "INSERT INTO results (run_id, check_id, at, outcome, duration, message) VALUES (?,?,?,?,?,?)",
                (run_id, cid, at, outcome, duration, message),
            ).lastrowid
            if outcome not in ("skipped", "fail"):
                db.executemany(
                    "INSERT INTO measurements (result_id, name, value) VALUES (?,?,?)",
                    [(rid, m, measured(m, i, step)) for i, m in enumerate(measures)],
                )
            if outcome != "skipped" and previous.get(cid) != outcome:
                db.execute(
                    "INSERT INTO flips (check_id, at, run_id, from_outcome, to_outcome, message) VALUES (?,?,?,?,?,?)",
                    (cid, at, run_id, previous.get(cid), outcome, message),
                )
                previous[cid] = outcome
            written += 1
    db.execute("COMMIT")
    store.rebuild_rollups()
    return written
