from tests.checks.conftest import assert_outcome

SEO = "checks/test_seo.py::test_seo_basics"


def test_seo_passes_on_healthy_demo(healthy):
    record = healthy["test_seo_basics"]
    assert_outcome(record, "pass")
    assert record["measurements"]["sitemap_urls"] > 10


def test_removed_meta_description_fails_naming_the_page(check_runner, fault):
    fault("meta_description_removed")
    record = check_runner.one(SEO)
    assert_outcome(record, "fail", "/product/gold-hoops: meta description missing")
    assert record["measurements"]["seo_problems"] == 1
