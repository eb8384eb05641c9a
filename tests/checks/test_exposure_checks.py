from tests.checks.conftest import assert_outcome

MODULE = "checks/test_exposure.py"
PATHS, HEADERS, EOL = "test_sensitive_paths_not_exposed", "test_security_headers_present", "test_software_supported"
ASSETS = "test_static_assets_compressed_and_cacheable"


def test_exposure_checks_pass_on_healthy_demo(healthy):
    assert_outcome(healthy[PATHS], "pass")
    assert healthy[PATHS]["measurements"]["paths_probed"] >= 19
    assert_outcome(healthy[HEADERS], "pass")
    assert healthy[HEADERS]["measurements"]["missing_headers"] == 0
    assert_outcome(healthy[EOL], "pass")
    assert healthy[EOL]["measurements"]["php_days_to_eol"] > 90
    assert healthy[EOL]["measurements"]["mariadb_days_to_eol"] > 90


def test_exposed_env_fails_naming_the_path_without_its_content(check_runner, fault):
    fault("exposed_env")
    record = check_runner.one(f"{MODULE}::{PATHS}")
    assert_outcome(record, "fail", "served: /.env: HTTP 200", "(text/plain)")
    assert "DB_PASSWORD" not in record["message"]


def test_a_200_not_found_page_is_not_an_exposure(check_runner, fault):
    fault("db_error_page")  # every path answers 200 with the same error page: a soft 404
    assert_outcome(check_runner.one(f"{MODULE}::{PATHS}"), "pass")


def test_headers_off_fails_headers_and_assets_checks(check_runner, fault):
    fault("headers_off")
    results = check_runner.run(f"{MODULE}::{HEADERS}", f"checks/test_performance.py::{ASSETS}")
    assert_outcome(results[HEADERS], "fail", "missing Strict-Transport-Security", "X-Content-Type-Options",
                   "X-Frame-Options or CSP frame-ancestors", "Content-Security-Policy", "Referrer-Policy",
                   "version leak X-Powered-By: PHP/7.4.3")
    assert_outcome(results[ASSETS], "fail", "/static/css/site.css: no Cache-Control max-age")


def test_old_php_version_fails_with_its_end_of_life_date(check_runner, fault):
    fault("old_version")
    record = check_runner.one(f"{MODULE}::{EOL}")
    assert_outcome(record, "fail", "PHP 7.4.33 (versions.json): end of life since 2022-11-28")
    assert record["measurements"]["php_days_to_eol"] < 0
