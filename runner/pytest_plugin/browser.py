"""pytest-playwright wiring: Debian's Chromium, the shop as base URL, one browser per session.

The shop's URL goes into the context arguments rather than pytest-base-url's `base_url`
fixture, which is autouse-verified in every test session, checks or not.

pytest-playwright provides `browser` (session), `context` and `page` (per check); we only
override its configuration fixtures, keeping its own options (--headed, --slowmo, --tracing).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_ENV = "DIJA_CHROMIUM"
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def chromium_path() -> str | None:
    """$DIJA_CHROMIUM, else the first installed system Chromium (Playwright cannot download one here)."""
    if os.environ.get(CHROMIUM_ENV):
        return os.environ[CHROMIUM_ENV]
    return next((p for p in CHROMIUM_CANDIDATES if shutil.which(p)), None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    return {**browser_type_launch_args, "executable_path": path} if path else browser_type_launch_args


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, settings):
    # Chromium trusts only the system store; a shop certified by a private CA (tls.ca_bundle)
    # is verified by the tls checks, so browser checks do not repeat that verification.
    private_ca = bool(settings.tls and settings.tls.ca_bundle)
    return {**browser_context_args, "base_url": settings.site.origin, "ignore_https_errors": private_ca,
            "user_agent": settings.site.user_agent, "viewport": {"width": 1280, "height": 900}}
