"""Database: is the shop's MariaDB reachable, responsive and consistent?"""

import pytest

from checks.shopdata import MAX_LISTED, listing, money
from runner.clients.database import DatabaseUnavailable, ReadOnlyDatabase, identifier
from runner.pytest_plugin import Degraded, configured

pytestmark = pytest.mark.area("database")


@pytest.mark.cadence("critical")
@pytest.mark.severity("critical")
@pytest.mark.smoke
@pytest.mark.runbook("site-down")
def test_database_answers_quickly(settings, measure):
    """The shop database accepts connections and answers SELECT 1 quickly: every page and order depends on it."""
    section = configured(settings, "database")
    try:
        database = ReadOnlyDatabase.connect(section)
    except DatabaseUnavailable as exc:
        pytest.fail(f"database unreachable: {exc}")
    try:
        latency_ms = min(database.timed_ping() for _ in range(3))
    finally:
        database.close()
    measure(select1_ms=latency_ms)
    limit = settings.thresholds.db_latency_fail_ms
    assert latency_ms <= limit, f"SELECT 1 took {latency_ms:.0f} ms > {limit:.0f} ms"


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("site-down")
def test_connections_below_limit(settings, db, measure):
    """Open connections stay below max_connections: at the limit new visitors get 'Too many connections'."""
    connected = db.status("Threads_connected")
    maximum = int(db.variable("max_connections") or 0)
    percent = 100 * connected / maximum if maximum else 100
    measure(threads_connected=connected, max_connections=maximum, connections_percent=percent)
    limit = settings.thresholds.db_connections_fail_percent
    assert percent <= limit, f"{connected} of max_connections {maximum} in use: {percent:.0f} % > {limit:.0f} %"


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.shop_data(from_config="database.orphan_relations")
def test_no_orphaned_rows(settings, shop, measure):
    """No rows point at missing parents (items without orders or products, payments without orders): reports and refunds go wrong."""
    problems, total = [], 0
    for relation in configured(settings, "database").orphan_relations:
        (child, column), (parent, key) = (side.strip().split(".") for side in relation.split("->"))
        if not all(shop.mapping.has(table, field) for table, field in ((child, column), (parent, key), (child, "id"))):
            continue  # the shop has no such table or column: nothing can be orphaned there
        row = shop.rows(
            "orphans",
            f"SELECT COUNT(*) AS n, SUBSTRING_INDEX(GROUP_CONCAT(c.{{{child}.id}} ORDER BY c.{{{child}.id}}), "
            f"',', {MAX_LISTED}) AS ids FROM {{{child}}} c LEFT JOIN {{{parent}}} p ON p.{{{parent}.{key}}} = "
            f"c.{{{child}.{column}}} WHERE c.{{{child}.{column}}} IS NOT NULL AND p.{{{parent}.{key}}} IS NULL",
        )[0]
        total += row["n"]
        if row["n"]:
            problems.append(
                f"{child} {listing(row['ids'].split(','), row['n'])} reference missing {parent} "
                f"via {column} ({row['n']} rows)"
            )
    measure(orphaned_rows=total)
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.shop_data("sessions.last_activity")
def test_old_sessions_cleaned_up(settings, shop, measure):
    """Sessions older than the limit are cleaned up: a cleanup job that stopped lets the table grow without end."""
    days = settings.thresholds.session_max_age_days
    old = shop.value(
        "old_sessions",
        "SELECT COUNT(*) FROM {sessions} "
        "WHERE {sessions.last_activity} < UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND",
        seconds=int(days * 86400),
    )
    measure(old_sessions=old)
    if old:
        raise Degraded(f"{old} sessions inactive for more than {days:g} days: the session cleanup job is not running")


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
def test_tables_healthy(settings, db, measure):
    """Every table passes CHECK TABLE and is not badly fragmented: corruption loses orders, fragmentation wastes disk and slows scans."""
    tables = db.rows(
        "SELECT table_name AS name, data_length + index_length AS used, data_free AS free "
        "FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' "
        "ORDER BY table_name"
    )
    problems = [
        f"{row['Table']}: CHECK TABLE {row['Msg_type']} {row['Msg_text']}"
        for row in db.rows("CHECK TABLE " + ", ".join(identifier(t["name"]) for t in tables))
        if row["Msg_type"] == "error" or (row["Msg_type"] == "status" and row["Msg_text"] != "OK")
    ]
    limits = settings.thresholds
    worst = 0.0
    for table in tables:
        free_mb = (table["free"] or 0) / 2**20
        share = 100 * free_mb / (free_mb + (table["used"] or 0) / 2**20) if free_mb else 0.0
        if free_mb >= limits.table_fragmentation_min_free_mb:  # below it, free space is InnoDB's own reserve
            worst = max(worst, share)
            if share > limits.table_fragmentation_fail_percent:
                problems.append(
                    f"{table['name']}: {free_mb:.0f} MiB free of {free_mb + table['used'] / 2**20:.0f} MiB "
                    f"({share:.0f} % > {limits.table_fragmentation_fail_percent:g} %), run OPTIMIZE TABLE"
                )
    measure(tables_checked=len(tables), worst_fragmentation_percent=worst)
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
def test_slow_queries_not_growing(settings, db, state, measure):
    """Slow queries did not pile up since the last run: a missing index or a runaway report slows every page."""
    current, uptime = db.status("Slow_queries"), db.status("Uptime")
    previous = state.load()
    state.save({"slow_queries": current, "uptime": uptime})
    if "slow_queries" not in previous or uptime < previous.get("uptime", 0) or current < previous["slow_queries"]:
        measure(slow_queries_growth=0)
        return  # first run, or the server restarted and reset its counters: this run is the baseline
    growth = current - previous["slow_queries"]
    measure(slow_queries_growth=growth)
    limit = settings.thresholds.slow_queries_max_growth
    assert growth <= limit, (
        f"Slow_queries grew by {growth} since the last run > {limit} "
        f"(long_query_time {db.variable('long_query_time')} s)"
    )


