"""Availability: can a customer reach the shop, and does what they get look like the shop?"""

import re

import pytest
import requests

from checks.links import LinkCrawl
from runner.clients.http import describe_error, undecodable

pytestmark = pytest.mark.area("availability")


@pytest.mark.cadence("critical")
@pytest.mark.severity("critical")
@pytest.mark.smoke
@pytest.mark.runbook("site-down")
def test_key_pages_answer(settings, http, measure):
    """Key pages answer 200 with their keyword and no PHP or database error text: customers can reach the shop."""
    problems = []
    for page in settings.site.key_pages:
        try:
            response = http.get(page.path)
        except requests.RequestException as exc:
            problems.append(f"{page.path}: {describe_error(exc)}")
            continue
        measure(**{f"response_seconds[{page.path}]": response.elapsed.total_seconds()})
        problems += page_problems(page, response, settings.site.error_patterns)
    assert not problems, "; ".join(problems)


def page_problems(page, response, error_patterns) -> list[str]:
    if response.status_code != 200:
        return [f"{page.path}: HTTP {response.status_code}, expected 200"]
    if reason := undecodable(response):
        return [f"{page.path}: {reason}"]
    body = response.text
    problems = [f"{page.path}: error text {pattern!r} in the page" for pattern in error_patterns if pattern in body]
    if page.keyword and page.keyword not in body:
        problems.append(f"{page.path}: keyword {page.keyword!r} missing from the page")
    return problems


@pytest.mark.cadence("daily")
@pytest.mark.severity("warning")
@pytest.mark.runbook("security-incident")
def test_http_redirects_to_https(settings, http, measure):
    """Plain HTTP redirects to HTTPS and HTTPS sets HSTS: customers' logins and card pages never travel unencrypted."""
    http_url = settings.site.http_url or "http://" + settings.site.origin.split("://", 1)[1]
    response = http.get(http_url + "/", allow_redirects=False)
    location = response.headers.get("Location", "")
    problems = []
    if response.status_code not in (301, 302, 307, 308) or not location.startswith("https://"):
        problems.append(
            f"{http_url}/: HTTP {response.status_code} without a redirect to HTTPS"
            + (f" (Location: {location})" if location else "")
        )
    hsts = http.get("/").headers.get("Strict-Transport-Security", "")
    max_age = hsts_max_age(hsts)
    measure(hsts_max_age=max_age)
    if max_age <= 0:
        problems.append(
            f"{settings.site.origin}/: no Strict-Transport-Security header with max-age > 0"
            + (f" (got {hsts!r})" if hsts else "")
        )
    assert not problems, "; ".join(problems)


def hsts_max_age(header: str) -> int:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name.lower() == "max-age" and value.strip().strip('"').isdigit():
            return int(value.strip().strip('"'))
    return 0


@pytest.mark.cadence("daily")
@pytest.mark.severity("warning")
@pytest.mark.runbook("availability")
def test_internal_links_resolve(settings, http, measure):
    """Internal links, images and files on the home and product pages resolve: a broken link loses the sale."""
    crawl = LinkCrawl(http, settings.site.origin, settings.thresholds.link_crawl_max_urls)
    is_product = re.compile(settings.site.product_page_pattern).search
    product_pages = [p.path for p in settings.site.key_pages if is_product(p.path)]
    crawl.visit("/", follow=is_product)
    for path in product_pages:
        crawl.visit(path)
    crawl.check_references()
    measure(links_checked=len(crawl.status), broken_links=len(crawl.broken), links_unchecked=crawl.unchecked)
    assert not crawl.broken, f"{len(crawl.broken)} broken: " + "; ".join(crawl.broken)
