"""Which URLs are the shop's own, and which name the same page (sitemap against key pages)."""

import pytest

from runner.clients.html import page_key, same_origin_url

ORIGIN = "https://shop.example"


@pytest.mark.parametrize("reference", ["/shop/", "https://SHOP.example/shop/", "https://shop.example:443/shop/"])
def test_same_origin_ignores_host_case_and_the_default_port(reference):
    assert same_origin_url(reference, ORIGIN + "/", ORIGIN) is not None


@pytest.mark.parametrize(
    "reference",
    [
        "https://cdn.example/a.css",
        "http://shop.example/a",
        "https://shop.example:8443/a",
        "https://shop.example:bad/a",
        "mailto:x@shop.example",
    ],
)
def test_other_origins_and_unfetchable_references_are_not_the_shops(reference):
    assert same_origin_url(reference, ORIGIN + "/", ORIGIN) is None


@pytest.mark.parametrize("url", ["/", "/index.php", "https://shop.example/", "https://shop.example", "/index.html"])
def test_home_page_names_are_one_page(url):
    assert page_key(url) == "/"


def test_trailing_slash_and_index_file_do_not_tell_pages_apart_but_query_does():
    assert page_key("/rings/") == page_key("/rings") == page_key("/rings/index.php") == "/rings"
    assert page_key("/product.php?id=3") != page_key("/product.php?id=4")
    assert page_key("/shop/") != page_key("/")
