"""The dashboard's reads: from the hourly rollups (the history may hold hundreds of thousands of results)."""

from __future__ import annotations

from pathlib import Path

from runner.store import DAY, HOUR, Store

SPAN = 30 * DAY
BUCKETS = 180  # 4-hour buckets: ≤ 180 points a chart, and 24 h / 7 d are whole numbers of buckets
WINDOWS = {"24h": DAY, "7d": 7 * DAY, "30d": SPAN}
STRIP = 50  # the newest results shown as a strip per check
# an hour's bucket by the hour's end: the current hour is in bucket 0, the hour holding `now - 24 h` in the 24 h window
AGE_BUCKET = "CAST(MAX(:now - hour - :hour, 0) / :width AS INTEGER)"


def bucket_counts(store: Store, now: float, span: float = SPAN, buckets: int = BUCKETS) -> dict[str, dict]:
    """check → {bucket: (up, counted, failed)} over the window from the hourly rollups, bucket 0 the newest.
    Pass and degraded are up; skipped results are not counted."""
    rows = store.db.execute(
        f"""SELECT check_id, {AGE_BUCKET} AS b, SUM(up), SUM(counted), SUM(failed) FROM hourly
            WHERE hour > :since GROUP BY check_id, b""",
        {"now": now, "hour": HOUR, "width": span / buckets, "since": now - span - HOUR},
    ).fetchall()
    out: dict[str, dict] = {}
    for check_id, bucket, up, counted, failed in rows:
        if bucket < buckets:
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
    return {
        check_id: [now - (b + 0.5) * width for b, v in buckets.items() if v[2]] for check_id, buckets in counts.items()
    }


def measurement_series(store: Store, now: float) -> dict[tuple[str, str], list]:
    """(check, measurement) → [(at, lowest, highest)] in ≤ BUCKETS time buckets over 30 days, oldest first:
    a bucket's extremes, so that a spike or a dip is not averaged away."""
    rows = store.db.execute(
        f"""SELECT check_id, name, {AGE_BUCKET} AS b, MAX(last_at), MIN(low), MAX(high) FROM hourly_measurements
            WHERE hour > :since GROUP BY check_id, name, b ORDER BY check_id, name, b DESC""",
        {"now": now, "hour": HOUR, "width": SPAN / BUCKETS, "since": now - SPAN - HOUR},
    ).fetchall()
    out: dict[tuple[str, str], list] = {}
    for check_id, name, bucket, at, low, high in rows:
        if bucket < BUCKETS:
            out.setdefault((check_id, name), []).append((at, low, high))
    return out


def recent_results(store: Store, check_ids: list[str], limit: int = STRIP) -> dict[str, list[dict]]:
    """check → its newest `limit` results (skipped ones too), oldest first, with the run's folder."""
    out = {}
    for check_id in check_ids:
        rows = store.db.execute(
            """SELECT r.at, r.outcome, r.message, r.run_id, runs.run_dir FROM results r
               LEFT JOIN runs ON runs.id = r.run_id WHERE r.check_id = ? ORDER BY r.at DESC, r.id DESC LIMIT ?""",
            (check_id, limit),
        ).fetchall()
        out[check_id] = [dict(row) for row in reversed(rows)]
    return out


def incidents(store: Store, now: float, span: float = 30 * DAY) -> list[dict]:
    """Failure spells from the flips: {check_id, start, end (None: open), message}, newest first."""
    rows = store.db.execute(
        "SELECT check_id, at, to_outcome, message FROM flips WHERE at >= ? ORDER BY at, id", (now - span,)
    ).fetchall()
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
