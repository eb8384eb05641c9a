"""Inline SVG charts: pure functions from (time, value) points to SVG coordinates."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, PAD = 260, 56, 3


@dataclass(frozen=True)
class Chart:
    name: str
    points: str  # the polyline's "x,y x,y ..." in a WIDTH×HEIGHT box
    low: float
    high: float
    last: float
    count: int
    start: float
    end: float


def chart(name: str, series: list[tuple[float, float]], start: float, end: float) -> Chart | None:
    """Scale a series into the box: time on x from `start` to `end`, value on y (min at the bottom)."""
    if not series:
        return None
    values = [v for _, v in series]
    low, high = min(values), max(values)
    span_y = (high - low) or 1.0
    span_x = (end - start) or 1.0
    coords = []
    for at, value in series:
        x = PAD + (WIDTH - 2 * PAD) * min(max((at - start) / span_x, 0.0), 1.0)
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * ((value - low) / span_y if high != low else 0.5)
        coords.append(f"{x:.1f},{y:.1f}")
    return Chart(name, " ".join(coords), low, high, values[-1], len(series), start, end)


def label(value: float) -> str:
    """A short human number for chart labels."""
    if value != value:  # NaN
        return "-"
    magnitude = abs(value)
    if magnitude >= 1e6 or (0 < magnitude < 1e-3):
        return f"{value:.2e}"
    return f"{value:.3g}" if magnitude < 1000 else f"{value:,.0f}"