@pytest.mark.cadence("daily")
@pytest.mark.severity("critical")
@pytest.mark.shop_data(
    "orders.id",
    "orders.number",
    "orders.total",
    "order_items.order_id",
    "order_items.quantity",
    "order_items.unit_price",
)
def test_order_totals_match_items(shop, measure):
    """Every order's total equals the sum of its items: a mismatch means customers were charged the wrong amount."""
    rows = shop.rows(
        "mismatched_order_totals",
        "SELECT o.{orders.number} AS order_number, o.{orders.total} AS total, "
        "COALESCE(SUM(i.{order_items.quantity} * i.{order_items.unit_price}), 0) AS items_total "
        "FROM {orders} o LEFT JOIN {order_items} i ON i.{order_items.order_id} = o.{orders.id} WHERE {real_orders} "
        "GROUP BY o.{orders.id}, o.{orders.number}, o.{orders.total} HAVING total <> items_total ORDER BY o.{orders.id}",
    )
    measure(mismatched_orders=len(rows))
    assert not rows, f"{len(rows)} orders whose total differs from their items: " + listing(
        [f"{r['order_number']} total {money(r['total'])} != items {money(r['items_total'])}" for r in rows]
    )


@pytest.mark.cadence("daily")
@pytest.mark.severity("critical")
@pytest.mark.shop_data("products.sku", "products.name", "products.stock")
def test_no_negative_stock(shop, measure):
    """No product has negative stock: it means overselling, orders the shop cannot fulfil."""
    rows = shop.rows(
        "negative_stock",
        "SELECT {products.sku} AS sku, {products.name} AS name, {products.stock} AS stock "
        "FROM {products} WHERE {products.stock} < 0 ORDER BY 1",
    )
    measure(negative_stock_products=len(rows))
    assert not rows, f"{len(rows)} products with negative stock: " + listing(
        [f"{r['sku']} {r['name']} ({r['stock']})" for r in rows]
    )


@pytest.mark.cadence("monthly")
@pytest.mark.severity("warning")
@pytest.mark.shop_data(
    "customers.id",
    "customers.email",
    "customers.created_at",
    "customers.last_login_at",
    "customers.deleted_at",
    "orders.customer_id",
    "orders.created_at",
)
def test_personal_data_within_retention(settings, shop, measure):
    """No customer's personal data is kept past the retention period: the privacy law (NDPR/GDPR) requires erasing it."""
    days = settings.thresholds.data_retention_days
    # anonymised accounts keep an address in the reserved .invalid domain (RFC 2606)
    rows = shop.rows(
        "customers_past_retention",
        "SELECT c.id, DATE(c.last_seen) AS last_seen FROM (SELECT c.{customers.id} AS id, c.{customers.email} AS email, "
        "GREATEST(COALESCE(c.{customers.deleted_at}, c.{customers.last_login_at}, c.{customers.created_at}), "
        "COALESCE(MAX(o.{orders.created_at}), c.{customers.created_at})) AS last_seen FROM {customers} c "
        "LEFT JOIN {orders} o ON o.{orders.customer_id} = c.{customers.id} GROUP BY c.{customers.id}) c "
        "WHERE c.last_seen < UTC_TIMESTAMP() - INTERVAL %(days)s DAY AND c.email NOT LIKE '%%.invalid' ORDER BY c.id",
        days=days,
    )
    measure(customers_past_retention=len(rows))
    assert not rows, (
        f"{len(rows)} customers inactive for more than {days} days still hold email and name: customers "
        + listing([f"{r['id']} (last seen {r['last_seen']})" for r in rows])
    )
