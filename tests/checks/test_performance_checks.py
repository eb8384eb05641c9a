import re

import pytest

from tests.checks.conftest import CheckRunner, assert_outcome
from tests.checks.shop_front import home_redirected_to, shop_front  # noqa: F401 (a fixture)

MODULE = "checks/test_performance.py"
LOAD, ASSETS, IMAGES = (
    "test_page_load_time[chromium]",
    "test_static_assets_compressed_and_cacheable",
    "test_product_images_optimised",
)


@pytest.fixture
def home_only_runner(demo, tmp_path):
    """The demo's config with the home page as the only key page: a slow-page run takes seconds, not half a minute."""
    text = demo.config_path.read_text()
    text = text.replace('env_file = "monitor.env"', f'env_file = "{demo.run_dir / "monitor.env"}"')
    text = re.sub(
        r"key_pages = \[.*?\n\]", 'key_pages = [{ path = "/", keyword = "Dija Accessories" }]', text, flags=re.S
    )
    config = tmp_path / "monitor.toml"
    config.write_text(text)
    return CheckRunner(config, tmp_path)


def test_performance_checks_pass_on_healthy_demo(healthy, demo):
    assert_outcome(healthy[LOAD], "pass")
    figures = healthy[LOAD]["measurements"]
    for path in (demo.shape.path("home"), demo.shape.path("product", slug="gold-hoops")):
        assert 0 < figures[f"load_seconds[{path}]"] < 3
        assert 0 < figures[f"ttfb_seconds[{path}]"] <= figures[f"load_seconds[{path}]"]
        assert figures[f"server_seconds[{path}]"] > 0
    assert_outcome(healthy[ASSETS], "pass")
    assert healthy[ASSETS]["measurements"]["assets_checked"] >= 3
    assert_outcome(healthy[IMAGES], "pass")
    assert 0 < healthy[IMAGES]["measurements"]["largest_image_kb"] < 300


def test_slow_pages_fail_page_load_with_server_and_browser_times(home_only_runner, fault):
    fault("slow_pages")
    record = home_only_runner.run(f"{MODULE}::test_page_load_time")[LOAD]
    assert_outcome(record, "fail", "/: server response ", "/: browser load ", " s > 3 s")
    assert record["measurements"]["load_seconds[/]"] > 3


def test_uncompressed_assets_fail_naming_each_file(check_runner, fault):
    fault("assets_uncompressed")
    assert_outcome(
        check_runner.one(f"{MODULE}::{ASSETS}"),
        "fail",
        "/static/css/site.css: not compressed (1681 bytes text/css, no gzip/br)",
        "/static/js/site.js: not compressed",
        "/uploads/products/gold-hoops.jpg: no Cache-Control max-age",
    )


def test_oversized_image_without_alt_fails_naming_the_image_and_page(check_runner, fault, demo):
    fault("oversized_image")
    record = check_runner.one(f"{MODULE}::{IMAGES}")
    assert_outcome(
        record,
        "fail",
        "/uploads/products/gold-hoops.jpg: 420 KB > 300 KB (on /)",
        f"/uploads/products/gold-hoops.jpg: no alt text (on {demo.shape.path('product', slug='gold-hoops')})",
    )
    assert record["measurements"]["largest_image_kb"] == 420


def test_assets_and_images_are_read_from_the_page_a_home_page_redirect_ends_on(check_runner, shop_front, demo):
    results = check_runner.run(
        f"{MODULE}::{ASSETS}", f"{MODULE}::{IMAGES}", config=shop_front(**home_redirected_to(demo, "/shop/"))
    )
    assert_outcome(results[ASSETS], "pass")
    assert results[ASSETS]["measurements"]["assets_checked"] >= 3
    assert_outcome(results[IMAGES], "pass")
    assert results[IMAGES]["measurements"]["images_checked"] >= 3


def test_an_oversized_image_behind_a_home_page_redirect_is_named_with_the_final_page(
    check_runner, shop_front, demo, fault
):
    config = shop_front(**home_redirected_to(demo, "/shop/"))
    fault("oversized_image")
    assert_outcome(
        check_runner.one(f"{MODULE}::{IMAGES}", config=config),
        "fail",
        "/uploads/products/gold-hoops.jpg: 420 KB > 300 KB (on /shop/)",
    )
