"""The dashboard over 60 checks and 30 days, looked at in a real browser (Debian's Chromium)."""

import pytest

from runner.dashboard import render, write_dashboard
from runner.maintenance import META_KEY, manual_window
from runner.store import Store
from tests.dashboard.conftest import NOW, overflowing

RED, GREEN = "rgb(198, 40, 40)", "rgb(46, 125, 50)"
LAPTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def dashboard(big):
    settings, store = big
    store.set_meta("scheduler", {"pid": 4242, "last_loop": NOW - 120})
    return write_dashboard(store, settings, NOW)


@pytest.fixture
def page(browser, dashboard):
    page = browser.new_page(viewport=LAPTOP)
    page.goto(dashboard.as_uri())
    yield page
    page.close()


def test_open_incidents_come_first_then_one_line_per_check_grouped_by_area(page):
    assert page.title() == "dija-monitor: shop.example"
    assert "Scheduler running: last loop 2 min ago (pid 4242)" in page.locator("#scheduler").inner_text()
    incidents = page.locator("#open-incidents")
    assert incidents.locator("tr", has_text="test_checkout_end_to_end").count() == 5
    assert (
        incidents.bounding_box()["y"]
        < page.locator("#slos").bounding_box()["y"]
        < page.locator("#overview").bounding_box()["y"]
    )
    assert page.locator("details.check").count() == 60
    assert page.locator("section.area").count() == 12
    checkout = page.locator("#area-checkout details.check").first
    assert checkout.get_attribute("data-outcome") == "fail"
    assert checkout.locator(".uptime").inner_text() == "75.0 / 96.4 / 99.2 %"
    assert page.locator("#area-availability details.check").first.locator(".uptime").inner_text() == "100 / 100 / 100 %"


def test_each_line_has_a_strip_of_its_last_50_results_coloured_by_outcome(page):
    checkout = page.locator("#area-checkout details.check").first.locator(".strip i")
    assert checkout.count() == 50
    colours = checkout.evaluate_all("cells => cells.map(c => getComputedStyle(c).backgroundColor)")
    assert colours[:44] == [GREEN] * 44 and colours[44:] == [RED] * 6
    assert all(c.bounding_box()["width"] >= 3 and c.bounding_box()["height"] >= 10 for c in checkout.all()[-2:])
    last = checkout.last.get_attribute("title")
    assert last.startswith("2023-11-14 21:13 UTC · fail: step payment: POST") and "HTTP 500" in last
    skipped = page.locator("#area-backups details.check").first.locator(".strip i")
    assert skipped.evaluate_all("cells => cells.map(c => c.className)")[-2:] in (
        ["pass", "skipped"],
        ["skipped", "pass"],
    )


def test_a_click_on_a_result_opens_its_runs_report(page):
    page.locator("#area-checkout details.check").first.locator(".strip i").last.click()
    page.wait_for_url("**/report.html")
    assert page.locator("h1").inner_text() == "run report"


def test_sixty_checks_fit_a_laptop_screen_and_nothing_overflows_its_width(page):
    assert page.locator("#overview").bounding_box()["height"] <= LAPTOP["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    assert overflowing(page) == []
    page.set_viewport_size({"width": 1024, "height": 768})  # one column, still no sideways scrolling
    assert overflowing(page) == []


def test_charts_open_on_demand_with_axes_thresholds_and_failures(page, tmp_path):
    load = page.locator("#area-performance details.check").first
    assert not load.locator("svg.chart").is_visible()
    load.locator(".name").click()
    chart = load.locator("figure", has_text="load_seconds").locator("svg.chart")
    assert chart.is_visible() and chart.bounding_box()["width"] > 250
    assert len(chart.locator("text.xlabel").all_text_contents()) >= 4  # a date every week
    assert all(t.startswith("Oct") or t.startswith("Nov") for t in chart.locator("text.xlabel").all_text_contents())
    assert len(chart.locator("text.ylabel").all_text_contents()) == 3
    assert chart.locator("line.warn title").text_content() == "warn at 2"
    assert chart.locator("line.fail title").text_content() == "fail at 3"
    assert load.locator("figcaption").all_inner_texts() == ["load_seconds"]  # not the check's own duration
    checkout = page.locator("#area-checkout details.check").first
    checkout.locator(".name").click()
    assert checkout.locator("svg.chart").count() == 3
    assert checkout.locator("svg.chart").first.locator("path.failed").count() >= 1
    content = page.locator("#area-content details.check").first
    content.locator(".name").click()
    assert "No measurement worth a chart" in content.inner_text()  # pages_checked is bookkeeping
    assert overflowing(page) == []
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    assert (tmp_path / "dashboard.png").stat().st_size > 20_000


def test_the_objectives_show_attainment_and_error_budget(page):
    cards = page.locator(".slo")
    assert cards.count() == 4
    availability = page.locator('[data-slo="key_pages_availability"]')
    assert "100.00 %" in availability.inner_text() and "target 99.9 %" in availability.inner_text()
    assert availability.locator(".budget-left").inner_text() == "100 %"
    email = page.locator('[data-slo="email_delivery"]')
    assert "99.31 %" in email.inner_text() and email.locator(".budget-left").inner_text() == "31 %"


def test_charts_hold_at_most_180_points(big):
    settings, store = big
    html = render(store, settings, NOW)
    counts = [len(points.split()) for points in html.split('points="')[1:] for points in [points.split('"')[0]]]
    assert counts and max(counts) <= 180
    assert "http" not in html.split("<body>")[0].replace("http-equiv", "")  # no CDN: nothing loaded from outside


def test_without_a_scheduler_heartbeat_the_dashboard_says_so_and_shows_maintenance(tmp_path, big):
    settings, _ = big
    with Store(tmp_path / "h.sqlite3") as store:
        store.set_meta(META_KEY, manual_window(NOW - 60, 1800, "deploy"))
        html = render(store, settings, NOW)
    assert "scheduler not running" in html
    assert "Maintenance window (manual: deploy)" in html


def test_an_empty_history_renders(tmp_path, big):
    settings, _ = big
    with Store(tmp_path / "empty.sqlite3") as store:
        html = render(store, settings, NOW)
    assert "No open incidents." in html and "scheduler not running" in html and "no data" in html
