import pytest

from tests.checks.conftest import assert_outcome
from tests.checks.shop_front import home_redirected_to, shop_front  # noqa: F401 (a fixture)

SEO = "checks/test_seo.py::test_seo_basics"


def test_seo_passes_on_healthy_demo(healthy):
    record = healthy["test_seo_basics"]
    assert_outcome(record, "pass")
    assert record["measurements"]["sitemap_urls"] > 10


def test_removed_meta_description_fails_naming_the_page(check_runner, fault, demo):
    fault("meta_description_removed")
    record = check_runner.one(SEO)
    assert_outcome(record, "fail", f"{demo.shape.path('product', slug='gold-hoops')}: meta description missing")
    assert record["measurements"]["seo_problems"] == 1


def test_sitemap_may_list_the_page_a_home_page_redirect_ends_on(check_runner, shop_front, demo):
    assert_outcome(check_runner.one(SEO, config=shop_front(**home_redirected_to(demo, "/shop/"))), "pass")


def test_sitemap_may_list_the_home_page_as_index_php(check_runner, shop_front, demo):
    base = demo.base_url
    config = shop_front(aliases={"/index.php": "/"}, rewrites=[(f"<loc>{base}/</loc>", f"<loc>{base}/index.php</loc>")])
    assert_outcome(check_runner.one(SEO, config=config), "pass")


def test_sitemap_may_list_an_alias_whose_canonical_is_the_key_page(check_runner, shop_front, demo):
    base = demo.base_url
    config = shop_front(aliases={"/home": "/"}, rewrites=[(f"<loc>{base}/</loc>", f"<loc>{base}/home</loc>")])
    assert_outcome(check_runner.one(SEO, config=config), "pass")


@pytest.mark.parametrize("demo", ["default"], indirect=True)  # rewrites the default shape's sitemap
def test_sitemap_without_the_home_page_under_any_name_fails(check_runner, shop_front, demo):
    base = demo.base_url
    config = shop_front(
        redirects={"/": "/shop/"},
        aliases={"/shop/": "/"},
        rewrites=[(f'href="{base}/"', f'href="{base}/shop/"'), (f"  <url><loc>{base}/</loc></url>\n", "")],
    )
    record = check_runner.one(SEO, config=config)
    assert_outcome(record, "fail", "/sitemap.xml: does not list / (nor /shop)")
    assert record["measurements"]["seo_problems"] == 1
