"""Performance: do pages load fast, are static files compressed and cached, are product images light?"""

import re

import pytest

from runner.clients.html import parse, path_of, same_origin_url
from runner.clients.http import ResponseTooLarge
from runner.pytest_plugin import Degraded

pytestmark = pytest.mark.area("performance")

NAVIGATION_TIMING = """() => {
  const [nav] = performance.getEntriesByType('navigation');
  return {ttfb: nav.responseStart, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
}"""
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
MIN_COMPRESSIBLE_BYTES = 256  # servers rightly skip gzip for tiny files (nginx gzip_min_length)


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("performance")
def test_page_load_time(settings, http, page, measure):
    """Key pages answer and load fully in a browser within the limit: slow pages lose customers."""
    slow = []
    for key_page in settings.site.key_pages:
        path = key_page.path
        server_seconds = http.get(path).elapsed.total_seconds()
        page.goto(path, wait_until="load", timeout=max(30, 10 * settings.thresholds.page_load_fail_seconds) * 1000)
        timing = page.evaluate(NAVIGATION_TIMING)
        load_seconds = timing["load"] / 1000
        measure(
            **{
                f"server_seconds[{path}]": server_seconds,
                f"ttfb_seconds[{path}]": timing["ttfb"] / 1000,
                f"dom_content_loaded_seconds[{path}]": timing["dom"] / 1000,
                f"load_seconds[{path}]": load_seconds,
            }
        )
        slow += [
            (seconds, f"{path}: {what} {seconds:.1f} s")
            for what, seconds in (("server response", server_seconds), ("browser load", load_seconds))
        ]
    limits = settings.thresholds
    failing = [
        f"{text} > {limits.page_load_fail_seconds:g} s"
        for seconds, text in slow
        if seconds > limits.page_load_fail_seconds
    ]
    assert not failing, "; ".join(failing)
    warning = [
        f"{text} > {limits.page_load_warn_seconds:g} s"
        for seconds, text in slow
        if seconds > limits.page_load_warn_seconds
    ]
    if warning:
        raise Degraded("; ".join(warning))


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("performance")
def test_static_assets_compressed_and_cacheable(settings, http, measure):
    """The home page's CSS, JS and images are compressed and cacheable: every visit re-downloads them otherwise."""
    home = http.get("/")
    facts = parse(home.text)
    urls = {
        same_origin_url(ref, home.url, settings.site.origin)
        for ref in [*facts.assets, *(image.src for image in facts.images)]
    } - {None}
    problems = []
    for url in sorted(urls):
        response = http.get(url, headers={"Accept-Encoding": "gzip, br"})
        problems += asset_problems(path_of(url), response)
    measure(assets_checked=len(urls), asset_problems=len(problems))
    assert urls, "no CSS, JS or image referenced by the home page"
    assert not problems, "; ".join(problems)


def asset_problems(path: str, response) -> list[str]:
    if response.status_code != 200:
        return [f"{path}: HTTP {response.status_code}"]
    problems = []
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    encoding = response.headers.get("Content-Encoding", "").lower()
    if (
        kind.startswith(COMPRESSIBLE)
        and len(response.content) >= MIN_COMPRESSIBLE_BYTES
        and encoding not in ("gzip", "br")
    ):
        problems.append(f"{path}: not compressed ({len(response.content)} bytes {kind}, no gzip/br)")
    if not cacheable(response.headers.get("Cache-Control", "")):
        shown = response.headers.get("Cache-Control")
        problems.append(f"{path}: no Cache-Control max-age" + (f" (got {shown!r})" if shown else ""))
    return problems


def cacheable(cache_control: str) -> bool:
    directives = {part.strip().split("=")[0].lower(): part.strip() for part in cache_control.split(",") if part.strip()}
    if "no-store" in directives or "no-cache" in directives:
        return False
    if "immutable" in directives:
        return True
    max_age = directives.get("max-age", "").partition("=")[2].strip('"')
    return max_age.isdigit() and int(max_age) > 0


@pytest.mark.cadence("weekly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("performance")
def test_product_images_optimised(settings, http, measure):
    """Product images are under the size limit and have alt text: heavy images slow mobile shoppers, missing alt hurts SEO and accessibility."""
    is_product = re.compile(settings.site.product_page_pattern).search
    pages = ["/", *(p.path for p in settings.site.key_pages if is_product(p.path))]
    limit_kb = settings.thresholds.image_max_kb
    problems, sizes = [], {}
    for page_path in pages:
        response = http.get(page_path)
        shown = path_of(response.url)  # where its redirects ended: the page judged
        for image in parse(response.text).images:
            url = same_origin_url(image.src, response.url, settings.site.origin)
            if url is None:
                continue
            if not (image.alt or "").strip():
                problems.append(f"{path_of(url)}: no alt text (on {shown})")
            if url not in sizes:
                sizes[url] = image_kb(http, url)
                if sizes[url] > limit_kb:
                    problems.append(f"{path_of(url)}: {sizes[url]:.0f} KB > {limit_kb:g} KB (on {shown})")
    measure(images_checked=len(sizes), largest_image_kb=max(sizes.values(), default=0))
    assert not problems, "; ".join(problems)


def image_kb(http, url: str) -> float:
    try:
        return len(http.get(url).content) / 1024
    except ResponseTooLarge:
        return http.max_body_bytes / 1024
