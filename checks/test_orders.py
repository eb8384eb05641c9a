"""Orders and business figures: are paid orders handled, carts recovered, and sales where they should be?"""

import logging

import pytest

from checks.shopdata import listing, money
from runner.pytest_plugin import Degraded

log = logging.getLogger(__name__)
DAY = 86400


@pytest.mark.cadence("hourly")
@pytest.mark.area("orders")
@pytest.mark.severity("critical")
@pytest.mark.shop_data(
    "orders.number", "orders.payment_status", "orders.paid_at", "orders.processed_at", "orders.status"
)
def test_paid_orders_are_processed(settings, shop, measure):
    """Paid orders are processed within the limit: a stuck order is a customer who paid and gets nothing."""
    hours = settings.thresholds.order_unprocessed_hours
    rows = shop.rows(
        "stuck_paid_orders",
        "SELECT o.{orders.number} AS order_number, TIMESTAMPDIFF(HOUR, o.{orders.paid_at}, UTC_TIMESTAMP()) "
        "AS waiting FROM {orders} o WHERE {real_orders} AND o.{orders.payment_status} IN {paid} "
        "AND o.{orders.processed_at} IS NULL AND o.{orders.status} NOT IN {order_closed} "
        "AND o.{orders.paid_at} < UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND ORDER BY o.{orders.paid_at}",
        seconds=int(hours * 3600),
    )
    measure(stuck_orders=len(rows))
    assert not rows, f"{len(rows)} paid orders not processed after {hours:g} h: " + listing(
        [f"{r['order_number']} (paid {r['waiting']} h ago)" for r in rows]
    )


@pytest.mark.cadence("daily")
@pytest.mark.area("orders")
@pytest.mark.severity("warning")
@pytest.mark.shop_data(
    "abandoned_carts.id", "abandoned_carts.created_at", "abandoned_carts.recovery_sent_at", "abandoned_carts.recovered"
)
def test_abandoned_carts_get_recovery_email(settings, shop, measure):
    """Abandoned carts get their recovery email: when the job stops, the shop silently loses those sales."""
    hours = settings.thresholds.abandoned_cart_hours
    rows = shop.rows(
        "carts_without_recovery_email",
        "SELECT {abandoned_carts.id} AS id FROM {abandoned_carts} WHERE {abandoned_carts.recovery_sent_at} "
        "IS NULL AND COALESCE({abandoned_carts.recovered}, 0) = 0 "
        "AND {abandoned_carts.created_at} < UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND ORDER BY 1",
        seconds=int(hours * 3600),
    )
    measure(carts_without_recovery_email=len(rows))
    assert not rows, (
        f"{len(rows)} carts abandoned more than {hours:g} h ago got no recovery email "
        f"(abandoned carts {listing([r['id'] for r in rows])}): is the recovery job running?"
    )


@pytest.mark.cadence("daily")
@pytest.mark.area("business")
@pytest.mark.severity("warning")
@pytest.mark.shop_data("orders.total", "orders.payment_status", "orders.created_at", "sessions.last_activity")
def test_sales_figures_on_track(settings, shop, measure):
    """Daily orders, conversion rate and average order value are on target and near the trailing week: a drop hides a broken shop."""
    last_day, trailing = _sales(shop, 0, 1), _sales(shop, 1, 8)
    trailing_orders, trailing_aov = trailing["orders"] / 7, _aov(trailing)
    # conversion: paid orders / sessions active in the last 24 h (the sessions table keeps only the latest activity)
    sessions = shop.value(
        "sessions_24h",
        "SELECT COUNT(*) FROM {sessions} WHERE {sessions.last_activity} >= UTC_TIMESTAMP() - INTERVAL 1 DAY",
    )
    conversion = 100 * last_day["orders"] / sessions if sessions else 0.0
    aov = _aov(last_day)
    measure(
        orders_24h=last_day["orders"],
        revenue_24h=last_day["revenue"],
        average_order_value=aov,
        sessions_24h=sessions,
        conversion_percent=conversion,
        trailing_daily_orders=trailing_orders,
        trailing_average_order_value=trailing_aov,
    )
    limits = settings.thresholds
    problems = _below_targets(limits, last_day["orders"], conversion, aov, sessions)
    floor = 1 - limits.trailing_drop_warn_percent / 100
    if trailing_orders and last_day["orders"] < floor * trailing_orders:
        problems.append(
            f"orders in the last 24 h: {last_day['orders']} < {100 * floor:g} % of the trailing "
            f"7-day daily average {trailing_orders:.1f}"
        )
    if trailing_aov and last_day["orders"] and aov < floor * trailing_aov:
        problems.append(
            f"average order value {money(aov)} < {100 * floor:g} % of the trailing 7-day {money(trailing_aov)}"
        )
    if problems:
        raise Degraded("; ".join(problems))


def _sales(shop, from_days_ago: int, to_days_ago: int) -> dict:
    """Paid real orders created between `to_days_ago` and `from_days_ago` days before now."""
    return shop.rows(
        "sales",
        "SELECT COUNT(*) AS orders, COALESCE(SUM(o.{orders.total}), 0) AS revenue FROM {orders} o "
        "WHERE {real_orders} AND (o.{orders.payment_status} IN {paid} OR o.{orders.payment_status} IN {refunded}) "
        "AND o.{orders.created_at} >= UTC_TIMESTAMP() - INTERVAL %(since)s SECOND "
        "AND o.{orders.created_at} < UTC_TIMESTAMP() - INTERVAL %(until)s SECOND",
        since=to_days_ago * DAY,
        until=from_days_ago * DAY,
    )[0]


def _aov(sales: dict) -> float:
    return float(sales["revenue"]) / sales["orders"] if sales["orders"] else 0.0


def _below_targets(limits, orders: int, conversion: float, aov: float, sessions: int) -> list[str]:
    problems = []
    if limits.daily_orders_target and orders < limits.daily_orders_target:
        problems.append(f"orders in the last 24 h: {orders} < target {limits.daily_orders_target:g}")
    if limits.conversion_rate_target_percent and sessions and conversion < limits.conversion_rate_target_percent:
        problems.append(
            f"conversion {conversion:.1f} % ({orders} orders / {sessions} sessions) "
            f"< target {limits.conversion_rate_target_percent:g} %"
        )
    if limits.average_order_value_target and orders and aov < limits.average_order_value_target:
        problems.append(f"average order value {money(aov)} < target {money(limits.average_order_value_target)}")
    return problems
