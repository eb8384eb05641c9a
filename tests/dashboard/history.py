"""A generated history, written in bulk (fast enough for hundreds of thousands of results)."""

from __future__ import annotations

import math

from runner.store import Store

CHECKS = [  # (area, name, measurement names)
    ("availability", "test_key_pages_answer", ["response_seconds[/]"]),
    ("performance", "test_page_load_time", ["load_seconds"]),
    ("tls", "test_certificate_not_expiring", ["days_left"]),
    ("checkout", "test_checkout_end_to_end", ["cart_seconds", "payment_seconds", "confirmation_seconds"]),
    ("email", "test_mail_round_trip", ["delivery_seconds"]),
    ("payments", "test_payment_success_rate", ["success_percent"]),
    ("database", "test_database_latency", ["select_ms"]),
    ("backups", "test_newest_backup_age", []),
]


def outcome_for(name: str, step: int, steps: int) -> str:
    if name == "test_checkout_end_to_end" and steps - 6 <= step:
        return "fail"  # an open incident at the end
    if name == "test_mail_round_trip" and steps // 2 <= step < steps // 2 + 5:
        return "fail"  # a past incident
    if name == "test_certificate_not_expiring" and step >= steps - 3:
        return "degraded"
    if name == "test_newest_backup_age":
        return "skipped" if step % 2 else "pass"
    return "pass"


def generate(store: Store, now: float, days: float = 30, every: float = 3600, checks=CHECKS,
             copies: int = 1) -> int:
    """One run every `every` seconds over `days` with every check (× `copies`); returns results written."""
    steps = int(days * 86400 / every)
    db = store.db
    catalogue = [(f"checks/test_{area}.py::{name}{'_' + str(c) if c else ''}", area, name, measures)
                 for c in range(copies) for area, name, measures in checks]
    db.executemany("INSERT OR REPLACE INTO checks (check_id, name, area, cadence, severity, smoke, runbook, summary,"
                   " doc, last_seen) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   [(cid, cid.split("::")[1], area, "hourly", "critical", 0, None, f"{name} summary", "", now)
                    for cid, area, name, _ in catalogue])
    previous: dict[str, str] = {}
    written = 0
    db.execute("BEGIN")
    for step in range(steps):
        at = now - (steps - step) * every
        run_id = db.execute("INSERT INTO runs (started_at, finished_at, label, status, exit_code, run_dir) "
                            "VALUES (?,?,?,?,?,?)", (at, at + 5, "hourly", "ok", 0, None)).lastrowid
        for cid, _, name, measures in catalogue:
            outcome = outcome_for(name, step, steps)
            message = "step failed: HTTP 500" if outcome == "fail" else ""
            duration = 0.5 + 0.3 * math.sin(step / 10)
            rid = db.execute("INSERT INTO results (run_id, check_id, at, outcome, duration, message) VALUES (?,?,?,?,?,?)",
                             (run_id, cid, at, outcome, duration, message)).lastrowid
            if outcome != "skipped":
                db.executemany("INSERT INTO measurements (result_id, name, value) VALUES (?,?,?)",
                               [(rid, m, 1 + i + math.cos(step / 7 + i)) for i, m in enumerate(measures)])
                if previous.get(cid) != outcome:
                    db.execute("INSERT INTO flips (check_id, at, run_id, from_outcome, to_outcome, message) "
                               "VALUES (?,?,?,?,?,?)", (cid, at, run_id, previous.get(cid), outcome, message))
                    previous[cid] = outcome
            written += 1
    db.execute("COMMIT")
    return written
