"""Faults in the shop's data and database server, its payment gateways and its accounts.

SQL faults insert rows marked so that `off` deletes exactly them (order numbers DJ-FAULT-*,
references FAULT-*, order ids 990000+, the TEST-NET address 203.0.113.66), or apply an update
that `off` undoes arithmetically. The seed is deterministic: DJ-EA-008 has stock 7, DJ-NE-019 8.
The SQL is written in the default shape's names and run in the stack's (demoshop/shapes.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from demoshop import mariadb
from demoshop.errors import DemoError
from demoshop.faults import flags
from demoshop.faults.kinds import Fault, flag_fault, process_fault, run_sql, sql_fault
from demoshop.gateway import OUTAGE_GATEWAY
from demoshop.layout import python_cmd, python_env
from demoshop.procs import Component, spawn, stop_all

FAULT_ORDERS = "{orders.order_number} LIKE 'DJ-FAULT-%'"
HOG_CONNECTIONS, HOG_MAX_CONNECTIONS = 17, 20
FRAGMENT_MIN_FREE = 16 * 2**20


# ---- database server and integrity ---------------------------------------------------------
def _saved(stack, name: str) -> Path:
    folder = stack.run_dir / "fault-state"
    folder.mkdir(exist_ok=True)
    return folder / f"{name}.json"


def mariadb_sql(stack, *statements: str) -> None:
    run_sql(stack, list(statements))


def _query_value(stack, sql: str):
    with stack.db_root() as conn, conn.cursor() as cur:
        cur.execute(stack.shape.sql(sql))
        return cur.fetchone()[0]


def _saturate_connections(stack) -> None:
    """Lower max_connections and hold most of them idle in a helper process of the stack."""
    previous = int(_query_value(stack, "SELECT @@GLOBAL.max_connections"))
    ready = _saved(stack, "connection_hog").with_suffix(".ready")
    ready.unlink(missing_ok=True)
    hog = Component(
        "connection_hog",
        python_cmd(
            "demoshop.connection_hog",
            "--socket",
            str(mariadb.paths(stack.run_dir)["socket"]),
            "--count",
            str(HOG_CONNECTIONS),
            "--ready",
            str(ready),
        ),
        str(stack.run_dir / "logs" / "connection_hog.log"),
        env=python_env(),
    )
    mariadb_sql(stack, f"SET GLOBAL max_connections = {HOG_MAX_CONNECTIONS}")
    spawn(hog)
    _saved(stack, "connections_saturated").write_text(json.dumps({"max_connections": previous, "hog": hog.to_dict()}))
    deadline = time.monotonic() + 30
    while not ready.exists():
        if time.monotonic() > deadline or not hog.alive():
            raise DemoError(f"connection hog did not open its connections: {hog.tail_log()}")
        time.sleep(0.05)


def _release_connections(stack) -> None:
    path = _saved(stack, "connections_saturated")
    if not path.exists():
        return
    saved = json.loads(path.read_text())
    stop_all([Component(**saved["hog"])], {})
    mariadb_sql(stack, f"SET GLOBAL max_connections = {int(saved['max_connections'])}")
    path.unlink()
    path.with_name("connection_hog.ready").unlink(missing_ok=True)


def _fragment_sessions(stack) -> None:
    """Real fragmentation: 24 MB of session rows written and deleted; purge leaves the space free."""
    mariadb_sql(
        stack,
        "INSERT INTO {sessions} (id, customer_id, {sessions.data}, {sessions.last_activity}) SELECT "
        "CONCAT('fault-frag-', seq), NULL, REPEAT('x', 8000), {now} FROM seq_1_to_3000",
        "DELETE FROM {sessions} WHERE id LIKE 'fault-frag-%'",
    )
    deadline = time.monotonic() + 60
    while (
        _query_value(
            stack,
            "SELECT data_free FROM information_schema.tables WHERE table_schema = DATABASE() "
            "AND table_name = '{sessions}'",
        )
        < FRAGMENT_MIN_FREE
    ):
        if time.monotonic() > deadline:
            raise DemoError("InnoDB did not purge the deleted session rows within 60 s")
        time.sleep(0.2)


# ---- payment gateways' keys -------------------------------------------------------------------
REVOKED_GATEWAY = "paystack"


def _revoke_key(stack) -> None:
    keys_file = stack.run_dir / "gateway" / "keys.json"
    keys = json.loads(keys_file.read_text())
    _saved(stack, "revoked_key").write_text(json.dumps(keys))
    keys[REVOKED_GATEWAY] = ["sk_test_rotated_" + "0" * 24]
    keys_file.write_text(json.dumps(keys, indent=2))


def _restore_key(stack) -> None:
    saved = _saved(stack, "revoked_key")
    if saved.exists():
        (stack.run_dir / "gateway" / "keys.json").write_text(json.dumps(json.loads(saved.read_text()), indent=2))
        saved.unlink()


FAULTS = [
    process_fault(
        "db_down", "MariaDB is stopped: the monitor cannot connect and the shop shows its error page", "mariadb"
    ),
    Fault(
        "connections_saturated",
        f"max_connections lowered to {HOG_MAX_CONNECTIONS} and {HOG_CONNECTIONS} of them held idle by a helper process",
        _saturate_connections,
        _release_connections,
    ),
    Fault(
        "fragmented_table",
        "sessions written full and emptied again: its tablespace is mostly free space (off: OPTIMIZE TABLE)",
        _fragment_sessions,
        lambda stack: mariadb_sql(stack, "OPTIMIZE TABLE {sessions}"),
    ),
    sql_fault(
        "orphaned_items",
        "order_items rows that reference orders 990001/990002, which do not exist",
        "INSERT INTO {order_items} (order_id, {order_items.product_id}, {order_items.quantity}, "
        "{order_items.unit_price}) VALUES (990001, 1, 1, 4500.00), (990001, 2, 1, 5000.00), "
        "(990002, 3, 2, 6500.00)",
        "DELETE FROM {order_items} WHERE order_id BETWEEN 990000 AND 990999",
    ),
    sql_fault(
        "old_sessions",
        "12 sessions inactive for 41-52 days: the session cleanup job stopped",
        "INSERT INTO {sessions} (id, customer_id, {sessions.data}, {sessions.last_activity}) SELECT "
        "CONCAT('fault-old-session-', seq), NULL, 'cart|a:0:{}', {now} - INTERVAL 40 + seq DAY FROM seq_1_to_12",
        "DELETE FROM {sessions} WHERE id LIKE 'fault-old-session-%'",
    ),
    sql_fault(
        "slow_query_burst",
        "long_query_time lowered to 0.05 s and 20 queries of 0.06 s run (off: back to 10 s)",
        ["SET GLOBAL long_query_time = 0.05", "SET SESSION long_query_time = 0.05", *["SELECT SLEEP(0.06)"] * 20],
        "SET GLOBAL long_query_time = 10",
    ),
    sql_fault(
        "mismatched_total",
        "the 42nd order's total (DJ-100042) is 1,500.00 more than its items",
        "UPDATE {orders} SET {orders.total} = {orders.total} + 1500 WHERE id = 42",
        "UPDATE {orders} SET {orders.total} = {orders.total} - 1500 WHERE id = 42",
    ),
    sql_fault(
        "negative_stock",
        "product DJ-RI-025 oversold: stock 1000 below what it was, negative",
        "UPDATE {products} SET {products.stock} = {products.stock} - 1000 WHERE {products.sku} = 'DJ-RI-025'",
        "UPDATE {products} SET {products.stock} = {products.stock} + 1000 WHERE {products.sku} = 'DJ-RI-025'",
    ),
    sql_fault(
        "expired_pii",
        "a customer last seen about 4 years ago still holds a real email address and name",
        "INSERT INTO {customers} (email, {customers.name}, {customers.password_hash}, {customers.created_at}, "
        "{customers.last_login_at}) VALUES ('chinedu.fault-expired@example.com', 'Chinedu Okonkwo', '!', "
        "{now} - INTERVAL 2000 DAY, {now} - INTERVAL 1500 DAY)",
        "DELETE FROM {customers} WHERE email = 'chinedu.fault-expired@example.com'",
    ),
    # ---- orders, payments, business --------------------------------------------------------------
    sql_fault(
        "stuck_order",
        "order DJ-FAULT-STUCK paid 30 hours ago and never processed",
        [
            "INSERT INTO {orders} ({orders.order_number}, customer_id, {orders.email}, {orders.status}, "
            "{orders.payment_status}, {orders.gateway}, {orders.total}, {orders.created_at}, {orders.paid_at}) "
            "VALUES ('DJ-FAULT-STUCK', 1, 'stuck.order@example.com', {orders.status:processing}, "
            "{orders.payment_status:paid}, "
            "'paystack', 9000.00, {now} - INTERVAL 30 HOUR, {now} - INTERVAL 30 HOUR)",
            "INSERT INTO {order_items} (order_id, {order_items.product_id}, {order_items.quantity}, "
            "{order_items.unit_price}) VALUES (LAST_INSERT_ID(), 2, 2, 4500.00)",
        ],
        [
            f"DELETE i FROM {{order_items}} i JOIN {{orders}} o ON o.id = i.order_id WHERE o.{FAULT_ORDERS}",
            "DELETE FROM {orders} WHERE {orders.order_number} = 'DJ-FAULT-STUCK'",
        ],
    ),
    sql_fault(
        "failed_payments",
        "15 failed payment attempts in the last hour, one for each of the latest orders",
        "INSERT INTO {payments} (order_id, {payments.gateway}, {payments.reference}, amount, {payments.status}, "
        "{payments.created_at}) SELECT id, COALESCE({orders.gateway}, 'stripe'), CONCAT('FAULT-FAILED-', id), "
        "{orders.total}, {payments.status:failed}, {now} - INTERVAL 30 MINUTE FROM {orders} WHERE {real_orders} "
        "ORDER BY {orders.created_at} DESC LIMIT 15",
        "DELETE FROM {payments} WHERE {payments.reference} LIKE 'FAULT-FAILED-%'",
    ),
    sql_fault(
        "webhook_failures",
        "4 Paystack webhooks in the last hour failed signature verification",
        "INSERT INTO {webhook_events} ({webhook_events.gateway}, event_type, reference, payload, "
        "{webhook_events.status}, {webhook_events.error}, received_at) SELECT 'paystack', 'charge.success', "
        "CONCAT('FAULT-WH-', seq), '{}', {webhook_events.status:failed}, 'signature verification failed', "
        "{now} - INTERVAL seq * 10 MINUTE FROM seq_1_to_4",
        "DELETE FROM {webhook_events} WHERE reference LIKE 'FAULT-WH-%'",
    ),
    sql_fault(
        "recovery_job_stopped",
        "3 carts abandoned 27-33 hours ago got no recovery email",
        "INSERT INTO {abandoned_carts} (customer_id, email, cart_total, {abandoned_carts.created_at}) "
        "SELECT NULL, "
        "CONCAT('fault.cart', seq, '@example.com'), 25000.00, {now} - INTERVAL 24 + seq * 3 HOUR FROM seq_1_to_3",
        "DELETE FROM {abandoned_carts} WHERE email LIKE 'fault.cart%@example.com'",
    ),
    sql_fault(
        "order_drop",
        "the last 24 hours' orders vanish from the figures (moved 10 years back; off moves them back)",
        "UPDATE {orders} SET {orders.created_at} = {orders.created_at} - INTERVAL 3650 DAY WHERE {real_orders} "
        "AND {orders.created_at} >= {now} - INTERVAL 1 DAY",
        "UPDATE {orders} SET {orders.created_at} = {orders.created_at} + INTERVAL 3650 DAY "
        "WHERE {orders.created_at} < {now} - INTERVAL 3000 DAY",
    ),
    # ---- inventory and content -----------------------------------------------------------------
    sql_fault(
        "low_stock",
        "DJ-EA-008 down to 2 in stock (threshold 5) and DJ-NE-019 sold out while still on sale",
        [
            "UPDATE {products} SET {products.stock} = {products.stock} - 5 WHERE {products.sku} = 'DJ-EA-008'",
            "UPDATE {products} SET {products.stock} = {products.stock} - 8 WHERE {products.sku} = 'DJ-NE-019'",
        ],
        [
            "UPDATE {products} SET {products.stock} = {products.stock} + 5 WHERE {products.sku} = 'DJ-EA-008'",
            "UPDATE {products} SET {products.stock} = {products.stock} + 8 WHERE {products.sku} = 'DJ-NE-019'",
        ],
    ),
    sql_fault(
        "old_pending_review",
        "a testimonial has waited 12 days for approval",
        "INSERT INTO {testimonials} ({testimonials.customer_name}, body, {testimonials.rating}, "
        "{testimonials.status}, "
        "{testimonials.created_at}) VALUES ('Adaeze Fault', 'The pearl studs are gorgeous, thank you!', 5, "
        "{testimonials.status:pending}, {now} - INTERVAL 12 DAY)",
        "DELETE FROM {testimonials} WHERE {testimonials.customer_name} = 'Adaeze Fault'",
    ),
    sql_fault(
        "expired_banner",
        "the Black Friday banner (ended 30 days ago) is live again",
        "UPDATE {banners} SET {banners.is_active} = 1 WHERE {banners.title} = 'Black Friday: 20% off rings'",
        "UPDATE {banners} SET {banners.is_active} = 0 WHERE {banners.title} = 'Black Friday: 20% off rings'",
    ),
    # ---- security (data side) ------------------------------------------------------------------
    sql_fault(
        "login_flood",
        "14 failed admin logins for 'owner' from 203.0.113.66 in the last 5 minutes",
        "INSERT INTO {login_attempts} ({login_attempts.username}, {login_attempts.ip}, {login_attempts.success}, "
        "user_agent, {login_attempts.created_at}) SELECT 'owner', '203.0.113.66', {login_attempts.success:0}, "
        "'python-requests/2.31.0', {now} - INTERVAL seq * 20 SECOND FROM seq_1_to_14",
        "DELETE FROM {login_attempts} WHERE {login_attempts.ip} = '203.0.113.66'",
    ),
    sql_fault(
        "rogue_admin",
        "an unknown admin 'support' with an unsalted MD5 password hash",
        "INSERT INTO {admin_users} ({admin_users.username}, email, {admin_users.password_hash}, role, "
        "{admin_users.is_active}, {admin_users.created_at}, {admin_users.last_login_at}) VALUES ('support', "
        "'support@dija-accessories.example', MD5('letmein2024'), 'owner', 1, {now} - INTERVAL 2 DAY, "
        "{now} - INTERVAL 1 HOUR)",
        "DELETE FROM {admin_users} WHERE {admin_users.username} = 'support'",
    ),
    sql_fault(
        "pan_in_notes",
        "order DJ-FAULT-PAN has a full card number in its notes",
        "INSERT INTO {orders} ({orders.order_number}, {orders.email}, {orders.status}, {orders.payment_status}, "
        "{orders.gateway}, {orders.total}, {orders.notes}, {orders.created_at}) VALUES ('DJ-FAULT-PAN', "
        "'card.in.notes@example.com', {orders.status:pending}, {orders.payment_status:unpaid}, 'stripe', 0, "
        "'Please charge my card 4111-1111-1111-1111 exp 09/28, the site keeps failing', {now})",
        "DELETE FROM {orders} WHERE {orders.order_number} = 'DJ-FAULT-PAN'",
    ),
    # ---- payment gateways ----------------------------------------------------------------------
    Fault(
        "revoked_key",
        f"{REVOKED_GATEWAY.capitalize()} rejects the shop's current secret key (rotated "
        "at the gateway, not in the shop)",
        _revoke_key,
        _restore_key,
    ),
    flag_fault(flags.GATEWAY_OUTAGE, f"{OUTAGE_GATEWAY.capitalize()}'s status page reports a major outage"),
]
