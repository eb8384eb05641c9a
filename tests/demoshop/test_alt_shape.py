"""The alt shape of the demo shop: its own schema and words, query-string URLs, an address at
checkout, heartbeats and backups in its layout, and a monitor.toml that maps all of it."""

from __future__ import annotations

import gzip
import hashlib
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet

from runner.shopschema.contract import BOOLEAN_FIELDS, FIELDS, VOCABULARIES
from tests.demoshop.alt_helpers import ADDRESS, SYNTHETIC, alt_checkout, alt_config, order_ref_from
from tests.demoshop.helpers import get, scalar, wait_for_mail

PAGES = {
    "/": "Dija Accessories",
    "/index.php": "Dija Accessories",
    "/index.php?route=category&slug=earrings": "Earrings",
    "/index.php?route=product&slug=gold-hoops": "Gold Hoop Earrings",
    "/index.php?route=cart": "Your bag",
}


def live_columns(stack) -> dict[str, dict[str, str]]:
    with stack.db_root() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT table_name, column_name, column_type FROM information_schema.columns "
            "WHERE table_schema = DATABASE()"
        )
        columns: dict[str, dict[str, str]] = {}
        for table, column, column_type in cur.fetchall():
            columns.setdefault(table, {})[column] = column_type
    return columns


def test_alt_stack_is_the_alt_shape_and_stores_it(alt_demo):
    assert alt_demo.is_running() and alt_demo.state["variant"] == "alt" and alt_demo.shape.name == "alt"


@pytest.mark.parametrize("path,keyword", PAGES.items())
def test_pages_answer_on_query_string_urls(alt_demo, path, keyword):
    resp = get(alt_demo, path)
    assert resp.status_code == 200 and keyword in resp.text
    assert "Database connection failed" not in resp.text


@pytest.mark.parametrize("path", ["/category/earrings", "/product/gold-hoops", "/cart", "/checkout", "/login"])
def test_the_default_shapes_paths_do_not_exist(alt_demo, path):
    assert get(alt_demo, path).status_code == 404


def test_links_sitemap_and_canonical_use_query_strings(alt_demo):
    home = get(alt_demo, "/").text
    assert 'href="/index.php?route=category&amp;slug=earrings"' in home and 'href="/category/' not in home
    locs = [el.text for el in ET.fromstring(get(alt_demo, "/sitemap.xml").content).iter() if el.tag.endswith("loc")]
    assert locs[0] == alt_demo.base_url + "/index.php"
    assert alt_demo.base_url + "/index.php?route=product&slug=gold-hoops" in locs
    product = get(alt_demo, "/index.php?route=product&slug=gold-hoops").text
    assert f'rel="canonical" href="{alt_demo.base_url}/index.php?route=product&amp;slug=gold-hoops"' in product


def test_product_page_has_a_fetch_button_not_a_form(alt_demo):
    html = get(alt_demo, "/index.php?route=product&slug=gold-hoops").text
    assert 'class="add-to-bag"' in html and "<form" not in html.split("<main>")[1]
    assert '<h1 class="title">Gold Hoop Earrings</h1>' in html and 'class="price-now"' in html
    assert 'class="sold-out"' in get(alt_demo, "/index.php?route=product&slug=rose-gold-beaded-bracelet").text


def test_database_has_the_alt_names_and_no_synthetic_flag(alt_demo):
    columns = live_columns(alt_demo)
    assert "orders" not in columns and "order_items" not in columns
    assert {
        "order_ref",
        "grand_total",
        "pay_state",
        "fulfilment",
        "paid_on",
        "fulfilled_on",
        "customer_email",
        "delivery_address",
    } <= set(columns["sales_orders"])
    assert not {"is_synthetic", "order_number", "status", "total"} & set(columns["sales_orders"])
    assert {"qty", "price_each"} <= set(columns["order_lines"])
    assert {"in_stock", "reorder_level", "enabled"} <= set(columns["products"])
    assert columns["admin_logins"]["outcome"] == "enum('ok','fail')"
    assert scalar(alt_demo, "SELECT COUNT(*) FROM sales_orders WHERE order_ref LIKE 'ORD-%'") > 100
    assert scalar(alt_demo, "SELECT COUNT(DISTINCT pay_state) FROM sales_orders") >= 2


def test_monitor_toml_maps_every_contract_field_and_word_onto_the_live_schema(alt_demo):
    database = alt_config(alt_demo)["database"]
    tables, columns, values = database["tables"], database["columns"], database["values"]
    live = live_columns(alt_demo)
    for table, fields in FIELDS.items():
        physical_table = tables.get(table, table)
        assert physical_table in live, f"{table} -> {physical_table}"
        for field, default in fields.items():
            column = columns.get(table, {}).get(field, default)
            if column:
                assert column in live[physical_table], f"{table}.{field} -> {physical_table}.{column}"
    assert columns["orders"]["synthetic"] == "" and "orders.synthetic" in BOOLEAN_FIELDS
    for vocabulary, (dotted, _words) in VOCABULARIES.items():
        table, field = dotted.split(".")
        column_type = live[tables.get(table, table)][columns.get(table, {}).get(field, FIELDS[table][field])]
        for word in values[vocabulary]:
            assert f"'{word}'" in column_type, f"{vocabulary}: {word!r} is no value of {column_type}"
    assert values["login_failed"] == ["fail"] and values["paid"] == ["PAID"]


