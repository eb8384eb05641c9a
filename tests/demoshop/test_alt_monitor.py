"""The monitor, configured by the alt shop's monitor.toml alone, is green on the healthy alt shop and
sees its faults: the proof that the checks fit a shop built differently."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.conftest import CheckRunner

HOST_DEPENDENT = "test_load_per_core"  # the test machine's load, not the shop's
FAULT_CHECKS = {  # fault -> the check that must fail, and words of its message
    "failed_payments": ("test_payment_success_rate", "15 failed"),
    "stuck_order": ("test_paid_orders_are_processed", "DJ-FAULT-STUCK"),
    "mismatched_total": ("test_order_totals_match_items", "ORD-100042"),
    "login_flood": ("test_no_brute_force_logins", "203.0.113.66"),
    "stale_heartbeat": ("test_scheduled_jobs_ran", "backup"),
    "missing_month": ("test_monthly_backups_retained", "no full backup"),
    "stale_backup_orders": ("test_backups_within_rpo", "orders-"),
    "js_error": ("test_checkout_records_and_confirms_the_order[chromium]", "add_to_cart step"),
    "meta_description_removed": ("test_seo_basics", "route=product"),
}


@pytest.fixture(scope="module")
def alt_runner(alt_demo, tmp_path_factory):
    return CheckRunner(Path(alt_demo.config_path), tmp_path_factory.mktemp("alt-check-runs"))


def test_every_check_passes_on_the_healthy_alt_shop(alt_runner):
    results = alt_runner.run("checks/", "-k", f"not {HOST_DEPENDENT}")
    assert len(results) > 40
    gate_only = "only in the deploy gate"  # skipped outside `dija-monitor verify`
    not_green = {
        name: f"{r['outcome']}: {r.get('message')}"
        for name, r in results.items()
        if r["outcome"] != "pass" and not r.get("message", "").startswith(gate_only)
    }
    assert not_green == {}


def test_the_monitor_sees_the_alt_shops_faults(alt_demo, alt_fault, alt_runner):
    for name in FAULT_CHECKS:
        alt_fault(name)
    results = alt_runner.run("checks/", "-k", " or ".join(check.split("[")[0] for check, _ in FAULT_CHECKS.values()))
    for fault, (check, words) in FAULT_CHECKS.items():
        record = results[check]
        assert record["outcome"] == "fail" and words in record["message"], f"{fault}: {record}"
