"""SEO: can search engines read, index and tell apart the shop's key pages?"""

import xml.etree.ElementTree as ElementTree
from collections import defaultdict
from urllib import robotparser

import pytest

from runner.clients.html import parse, path_of
from runner.pytest_plugin import no_problems

DESCRIPTION_LENGTH = (50, 160)
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.cadence("weekly")
@pytest.mark.area("content")
@pytest.mark.severity("warning")
@pytest.mark.runbook("content")
def test_seo_basics(settings, http, measure):
    """Key pages have a unique title and meta description, one h1 and a canonical link; sitemap.xml and robots.txt are valid: search traffic depends on them."""
    problems, titles, descriptions = [], defaultdict(list), defaultdict(list)
    for key_page in settings.site.key_pages:
        facts = parse(http.get(key_page.path).text)
        problems += page_problems(key_page.path, facts)
        if facts.title:
            titles[facts.title].append(key_page.path)
        if facts.description:
            descriptions[facts.description].append(key_page.path)
    problems += [f"title {title!r} shared by {', '.join(paths)}" for title, paths in titles.items() if len(paths) > 1]
    problems += [f"meta description shared by {', '.join(paths)}" for paths in descriptions.values() if len(paths) > 1]
    robots = read_robots(http, problems)
    listed = sitemap_paths(http, problems)
    if listed is not None:
        indexable = [p.path for p in settings.site.key_pages if robots is None or robots.can_fetch("*", p.path)]
        problems += [f"/sitemap.xml: does not list {path}" for path in indexable if path not in listed]
    measure(seo_problems=len(problems), sitemap_urls=len(listed or ()))
    no_problems(problems)


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