def test_monitor_toml_has_the_alt_pages_layouts_and_checkout_steps(alt_demo):
    config = alt_config(alt_demo)
    assert [p["path"] for p in config["site"]["key_pages"]][1] == "/index.php?route=category&slug=earrings"
    assert config["server"]["heartbeat_pattern"] == "{job}.last"
    assert config["backups"]["file_pattern"] == "**/{data_class}-*.sql.gz.enc"
    checkout = config["checkout"]
    assert checkout["cancel_steps"] == [] and checkout["fields"] == {"address": ADDRESS}
    assert [s["name"] for s in checkout["steps"]] == [
        "home",
        "category",
        "product",
        "add_to_cart",
        "bag",
        "checkout_form",
        "payment",
    ]
    assert checkout["steps"][3]["navigates"] is False
    assert "selectors" not in checkout and "product_path" not in checkout
    assert {"tls", "mail", "payments", "logs", "security", "runner"} <= set(config)


def test_checkout_requires_the_delivery_address(alt_demo):
    before = scalar(alt_demo, "SELECT COUNT(*) FROM sales_orders")
    resp = alt_checkout(alt_demo, address="")
    assert resp.status_code == 200 and 'class="pay-error"' in resp.text and "delivery address" in resp.text
    assert scalar(alt_demo, "SELECT COUNT(*) FROM sales_orders") == before


def test_checkout_writes_the_order_in_alt_names_without_a_flag(alt_demo):
    resp = alt_checkout(alt_demo)
    assert resp.status_code == 200 and "route=checkout/success&order=ORD-" in resp.url
    ref = order_ref_from(resp.text)
    order_id, total, pay_state, fulfilment, address = (
        scalar(
            alt_demo, f"SELECT {column} FROM sales_orders WHERE order_ref = %s AND customer_email = %s", ref, SYNTHETIC
        )
        for column in ("id", "grand_total", "pay_state", "fulfilment", "delivery_address")
    )
    assert (pay_state, fulfilment, address) == ("PAID", "packed", ADDRESS) and total > Decimal(0)
    assert scalar(alt_demo, "SELECT SUM(qty * price_each) FROM order_lines WHERE order_id = %s", order_id) == total
    assert scalar(alt_demo, "SELECT state FROM payment_attempts WHERE order_id = %s", order_id) == "ok"
    subject = f"Order {ref} confirmed"
    assert scalar(alt_demo, "SELECT state FROM mail_outbox WHERE subject = %s", subject) == "done"
    assert wait_for_mail(alt_demo, "synthetic-monitor", alt_demo.secrets["DIJA_CHECKOUT_PASSWORD"], subject)


def test_a_declined_card_writes_no_order(alt_demo):
    before = scalar(alt_demo, "SELECT COUNT(*) FROM sales_orders")
    resp = alt_checkout(alt_demo, email="someone@example.com", card="4000000000000002")
    assert "Payment declined" in resp.text and 'class="pay-error"' in resp.text
    assert scalar(alt_demo, "SELECT COUNT(*) FROM sales_orders") == before


def test_heartbeats_carry_the_last_suffix(alt_demo):
    assert {p.name for p in (alt_demo.run_dir / "heartbeats").iterdir()} == {
        "cleanup.last",
        "backup.last",
        "inventory.last",
        "weekly_maintenance.last",
    }


@pytest.mark.parametrize("root", ["backups", "offsite"])
def test_backups_side_by_side_with_monthly_below_checksummed_and_encrypted(alt_demo, root):
    folder = alt_demo.run_dir / root
    fernet = Fernet(alt_demo.secrets["DIJA_BACKUP_KEY"].encode())
    for data_class in ("orders", "customers", "products", "full"):
        current = list(folder.glob(f"{data_class}-*.sql.gz.enc"))
        assert current and all(re.fullmatch(rf"{data_class}-\d{{8}}-\d{{4}}\.sql\.gz\.enc", p.name) for p in current)
        newest = max(current, key=lambda p: p.stat().st_mtime)
        assert (
            newest.with_name(newest.name + ".sha256").read_text().split()[0]
            == hashlib.sha256(newest.read_bytes()).hexdigest()
        )
        sql = gzip.decompress(fernet.decrypt(newest.read_bytes())).decode()
        if data_class == "orders":
            assert "CREATE TABLE `sales_orders`" in sql and "CREATE TABLE `order_lines`" in sql
    monthly = sorted(p.name for p in (folder / "monthly").glob("full-*.sql.gz.enc"))
    assert len(monthly) == 12 and all(re.fullmatch(r"full-\d{6}\.sql\.gz\.enc", name) for name in monthly)
    assert len(list((folder / "monthly").glob("*.sha256"))) == 12
    assert len(list(folder.glob("**/full-*.sql.gz.enc"))) >= 13  # the file_pattern finds both
