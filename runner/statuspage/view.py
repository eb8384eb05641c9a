"""The public status page's content: per public area a state, a daily uptime strip and incidents.

Only public words leave this module: the area's public name, states, dates, percentages and the
owner's public messages. Check names, error messages, paths, hosts and measurements stay out.
"""

from __future__ import annotations

from datetime import UTC, datetime

from runner.dashboard import queries
from runner.records import CheckStatus
from runner.store import DAY, Store

STATES = ("up", "degraded", "down")  # worst last
DEGRADED_DAY_PERCENT = 99.0  # a day with failures but at least this uptime is degraded, below it down
HEADLINES = {"up": "All systems operational", "degraded": "Some systems are degraded", "down": "Some systems are down"}


def status_view(store: Store, settings, now: float) -> dict:
    page = settings.status_page
    states = [s for s in store.latest_states() if s["area"] in page.areas]
    days = queries.bucket_counts(store, now, span=page.days * DAY, buckets=page.days)
    spells = [s for s in queries.incidents(store, now, span=page.days * DAY)]
    by_id = {s["check_id"]: s for s in states}
    areas = []
    for key, public_name in page.areas.items():
        members = [s for s in states if s["area"] == key]
        counts = [days.get(s["check_id"], {}) for s in members]
        areas.append(
            {
                "name": public_name,
                "status": _area_state(members),
                "days": [_day(counts, age, now) for age in reversed(range(page.days))],
                "uptime": _uptime(counts),
            }
        )
    incidents = _incidents([s for s in spells if s["check_id"] in by_id], by_id, page)
    overall = max((a["status"] for a in areas), key=STATES.index, default="up")
    return {
        "title": page.title,
        "generated": _iso(now),
        "status": overall,
        "headline": HEADLINES[overall],
        "areas": areas,
        "days": page.days,
        "current": [i for i in incidents if i["to"] is None],
        "past": [i for i in incidents if i["to"]],
    }


def _area_state(members: list[CheckStatus]) -> str:
    """Down: a critical check fails now; degraded: another one fails or one is degraded; else up."""
    failing = [m for m in members if m["outcome"] in ("fail", "error")]
    if any(m["severity"] == "critical" for m in failing):
        return "down"
    return "degraded" if failing or any(m["outcome"] == "degraded" for m in members) else "up"


def _day(counts: list[dict], age: int, now: float) -> dict:
    up = counted = failed = 0
    for buckets in counts:
        u, c, f = buckets.get(age, (0, 0, 0))
        up, counted, failed = up + u, counted + c, failed + f
    date = datetime.fromtimestamp(now - age * DAY, UTC).strftime("%Y-%m-%d")
    if not counted:
        return {"date": date, "status": "none", "uptime_percent": None}
    percent = 100.0 * up / counted
    status = "up" if not failed else ("degraded" if percent >= DEGRADED_DAY_PERCENT else "down")
    return {"date": date, "status": status, "uptime_percent": round(percent, 3)}


def _uptime(counts: list[dict]) -> float | None:
    up = sum(v[0] for buckets in counts for v in buckets.values())
    counted = sum(v[1] for buckets in counts for v in buckets.values())
    return round(100.0 * up / counted, 3) if counted else None


def _incidents(spells: list[dict], by_id: dict[str, CheckStatus], page) -> list[dict]:
    """Failure spells of one public area that overlap become one incident; newest first."""
    merged: list[dict] = []
    for spell in sorted(spells, key=lambda s: s["start"]):
        check = by_id[spell["check_id"]]
        area = page.areas[check["area"]]
        message = page.message(check["name"], check["area"])
        same = next(
            (i for i in merged if i["area"] == area and (i["_end"] is None or i["_end"] >= spell["start"])), None
        )
        if same is None:
            merged.append({"area": area, "from": spell["start"], "_end": spell["end"], "messages": [message]})
            continue
        same["_end"] = None if None in (same["_end"], spell["end"]) else max(same["_end"], spell["end"])
        if message not in same["messages"]:
            same["messages"].append(message)
    return [
        {
            "area": i["area"],
            "from": _iso(i["from"]),
            "to": _iso(i["_end"]) if i["_end"] else None,
            "message": " ".join(i["messages"]),
        }
        for i in reversed(merged)
    ]


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%MZ")
