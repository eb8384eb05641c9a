"""The schema contract without a database: templates rendered through a mapping, words as SQL
lists, synthetic orders recognised, fields the shop lacks, checks that read undeclared fields."""

import pytest

from runner.errors import MonitorError
from runner.shopschema.live import Column
from runner.shopschema.mapping import Mapping, NotInShop
from runner.shopschema.sql import SchemaMismatch, ShopSql, field_problem


class RecordingDb:
    def __init__(self):
        self.queries = []

    def rows(self, sql, args=None):
        self.queries.append((sql, args))
        return [{"n": 0}]


ALT = Mapping(
    tables={"orders": "shop_orders", "order_items": ""},
    columns={"orders": {"number": "order_ref", "synthetic": "", "email": "customer_email"}},
    values={"paid": ["PAID", "settled"]},
    synthetic_email="bot@shop.example",
    synthetic_order_prefix="T_%",
)


def test_defaults_render_the_demo_names():
    sql = ShopSql(RecordingDb(), Mapping()).render(
        "SELECT o.{orders.number} FROM {orders} o WHERE o.{orders.payment_status} IN {paid}"
    )
    assert sql == "SELECT o.`order_number` FROM `orders` o WHERE o.`payment_status` IN ('paid')"


def test_a_mapping_renames_tables_columns_and_words():
    sql = ShopSql(RecordingDb(), ALT).render(
        "SELECT o.{orders.number}, o.{orders.total} FROM {orders} o WHERE o.{orders.payment_status} IN {paid}"
    )
    assert sql == (
        "SELECT o.`order_ref`, o.`total` FROM `shop_orders` o WHERE o.`payment_status` IN ('PAID', 'settled')"
    )


def test_synthetic_orders_are_recognised_by_flag_email_or_prefix_with_percent_escaped():
    assert Mapping().real_order_sql() == "(COALESCE(o.`is_synthetic`, 0) = 0)"
    predicate = ShopSql(RecordingDb(), ALT).render("{real_orders}")
    assert "is_synthetic" not in predicate
    assert "COALESCE(o.`customer_email`, '') <> 'bot@shop.example'" in predicate
    assert "o.`order_ref` NOT LIKE 'T\\\\_\\\\%%%%'" in predicate  # the prefix's _ and % are literal; %% for pymysql
    assert not Mapping(columns={"orders": {"synthetic": ""}}).recognises_synthetic_orders()


def test_queries_always_run_with_a_parameter_dict_so_percent_signs_are_literal():
    db = RecordingDb()
    ShopSql(db, Mapping()).value("q", "SELECT COUNT(*) FROM {customers} WHERE {customers.email} LIKE '%%.invalid'")
    assert db.queries == [("SELECT COUNT(*) FROM `customers` WHERE `email` LIKE '%%.invalid'", {})]


def test_a_named_query_can_be_replaced_by_the_shops_own_sql():
    db = RecordingDb()
    mapping = Mapping(queries={"old_sessions": "SELECT COUNT(*) FROM sess WHERE age > %(seconds)s"})
    ShopSql(db, mapping).value("old_sessions", "SELECT 1", seconds=5)
    assert db.queries == [("SELECT COUNT(*) FROM sess WHERE age > %(seconds)s", {"seconds": 5})]


def test_a_field_mapped_to_nothing_is_not_in_the_shop():
    with pytest.raises(NotInShop, match=r'no order_items table \(database.tables.order_items = ""\)'):
        ALT.column("order_items", "quantity")
    with pytest.raises(NotInShop, match="no orders.synthetic column"):
        ALT.column("orders", "synthetic")


def test_a_check_reading_a_field_it_did_not_declare_is_stopped():
    shop = ShopSql(RecordingDb(), Mapping(), declared={"orders.total"})
    assert shop.render("{orders.total}") == "`total`"
    with pytest.raises(MonitorError, match="reads orders.number without declaring it"):
        shop.render("{orders.number}")
    with pytest.raises(MonitorError, match="reads table products without declaring it"):
        shop.render("{products}")


def test_field_problems_name_the_column_the_table_and_the_key():
    live = {"shop_orders": {"order_ref": Column("order_ref", "varchar", "varchar(32)")}}
    assert field_problem(ALT, live, "orders.number") is None
    problem = field_problem(ALT, live, "orders.paid_at")
    assert isinstance(problem, SchemaMismatch)
    assert str(problem).startswith(
        "orders.paid_at is mapped to column paid_at, which table shop_orders does not have: "
        "set database.columns.orders.paid_at"
    )
    assert "set database.tables.customers" in str(field_problem(ALT, live, "customers.email"))
    assert isinstance(field_problem(ALT, live, "orders.synthetic"), NotInShop)
    assert field_problem(ALT, live, "orders.synthetic", optional=True) is None
