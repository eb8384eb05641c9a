"""The dashboard's view model: everything the template shows, computed from the store."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from runner import maintenance
from runner.dashboard import queries
from runner.dashboard.charts import chart
from runner.dashboard.limits import limit_for, worth_charting
from runner.dashboard.slo import objectives
from runner.records import CheckStatus
from runner.store import Store

OUTCOME_ORDER = ("fail", "error", "degraded", "pass", "skipped", None)
STALE_SCHEDULER = 15 * 60  # seconds without a loop before the scheduler counts as stopped
MAX_CHARTS_PER_CHECK = 6
MESSAGE_IN_TOOLTIP = 160


def view(store: Store, settings, now: float) -> dict:
    states = store.latest_states()
    counts = queries.bucket_counts(store, now)
    context = {
        "uptimes": queries.uptimes(counts),
        "failures": queries.failure_times(counts, now),
        "series": queries.measurement_series(store, now),
        "alerts": store.alert_states(),
        "recent": queries.recent_results(store, [s["check_id"] for s in states]),
        "root": settings.reports_dir().resolve(),
        "thresholds": settings.thresholds,
        "now": now,
        "reports": {},
        "run_dirs": {},
    }
    checks = [_check(state, context) for state in states]
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
        "objectives": objectives(store, settings.slo, now),
        "slo_days": settings.slo.window_days,
        "scheduler": _scheduler(store.get_meta("scheduler"), now),
        "maintenance": maintenance.active(settings.alerts.maintenance, store.get_meta(maintenance.META_KEY), now),
        "canary": store.get_meta("canary"),
        "config_warnings": settings.warnings,
        "runs": queries.run_links(store, settings.reports_dir()),
        "reports": list(context["reports"]),  # the strips' cells name a report by its index here
        "when": _when,
        "ago": lambda at: _ago(now - at) if at else "never",
    }


def _check(state: CheckStatus, context: dict) -> dict:
    check_id = state["check_id"]
    alert = context["alerts"].get(check_id, {})
    charts, more = _charts(check_id, context)
    return {
        "id": check_id,
        "name": state["name"],
        "area": state["area"] or "other",
        "summary": state["summary"],
        "severity": state["severity"],
        "cadence": state["cadence"],
        "outcome": state["outcome"],
        "message": state["message"] or "",
        "at": state["at"],
        "uptime": context["uptimes"].get(check_id, {}),
        "charts": charts,
        "more_charts": more,
        "alert": alert.get("status", "ok"),
        "strip": [_cell(result, context) for result in context["recent"].get(check_id, [])],
    }


def _charts(check_id: str, context: dict) -> tuple[list[dict], int]:
    """The check's charts, those with thresholds first, and how many more were worth one but left out."""
    now, thresholds = context["now"], context["thresholds"]
    named = [
        (name, points)
        for (cid, name), points in context["series"].items()
        if cid == check_id and worth_charting(name, points, thresholds)
    ]
    named.sort(key=lambda item: (limit_for(item[0], thresholds) is None, item[0]))
    charts = [
        {
            "name": name,
            "svg": chart(
                name,
                points,
                now - queries.SPAN,
                now,
                limit_for(name, thresholds),
                context["failures"].get(check_id, []),
            ),
        }
        for name, points in named[:MAX_CHARTS_PER_CHECK]
    ]
    return charts, len(named) - len(charts)


def _cell(result: dict, context: dict) -> dict:
    """One result in a strip: its outcome, a tooltip (time, outcome, message), the index of its run's report."""
    message = " ".join(result["message"].split())[:MESSAGE_IN_TOOLTIP]
    title = f"{_when(result['at'])} · {result['outcome']}" + (f": {message}" if message else "")
    run_dir = result["run_dir"]
    if run_dir not in context["run_dirs"]:  # many checks share a run: resolve its folder once
        report = queries.report_path(run_dir, context["root"])
        context["run_dirs"][run_dir] = (
            None if report is None else context["reports"].setdefault(report, len(context["reports"]))
        )
    index = context["run_dirs"][run_dir]
    return {"outcome": result["outcome"], "title": title, "report": index}


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


@lru_cache(maxsize=4096)  # the strips repeat each run's time once per check
def _when(at: float | None) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%d %H:%M UTC") if at else "-"


def _ago(seconds: float) -> str:
    seconds = max(0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} s ago"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.1f} days ago"
