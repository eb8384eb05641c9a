"""Rendering helper: every page gets a unique title, a 50-160 character meta description and a canonical URL."""

from __future__ import annotations

from flask import current_app, render_template, request

SITE = "Dija Accessories"
SUFFIX = " Handmade jewellery from Lagos, delivered across Nigeria."


def describe(text: str) -> str:
    """A meta description between 50 and 160 characters."""
    text = " ".join(text.split())
    if len(text) < 50:
        text = (text + SUFFIX).strip()
    if len(text) > 160:
        text = text[:157].rsplit(" ", 1)[0] + "..."
    return text


def page(template: str, title: str, description: str, status: int = 200, **context):
    query_page = current_app.config["SHAPE"].query_string_urls and request.query_string
    canonical = current_app.config["SHOP"]["base_url"] + (request.full_path if query_page else request.path)
    full_title = title if title.endswith(SITE) else f"{title} | {SITE}"
    html = render_template(
        template, title=full_title, description=describe(description), canonical=canonical, **context
    )
    return html, status
