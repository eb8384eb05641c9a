"""History store: recording, flips, uptime, series, migrations, retention, concurrent writers."""

import multiprocessing
import sqlite3

from runner.store import DAY, MIGRATIONS, Store

T0 = 1_700_000_000.0


def check(name, outcome, **extra):
    return {
        "id": f"checks/test_x.py::{name}",
        "name": name,
        "area": "web",
        "cadence": "hourly",
        "severity": "critical",
        "outcome": outcome,
        "message": extra.pop("message", ""),
        "duration": 0.5,
        "measurements": extra.pop("measurements", {}),
        **extra,
    }


def test_a_run_is_recorded_with_results_measurements_and_catalogue(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    store.record_run(
        "hourly",
        [check("test_a", "pass", measurements={"load_seconds": 1.5}), check("test_b", "fail", message="HTTP 500")],
        status="failed",
        exit_code=1,
        at=T0,
    )
    states = {s["name"]: s for s in store.latest_states()}
    assert states["test_a"]["outcome"] == "pass" and states["test_b"]["message"] == "HTTP 500"
    assert store.measurement_series("checks/test_x.py::test_a", "load_seconds", 0) == [(T0, 1.5)]
    assert store.runs()[0]["status"] == "failed"


def test_flips_record_state_changes_only(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    for i, outcome in enumerate(["pass", "pass", "fail", "fail", "skipped", "pass"]):
        store.record_run("hourly", [check("test_a", outcome)], status="ok", exit_code=0, at=T0 + i * 60)
    flips = [(f["from_outcome"], f["to_outcome"]) for f in store.flips(0)]
    assert flips == [(None, "pass"), ("pass", "fail"), ("fail", "pass")]


def test_uptime_counts_degraded_as_up_and_ignores_skipped(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    for i, outcome in enumerate(["pass", "degraded", "fail", "skipped", "pass"]):
        store.record_run("hourly", [check("test_a", outcome)], status="ok", exit_code=0, at=T0 + i)
    assert store.uptime("checks/test_x.py::test_a", T0) == 75.0
    assert store.uptime("checks/test_x.py::test_a", T0 + 100) is None


def test_migration_from_an_empty_file_sets_the_version_and_is_idempotent(tmp_path):
    path = tmp_path / "h.sqlite3"
    Store(path).close()
    store = Store(path)
    assert store.version == len(MIGRATIONS)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_retention_prunes_old_passes_in_batches_but_keeps_failures_longer(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    now = T0 + 500 * DAY
    store.record_run("hourly", [check("test_a", "pass", measurements={"x": 1})] * 1, status="ok", exit_code=0, at=T0)
    store.record_run("hourly", [check("test_b", "fail")], status="failed", exit_code=1, at=T0)
    store.record_run("hourly", [check("test_a", "pass")], status="ok", exit_code=0, at=now - DAY)
    assert store.prune(keep_days=400, now=now, batch=1) == 1
    remaining = store.db.execute("SELECT check_id, outcome FROM results ORDER BY id").fetchall()
    assert [tuple(r) for r in remaining] == [("checks/test_x.py::test_b", "fail"), ("checks/test_x.py::test_a", "pass")]
    assert store.db.execute("SELECT COUNT(*) FROM measurements").fetchone()[0] == 0
    store.prune(keep_days=400, keep_failures_days=450, now=now)
    assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1


def test_totals_count_pruned_results_and_notifications_so_that_counters_never_go_down(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    now = T0 + 500 * DAY
    store.record_run("hourly", [check("test_a", "pass"), check("test_b", "fail")], status="failed", exit_code=1, at=T0)
    store.record_run("hourly", [check("test_a", "pass")], status="ok", exit_code=0, at=now)
    store.record_notification("ops-mail", "incident", ["test_b"], True, at=T0)
    store.record_notification("ops-mail", "incident", ["test_b"], False, at=T0)
    store.record_notification("slack", "incident", ["test_b"], False, permanent=True, at=now)
    before = store.totals()
    assert before == {
        "results": {"pass": 2, "fail": 1},
        "notifications": {("ops-mail", "delivered"): 1, ("ops-mail", "failed"): 1, ("slack", "rejected"): 1},
    }
    store.prune(keep_days=400, keep_failures_days=450, now=now, batch=1)
    assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1  # two pruned ...
    assert store.db.execute("SELECT COUNT(*) FROM notifications").fetchone()[0] == 1
    assert store.totals() == before  # ... and still counted
    store.record_run("hourly", [check("test_a", "error")], status="error", exit_code=1, at=now)
    assert store.totals()["results"] == {"pass": 2, "fail": 1, "error": 1}


def _write_runs(path, label, count):
    store = Store(path)
    for _ in range(count):
        store.record_run(label, [check(f"test_{label}", "pass")], status="ok", exit_code=0)
    store.close()


def test_two_processes_writing_at_once_are_both_recorded(tmp_path):
    path = tmp_path / "h.sqlite3"
    Store(path).close()
    workers = [multiprocessing.Process(target=_write_runs, args=(path, label, 50)) for label in ("one", "two")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert [w.exitcode for w in workers] == [0, 0]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("SELECT label, COUNT(*) FROM runs GROUP BY label ORDER BY label").fetchall() == [
        ("one", 50),
        ("two", 50),
    ]


def test_threads_creating_a_new_history_at_the_same_moment_all_open_it(tmp_path):
    import threading

    failures = []
    for attempt in range(40):  # without the WAL retry, several of 40 attempts fail with "database is locked"
        path, start = tmp_path / f"new-{attempt}.sqlite3", threading.Barrier(4)

        def open_new(path=path, start=start):
            start.wait()
            try:
                Store(path).close()
            except Exception as exc:  # the failure this test is about: recorded, then asserted empty
                failures.append(repr(exc))

        threads = [threading.Thread(target=open_new) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    assert failures == []


def test_a_version_1_history_is_migrated_in_place_keeping_its_runs(tmp_path):
    path = tmp_path / "h.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(MIGRATIONS[0] + ";\nPRAGMA user_version = 1;")
    db.execute("INSERT INTO runs (started_at, label, status) VALUES (?, 'critical', 'passed')", (T0,))
    db.commit()
    db.close()
    store = Store(path)
    assert store.version == len(MIGRATIONS) and store.last_run("critical")["started_at"] == T0
    indexes = [row[1] for row in store.db.execute("PRAGMA index_list(runs)")]
    assert "runs_label" in indexes
