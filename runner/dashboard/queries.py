"""The dashboard's reads: aggregates done in SQL (the history may hold hundreds of thousands of results)."""

from __future__ import annotations

from pathlib import Path

from runner.store import DAY, Store

SPAN = 30 * DAY
BUCKETS = 180  # 4-hour buckets: ≤ 180 points a chart, and 24 h / 7 d are whole numbers of buckets
WINDOWS = {"24h": DAY, "7d": 7 * DAY, "30d": SPAN}
STRIP = 50  # the newest results shown as a strip per check
# GROUP BY +check_id: without the "+", SQLite walks the (check_id, at) index for the grouping order and
# fetches each row from the table out of order (a page per row); through the at index it reads the
# window's rows in table order: 2-3x faster over 30-90 days of 5-minute history (bench/dashboard.py).
# ceil(age / width) - 1: a result exactly 24 h old is in bucket 5, inside the 24 h window (like Store.uptime)
AGE_BUCKET = ("(CAST((:now - at) / :width AS INTEGER) + ((:now - at) / :width > CAST((:now - at) / :width AS INTEGER))"
              " - 1)")


def bucket_counts(store: Store, now: float, span: float = SPAN, buckets: int = BUCKETS) -> dict[str, dict]:
    """One pass over the window's results, bucketed by age in SQL: check → {bucket: (up, counted, failed)},
    bucket 0 the newest. Pass and degraded are up; skipped results are not counted."""
    rows = store.db.execute(
        f"""SELECT check_id, {AGE_BUCKET} AS b, SUM(outcome IN ('pass','degraded')), COUNT(*),
                   SUM(outcome IN ('fail','error'))
            FROM results WHERE at >= :since AND outcome != 'skipped' GROUP BY +check_id, b""",
        {"now": now, "width": span / buckets, "since": now - span}).fetchall()
    out: dict[str, dict] = {}
    for check_id, bucket, up, counted, failed in rows:
        out.setdefault(check_id, {})[bucket] = (up, counted, failed)
    return out


def uptimes(counts: dict[str, dict], width: float = SPAN / BUCKETS) -> dict[str, dict]:
    """check → {"24h"|"7d"|"30d": percent up or None} from bucket_counts."""
    result = {}
    for check_id, buckets in counts.items():
        result[check_id] = {}
        for name, span in WINDOWS.items():
            inside = [v for b, v in buckets.items() if b < round(span / width)]
            counted = sum(v[1] for v in inside)
            result[check_id][name] = 100.0 * sum(v[0] for v in inside) / counted if counted else None
    return result


def failure_times(counts: dict[str, dict], now: float, width: float = SPAN / BUCKETS) -> dict[str, list[float]]:
    """check → the middle of each bucket holding a failure (for marks on its charts)."""
    return {check_id: [now - (b + 0.5) * width for b, v in buckets.items() if v[2]]
            for check_id, buckets in counts.items()}


def measurement_series(store: Store, now: float) -> dict[tuple[str, str], list]:
    """(check, measurement) → [(at, lowest, highest)] in ≤ BUCKETS time buckets over 30 days, oldest first:
    a bucket's extremes, so that a spike or a dip is not averaged away."""
    rows = store.db.execute(
        f"""SELECT r.check_id, m.name, {AGE_BUCKET.replace('at', 'r.at')} AS b, MAX(r.at), MIN(m.value), MAX(m.value)
            FROM results r JOIN measurements m ON m.result_id = r.id
            WHERE r.at >= :since GROUP BY +r.check_id, m.name, b ORDER BY r.check_id, m.name, b DESC""",
        {"now": now, "width": SPAN / BUCKETS, "since": now - SPAN}).fetchall()
    out: dict[tuple[str, str], list] = {}
    for check_id, name, _, at, low, high in rows:
        out.setdefault((check_id, name), []).append((at, low, high))
    return out


def recent_results(store: Store, check_ids: list[str], limit: int = STRIP) -> dict[str, list[dict]]:
    """check → its newest `limit` results (skipped ones too), oldest first, with the run's folder."""
    out = {}
    for check_id in check_ids:
        rows = store.db.execute(
            """SELECT r.at, r.outcome, r.message, r.run_id, runs.run_dir FROM results r
               LEFT JOIN runs ON runs.id = r.run_id WHERE r.check_id = ? ORDER BY r.at DESC, r.id DESC LIMIT ?""",
            (check_id, limit)).fetchall()
        out[check_id] = [dict(row) for row in reversed(rows)]
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


def report_path(run_dir: str | None, root: Path) -> str | None:
    """A run's report relative to the reports folder (None when it is elsewhere)."""
    if not run_dir:
        return None
    try:
        return (Path(run_dir).resolve() / "report.html").relative_to(root).as_posix()
    except ValueError:
        return None


def run_links(store: Store, reports_dir, limit: int = 20) -> list[dict]:
    """The newest runs with their report path relative to the reports folder (None when elsewhere)."""
    root = Path(reports_dir).resolve()
    runs = store.runs(limit)
    for run in runs:
        run["report"] = report_path(run.get("run_dir"), root)
    return runs
