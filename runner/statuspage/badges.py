"""Shields-style SVG badges: a label on grey, the state in its colour."""

from __future__ import annotations

import re
from html import escape

COLOURS = {"up": "#2e7d32", "degraded": "#ef8f00", "down": "#c62828"}
CHAR_WIDTH, PAD = 6.6, 10  # Verdana 11px, roughly: the badge only needs to be wide enough


def badge(label: str, state: str) -> str:
    left = round(len(label) * CHAR_WIDTH + PAD)
    right = round(len(state) * CHAR_WIDTH + PAD)
    width = left + right
    text = f"{label}: {state}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{escape(text)}"><title>{escape(text)}</title>'
        f'<rect width="{left}" height="20" fill="#555"/><rect x="{left}" width="{right}" height="20" '
        f'fill="{COLOURS[state]}"/><g fill="#fff" text-anchor="middle" font-family="Verdana,sans-serif" '
        f'font-size="11"><text x="{left / 2:.1f}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:.1f}" y="14">{escape(state)}</text></g></svg>'
    )


def slug(name: str) -> str:
    """A file name from a public name: "Shopping and checkout" → "shopping-and-checkout"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "area"
