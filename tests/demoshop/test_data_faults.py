"""Every data fault switched on and off leaves the shop's data and the server's settings exactly as they were."""

from __future__ import annotations

import pytest

from demoshop.faults.catalog import FAULTS
from tests.demoshop.helpers import database_fingerprint

DATA_FAULTS = (
    "connections_saturated",
    "orphaned_items",
    "old_sessions",
    "fragmented_table",
    "slow_query_burst",
    "mismatched_total",
    "negative_stock",
    "expired_pii",
    "stuck_order",
    "failed_payments",
    "webhook_failures",
    "revoked_key",
    "gateway_outage",
    "recovery_job_stopped",
    "order_drop",
    "low_stock",
    "old_pending_review",
    "expired_banner",
    "login_flood",
    "rogue_admin",
    "pan_in_notes",
)


def fingerprint(demo) -> dict:
    return {
        **database_fingerprint(demo),
        "keys": (demo.run_dir / "gateway" / "keys.json").read_text(),
        "flags": sorted(p.name for p in (demo.run_dir / "faults").iterdir()),
    }


def test_every_data_fault_is_registered_with_a_description():
    for name in DATA_FAULTS:
        assert FAULTS[name].description


@pytest.mark.parametrize("name", DATA_FAULTS)
def test_data_fault_changes_something_and_off_restores_exactly(demo, name):
    before = fingerprint(demo)
    demo.fault(name, True)
    try:
        during = fingerprint(demo)
    finally:
        demo.fault(name, False)
    assert fingerprint(demo) == before
    if name != "fragmented_table":  # it changes the tablespace, not the rows: test_database_checks proves it
        assert during != before
