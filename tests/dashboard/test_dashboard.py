"""The dashboard built from a generated history, looked at in a real browser (Debian's Chromium)."""

import pytest

from runner import config
from runner.alerts.maintenance import META_KEY, manual_window
from runner.dashboard import render, write_dashboard
from runner.store import Store
from tests.dashboard.history import generate

NOW = 1_700_000_000.0


@pytest.fixture
def settings(tmp_path):
    path = tmp_path / "monitor.toml"
    path.write_text('[site]\nbase_url = "https://shop.example"\n[runner]\nreports_dir = "reports"\n')
    return config.load(path, environ={})


@pytest.fixture
def history(tmp_path, settings):
    with Store(settings.reports_dir() / "history.sqlite3") as store:
        generate(store, NOW, days=30, every=3600)
        yield store


def test_the_dashboard_shows_status_uptime_charts_incidents_and_runs_in_a_browser(history, settings, browser,
                                                                                     tmp_path):
    run_dir = settings.reports_dir() / "runs" / "20231114T221000Z-hourly"
    run_dir.mkdir(parents=True)
    (run_dir / "report.html").write_text("<h1>run report</h1>")
    history.record_run("hourly", [], status="ok", exit_code=0, run_dir=str(run_dir), at=NOW - 60)
    history.set_meta("scheduler", {"pid": 4242, "last_loop": NOW - 120})
    path = write_dashboard(history, settings, NOW)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        page.goto(path.as_uri())
        assert page.title() == "dija-monitor: shop.example"
        assert "Scheduler running: last loop 2 min ago (pid 4242)" in page.locator("#scheduler").inner_text()
        assert "test_checkout_end_to_end" in page.locator("#open-incidents").inner_text()
        assert "test_mail_round_trip" in page.locator("#recent-incidents").inner_text()
        checkout = page.locator("tr.check", has_text="test_checkout_end_to_end")
        assert checkout.get_attribute("data-outcome") == "fail"
        assert checkout.locator(".pill.fail").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
        assert "75.00 %" in checkout.locator(".uptime").inner_text()
        assert checkout.locator("svg polyline").count() == 4  # duration + three checkout steps
        assert "payment_seconds" in checkout.inner_text()
        cert = page.locator("tr.check", has_text="test_certificate_not_expiring")
        assert cert.get_attribute("data-outcome") == "degraded" and "days_left" in cert.inner_text()
        assert page.locator("h2", has_text="availability").is_visible()
        page.locator("#runs a").first.click()
        assert page.locator("h1").inner_text() == "run report"
        page.go_back()
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    finally:
        page.close()
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def test_charts_are_downsampled_to_at_most_200_points(history, settings):
    html = render(history, settings, NOW)
    counts = [len(points.split()) for points in html.split('points="')[1:] for points in [points.split('"')[0]]]
    assert counts and max(counts) <= 200  # 180 buckets
    assert "http" not in html.split("<body>")[0].replace("http-equiv", "")  # no CDN: nothing loaded from outside


def test_without_a_scheduler_heartbeat_the_dashboard_says_so_and_shows_maintenance(history, settings):
    history.set_meta(META_KEY, manual_window(NOW - 60, 1800, "deploy"))
    html = render(history, settings, NOW)
    assert "scheduler not running" in html
    assert "Maintenance window (manual: deploy)" in html


def test_an_empty_history_renders(tmp_path, settings):
    with Store(tmp_path / "empty.sqlite3") as store:
        html = render(store, settings, NOW)
    assert "No open incidents." in html and "scheduler not running" in html
