"""A customer's way through the shop in a real browser: named, timed steps.

A step that goes wrong raises `StepFailed` (an AssertionError, so the check fails) naming the step
and what happened: `payment step: HTTP 500 from /checkout`. JavaScript errors the page threw
during the step are added to the message, because they are usually the cause.
"""

from __future__ import annotations

import logging
import re
import time
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from runner.clients.html import path_of

log = logging.getLogger(__name__)


class StepFailed(AssertionError):
    pass


class Journey:
    def __init__(self, page, timeout_seconds: float):
        self.page = page
        self.timeout_seconds = timeout_seconds
        page.set_default_timeout(timeout_seconds * 1000)
        self.seconds: dict[str, float] = {}
        self.js_errors: list[str] = []  # of the page now shown: a script that broke on load breaks a later click
        page.on("pageerror", lambda error: self.js_errors.append(f"{error.name}: {error.message}"))
        page.on("framenavigated", lambda frame: self.js_errors.clear() if frame == page.main_frame else None)

    @contextmanager
    def step(self, name: str):
        """Time the block as step `name`; a failure inside becomes `<name> step: <what happened>`."""
        started = time.perf_counter()
        try:
            yield self
        except (StepFailed, PlaywrightError) as exc:
            self.seconds[name] = time.perf_counter() - started
            problem = str(exc) if isinstance(exc, StepFailed) else _first_line(exc.message)
            if self.js_errors:
                problem += f" (JavaScript error on the page: {self.js_errors[0]})"
            raise StepFailed(f"{name} step: {problem}") from None
        self.seconds[name] = time.perf_counter() - started

    @property
    def location(self) -> str:
        """The URL's path and query: `/index.php?route=cart`."""
        return path_of(self.page.url)

    def goto(self, path: str):
        response = self.page.goto(path)
        require_ok(response)
        return response

    def click_to_page(self, selector: str):
        """Click a link or button that loads a new page; its response (the caller judges its status)."""
        locator = self.visible(selector)
        try:
            with self.page.expect_navigation() as navigation:
                locator.click()
        except PlaywrightTimeout:
            raise StepFailed(
                f"clicking {selector} on {self.location} loaded no page within {self.timeout_seconds:.0f} s"
            ) from None
        return navigation.value

    def visible(self, selector: str, or_shown: str | None = None):
        """The first element of selector once it is visible; given or_shown, once either is."""
        locator = self.page.locator(selector)
        if or_shown:
            locator = locator.or_(self.page.locator(or_shown))
        try:
            locator.first.wait_for(state="visible")
        except PlaywrightTimeout:
            raise StepFailed(f"no {selector} on {self.location} within {self.timeout_seconds:.0f} s") from None
        return locator.first

    def wait_for_url(self, pattern: str, or_shown: str | None = None) -> None:
        """Until the location contains pattern (matches it, when it starts with ^) and its page has loaded,
        or or_shown is shown: a page that changes location by script (after a fetch()) loads no page on click."""
        matches = re.compile(pattern).search if pattern.startswith("^") else (lambda location: pattern in location)
        deadline = time.monotonic() + self.timeout_seconds
        while not matches(self.location):
            if or_shown and self._shows_while_loading(or_shown):
                return
            if time.monotonic() > deadline:
                raise StepFailed(
                    f"no page at {pattern!r} within {self.timeout_seconds:.0f} s (still on {self.location})"
                )
            self.page.wait_for_timeout(100)
        self.page.wait_for_load_state()

    def text(self, selector: str) -> str:
        return self.visible(selector).inner_text().strip()

    def fill(self, selector: str, value: str) -> None:
        self.visible(selector).fill(value)

    def shows(self, selector: str) -> bool:
        """Whether the current page shows the element now (no waiting)."""
        locator = self.page.locator(selector)
        return locator.count() > 0 and locator.first.is_visible()

    def _shows_while_loading(self, selector: str) -> bool:
        try:
            return self.shows(selector)
        except PlaywrightError:  # the page navigated away while we looked
            return False


def money(text: str) -> Decimal:
    """An amount as shown to customers ('₦45,000.00', 'NGN 45000') as a Decimal."""
    digits = re.sub(r"[^0-9.]", "", text)
    try:
        return Decimal(digits)
    except InvalidOperation:
        raise StepFailed(f"cannot read an amount from {text!r}") from None


def require_ok(response) -> None:
    if response is not None and response.status >= 400:
        raise StepFailed(f"HTTP {response.status} from {path_of(response.url)}")


def _first_line(text: str) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else "browser error"


class PageProblems:
    """JavaScript errors, console errors and failed requests of a page, each with the path it was on.

    Leaving a page aborts its unfinished requests (net::ERR_ABORTED): the browser's doing, not the
    shop's. Such an abort of a request made before the latest main-frame navigation began is left
    out; any other failure (refused, reset, DNS, TLS) and every HTTP error status counts."""

    QUIET_SECONDS = 0.15  # after `load`, no request in flight this long: the page has settled
    SETTLE_SECONDS = 2  # at most this long: a page that keeps polling is no problem

    def __init__(self, page):
        self.page = page
        self.path = "/"
        self.found: list[str] = []
        self.navigations = 0  # main-frame navigations begun so far
        self._made_during: dict = {}  # request -> navigations begun when it was made
        self._in_flight: set = set()
        page.on("pageerror", lambda error: self._add(f"{error.name}: {error.message}"))
        page.on("console", self._console)
        page.on("request", self._request)
        page.on("requestfinished", lambda request: self._in_flight.discard(request))
        page.on("requestfailed", self._request_failed)
        page.on("response", self._response)

    def visit(self, path: str, timeout_seconds: float) -> None:
        """Open a page, wait for its `load` and (briefly) for its requests to be over.
        (Not Playwright's `networkidle`: it waits 500 ms after the last one, 2 s over four pages.)"""
        self.path = path
        self.page.goto(path, wait_until="load", timeout=timeout_seconds * 1000)
        deadline = time.monotonic() + self.SETTLE_SECONDS
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if self._in_flight:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= self.QUIET_SECONDS:
                return
            self.page.wait_for_timeout(50)  # lets the page's events in

    def _add(self, problem: str) -> None:
        self.found.append(f"{self.path}: {problem}")

    def _console(self, message) -> None:
        # Chromium also logs each HTTP error response to the console; _response reports those
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self._add(f"console error: {message.text}")

    def _request(self, request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame:
            self.navigations += 1
        self._made_during[request] = self.navigations
        self._in_flight.add(request)

    def _request_failed(self, request) -> None:
        self._in_flight.discard(request)
        made_during = self._made_during.pop(request, self.navigations)
        if not left_behind(request.failure, made_during, self.navigations):
            self._add(f"request failed: {path_of(request.url)} ({request.failure})")

    def _response(self, response) -> None:
        if response.status >= 400:
            self._add(f"HTTP {response.status} from {path_of(response.url)}")


def left_behind(failure: str | None, made_during: int, navigations: int) -> bool:
    """A request the browser aborted because its page was left: made before the latest navigation began
    (a navigation request counts itself when made, so it too is left behind only by a later one)."""
    return "net::ERR_ABORTED" in (failure or "") and made_during < navigations
