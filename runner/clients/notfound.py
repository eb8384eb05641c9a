"""The site's not-found page, fingerprinted from two random paths, so that a probe tells a file that
is served from the not-found page even when unknown paths answer 200 (a soft 404).

The fingerprint is the band of lengths the page comes in and the hash of its visible text (with
the requested path taken out, as many not-found pages repeat it)."""

from __future__ import annotations

import difflib
import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import unquote

from runner.clients.http import ResponseTooLarge
from runner.clients.webroot import sniff

SIMILARITY = 0.9
BAND_SLACK = 0.1  # the band stretches 10 % (and 64 bytes) beyond the lengths seen
HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class NotFoundPage:
    statuses: tuple[int, ...]
    low: int
    high: int
    text_hashes: frozenset[str]
    sample: str  # one answer's visible text, for pages that differ in more than the path

    @property
    def soft(self) -> bool:
        """Unknown paths answer 200."""
        return 200 in self.statuses

    def matches(self, response, path: str) -> bool:
        """Whether `response` (to `path`) is this not-found page."""
        text = visible_text(response.text[:200000], path)
        if _hash(text) in self.text_hashes:
            return True
        in_band = self.low <= len(response.content) <= self.high
        return in_band and difflib.SequenceMatcher(None, text, self.sample).quick_ratio() >= SIMILARITY


def fingerprint(http) -> NotFoundPage:
    """Request two random paths that cannot exist and keep what the not-found page looks like."""
    token = secrets.token_hex(6)
    paths = (f"/dija-monitor-not-found-{token}", f"/dija-monitor-{token}/missing-{secrets.token_hex(4)}.html")
    answers = [(path, http.get(path, allow_redirects=False)) for path in paths]
    lengths = [len(response.content) for _, response in answers]
    texts = [visible_text(response.text[:200000], path) for path, response in answers]
    return NotFoundPage(
        statuses=tuple(response.status_code for _, response in answers),
        low=max(0, int(min(lengths) * (1 - BAND_SLACK)) - 64),
        high=int(max(lengths) * (1 + BAND_SLACK)) + 64,
        text_hashes=frozenset(_hash(text) for text in texts),
        sample=texts[0],
    )


def visible_text(html: str, path: str = "") -> str:
    text = " ".join(TAG.sub(" ", HIDDEN.sub(" ", html)).split())
    for form in {path, unquote(path), path.lstrip("/"), unquote(path).lstrip("/")} - {""}:
        text = text.replace(form, "")
    return text


def probe(http, path: str, not_found: NotFoundPage) -> tuple[bool, str]:
    """(served?, what answered) for `path`: served means a 200 that is not the not-found page."""
    try:
        response = http.get(path, allow_redirects=False)
    except ResponseTooLarge as exc:
        status = exc.response.status_code if exc.response is not None else 200
        return status == 200, f"HTTP {status}, larger than the read limit"
    if response.status_code != 200:
        return False, f"HTTP {response.status_code}"
    if not_found.matches(response, path):
        return False, "HTTP 200, the not-found page"
    return True, f"HTTP 200, {len(response.content)} bytes ({describe(response)})"


def describe(response) -> str:
    """What an answer is, by its first bytes, else by its content type (never its content)."""
    return sniff(response.content[:4096]) or response.headers.get("Content-Type", "no type").split(";")[0]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
