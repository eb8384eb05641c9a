"""Compliance: cookie consent, as a first-time visitor's browser sees it."""

import pytest

from runner.clients.journey import Journey
from runner.pytest_plugin import configured

pytestmark = pytest.mark.area("compliance")


@pytest.mark.cadence("daily")
@pytest.mark.severity("warning")
def test_cookie_consent_comes_before_tracking(settings, page, measure):
    """First-time visitors see the cookie consent banner and get no analytics or advertising cookie before they agree: data-protection law (NDPR, GDPR) requires consent first."""
    compliance = configured(settings, "compliance")
    path, banner = compliance.consent_path, compliance.consent_banner
    journey = Journey(page, settings.site.timeout_seconds)
    with journey.step("first_visit"):
        journey.goto(path)
        page.wait_for_load_state("networkidle")  # trackers often set their cookies after the load event
    cookies = sorted({cookie["name"] for cookie in page.context.cookies()})
    measure(cookies_before_consent=len(cookies))
    problems = []
    if not journey.shows(banner):
        problems.append(f"{path}: no cookie consent banner ({banner}) on a first visit")
    non_essential = [name for name in cookies if name not in compliance.essential_cookies]
    if non_essential:
        problems.append(
            f"{path}: non-essential cookie {', '.join(non_essential)} set before consent "
            f"(essential: {', '.join(compliance.essential_cookies)})"
        )
    assert not problems, "; ".join(problems)
