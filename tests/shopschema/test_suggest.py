"""The suggested mapping from a live schema the monitor has never seen."""

import tomllib

from runner.shopschema.live import Column
from runner.shopschema.mapping import Mapping
from runner.shopschema.suggest import as_toml, suggest


def table(**columns):
    return {name: Column(name, kind, kind) for name, kind in columns.items()}


LIVE = {
    "shop_orders": table(id="int", order_ref="varchar", grand_total="decimal", pay_state="enum", paid_on="datetime",
                         created_at="datetime", customer_email="varchar"),
    "order_lines": table(id="int", order_id="int", product_id="int", qty="int", price_each="decimal"),
    "products": table(id="int", sku="varchar", name="varchar", stock="int", is_active="tinyint"),
}
VALUES = {("shop_orders", "pay_state"): ["PENDING", "PAID", "FAILED", "REFUNDED"]}


def values_of(physical, column):
    return VALUES.get((physical, column), [])


def test_tables_columns_and_words_are_guessed_from_names_types_and_values():
    needed = {"orders.number", "orders.total", "orders.paid_at", "orders.payment_status", "orders.created_at",
              "order_items.order_id", "order_items.quantity", "order_items.unit_price", "products.stock"}
    proposal = suggest(Mapping(), LIVE, needed, values_of)
    assert proposal["tables"] == {"orders": "shop_orders", "order_items": "order_lines"}
    assert proposal["columns"]["orders"] == {"number": "order_ref", "total": "grand_total", "paid_at": "paid_on",
                                             "payment_status": "pay_state"}
    assert proposal["columns"]["order_items"] == {"quantity": "qty", "unit_price": "price_each"}
    assert proposal["values"]["paid"] == ["PAID"]
    assert proposal["values"]["refunded"] == ["REFUNDED"]
    assert "products" not in proposal["columns"]  # fits as it is


def test_the_suggestion_is_toml_that_loads_into_the_database_section():
    proposal = suggest(Mapping(), LIVE, {"orders.number", "orders.synthetic", "orders.payment_status"}, values_of)
    text = as_toml(proposal)
    data = tomllib.loads(text)["database"]
    assert data["columns"]["orders"]["number"] == "order_ref"
    assert data["columns"]["orders"]["synthetic"] == ""  # nothing like a flag: the shop has none
    assert "no similar column in shop_orders" in text
    assert data["values"]["paid"] == ["PAID"]
