"""Talking to the alt shape of the demo shop (query-string URLs, its own schema) as a client would."""

from __future__ import annotations

import re
import tomllib

import requests

from tests.demoshop.helpers import post, scalar

SYNTHETIC = "synthetic-monitor@dija-accessories.example"
ADDRESS = "1 Synthetic Way, Lagos"


def alt_config(stack) -> dict:
    return tomllib.loads(stack.config_path.read_text())


def alt_checkout(
    stack,
    email: str = SYNTHETIC,
    card: str = "4242424242424242",
    address: str = ADDRESS,
    session: requests.Session | None = None,
) -> requests.Response:
    """Add gold hoops to a fresh bag (the POST the page's fetch() makes) and pay; the final response."""
    session = session or requests.Session()
    product_id = scalar(stack, "SELECT id FROM products WHERE slug = 'gold-hoops'")
    post(stack, "/index.php?route=cart/add", session, data={"product_id": product_id, "quantity": 1})
    return post(
        stack,
        "/index.php?route=checkout",
        session,
        data={
            "name": "Synthetic Monitor",
            "email": email,
            "address": address,
            "card_number": card,
            "gateway": "stripe",
        },
    )


def order_ref_from(html: str) -> str:
    match = re.search(r'class="order-ref">([^<]+)<', html)
    assert match, "no .order-ref on the alt confirmation page"
    return match.group(1)
