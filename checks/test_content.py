"""Content the shop's staff maintain: customer testimonials waiting for moderation, promotional banners."""

import pytest

from checks.shopdata import listing
from runner.pytest_plugin import Degraded


@pytest.mark.cadence("weekly")
@pytest.mark.area("content")
@pytest.mark.severity("warning")
def test_testimonials_moderated(settings, db, measure):
    """Customer testimonials do not wait long for approval: unanswered reviews look like a shop nobody runs."""
    days = settings.thresholds.testimonial_pending_days
    rows = db.rows(f"SELECT id, DATEDIFF(UTC_TIMESTAMP(), created_at) AS age FROM {db.table('testimonials')} "
                   "WHERE status = 'pending' AND created_at < UTC_TIMESTAMP() - INTERVAL %s SECOND ORDER BY created_at",
                   (int(days * 86400),))
    measure(testimonials_pending_too_long=len(rows))
    if rows:
        raise Degraded(f"{len(rows)} testimonials pending for more than {days:g} days: " + listing(
            [f"{r['id']} ({r['age']} days)" for r in rows]))


@pytest.mark.cadence("weekly")
@pytest.mark.area("content")
@pytest.mark.severity("warning")
def test_no_expired_banner_live(db, measure):
    """No promotional banner is live after its end date: customers are promised discounts the checkout does not give."""
    rows = db.rows(f"SELECT title, DATE(ends_at) AS ended FROM {db.table('banners')} "
                   "WHERE is_active = 1 AND ends_at < UTC_TIMESTAMP() ORDER BY ends_at")
    measure(expired_banners_live=len(rows))
    assert not rows, f"{len(rows)} expired banners still live: " + listing(
        [f"{r['title']!r} (ended {r['ended']})" for r in rows])
