"""History: SQLite (WAL) with runs, results, measurements, flips and notifications.

Times are UTC epoch seconds. The schema is versioned with `PRAGMA user_version`; each entry
of MIGRATIONS moves it one version up, in a transaction. Several processes may write at once
(a scheduled run and a manual one): WAL plus a busy timeout serialise them.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from runner.errors import MonitorError
from runner.records import CheckRecord, CheckStatus

UP_OUTCOMES = ("pass", "degraded")
COUNTED_OUTCOMES = ("pass", "degraded", "fail", "error")  # skipped says nothing about uptime
DAY = 86400.0
PRUNED_KEY = "pruned_totals"  # meta: results and notifications pruned, still counted by totals()
WAL_SWITCH_SECONDS = 10.0  # how long a new history waits for another process creating it too

HOUR = 3600.0
ROLLUP_FROM_RESULTS = (  # (re)build the hourly rollups from the results
    """INSERT INTO hourly (check_id, hour, up, counted, failed)
       SELECT check_id, CAST(at / 3600 AS INTEGER) * 3600.0, SUM(outcome IN ('pass','degraded')), COUNT(*),
              SUM(outcome IN ('fail','error')) FROM results WHERE outcome != 'skipped' GROUP BY 1, 2""",
    """INSERT INTO hourly_measurements (check_id, name, hour, low, high, last_at)
       SELECT r.check_id, m.name, CAST(r.at / 3600 AS INTEGER) * 3600.0, MIN(m.value), MAX(m.value), MAX(r.at)
       FROM results r JOIN measurements m ON m.result_id = r.id GROUP BY 1, 2, 3""",
)

MIGRATIONS = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY, started_at REAL NOT NULL, finished_at REAL, label TEXT NOT NULL,
        status TEXT NOT NULL, exit_code INTEGER, run_dir TEXT, message TEXT NOT NULL DEFAULT '');
    CREATE INDEX runs_started ON runs(started_at);
    CREATE TABLE checks (
        check_id TEXT PRIMARY KEY, name TEXT NOT NULL, area TEXT, cadence TEXT, severity TEXT,
        smoke INTEGER, runbook TEXT, summary TEXT, doc TEXT, last_seen REAL);
    CREATE TABLE results (
        id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id), check_id TEXT NOT NULL,
        at REAL NOT NULL, outcome TEXT NOT NULL, duration REAL, message TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '[]');
    CREATE INDEX results_check_at ON results(check_id, at);
    CREATE INDEX results_at ON results(at);
    CREATE TABLE measurements (
        result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,
        name TEXT NOT NULL, value REAL NOT NULL);
    CREATE INDEX measurements_result ON measurements(result_id);
    CREATE TABLE flips (
        id INTEGER PRIMARY KEY, check_id TEXT NOT NULL, at REAL NOT NULL, run_id INTEGER,
        from_outcome TEXT, to_outcome TEXT NOT NULL, message TEXT NOT NULL DEFAULT '');
    CREATE INDEX flips_check_at ON flips(check_id, at);
    CREATE TABLE notifications (
        id INTEGER PRIMARY KEY, at REAL NOT NULL, channel TEXT NOT NULL, kind TEXT NOT NULL,
        check_ids TEXT NOT NULL DEFAULT '[]', ok INTEGER NOT NULL, permanent INTEGER NOT NULL DEFAULT 0,
        error TEXT NOT NULL DEFAULT '');
    CREATE INDEX notifications_at ON notifications(at);
    CREATE TABLE alert_state (check_id TEXT PRIMARY KEY, state TEXT NOT NULL);
    """,
    "CREATE INDEX runs_label ON runs(label, started_at)",
    # a retested check: every attempt's outcome, message and duration (JSON; '[]' when run once)
    "ALTER TABLE results ADD COLUMN attempts TEXT NOT NULL DEFAULT '[]'",
    # hourly rollups, kept up to date by every write: the dashboard and the status page read these
    # (a few rows per check and hour) instead of grouping months of results at each render
    """
    CREATE TABLE hourly (check_id TEXT NOT NULL, hour REAL NOT NULL, up INTEGER NOT NULL, counted INTEGER NOT NULL,
        failed INTEGER NOT NULL, PRIMARY KEY (check_id, hour)) WITHOUT ROWID;
    CREATE INDEX hourly_hour ON hourly(hour);
    CREATE TABLE hourly_measurements (check_id TEXT NOT NULL, name TEXT NOT NULL, hour REAL NOT NULL,
        low REAL NOT NULL, high REAL NOT NULL, last_at REAL NOT NULL, PRIMARY KEY (check_id, name, hour)) WITHOUT ROWID;
    CREATE INDEX hourly_measurements_hour ON hourly_measurements(hour);
    """
    + ";".join(ROLLUP_FROM_RESULTS),
]


