"""The dashboard's view model: everything the template shows, computed from the store."""

from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from runner.alerts import maintenance
from runner.dashboard import queries
from runner.dashboard.charts import chart
from runner.store import Store

OUTCOME_ORDER = ("fail", "error", "degraded", "pass", "skipped", None)
STALE_SCHEDULER = 15 * 60  # seconds without a loop before the scheduler counts as stopped


def view(store: Store, settings, now: float) -> dict:
    states = store.latest_states()
    uptimes, series = queries.timeline(store, now)
    series.update(queries.measurement_series(store, now))
    alert_states = store.alert_states()
    checks = [_check(state, uptimes, series, alert_states, now) for state in states]
    names = {c["id"]: c["name"] for c in checks}
    spells = queries.incidents(store, now)
    for spell in spells:
        spell["name"] = names.get(spell["check_id"], spell["check_id"])
    return {
        "site": urlsplit(settings.site.base_url).hostname or settings.site.base_url,
        "generated": _when(now),
        "counts": {o: sum(1 for c in checks if c["outcome"] == o) for o in OUTCOME_ORDER if o},
        "areas": _areas(checks),
        "open_incidents": [s for s in spells if s["end"] is None],
        "recent_incidents": [s for s in spells if s["end"] is not None][:30],
        "scheduler": _scheduler(store.get_meta("scheduler"), now),
        "maintenance": maintenance.active(settings.alerts.maintenance, store.get_meta(maintenance.META_KEY), now),
        "canary": store.get_meta("canary"),
        "config_warnings": settings.warnings,
        "runs": queries.run_links(store, settings.reports_dir()),
        "when": _when,
        "ago": lambda at: _ago(now - at) if at else "never",
    }


def _check(state: dict, uptimes: dict, series: dict, alert_states: dict, now: float) -> dict:
    check_id = state["check_id"]
    start = now - queries.SPAN
    charts = []
    names = sorted(name for cid, name in series if cid == check_id)
    names = (["duration_seconds"] if "duration_seconds" in names else []) + \
        [n for n in names if n != "duration_seconds"]
    for name in names[:queries.MAX_SERIES_PER_CHECK]:
        drawn = chart(name, series[(check_id, name)], start, now)
        if drawn:
            charts.append(drawn)
    alert = alert_states.get(check_id, {})
    return {"id": check_id, "name": state["name"], "area": state["area"] or "other", "summary": state["summary"],
            "severity": state["severity"], "cadence": state["cadence"], "outcome": state["outcome"],
            "message": state["message"] or "", "at": state["at"], "uptime": uptimes.get(check_id, {}),
            "charts": charts, "alert": alert.get("status", "ok"),
            "hidden_series": max(0, len(names) - queries.MAX_SERIES_PER_CHECK)}


def _areas(checks: list[dict]) -> list[dict]:
    areas: dict[str, list] = {}
    for check in checks:
        areas.setdefault(check["area"], []).append(check)
    result = []
    for name, members in sorted(areas.items()):
        members.sort(key=lambda c: (OUTCOME_ORDER.index(c["outcome"]), c["name"]))
        result.append({"name": name, "checks": members, "worst": members[0]["outcome"] or "none"})
    return result


def _scheduler(meta: dict | None, now: float) -> dict:
    if not meta or "last_loop" not in meta:
        return {"running": False, "text": "scheduler not running"}
    age = now - float(meta["last_loop"])
    running = age <= STALE_SCHEDULER
    text = f"last loop {_ago(age)} (pid {meta.get('pid', '?')})"
    return {"running": running, "text": text if running else f"scheduler not running: {text}"}


def _when(at: float | None) -> str:
    return datetime.fromtimestamp(at, timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if at else "-"


def _ago(seconds: float) -> str:
    seconds = max(0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s ago"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.1f} days ago"
