"""Inventory: is every product on sale actually in stock, and is restocking needed soon?"""

import pytest

from checks.shopdata import listing
from runner.pytest_plugin import Degraded


@pytest.mark.cadence("hourly")
@pytest.mark.area("inventory")
@pytest.mark.severity("critical")
def test_visible_products_in_stock(db, measure):
    """No product on sale is out of stock: customers find it, cannot buy it, and leave."""
    rows = db.rows(f"SELECT sku, name FROM {db.table('products')} WHERE is_active = 1 AND stock <= 0 ORDER BY sku")
    measure(visible_out_of_stock=len(rows))
    assert not rows, f"{len(rows)} products on sale are out of stock: " + listing(
        [f"{r['sku']} {r['name']}" for r in rows])


@pytest.mark.cadence("hourly")
@pytest.mark.area("inventory")
@pytest.mark.severity("warning")
def test_stock_above_low_threshold(settings, db, measure):
    """Products on sale have more than their low-stock threshold: restock before they sell out."""
    default = settings.thresholds.low_stock_default
    rows = db.rows(f"SELECT sku, name, stock, COALESCE(low_stock_threshold, %s) AS threshold "
                   f"FROM {db.table('products')} WHERE is_active = 1 AND stock > 0 "
                   "AND stock <= COALESCE(low_stock_threshold, %s) ORDER BY stock, sku", (default, default))
    measure(low_stock_products=len(rows))
    if rows:
        raise Degraded(f"{len(rows)} products low on stock: " + listing(
            [f"{r['sku']} {r['name']} ({r['stock']} <= {r['threshold']})" for r in rows]))
