from tests.checks.conftest import assert_outcome
from tests.checks.shop_front import home_redirected_to, shop_front  # noqa: F401 (a fixture)

KEY_PAGES = "checks/test_availability.py::test_key_pages_answer"


def test_key_pages_pass_on_healthy_demo(healthy, demo):
    record = healthy["test_key_pages_answer"]
    assert_outcome(record, "pass")
    assert record["measurements"][f"response_seconds[{demo.shape.path('home')}]"] > 0


def test_key_pages_fail_with_connection_refused_when_site_down(check_runner, fault, demo):
    fault("site_down")
    assert_outcome(check_runner.one(KEY_PAGES), "fail", f"{demo.shape.path('home')}: connection refused")


def test_key_pages_fail_on_200_page_with_database_error_text(check_runner, fault, demo):
    fault("db_error_page")
    assert_outcome(
        check_runner.one(KEY_PAGES),
        "fail",
        f"{demo.shape.path('home')}: error text 'Database connection failed' in the page",
    )


REDIRECT = "checks/test_availability.py::test_http_redirects_to_https"
LINKS = "checks/test_availability.py::test_internal_links_resolve"


def test_https_redirect_passes_on_healthy_demo(healthy):
    record = healthy["test_http_redirects_to_https"]
    assert_outcome(record, "pass")
    assert record["measurements"]["hsts_max_age"] >= 31536000


def test_https_redirect_fails_when_plain_http_serves_the_shop(check_runner, fault):
    fault("redirect_off")
    assert_outcome(check_runner.one(REDIRECT), "fail", "/: HTTP 200 without a redirect to HTTPS")


def test_internal_links_pass_on_healthy_demo(healthy):
    record = healthy["test_internal_links_resolve"]
    assert_outcome(record, "pass")
    assert record["measurements"]["broken_links"] == 0
    assert record["measurements"]["links_checked"] > 10


def test_internal_links_fail_naming_the_broken_url_and_its_page(check_runner, fault):
    fault("broken_link")
    record = check_runner.one(LINKS)
    assert_outcome(record, "fail", "1 broken: /collections/festive-sale: HTTP 404 (linked from /)")
    assert record["measurements"]["broken_links"] == 1


def test_key_pages_and_links_are_judged_where_a_home_page_redirect_ends(check_runner, shop_front, demo):
    config = shop_front(**home_redirected_to(demo, "/shop/"))
    results = check_runner.run(KEY_PAGES, LINKS, config=config)
    assert_outcome(results["test_key_pages_answer"], "pass")
    assert_outcome(results["test_internal_links_resolve"], "pass")
    assert results["test_internal_links_resolve"]["measurements"]["links_checked"] > 10


def test_a_broken_link_on_the_page_a_redirect_ends_on_is_named_with_that_page(check_runner, shop_front, demo, fault):
    config = shop_front(**home_redirected_to(demo, "/shop/"))
    fault("broken_link")
    assert_outcome(
        check_runner.one(LINKS, config=config),
        "fail",
        "1 broken: /collections/festive-sale: HTTP 404 (linked from /shop/)",
    )
