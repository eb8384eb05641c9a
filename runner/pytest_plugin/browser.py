"""pytest-playwright wiring: Debian's Chromium, the shop as base URL, one browser per session.

The shop's URL goes into the context arguments rather than pytest-base-url's `base_url`
fixture, which is autouse-verified in every test session, checks or not.

pytest-playwright provides `browser` (session), `context` and `page` (per check); we override
its configuration fixtures, keeping its own options (--headed, --slowmo, --tracing), and trace each
context so that a failed check keeps its trace, secrets scrubbed (evidence.py saves it).
"""

from __future__ import annotations

import os
import shutil
import zipfile
from urllib.parse import quote, quote_plus

import pytest

from runner.secrets import Scrubber

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
    return {
        **browser_context_args,
        "base_url": settings.site.origin,
        "ignore_https_errors": private_ca,
        "user_agent": settings.site.user_agent,
        "viewport": {"width": 1280, "height": 900},
    }


TRACING_ATTR = "_dija_tracing"


@pytest.fixture
def context(context, pytestconfig):
    """pytest-playwright's fresh context per check, traced so that a failed check keeps its trace."""
    if pytestconfig.getoption("--tracing") == "off":  # otherwise pytest-playwright traces it itself
        # DOM snapshots show the page at every action; a screencast (screenshots=True) adds a filmstrip at
        # ~1 s of CPU per browser check, and the failure's own screenshot is kept anyway (evidence.py)
        context.tracing.start(snapshots=True)
        setattr(context, TRACING_ATTR, True)
    return context


def keep_trace(item, folder) -> str | None:
    """Stop a failed check's trace into folder/trace.zip (`playwright show-trace trace.zip`); its path."""
    funcargs = getattr(item, "funcargs", {})
    context = funcargs.get("context")
    if context is None or not getattr(context, TRACING_ATTR, False):
        return None
    setattr(context, TRACING_ATTR, False)
    path = folder / "trace.zip"
    context.tracing.stop(path=str(path))
    settings = funcargs.get("settings")
    if settings is not None:
        scrub_zip(path, settings.secret_values())
    return str(path)


def scrub_zip(path, secrets: list[str]) -> None:
    """Replace secrets in every member: a trace records typed text (a password) and request bodies."""
    values = [v for s in secrets for v in {s, quote_plus(s), quote(s, safe="")}]
    scrub = Scrubber(values)
    if not scrub:
        return
    with zipfile.ZipFile(path) as source:
        members = [(info, source.read(info)) for info in source.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, scrub(data.decode("latin-1")).encode("latin-1"))  # latin-1: bytes unchanged
    os.replace(tmp, path)
