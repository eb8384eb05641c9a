"""Content the shop's staff maintain: customer testimonials waiting for moderation, promotional banners."""

import pytest

from checks.shopdata import listing
from runner.pytest_plugin import Degraded

pytestmark = pytest.mark.area("content")


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.shop_data("testimonials.id", "testimonials.status", "testimonials.created_at")
def test_testimonials_moderated(settings, shop, measure):
    """Customer testimonials do not wait long for approval: unanswered reviews look like a shop nobody runs."""
    days = settings.thresholds.testimonial_pending_days
    rows = shop.rows(
        "testimonials_pending",
        "SELECT {testimonials.id} AS id, DATEDIFF(UTC_TIMESTAMP(), "
        "{testimonials.created_at}) AS age FROM {testimonials} WHERE {testimonials.status} IN "
        "{testimonial_pending} AND {testimonials.created_at} < UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND "
        "ORDER BY {testimonials.created_at}",
        seconds=int(days * 86400),
    )
    measure(testimonials_pending_too_long=len(rows))
    if rows:
        raise Degraded(
            f"{len(rows)} testimonials pending for more than {days:g} days: "
            + listing([f"{r['id']} ({r['age']} days)" for r in rows])
        )


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.shop_data("banners.title", "banners.ends_at", "banners.active")
def test_no_expired_banner_live(shop, measure):
    """No promotional banner is live after its end date: customers are promised discounts the checkout does not give."""
    rows = shop.rows(
        "expired_banners_live",
        "SELECT {banners.title} AS title, DATE({banners.ends_at}) AS ended "
        "FROM {banners} WHERE COALESCE({banners.active}, 0) <> 0 AND {banners.ends_at} < UTC_TIMESTAMP() "
        "ORDER BY {banners.ends_at}",
    )
    measure(expired_banners_live=len(rows))
    assert not rows, f"{len(rows)} expired banners still live: " + listing(
        [f"{r['title']!r} (ended {r['ended']})" for r in rows]
    )
