"""The hourly rollups the dashboard reads: kept by every write, equal to a rebuild, filled by the migration."""

import sqlite3

from runner.store import MIGRATIONS, Store

T0 = 1_700_000_000.0


def rows(store):
    return (
        store.db.execute("SELECT * FROM hourly ORDER BY check_id, hour").fetchall(),
        store.db.execute("SELECT * FROM hourly_measurements ORDER BY check_id, name, hour").fetchall(),
    )


def record(store, minutes: int):
    for n in range(minutes // 5):
        outcome = ("pass", "degraded", "fail", "skipped", "error")[n % 5]
        store.record_run(
            "critical",
            [{"id": "a", "outcome": outcome, "measurements": {"x": n, "y[/]": -n}}, {"id": "b", "outcome": "pass"}],
            status="ok",
            exit_code=0,
            at=T0 + n * 300,
        )


def test_every_write_keeps_the_rollups_equal_to_a_rebuild(tmp_path):
    with Store(tmp_path / "h.sqlite3") as store:
        record(store, 180)
        kept = [list(map(tuple, part)) for part in rows(store)]
        store.rebuild_rollups()
        assert [list(map(tuple, part)) for part in rows(store)] == kept
        hourly, measured = kept
        assert sum(r[3] for r in hourly if r[0] == "a") == 36 - 7  # skipped results are not counted
        first = [r for r in measured if r[0] == "a" and r[1] == "x"][0]
        assert first[3:] == (0.0, 9.0, T0 + 9 * 300)  # lowest, highest, last of the hour (22:13:20 to 22:58:20)


def test_prune_drops_old_rollups_and_the_migration_fills_them_for_an_old_history(tmp_path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(";".join(MIGRATIONS[:2]) + ";\nPRAGMA user_version = 2;")
    db.execute("INSERT INTO runs (id, started_at, label, status) VALUES (1, ?, 'critical', 'ok')", (T0,))
    db.execute("INSERT INTO results (id, run_id, check_id, at, outcome) VALUES (1, 1, 'a', ?, 'fail')", (T0,))
    db.execute("INSERT INTO measurements (result_id, name, value) VALUES (1, 'x', 4.5)")
    db.commit()
    db.close()
    with Store(path) as store:
        assert [tuple(r) for r in rows(store)[0]] == [("a", (T0 // 3600) * 3600, 0, 1, 1)]
        assert [tuple(r) for r in rows(store)[1]] == [("a", "x", (T0 // 3600) * 3600, 4.5, 4.5, T0)]
        store.prune(keep_days=1, now=T0 + 3 * 86400)
        assert rows(store) == ([], [])
