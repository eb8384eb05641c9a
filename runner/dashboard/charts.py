"""Inline SVG charts with axes: a time axis, a value axis, thresholds as lines, failures marked."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from runner.dashboard.limits import Limit

WIDTH, HEIGHT = 520, 130
FEW_POINTS = 12
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 20  # margins for the axes' labels


def chart(
    name: str,
    series: list[tuple[float, float, float]],
    start: float,
    end: float,
    limit: Limit | None = None,
    failures: list[float] = (),
) -> str:
    """One chart as SVG markup: per bucket the worst value (max, or min where lower is worse)."""
    lower = bool(limit and limit.lower_is_worse)
    values = [low if lower else high for _, low, high in series]
    marks = [v for v in (limit.warn, limit.fail) if v is not None] if limit else []
    low, high = _nice_range(min(values + marks), max(values + marks))
    x = lambda at: LEFT + (WIDTH - LEFT - RIGHT) * min(max((at - start) / ((end - start) or 1), 0.0), 1.0)  # noqa: E731
    y = lambda v: TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - low) / ((high - low) or 1))  # noqa: E731
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{name}, '
        f'{"lowest" if lower else "highest"} per 4 hours over 30 days">'
    ]
    parts += _value_axis(low, high, y) + _time_axis(start, end, x)
    if limit:
        for value, kind in ((limit.warn, "warn"), (limit.fail, "fail")):
            if value is not None:
                parts.append(
                    f'<line class="{kind}" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.0f}" '
                    f'y2="{y(value):.0f}"><title>{kind} at {label(value)}</title></line>'
                )
    points = [(x(at), y(v)) for (at, _, _), v in zip(series, values)]
    parts.append('<polyline points="' + " ".join(f"{px:.0f},{py:.0f}" for px, py in points) + '"/>')
    if len(points) < FEW_POINTS:  # a line through one or two points is invisible
        parts += [f'<circle cx="{px:.0f}" cy="{py:.0f}" r="2.5"/>' for px, py in points]
    parts += [f'<path class="failed" d="M{x(at):.0f} {HEIGHT - BOTTOM}l-3 5h6z"/>' for at in failures]
    parts.append("</svg>")
    return "".join(parts)


def _value_axis(low: float, high: float, y) -> list[str]:
    parts = [f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>']
    for value in (low, (low + high) / 2, high):
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.0f}" y2="{y(value):.0f}"/>'
            f'<text class="ylabel" x="{LEFT - 4}" y="{y(value) + 4:.0f}">{label(value)}</text>'
        )
    return parts


def _time_axis(start: float, end: float, x) -> list[str]:
    parts = [f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}"/>']
    step = 7 * 86400 if end - start > 10 * 86400 else 86400
    tick = math.ceil(start / step) * step
    while tick <= end:
        text = datetime.fromtimestamp(tick, UTC).strftime("%b %d")
        parts.append(f'<text class="xlabel" x="{x(tick):.0f}" y="{HEIGHT - 5}">{text}</text>')
        tick += step
    return parts


def _nice_range(low: float, high: float) -> tuple[float, float]:
    """The axis range: from 0 when the values are all positive and not far from it, ends on round numbers
    (the middle label too: the range is split in two)."""
    if low >= 0 and low < high * 0.5:
        low = 0.0
    if high == low:
        low, high = (0.0, high) if high > 0 else (low - 1, high + 1)
    step = _round_up((high - low) * 1.05 / 2)
    low = math.floor(low / step) * step
    return low, max(low + 2 * step, math.ceil(high / step) * step)


def _round_up(value: float) -> float:
    """The next of 1, 2, 2.5, 5 × 10^k at or above `value`."""
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def label(value: float) -> str:
    """A short human number for chart labels."""
    if value != value:  # NaN
        return "-"
    magnitude = abs(value)
    if magnitude >= 1e6 or (0 < magnitude < 1e-3):
        return f"{value:.2e}"
    return f"{value:.3g}" if magnitude < 1000 else f"{value:,.0f}"
