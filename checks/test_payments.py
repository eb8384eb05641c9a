"""Payments: do customers' payments succeed, and do the gateways' webhooks arrive and get processed?"""

import logging

import pytest

from checks.shopdata import listing

pytestmark = pytest.mark.area("payments")

log = logging.getLogger(__name__)


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("payment-issues")
@pytest.mark.shop_data("payments.status", "payments.order_id", "payments.created_at", "orders.id")
def test_payment_success_rate(settings, shop, measure):
    """Payments succeed at the usual rate over the recent window: failing payments are lost sales and angry customers."""
    limits = settings.thresholds
    row = shop.rows(
        "payment_outcomes",
        "SELECT SUM(p.{payments.status} IN {payment_succeeded}) AS ok, "
        "SUM(p.{payments.status} IN {payment_failed}) AS failed FROM {payments} p "
        "LEFT JOIN {orders} o ON o.{orders.id} = p.{payments.order_id} "
        "WHERE {real_orders} AND p.{payments.created_at} >= UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND",
        seconds=int(limits.payment_window_hours * 3600),
    )[0]
    ok, failed = int(row["ok"] or 0), int(row["failed"] or 0)
    sample = ok + failed
    rate = 100 * ok / sample if sample else 100.0
    measure(
        payments_in_window=sample,
        payments_failed=failed,
        payment_success_percent=rate,
        payment_sample_sufficient=int(sample >= limits.payment_min_sample),
    )
    if sample < limits.payment_min_sample:
        log.info(
            "only %d payments in the last %g h (< %d): too few to judge the success rate (%.1f %%)",
            sample,
            limits.payment_window_hours,
            limits.payment_min_sample,
            rate,
        )
        return
    assert rate >= limits.payment_success_min_percent, (
        f"payment success {rate:.1f} % ({ok} of {sample}, {failed} failed) in the last "
        f"{limits.payment_window_hours:g} h < {limits.payment_success_min_percent:g} %"
    )


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("payment-issues")
@pytest.mark.shop_data(
    "webhook_events.id",
    "webhook_events.gateway",
    "webhook_events.status",
    "webhook_events.error",
    "webhook_events.received_at",
    "orders.payment_status",
    "orders.paid_at",
)
def test_webhooks_arrive_and_are_processed(settings, shop, measure):
    """Gateway webhooks keep arriving and are processed: without them paid orders are never confirmed."""
    limits = settings.thresholds
    silence, window = int(limits.webhook_silence_hours * 3600), int(limits.payment_window_hours * 3600)
    received = shop.value(
        "webhooks_received",
        "SELECT COUNT(*) FROM {webhook_events} "
        "WHERE {webhook_events.received_at} >= UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND",
        seconds=silence,
    )
    paid = shop.value(
        "orders_paid_recently",
        "SELECT COUNT(*) FROM {orders} o WHERE {real_orders} "
        "AND o.{orders.payment_status} IN {paid} "
        "AND o.{orders.paid_at} >= UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND",
        seconds=silence,
    )
    # failed, or received and still unprocessed after 15 minutes
    bad = shop.rows(
        "webhooks_failed",
        "SELECT {webhook_events.id} AS id, {webhook_events.gateway} AS gateway, {webhook_events.status} "
        "AS status, {webhook_events.error} AS error FROM {webhook_events} WHERE {webhook_events.received_at} "
        ">= UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND AND ({webhook_events.status} IN {webhook_failed} "
        "OR ({webhook_events.status} IN {webhook_received} AND {webhook_events.received_at} < "
        "UTC_TIMESTAMP() - INTERVAL 15 MINUTE)) ORDER BY 1",
        seconds=window,
    )
    measure(webhooks_received=received, webhooks_failed=len(bad), paid_orders_recent=paid)
    problems = []
    if paid and not received:
        problems.append(f"no webhook received for {limits.webhook_silence_hours:g} h while {paid} orders were paid")
    if bad:
        problems.append(
            f"{len(bad)} webhook events failed or unprocessed in the last {limits.payment_window_hours:g} h: "
            + listing(
                [
                    f"{r['id']} {r['gateway']} {r['status']}" + (f" ({r['error'][:80]})" if r["error"] else "")
                    for r in bad
                ]
            )
        )
    assert not problems, "; ".join(problems)
