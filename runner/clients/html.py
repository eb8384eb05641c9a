"""What checks read from a page's HTML: title, meta description, canonical, h1s, links, images, assets.

The standard library's html.parser is tolerant of broken markup and enough for these facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

NOT_FETCHABLE = ("mailto:", "tel:", "javascript:", "data:", "#")
DEFAULT_PORTS = {"http": 80, "https": 443}
INDEX_FILES = ("index.php", "index.html", "index.htm")


@dataclass
class Image:
    src: str
    alt: str | None


@dataclass
class PageFacts:
    title: str | None = None
    description: str | None = None
    canonical: str | None = None
    h1_count: int = 0
    links: list[str] = field(default_factory=list)  # a[href]
    images: list[Image] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # stylesheets and scripts

    def references(self) -> list[str]:
        """Every URL the page makes a browser or a visitor fetch."""
        return [*self.links, *(image.src for image in self.images), *self.assets]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False
        self._title: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        rel = a.get("rel", "").lower().split()
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and a.get("name", "").lower() == "description" and self.facts.description is None:
            self.facts.description = a.get("content", "").strip()
        elif tag == "link" and "canonical" in rel:
            self.facts.canonical = a.get("href", "").strip() or None
        elif tag == "link" and ("stylesheet" in rel or "icon" in rel) and a.get("href"):
            self.facts.assets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.facts.assets.append(a["src"])
        elif tag == "h1":
            self.facts.h1_count += 1
        elif tag == "a" and a.get("href"):
            self.facts.links.append(a["href"])
        elif tag == "img" and a.get("src"):
            self.facts.images.append(Image(a["src"], dict(attrs).get("alt")))

    def handle_endtag(self, tag):
        if tag == "title" and self._in_title:
            self._in_title = False
            self.facts.title = " ".join("".join(self._title).split())

    def handle_data(self, data):
        if self._in_title:
            self._title.append(data)


def parse(html: str) -> PageFacts:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.facts


def same_origin_url(reference: str, page_url: str, origin: str) -> str | None:
    """The absolute URL (no fragment) of `reference` on `page_url` when it is on `origin`, else None."""
    reference = reference.strip()
    if not reference or reference.lower().startswith(NOT_FETCHABLE):
        return None
    absolute = urldefrag(urljoin(page_url, reference)).url
    return absolute if origin_of(absolute) == origin_of(origin) else None


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) as a browser compares them: host case and a default port do not matter."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port that is not a number: not an origin we fetch from
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def page_key(url: str) -> str:
    """What tells pages apart: the path and query, with a trailing slash or index file left out
    (`/`, `/index.php` and `https://shop/` are one page; `/shoes/` and `/shoes` too)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    head, _, last = path.rpartition("/")
    if last.lower() in INDEX_FILES:
        path = head + "/"
    path = path.rstrip("/") or "/"
    return path + (f"?{parts.query}" if parts.query else "")


def path_of(url: str) -> str:
    """The path and query of a URL, as messages show it."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
