"""Inventory: is every product on sale actually in stock, and is restocking needed soon?"""

import pytest

from checks.shopdata import listing
from runner.pytest_plugin import Degraded

pytestmark = pytest.mark.area("inventory")


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.shop_data("products.sku", "products.name", "products.stock", "products.active")
def test_visible_products_in_stock(shop, measure):
    """No product on sale is out of stock: customers find it, cannot buy it, and leave."""
    rows = shop.rows(
        "visible_out_of_stock",
        "SELECT {products.sku} AS sku, {products.name} AS name FROM {products} "
        "WHERE COALESCE({products.active}, 0) <> 0 AND {products.stock} <= 0 ORDER BY 1",
    )
    measure(visible_out_of_stock=len(rows))
    assert not rows, f"{len(rows)} products on sale are out of stock: " + listing(
        [f"{r['sku']} {r['name']}" for r in rows]
    )


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
@pytest.mark.shop_data(
    "products.sku", "products.name", "products.stock", "products.active", "products.low_stock_threshold?"
)
def test_stock_above_low_threshold(settings, shop, measure):
    """Products on sale have more than their low-stock threshold: restock before they sell out."""
    default = settings.thresholds.low_stock_default
    # a shop without a per-product threshold column uses thresholds.low_stock_default for all
    threshold = (
        "COALESCE({products.low_stock_threshold}, %(default)s)"
        if shop.mapping.has("products", "low_stock_threshold")
        else "%(default)s"
    )
    rows = shop.rows(
        "low_stock",
        f"SELECT {{products.sku}} AS sku, {{products.name}} AS name, {{products.stock}} AS stock, "
        f"{threshold} AS threshold FROM {{products}} WHERE COALESCE({{products.active}}, 0) <> 0 "
        f"AND {{products.stock}} > 0 AND {{products.stock}} <= {threshold} ORDER BY 3, 1",
        default=default,
    )
    measure(low_stock_products=len(rows))
    if rows:
        raise Degraded(
            f"{len(rows)} products low on stock: "
            + listing([f"{r['sku']} {r['name']} ({r['stock']} <= {r['threshold']})" for r in rows])
        )
