"""The suggested mapping from a live schema the monitor has never seen."""

import tomllib

from demoshop.runfiles_alt import database_mapping
from demoshop.shapes import ALT
from runner.config.sections import Database
from runner.shopschema.contract import FIELDS
from runner.shopschema.live import Column
from runner.shopschema.mapping import Mapping
from runner.shopschema.probe import SYNTHETIC_FIELDS
from runner.shopschema.suggest import as_toml, suggest

EVERY_FIELD = {f"{t}.{f}" for t, fields in FIELDS.items() for f in fields} | set(SYNTHETIC_FIELDS)


def table(spec: str) -> dict[str, Column]:
    """table("id* int, order_ref varchar"): `*` marks the primary key."""
    columns = [part.split() for part in spec.split(",")]
    return {name.rstrip("*"): Column(name.rstrip("*"), kind, kind, name.endswith("*")) for name, kind in columns}


LIVE = {
    "shop_orders": table(
        "id* int, order_ref varchar, grand_total decimal, pay_state enum, paid_on datetime, "
        "created_at datetime, customer_email varchar"
    ),
    "order_lines": table("id* int, order_id int, product_id int, qty int, price_each decimal"),
    "products": table("id* int, sku varchar, name varchar, stock int, is_active tinyint"),
}
VALUES = {("shop_orders", "pay_state"): ["PENDING", "PAID", "FAILED", "REFUNDED"]}

# the alt shop's schema (demoshop/schema_alt.sql) and the values its status columns hold
ALT_LIVE = {
    "products": table(
        "id* int, code varchar, title varchar, slug varchar, category varchar, price decimal, "
        "in_stock int, reorder_level int, image varchar, image_alt varchar, description text, "
        "enabled tinyint, added_on datetime"
    ),
    "customers": table(
        "id* int, email varchar, full_name varchar, pass_hash varchar, registered_on datetime, "
        "last_seen datetime, erased_on datetime"
    ),
    "sales_orders": table(
        "id* int, order_ref varchar, customer_id int, customer_email varchar, delivery_address varchar, "
        "fulfilment enum, pay_state enum, pay_method varchar, grand_total decimal, customer_note text, "
        "placed_on datetime, paid_on datetime, fulfilled_on datetime"
    ),
    "order_lines": table("line_id* int, order_id int, item_id int, qty int, price_each decimal"),
    "payment_attempts": table(
        "id* int, order_id int, provider varchar, provider_ref varchar, amount decimal, "
        "state enum, attempted_at datetime"
    ),
    "user_sessions": table("id* varchar, customer_id int, payload text, updated_at datetime"),
    "reviews": table("id* int, author varchar, body text, stars tinyint, state enum, submitted_on datetime"),
    "promo_banners": table(
        "id* int, headline varchar, image varchar, target_url varchar, start_date datetime, "
        "end_date datetime, visible tinyint"
    ),
    "staff": table(
        "id* int, login varchar, email varchar, pass_hash varchar, role varchar, enabled tinyint, "
        "added_on datetime, last_seen datetime"
    ),
    "admin_logins": table(
        "id* int, login varchar, remote_ip varchar, outcome enum, user_agent varchar, tried_at datetime"
    ),
    "mail_outbox": table(
        "id* int, recipient varchar, subject varchar, template varchar, state enum, tries int, "
        "last_error text, queued_at datetime, sent_at datetime"
    ),
    "gateway_callbacks": table(
        "id* int, provider varchar, event_type varchar, reference varchar, payload text, "
        "state enum, error_text text, received_at datetime, processed_at datetime"
    ),
    "cart_reminders": table(
        "id* int, customer_id int, email varchar, cart_total decimal, started_at datetime, "
        "reminded_at datetime, converted tinyint"
    ),
}
ALT_VALUES = {
    ("sales_orders", "fulfilment"): ["new", "packed", "dispatched", "delivered", "void"],
    ("sales_orders", "pay_state"): ["PENDING", "PAID", "FAILED", "REFUNDED"],
    ("payment_attempts", "state"): ["ok", "declined", "pending"],
    ("reviews", "state"): ["awaiting", "published", "hidden"],
    ("admin_logins", "outcome"): ["ok", "fail"],
    ("mail_outbox", "state"): ["waiting", "done", "error"],
    ("gateway_callbacks", "state"): ["arrived", "handled", "error"],
}


def values_of(physical, column):
    return VALUES.get((physical, column), [])


def alt_values_of(physical, column):
    return ALT_VALUES.get((physical, column), [])


