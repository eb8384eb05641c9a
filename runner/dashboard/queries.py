"""The dashboard's reads: aggregates done in SQL (the history may hold hundreds of thousands of results)."""

from __future__ import annotations

from pathlib import Path

from runner.store import DAY, Store

SPAN = 30 * DAY
BUCKETS = 180  # 4-hour buckets: ≤ 180 points a chart, and 24 h / 7 d are whole numbers of buckets
WINDOWS = {"24h": DAY, "7d": 7 * DAY, "30d": SPAN}
MAX_SERIES_PER_CHECK = 8
# GROUP BY +check_id: without the "+", SQLite walks the (check_id, at) index for the grouping order and
# fetches each row from the table out of order (a page per row); through the at index it reads the
# window's rows in table order: 2-3x faster over 30-90 days of 5-minute history (bench/dashboard.py).
# ceil(age / width) - 1: a result exactly 24 h old is in bucket 5, inside the 24 h window (like Store.uptime)
AGE_BUCKET = ("(CAST((:now - at) / :width AS INTEGER) + ((:now - at) / :width > CAST((:now - at) / :width AS INTEGER))"
              " - 1)")


def timeline(store: Store, now: float) -> tuple[dict[str, dict], dict[tuple[str, str], list]]:
    """One pass over 30 days of results, bucketed by age in SQL.

    Returns (uptimes: check → {"24h"|"7d"|"30d": percent up or None},
             series: (check, "duration_seconds") → [(at, mean seconds)] oldest first).
    Pass and degraded are up; skipped results are not counted.
    """
    width = SPAN / BUCKETS
    rows = store.db.execute(
        f"""SELECT check_id, {AGE_BUCKET} AS b, SUM(outcome IN ('pass','degraded')), COUNT(*), MAX(at), AVG(duration)
            FROM results WHERE at >= :since AND outcome != 'skipped' GROUP BY +check_id, b ORDER BY check_id, b DESC""",
        {"now": now, "width": width, "since": now - SPAN}).fetchall()
    totals: dict[str, dict[str, list[int]]] = {}
    series: dict[tuple[str, str], list] = {}
    for check_id, bucket, up, counted, at, duration in rows:
        windows = totals.setdefault(check_id, {name: [0, 0] for name in WINDOWS})
        for name, span in WINDOWS.items():
            if bucket < round(span / width):
                windows[name][0] += up
                windows[name][1] += counted
        if duration is not None:
            series.setdefault((check_id, "duration_seconds"), []).append((at, duration))
    uptimes = {check_id: {name: (100.0 * up / counted if counted else None) for name, (up, counted) in w.items()}
               for check_id, w in totals.items()}
    return uptimes, series


def measurement_series(store: Store, now: float) -> dict[tuple[str, str], list]:
    """(check, measurement) → [(at, mean value)] in ≤ BUCKETS time buckets over 30 days, oldest first."""
    rows = store.db.execute(
        f"""SELECT r.check_id, m.name, {AGE_BUCKET.replace('at', 'r.at')} AS b, MAX(r.at), AVG(m.value)
            FROM results r JOIN measurements m ON m.result_id = r.id
            WHERE r.at >= :since GROUP BY +r.check_id, m.name, b ORDER BY r.check_id, m.name, b DESC""",
        {"now": now, "width": SPAN / BUCKETS, "since": now - SPAN}).fetchall()
    out: dict[tuple[str, str], list] = {}
    for check_id, name, _, at, value in rows:
        out.setdefault((check_id, name), []).append((at, value))
    return out


def incidents(store: Store, now: float, span: float = 30 * DAY) -> list[dict]:
    """Failure spells from the flips: {check_id, start, end (None: open), message}, newest first."""
    rows = store.db.execute("SELECT check_id, at, to_outcome, message FROM flips WHERE at >= ? ORDER BY at, id",
                            (now - span,)).fetchall()
    open_: dict[str, dict] = {}
    spells = []
    for check_id, at, outcome, message in rows:
        if outcome in ("fail", "error") and check_id not in open_:
            open_[check_id] = {"check_id": check_id, "start": at, "end": None, "message": message, "outcome": outcome}
            spells.append(open_[check_id])
        elif outcome in ("pass", "degraded") and check_id in open_:
            open_.pop(check_id)["end"] = at
    return sorted(spells, key=lambda s: s["start"], reverse=True)


def run_links(store: Store, reports_dir, limit: int = 20) -> list[dict]:
    """The newest runs with their report path relative to the reports folder (None when elsewhere)."""
    root = Path(reports_dir).resolve()
    runs = store.runs(limit)
    for run in runs:
        run["report"] = None
        if run.get("run_dir"):
            try:
                run["report"] = (Path(run["run_dir"]).resolve() / "report.html").relative_to(root).as_posix()
            except ValueError:
                run["report"] = None
    return runs
