"""Payments: do customers' payments succeed, and do the gateways' webhooks arrive and get processed?"""

import logging

import pytest

from checks.shopdata import REAL_ORDER, listing

log = logging.getLogger(__name__)


@pytest.mark.cadence("hourly")
@pytest.mark.area("payments")
@pytest.mark.severity("critical")
@pytest.mark.runbook("payment-issues")
def test_payment_success_rate(settings, db, measure):
    """Payments succeed at the usual rate over the recent window: failing payments are lost sales and angry customers."""
    limits = settings.thresholds
    row = db.rows(f"SELECT SUM(p.status = 'succeeded') AS ok, SUM(p.status = 'failed') AS failed "
                  f"FROM {db.table('payments')} p LEFT JOIN {db.table('orders')} o ON o.id = p.order_id "
                  f"WHERE {REAL_ORDER} AND p.created_at >= UTC_TIMESTAMP() - INTERVAL %s SECOND",
                  (int(limits.payment_window_hours * 3600),))[0]
    ok, failed = int(row["ok"] or 0), int(row["failed"] or 0)
    sample = ok + failed
    rate = 100 * ok / sample if sample else 100.0
    measure(payments_in_window=sample, payments_failed=failed, payment_success_percent=rate,
            payment_sample_sufficient=int(sample >= limits.payment_min_sample))
    if sample < limits.payment_min_sample:
        log.info("only %d payments in the last %g h (< %d): too few to judge the success rate (%.1f %%)",
                 sample, limits.payment_window_hours, limits.payment_min_sample, rate)
        return
    assert rate >= limits.payment_success_min_percent, (
        f"payment success {rate:.1f} % ({ok} of {sample}, {failed} failed) in the last "
        f"{limits.payment_window_hours:g} h < {limits.payment_success_min_percent:g} %")


@pytest.mark.cadence("hourly")
@pytest.mark.area("payments")
@pytest.mark.severity("critical")
@pytest.mark.runbook("payment-issues")
def test_webhooks_arrive_and_are_processed(settings, db, measure):
    """Gateway webhooks keep arriving and are processed: without them paid orders are never confirmed."""
    limits = settings.thresholds
    silence, window = int(limits.webhook_silence_hours * 3600), int(limits.payment_window_hours * 3600)
    events = db.table("webhook_events")
    received = db.value(f"SELECT COUNT(*) FROM {events} WHERE received_at >= UTC_TIMESTAMP() - INTERVAL %s SECOND",
                        (silence,))
    paid = db.value(f"SELECT COUNT(*) FROM {db.table('orders')} o WHERE {REAL_ORDER} AND o.payment_status = 'paid' "
                    "AND o.paid_at >= UTC_TIMESTAMP() - INTERVAL %s SECOND", (silence,))
    # failed, or received and still unprocessed after 15 minutes
    bad = db.rows(f"SELECT id, gateway, status, error FROM {events} WHERE received_at >= UTC_TIMESTAMP() - INTERVAL %s "
                  "SECOND AND (status = 'failed' OR (status = 'received' AND received_at < UTC_TIMESTAMP() - "
                  "INTERVAL 15 MINUTE)) ORDER BY id", (window,))
    measure(webhooks_received=received, webhooks_failed=len(bad), paid_orders_recent=paid)
    problems = []
    if paid and not received:
        problems.append(f"no webhook received for {limits.webhook_silence_hours:g} h while {paid} orders were paid")
    if bad:
        problems.append(f"{len(bad)} webhook events failed or unprocessed in the last {limits.payment_window_hours:g} h: "
                        + listing([f"{r['id']} {r['gateway']} {r['status']}"
                                   + (f" ({r['error'][:80]})" if r["error"] else "") for r in bad]))
    assert not problems, "; ".join(problems)
