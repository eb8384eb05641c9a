"""Every fault switches on and off on the alt shape, and off leaves its shop, database and files as
they were; the faults whose doing depends on the shape hit the alt shape's names and layouts."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from demoshop.faults.catalog import FAULTS
from tests.demoshop.helpers import cron_held, database_fingerprint, get, scalar

WATCHED = ("backups", "offsite", "heartbeats", "www", "tls", "gateway", "server")
DATED = ("backups", "offsite", "heartbeats")
MARKED_LOGS = ("logs/access.log", "logs/php_errors.log")


def _files(stack) -> dict:
    files = {}
    for watched in WATCHED:
        for path in sorted(p for p in (stack.run_dir / watched).rglob("*") if p.is_file()):
            stat = path.stat()
            dated = watched in DATED  # the monitor reads their age; elsewhere content and mode count
            files[str(path.relative_to(stack.run_dir))] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                stat.st_mode,
                stat.st_mtime if dated else None,
            )
    for log in MARKED_LOGS:  # the shop appends to its logs: only the faults' marked lines count
        files[log] = sum("(fault " in line for line in (stack.run_dir / log).read_text().splitlines())
    return files


def fingerprint(stack) -> dict:
    return {
        "db": database_fingerprint(stack),
        "files": _files(stack),
        "alive": sorted(name for name, comp in stack.components.items() if comp.alive()),
    }


def test_every_fault_is_tested_here():
    assert len(FAULTS) > 60


@pytest.mark.parametrize("name", sorted(FAULTS))
def test_fault_on_and_off_on_alt_restores_the_healthy_shop(alt_demo, name):
    with cron_held(alt_demo):
        before = fingerprint(alt_demo)
        alt_demo.fault(name, True)
        try:
            during = fingerprint(alt_demo)
            assert (alt_demo.run_dir / "faults" / name).exists()
        finally:
            alt_demo.fault(name, False)
        assert fingerprint(alt_demo) == before
    assert alt_demo.active_faults() == [] and not (alt_demo.run_dir / ".fault_stash" / name).exists()
    home = get(alt_demo, "/")
    assert home.status_code == 200 and "Gold Hoop Earrings" in home.text
    if FAULTS[name].kind != "flag" and name not in ("fragmented_table", "gateway_outage", "tls10_enabled"):
        assert during != before, f"{name} changed nothing the test watches"


def test_data_faults_write_the_alt_words(alt_demo, alt_fault):
    for name in (
        "login_flood",
        "failed_payments",
        "stuck_order",
        "queue_backlog",
        "webhook_failures",
        "old_pending_review",
    ):
        alt_fault(name)
    assert (
        scalar(alt_demo, "SELECT COUNT(*) FROM admin_logins WHERE outcome = 'fail' AND remote_ip = '203.0.113.66'")
        == 14
    )
    assert (
        scalar(
            alt_demo,
            "SELECT COUNT(*) FROM payment_attempts WHERE state = 'declined' AND provider_ref LIKE 'FAULT-FAILED-%'",
        )
        == 15
    )
    assert (
        scalar(
            alt_demo, "SELECT CONCAT(fulfilment, '/', pay_state) FROM sales_orders WHERE order_ref = 'DJ-FAULT-STUCK'"
        )
        == "packed/PAID"
    )
    assert (
        scalar(
            alt_demo,
            "SELECT COUNT(*) FROM mail_outbox WHERE state IN ('waiting', 'error') "
            "AND recipient LIKE 'queue-backlog-fault@%'",
        )
        == 3
    )
    assert scalar(alt_demo, "SELECT COUNT(*) FROM gateway_callbacks WHERE state = 'error'") == 4
    assert scalar(alt_demo, "SELECT state FROM reviews WHERE author = 'Adaeze Fault'") == "awaiting"


def test_failed_payments_and_order_drop_leave_the_synthetic_orders_alone(alt_demo, alt_fault):
    synthetic = scalar(
        alt_demo,
        "SELECT COUNT(*) FROM sales_orders WHERE customer_email = %s",
        "synthetic-monitor@dija-accessories.example",
    )
    alt_fault("order_drop")
    assert (
        scalar(
            alt_demo,
            "SELECT COUNT(*) FROM sales_orders WHERE placed_on >= UTC_TIMESTAMP() - INTERVAL 1 DAY "
            "AND customer_email <> %s",
            "synthetic-monitor@dija-accessories.example",
        )
        == 0
    )
    assert (
        scalar(
            alt_demo,
            "SELECT COUNT(*) FROM sales_orders WHERE customer_email = %s AND placed_on >= "
            "UTC_TIMESTAMP() - INTERVAL 1 DAY",
            "synthetic-monitor@dija-accessories.example",
        )
        == synthetic
    )


def test_broken_link_breaks_the_alt_banner_link(alt_demo, alt_fault):
    assert 'href="/index.php?route=category&amp;slug=necklaces">Festive' in get(alt_demo, "/").text
    alt_fault("broken_link")
    assert 'href="/collections/festive-sale"' in get(alt_demo, "/").text


def test_meta_description_removed_on_query_string_product_pages(alt_demo, alt_fault):
    alt_fault("meta_description_removed")
    assert 'name="description"' not in get(alt_demo, "/index.php?route=product&slug=gold-hoops").text
    assert 'name="description"' in get(alt_demo, "/index.php?route=category&slug=earrings").text


def test_stock0_sellable_offers_the_add_to_bag_button(alt_demo, alt_fault):
    alt_fault("stock0_sellable")
    assert 'class="add-to-bag"' in get(alt_demo, "/index.php?route=product&slug=rose-gold-beaded-bracelet").text


def test_file_faults_use_the_alt_layout(alt_demo, alt_fault):
    heartbeat = alt_demo.run_dir / "heartbeats" / "backup.last"
    monthly = sorted((alt_demo.run_dir / "backups" / "monthly").glob("full-*.sql.gz.enc"))
    newest_orders = max((alt_demo.run_dir / "backups").glob("orders-*.sql.gz.enc"), key=lambda p: p.stat().st_mtime)
    for name in ("stale_heartbeat", "missing_month", "stale_backup_orders"):
        alt_fault(name)
    assert heartbeat.stat().st_mtime < time.time() - 86400
    assert not monthly[-3].exists() and monthly[-2].exists()
    assert newest_orders.stat().st_mtime < time.time() - 2 * 86400
    assert os.path.exists(str(newest_orders) + ".sha256")
