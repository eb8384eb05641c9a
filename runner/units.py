"""Figures in words for check messages."""

import datetime as dt


def minutes_text(minutes: float) -> str:
    """`45 min`, `3.5 h` or `2.1 days`: whichever reads best."""
    if minutes < 120:
        return f"{minutes:.0f} min"
    return f"{minutes / 60:.1f} h" if minutes < 48 * 60 else f"{minutes / 1440:.1f} days"


def moment_text(moment: dt.datetime) -> str:
    """`2026-12-02 12:00:00 UTC`: a moment in messages, the same wherever the monitor runs."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