def test_tables_columns_and_words_are_guessed_from_names_types_and_values():
    needed = {
        "orders.number",
        "orders.total",
        "orders.paid_at",
        "orders.payment_status",
        "orders.created_at",
        "order_items.order_id",
        "order_items.quantity",
        "order_items.unit_price",
        "products.stock",
    }
    proposal = suggest(Mapping(), LIVE, needed, values_of)
    assert proposal["tables"] == {"orders": "shop_orders", "order_items": "order_lines"}
    assert proposal["columns"]["orders"] == {
        "number": "order_ref",
        "total": "grand_total",
        "paid_at": "paid_on",
        "payment_status": "pay_state",
    }
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


def test_from_no_mapping_at_all_every_line_for_the_alt_shop_is_its_own_mapping():
    tables, columns, values = database_mapping(ALT)
    proposal = suggest(Mapping(), ALT_LIVE, EVERY_FIELD, alt_values_of)
    assert proposal["tables"] == tables  # testimonials -> reviews, login_attempts -> admin_logins, ...
    assert proposal["columns"] == columns  # order_items.id -> line_id (the key), products.name -> title, ...
    assert {k: sorted(map(str, v)) for k, v in proposal["values"].items()} == {
        k: sorted(map(str, v)) for k, v in values.items()
    }  # order_closed: void, delivered, dispatched


def test_the_alt_suggestion_as_toml_is_a_valid_database_section_without_doubled_keys():
    proposal = suggest(Mapping(), ALT_LIVE, EVERY_FIELD | {"testimonials.body", "email_queue.subject"}, alt_values_of)
    text = as_toml(proposal)
    assert "tables.tables." not in text
    section = tomllib.loads(text)["database"]
    Database(name="dija_shop", user="monitor", **section)  # the config accepts it as it is
    assert section["values"]["login_failed"] == ["fail"]
    assert "# sales_orders.fulfilment holds: new, packed, dispatched, delivered, void" in text


UNFAMILIAR = {  # another shop's names: none of them spelled out in the synonym lists
    "shop_order": table(
        "order_id* int, invoice_no varchar, customer_id int, email varchar, order_status enum, "
        "payment_state enum, total_amount decimal, comment text, created datetime, date_paid datetime, "
        "shipped_at datetime, is_test tinyint"
    ),
    "shop_order_product": table("order_product_id* int, order_id int, product_id int, quantity int, price decimal"),
    "shop_session": table("session_id* varchar, data text, expire datetime"),
    "shop_customer_login": table("customer_login_id* int, email varchar, ip varchar, total int, date_added datetime"),
    "shop_newsletter": table("id* int, email varchar, created_at datetime"),
}


def test_an_unfamiliar_shop_gets_its_closest_names_and_empty_only_where_nothing_is_plausible():
    seen = {("shop_order", "order_status"): ["pending", "processing", "shipped", "complete", "canceled", "refunded"]}
    proposal = suggest(Mapping(), UNFAMILIAR, EVERY_FIELD, lambda t, c: seen.get((t, c), []))
    assert {t: proposal["tables"][t] for t in ("orders", "order_items", "sessions", "login_attempts")} == {
        "orders": "shop_order",
        "order_items": "shop_order_product",
        "sessions": "shop_session",
        "login_attempts": "shop_customer_login",
    }
    assert proposal["tables"]["banners"] == proposal["tables"]["email_queue"] == ""  # not the newsletter table
    assert proposal["columns"]["orders"] == {
        "id": "order_id",
        "number": "invoice_no",
        "status": "order_status",
        "payment_status": "payment_state",
        "total": "total_amount",
        "notes": "comment",
        "synthetic": "is_test",
        "created_at": "created",
        "paid_at": "date_paid",
        "processed_at": "shipped_at",
    }
    assert proposal["columns"]["order_items"] == {"id": "order_product_id", "unit_price": "price"}
    assert proposal["columns"]["login_attempts"]["username"] == ""  # the key is no username
    assert proposal["values"]["order_closed"] == ["shipped", "complete", "canceled"]  # every closed state


def test_words_that_match_nothing_are_kept_with_the_values_the_column_holds():
    live = {"reviews": table("id* int, state tinyint, submitted_on datetime")}
    proposal = suggest(Mapping(tables={"testimonials": "reviews"}), live, {"testimonials.status"}, lambda t, c: [0, 1])
    assert proposal["values"]["testimonial_pending"] == ["pending"]
    assert 'testimonial_pending = ["pending"]  # reviews.state holds: 0, 1' in as_toml(proposal)
