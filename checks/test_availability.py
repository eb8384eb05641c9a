"""Availability: can a customer reach the shop, and does what they get look like the shop?"""

import pytest
import requests

from runner.clients.http import describe_error


@pytest.mark.cadence("critical")
@pytest.mark.area("availability")
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
    body = response.text
    problems = [f"{page.path}: error text {pattern!r} in the page" for pattern in error_patterns
                if pattern in body]
    if page.keyword and page.keyword not in body:
        problems.append(f"{page.path}: keyword {page.keyword!r} missing from the page")
    return problems
