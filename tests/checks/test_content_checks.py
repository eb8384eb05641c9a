from tests.checks.conftest import assert_outcome

CONTENT = "checks/test_content.py::"


def test_content_checks_pass_on_healthy_demo(healthy):
    assert_outcome(healthy["test_testimonials_moderated"], "pass")
    assert_outcome(healthy["test_no_expired_banner_live"], "pass")
    assert healthy["test_no_expired_banner_live"]["measurements"]["expired_banners_live"] == 0


def test_testimonial_check_degrades_on_old_pending_review(check_runner, fault):
    fault("old_pending_review")
    assert_outcome(
        check_runner.one(CONTENT + "test_testimonials_moderated"),
        "degraded",
        "1 testimonials pending for more than 7 days",
        "(12 days)",
    )


def test_banner_check_fails_on_expired_banner(check_runner, fault):
    fault("expired_banner")
    assert_outcome(
        check_runner.one(CONTENT + "test_no_expired_banner_live"), "fail", "'Black Friday: 20% off rings' (ended"
    )