@dataclass(frozen=True)
class Result:
    check_id: str
    at: float
    outcome: str
    message: str
    duration: float | None
    run_id: int
    attempts: tuple[dict, ...] = ()


class Store:
    def __init__(self, path: Path | str, timeout: float = 30.0):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            _use_wal(self.db)
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.migrate()
        except (OSError, sqlite3.Error) as exc:
            raise MonitorError(f"history database {self.path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @contextmanager
    def transaction(self):
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- schema -------------------------------------------------------------------------------

    @property
    def version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        with self.transaction():
            for number in range(self.version, len(MIGRATIONS)):
                for statement in filter(str.strip, MIGRATIONS[number].split(";")):
                    self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number + 1}")

    # -- writing ------------------------------------------------------------------------------

    def start_run(self, label: str, at: float | None = None, run_dir: str | None = None) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (started_at, label, status, run_dir) VALUES (?, ?, 'running', ?)",
            (at or time.time(), label, run_dir),
        )
        return cursor.lastrowid

    def finish_run(
        self, run_id: int, status: str, exit_code: int | None, message: str = "", at: float | None = None
    ) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at=?, status=?, exit_code=?, message=? WHERE id=?",
            (at or time.time(), status, exit_code, message, run_id),
        )

    def record_run(
        self,
        label: str,
        checks: list[CheckRecord],
        *,
        status: str,
        exit_code: int | None,
        run_dir: str | None = None,
        started: float | None = None,
        at: float | None = None,
        message: str = "",
    ) -> int:
        """Store a finished run with its check records (the plugin's result file format)."""
        at = at or time.time()
        with self.transaction():
            run_id = self.start_run(label, started or at, run_dir)
            for check in checks:
                self._record_check(run_id, check, at)
            self.finish_run(run_id, status, exit_code, message, at)
        return run_id

    def _record_check(self, run_id: int, check: CheckRecord, at: float) -> None:
        check_id = check["id"]
        self.db.execute(
            """INSERT INTO checks (check_id, name, area, cadence, severity, smoke, runbook, summary, doc, last_seen)
               VALUES (?,?,?,?,?,?,?,?,?,?) ON CONFLICT(check_id) DO UPDATE SET name=excluded.name,
               area=excluded.area, cadence=excluded.cadence, severity=excluded.severity, smoke=excluded.smoke,
               runbook=excluded.runbook, summary=excluded.summary, doc=excluded.doc, last_seen=excluded.last_seen""",
            (
                check_id,
                check.get("name", check_id),
                check.get("area"),
                check.get("cadence"),
                check.get("severity"),
                int(bool(check.get("smoke"))),
                check.get("runbook"),
                check.get("summary"),
                check.get("doc"),
                at,
            ),
        )
        previous = self.latest_result(check_id)
        outcome = check["outcome"]
        cursor = self.db.execute(
            "INSERT INTO results (run_id, check_id, at, outcome, duration, message, evidence, attempts) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (
                run_id,
                check_id,
                at,
                outcome,
                check.get("duration"),
                check.get("message", ""),
                json.dumps(check.get("evidence", [])),
                json.dumps(check.get("attempts", [])),
            ),
        )
        measurements = [(k, float(v)) for k, v in check.get("measurements", {}).items()]
        self.db.executemany(
            "INSERT INTO measurements (result_id, name, value) VALUES (?,?,?)",
            [(cursor.lastrowid, k, v) for k, v in measurements],
        )
        self._roll_up(check_id, at, outcome, measurements)
        if outcome != "skipped" and (previous is None or previous.outcome != outcome):
            self.db.execute(
                "INSERT INTO flips (check_id, at, run_id, from_outcome, to_outcome, message) VALUES (?,?,?,?,?,?)",
                (check_id, at, run_id, previous.outcome if previous else None, outcome, check.get("message", "")),
            )

    def _roll_up(self, check_id: str, at: float, outcome: str, measurements: list[tuple[str, float]]) -> None:
        hour = (at // HOUR) * HOUR
        if outcome != "skipped":
            self.db.execute(
                """INSERT INTO hourly (check_id, hour, up, counted, failed) VALUES (?,?,?,1,?)
                   ON CONFLICT(check_id, hour) DO UPDATE SET up = up + excluded.up, counted = counted + 1,
                   failed = failed + excluded.failed""",
                (check_id, hour, int(outcome in UP_OUTCOMES), int(outcome in ("fail", "error"))),
            )
        self.db.executemany(
            """INSERT INTO hourly_measurements (check_id, name, hour, low, high, last_at) VALUES (?,?,?,?,?,?)
               ON CONFLICT(check_id, name, hour) DO UPDATE SET low = MIN(low, excluded.low),
               high = MAX(high, excluded.high), last_at = MAX(last_at, excluded.last_at)""",
            [(check_id, name, hour, value, value, at) for name, value in measurements],
        )

    def rebuild_rollups(self) -> None:
        """Recompute the hourly rollups from the results (after writing results other than through record_run)."""
        with self.transaction():
            self.db.execute("DELETE FROM hourly")
            self.db.execute("DELETE FROM hourly_measurements")
            for statement in ROLLUP_FROM_RESULTS:
                self.db.execute(statement)

    def add_run_message(self, run_id: int, text: str) -> None:
        """Append a note to a run's message (e.g. a post-run step that failed)."""
        self.db.execute(
            "UPDATE runs SET message = CASE WHEN message = '' THEN ? ELSE message || '; ' || ? END WHERE id=?",
            (text, text, run_id),
        )

    def record_notification(
        self,
        channel: str,
        kind: str,
        check_ids: list[str],
        ok: bool,
        permanent: bool = False,
        error: str = "",
        at: float | None = None,
    ) -> None:
        self.db.execute(
            "INSERT INTO notifications (at, channel, kind, check_ids, ok, permanent, error) VALUES (?,?,?,?,?,?,?)",
            (at or time.time(), channel, kind, json.dumps(check_ids), int(ok), int(permanent), error),
        )

    def set_meta(self, key: str, value) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
            (key, json.dumps(value)),
        )

    def get_meta(self, key: str, default=None):
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def save_alert_states(self, states: dict[str, dict]) -> None:
        """Write the alert state machine's per-check states (JSON documents) in one transaction."""
        with self.transaction():
            self.db.executemany(
                "INSERT INTO alert_state (check_id, state) VALUES (?, ?) "
                "ON CONFLICT(check_id) DO UPDATE SET state=excluded.state",
                [(check_id, json.dumps(state)) for check_id, state in states.items()],
            )

    def alert_states(self) -> dict[str, dict]:
        return {row[0]: json.loads(row[1]) for row in self.db.execute("SELECT check_id, state FROM alert_state")}

    # -- reading ------------------------------------------------------------------------------

    def latest_result(self, check_id: str, include_skipped: bool = False) -> Result | None:
        skip = "" if include_skipped else "AND outcome != 'skipped'"
        row = self.db.execute(
            f"SELECT * FROM results WHERE check_id=? {skip} ORDER BY at DESC, id DESC LIMIT 1", (check_id,)
        ).fetchone()
        return _result(row) if row else None

    def latest_states(self) -> list[CheckStatus]:
        """Every known check with its catalogue fields and its newest result."""
        rows = self.db.execute(
            """SELECT c.*, r.outcome, r.message, r.at, r.duration, r.run_id FROM checks c
               LEFT JOIN results r ON r.id = (SELECT id FROM results WHERE check_id = c.check_id
                                              ORDER BY at DESC, id DESC LIMIT 1)
               ORDER BY c.area, c.check_id"""
        ).fetchall()
        return [dict(row) for row in rows]

    def history(self, check_id: str, limit: int = 20) -> list[Result]:
        rows = self.db.execute(
            "SELECT * FROM results WHERE check_id=? ORDER BY at DESC, id DESC LIMIT ?", (check_id, limit)
        ).fetchall()
        return [_result(row) for row in rows]

    def find_checks(self, text: str) -> list[str]:
        rows = self.db.execute(
            "SELECT check_id FROM checks WHERE check_id LIKE ? OR name LIKE ? ORDER BY check_id",
            (f"%{text}%", f"%{text}%"),
        ).fetchall()
        return [row[0] for row in rows]

    def uptime(self, check_id: str | None, since: float) -> float | None:
        """Percent of pass/degraded results among counted ones since `since` (None: no data)."""
        where, args = ("check_id=? AND ", [check_id]) if check_id else ("", [])
        placeholders = ",".join("?" * len(COUNTED_OUTCOMES))
        up, total = self.db.execute(
            f"SELECT SUM(outcome IN ('pass','degraded')), COUNT(*) FROM results "
            f"WHERE {where} at >= ? AND outcome IN ({placeholders})",
            (*args, since, *COUNTED_OUTCOMES),
        ).fetchone()
        return None if not total else 100.0 * up / total

    def measurement_series(self, check_id: str, name: str, since: float) -> list[tuple[float, float]]:
        rows = self.db.execute(
            """SELECT r.at, m.value FROM measurements m JOIN results r ON r.id = m.result_id
               WHERE r.check_id=? AND m.name=? AND r.at >= ? ORDER BY r.at""",
            (check_id, name, since),
        ).fetchall()
        return [(row[0], row[1]) for row in rows]

    def measurement_values(self, prefixes: list[str], start: float, end: float) -> dict[str, dict[str, list[float]]]:
        """{check id: {name: values}} of measurements named <prefix> or <prefix>[...], of passing
        and degraded results in [start, end)."""
        like = " OR ".join("m.name = ? OR m.name LIKE ?" for _ in prefixes) or "0"
        rows = self.db.execute(
            f"""SELECT r.check_id, m.name, m.value FROM measurements m JOIN results r ON r.id = m.result_id
                WHERE r.at >= ? AND r.at < ? AND r.outcome IN ('pass', 'degraded') AND ({like})""",
            (start, end, *[v for p in prefixes for v in (p, p + "[%")]),
        ).fetchall()
        values: dict[str, dict[str, list[float]]] = {}
        for check_id, name, value in rows:
            values.setdefault(check_id, {}).setdefault(name, []).append(value)
        return values

    def measurement_names(self, check_id: str) -> list[str]:
        rows = self.db.execute(
            """SELECT DISTINCT m.name FROM measurements m JOIN results r ON r.id = m.result_id
                                  WHERE r.check_id=? ORDER BY m.name""",
            (check_id,),
        ).fetchall()
        return [row[0] for row in rows]

    def flips(self, since: float, check_id: str | None = None) -> list[dict]:
        where, args = ("AND check_id=?", [check_id]) if check_id else ("", [])
        rows = self.db.execute(f"SELECT * FROM flips WHERE at >= ? {where} ORDER BY at", (since, *args)).fetchall()
        return [dict(row) for row in rows]

    def runs(self, limit: int = 50) -> list[dict]:
        rows = self.db.execute("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) for row in rows]

    def last_run(self, label: str, include_skipped: bool = False) -> dict | None:
        """The newest run of this label (a cadence, smoke, all, ...), skipped ones left out by default."""
        skip = "" if include_skipped else "AND status != 'skipped'"
        row = self.db.execute(
            f"SELECT * FROM runs WHERE label=? {skip} ORDER BY started_at DESC, id DESC LIMIT 1", (label,)
        ).fetchone()
        return dict(row) if row else None

    def pending_checks(self, label: str) -> list[str]:
        """The checks of the newest run of `label` whose alert state is pending (failing, below threshold)."""
        run = self.last_run(label)
        if run is None:
            return []
        rows = self.db.execute(
            "SELECT r.check_id FROM results r JOIN alert_state a ON a.check_id = r.check_id "
            "WHERE r.run_id = ? AND json_extract(a.state, '$.status') = 'pending'",
            (run["id"],),
        )
        return [row[0] for row in rows]

    def notifications(self, since: float = 0) -> list[dict]:
        rows = self.db.execute("SELECT * FROM notifications WHERE at >= ? ORDER BY at, id", (since,)).fetchall()
        return [dict(row) for row in rows]

    # -- retention ----------------------------------------------------------------------------

    def totals(self) -> dict:
        """Everything ever recorded, pruned rows included (Prometheus counters): check results by
        outcome, notification attempts by "channel|result" (delivered, failed, rejected)."""
        carried = self.get_meta(PRUNED_KEY) or {}
        results = Counter(carried.get("results", {}))
        results.update(dict(self.db.execute("SELECT outcome, COUNT(*) FROM results GROUP BY outcome")))
        notices = Counter(carried.get("notifications", {}))
        for channel, ok, permanent, count in self.db.execute(
            "SELECT channel, ok, permanent, COUNT(*) FROM notifications GROUP BY channel, ok, permanent"
        ):
            notices[_notice_key(channel, ok, permanent)] += count
        return {
            "results": dict(results),
            "notifications": {tuple(key.split("|", 1)): count for key, count in notices.items()},
        }

    def _keep_counted(self, kind: str, keys: list[str]) -> None:
        """Add pruned rows to the running totals, so that counters never go down."""
        if not keys:
            return
        carried = self.get_meta(PRUNED_KEY) or {}
        counts = Counter(carried.get(kind, {}))
        counts.update(keys)
        self.set_meta(PRUNED_KEY, {**carried, kind: dict(counts)})

    def prune(
        self,
        keep_days: float = 400,
        keep_failures_days: float | None = None,
        now: float | None = None,
        batch: int = 5000,
    ) -> int:
        """Delete old results in bounded batches; failures and flips are kept longer (default 2×)."""
        now = now or time.time()
        cutoff = now - keep_days * DAY
        failures_cutoff = now - (keep_failures_days or 2 * keep_days) * DAY
        deleted = 0
        while True:
            with self.transaction():
                outcomes = self.db.execute(
                    """DELETE FROM results WHERE id IN (SELECT id FROM results WHERE
                       (at < ? AND outcome IN ('pass','degraded','skipped')) OR at < ? LIMIT ?) RETURNING outcome""",
                    (cutoff, failures_cutoff, batch),
                ).fetchall()
                self._keep_counted("results", [outcome for (outcome,) in outcomes])
            deleted += len(outcomes)
            if len(outcomes) < batch:
                break
        with self.transaction():
            self.db.execute("DELETE FROM hourly WHERE hour < ?", (cutoff - HOUR,))
            self.db.execute("DELETE FROM hourly_measurements WHERE hour < ?", (cutoff - HOUR,))
            self.db.execute("DELETE FROM flips WHERE at < ?", (failures_cutoff,))
            notices = self.db.execute(
                "DELETE FROM notifications WHERE at < ? RETURNING channel, ok, permanent", (failures_cutoff,)
            ).fetchall()
            self._keep_counted("notifications", [_notice_key(*row) for row in notices])
            self.db.execute(
                "DELETE FROM runs WHERE started_at < ? AND id NOT IN (SELECT DISTINCT run_id FROM results)", (cutoff,)
            )
        return deleted


def _notice_key(channel: str, ok: int, permanent: int) -> str:
    return f"{channel}|{'delivered' if ok else 'rejected' if permanent else 'failed'}"


def _use_wal(db: sqlite3.Connection) -> None:
    """Switch a new database to WAL. When two processes create the history at the same moment, the
    switch fails at once with "database is locked" (SQLite's busy timeout does not cover it): retry."""
    deadline = time.monotonic() + WAL_SWITCH_SECONDS
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _result(row: sqlite3.Row) -> Result:
    return Result(
        row["check_id"],
        row["at"],
        row["outcome"],
        row["message"],
        row["duration"],
        row["run_id"],
        tuple(json.loads(row["attempts"])),
    )
