"""SEO: can search engines read, index and tell apart the shop's key pages?"""

import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from urllib import robotparser

import pytest
import requests

from runner.clients.html import page_key, parse, path_of, same_origin_url
from runner.pytest_plugin import no_problems

pytestmark = pytest.mark.area("content")

DESCRIPTION_LENGTH = (50, 160)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITEMAP_URLS_FOLLOWED = 20  # sitemap URLs fetched to find a key page listed under another name


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("content")
def test_seo_basics(settings, http, measure):
    """Key pages have a unique title and meta description, one h1 and a canonical link; sitemap.xml and robots.txt are valid: search traffic depends on them."""
    problems, titles, descriptions, names = [], defaultdict(list), defaultdict(list), {}
    for key_page in settings.site.key_pages:
        response = http.get(key_page.path)  # a redirect is followed: the page it ends on is judged
        facts = parse(response.text)
        problems += page_problems(key_page.path, facts)
        names[key_page.path] = page_names(key_page.path, response.url, facts.canonical, settings.site.origin)
        if facts.title:
            titles[facts.title].append(key_page.path)
        if facts.description:
            descriptions[facts.description].append(key_page.path)
    problems += [f"title {title!r} shared by {', '.join(paths)}" for title, paths in titles.items() if len(paths) > 1]
    problems += [f"meta description shared by {', '.join(paths)}" for paths in descriptions.values() if len(paths) > 1]
    robots = read_robots(http, problems)
    listed = sitemap_paths(http, problems)
    if listed is not None:
        indexable = {path: names[path] for path in names if robots is None or robots.can_fetch("*", path)}
        problems += [
            f"/sitemap.xml: does not list {path}" + _also_named(path, names[path])
            for path in unlisted(http, indexable, listed, settings.site.origin)
        ]
    measure(seo_problems=len(problems), sitemap_urls=len(listed or ()))
    no_problems(problems)


def page_names(path: str, final_url: str, canonical: str | None, origin: str) -> set[str]:
    """The URLs a page answers to, as page keys: the path asked for, where its redirects ended, its canonical."""
    urls = [path, final_url, *([canonical] if canonical and same_origin_url(canonical, final_url, origin) else [])]
    return {page_key(url) for url in urls}


def unlisted(http, pages: dict[str, set[str]], listed: set[str], origin: str) -> list[str]:
    """The pages the sitemap lists under none of their names. A sitemap URL naming no key page directly
    may still serve one (an alias redirecting to it, or whose canonical is it): a few are followed."""
    keys = {page_key(path) for path in listed}
    missing = {path: names for path, names in pages.items() if not names & keys}
    claimed = set().union(*pages.values()) if pages else set()
    candidates = sorted((p for p in listed if page_key(p) not in claimed), key=lambda p: (p.count("/"), len(p)))
    for candidate in candidates[:SITEMAP_URLS_FOLLOWED]:
        if not missing:
            break
        try:
            response = http.get(candidate)
        except requests.RequestException:
            continue  # an unreachable sitemap URL names no page
        served = page_names(candidate, response.url, parse(response.text).canonical, origin)
        missing = {path: names for path, names in missing.items() if not names & served}
    return list(missing)


def _also_named(path: str, names: set[str]) -> str:
    others = sorted(names - {page_key(path)})
    return f" (nor {', '.join(others)})" if others else ""


def page_problems(path: str, facts) -> list[str]:
    low, high = DESCRIPTION_LENGTH
    problems = []
    if not facts.title:
        problems.append(f"{path}: no title")
    if facts.description is None:
        problems.append(f"{path}: meta description missing")
    elif not low <= len(facts.description) <= high:
        problems.append(f"{path}: meta description {len(facts.description)} characters, outside {low}-{high}")
    if facts.h1_count != 1:
        problems.append(f"{path}: {facts.h1_count} h1 elements, expected exactly 1")
    if not facts.canonical:
        problems.append(f"{path}: no canonical link")
    return problems


def read_robots(http, problems: list[str]) -> robotparser.RobotFileParser | None:
    response = http.get("/robots.txt")
    if response.status_code != 200:
        problems.append(f"/robots.txt: HTTP {response.status_code}")
        return None
    robots = robotparser.RobotFileParser()
    robots.parse(response.text.splitlines())
    if not robots.can_fetch("*", "/"):
        problems.append("/robots.txt: disallows the whole site for every crawler")
    return robots


def sitemap_paths(http, problems: list[str]) -> set[str] | None:
    response = http.get("/sitemap.xml")
    if response.status_code != 200:
        problems.append(f"/sitemap.xml: HTTP {response.status_code}")
        return None
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError as exc:
        problems.append(f"/sitemap.xml: not valid XML ({exc})")
        return None
    return {path_of(loc.text.strip()) for loc in root.iter(f"{SITEMAP_NS}loc") if loc.text}
