from tests.checks.conftest import assert_outcome

KEY_PAGES = "checks/test_availability.py::test_key_pages_answer"


def test_key_pages_pass_on_healthy_demo(healthy):
    record = healthy["test_key_pages_answer"]
    assert_outcome(record, "pass")
    assert record["measurements"]["response_seconds[/]"] > 0


def test_key_pages_fail_with_connection_refused_when_site_down(check_runner, fault):
    fault("site_down")
    assert_outcome(check_runner.one(KEY_PAGES), "fail", "/: connection refused")


def test_key_pages_fail_on_200_page_with_database_error_text(check_runner, fault):
    fault("db_error_page")
    assert_outcome(check_runner.one(KEY_PAGES), "fail", "/: error text 'Database connection failed' in the page")
