import datetime as dt

from demoshop.faults.web_files import REFUSED_FOLDER, dump_name
from tests.checks.conftest import assert_outcome

MODULE = "checks/test_exposure.py"
PATHS, HEADERS, EOL = "test_sensitive_paths_not_exposed", "test_security_headers_present", "test_software_supported"
ASSETS = "test_static_assets_compressed_and_cacheable"
SOFT_404 = "unknown paths answer 200 (soft 404)"


def test_exposure_checks_pass_on_healthy_demo(healthy):
    assert_outcome(healthy[PATHS], "pass")
    assert healthy[PATHS]["measurements"]["paths_probed"] >= 19
    assert_outcome(healthy[HEADERS], "pass")
    assert healthy[HEADERS]["measurements"]["missing_headers"] == 0
    assert_outcome(healthy[EOL], "pass")
    assert healthy[EOL]["measurements"]["days_to_eol[php]"] > 90
    assert healthy[EOL]["measurements"]["days_to_eol[mariadb]"] > 90


def test_exposed_env_fails_naming_the_path_without_its_content(check_runner, fault):
    fault("exposed_env")
    record = check_runner.one(f"{MODULE}::{PATHS}")
    assert_outcome(record, "fail", "served: /.env: HTTP 200", "(text/plain)")
    assert "DB_PASSWORD" not in record["message"]


def test_a_200_not_found_page_is_not_an_exposure_but_degrades_as_a_soft_404(check_runner, fault):
    fault("db_error_page")  # every path answers 200 with the same error page: a soft 404
    record = check_runner.one(f"{MODULE}::{PATHS}")
    assert_outcome(record, "degraded", SOFT_404)
    assert "served" not in record["message"] and record["measurements"]["exposed_paths"] == 0


def test_healthy_web_root_is_scanned_and_nothing_in_it_is_served(check_runner):
    record = check_runner.one(f"{MODULE}::{PATHS}")
    assert_outcome(record, "pass")
    assert record["measurements"]["web_root_files_scanned"] >= 5
    assert record["measurements"]["soft_404"] == 0
    assert record["measurements"]["found_on_disk_but_refused"] == 0


def test_soft_404_alone_degrades_naming_it(check_runner, fault):
    fault("soft_404")
    record = check_runner.one(f"{MODULE}::{PATHS}")
    assert_outcome(record, "degraded", SOFT_404)
    assert record["measurements"]["soft_404"] == 1 and record["measurements"]["exposed_paths"] == 0


def test_dated_dump_in_the_web_root_fails_under_a_soft_404_naming_file_size_and_kind(check_runner, fault):
    fault("dated_dump_soft_404")
    record = check_runner.one(f"{MODULE}::{PATHS}")
    name = dump_name(dt.datetime.now(dt.UTC).date())
    assert_outcome(
        record,
        "fail",
        f"served: /{name} (gzip-compressed SQL dump, ",
        " bytes in the web root): HTTP 200, ",
        "bytes (gzip-compressed SQL dump)",
        SOFT_404,
    )
    assert record["measurements"]["exposed_paths"] == 1  # the not-found page answering 200 is told apart


def test_dated_dump_is_found_by_dated_names_without_a_web_root(check_runner, fault):
    fault("dated_dump_soft_404")
    no_web_root = check_runner.variant(server={"web_root": None})
    record = check_runner.one(f"{MODULE}::{PATHS}", config=no_web_root)
    name = dump_name(dt.datetime.now(dt.UTC).date())
    assert_outcome(record, "fail", f"served: /{name}: HTTP 200, ", "bytes (gzip-compressed SQL dump)", SOFT_404)
    assert record["measurements"]["exposed_paths"] == 1 and record["measurements"]["web_root_files_scanned"] == 0


def test_archive_the_server_refuses_is_only_measured(check_runner, fault):
    fault("refused_archive")
    record = check_runner.one(f"{MODULE}::{PATHS}")
    assert_outcome(record, "pass")
    assert record["measurements"]["found_on_disk_but_refused"] == 1, REFUSED_FOLDER


def test_php_among_static_files_is_reported_when_served(check_runner, fault):
    fault("upload_webshell")  # a PHP file in a folder of images, served by the uploads route
    assert_outcome(
        check_runner.one(f"{MODULE}::{PATHS}"),
        "fail",
        "/uploads/thumb.php (executable code among static files (a planted web shell?), ",
    )


def test_headers_off_fails_headers_and_assets_checks(check_runner, fault):
    fault("headers_off")
    results = check_runner.run(f"{MODULE}::{HEADERS}", f"checks/test_performance.py::{ASSETS}")
    assert_outcome(
        results[HEADERS],
        "fail",
        "missing Strict-Transport-Security",
        "X-Content-Type-Options",
        "X-Frame-Options or CSP frame-ancestors",
        "Content-Security-Policy",
        "Referrer-Policy",
        "version leak X-Powered-By: PHP/7.4.3",
    )
    assert_outcome(results[ASSETS], "fail", "/static/css/site.css: no Cache-Control max-age")


def test_old_php_version_fails_with_its_end_of_life_date(check_runner, fault):
    fault("old_version")
    record = check_runner.one(f"{MODULE}::{EOL}")
    assert_outcome(record, "fail", "PHP 7.4.33 (versions.json): end of life since 2022-11-28")
    assert record["measurements"]["days_to_eol[php]"] < 0
