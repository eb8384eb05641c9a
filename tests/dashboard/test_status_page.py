"""The public status page over 60 checks and 30 days: what a customer sees, and nothing internal."""

import json

import pytest

from runner.statuspage import write_status_page
from runner.store import Store
from tests.cli import dija
from tests.dashboard.conftest import NOW, PUBLIC_CHECKOUT_MESSAGE, load_settings, overflowing
from tests.dashboard.history import CHECKS, FAILURE_MESSAGE, MORE_CHECKS

PUBLIC_AREAS = ["Website", "Website speed", "Shopping and checkout", "Payments", "Order emails"]


@pytest.fixture(scope="module")
def published(big, tmp_path_factory):
    settings, store = big
    out = tmp_path_factory.mktemp("public")
    write_status_page(store, settings, out, NOW)
    return out


def test_the_status_page_shows_each_area_with_a_90_day_strip_and_the_incidents(browser, published, tmp_path):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto((published / "status.html").as_uri())
        assert page.title() == "Dija Accessories status"
        overall = page.locator("#overall")
        assert overall.inner_text() == "Some systems are down" and overall.get_attribute("data-status") == "down"
        assert page.locator(".area-name").all_inner_texts() == PUBLIC_AREAS
        states = [s.get_attribute("data-status") for s in page.locator("section.area").all()]
        assert states == ["up", "up", "down", "up", "up"]
        for strip in page.locator(".days").all():
            assert strip.locator("i").count() == 90
        checkout = page.locator("section.area", has_text="Shopping and checkout").locator(".days i")
        colours = checkout.evaluate_all("days => days.map(d => getComputedStyle(d).backgroundColor)")
        assert colours[:59] == ["rgb(224, 224, 224)"] * 59  # no data before the history began
        assert colours[-1] == "rgb(229, 57, 53)" and colours[-2] == "rgb(67, 160, 71)"
        assert checkout.last.get_attribute("title") == "2023-11-14: 75.00 % up"
        current = page.locator("#current-incidents").inner_text()
        assert "Shopping and checkout" in current and PUBLIC_CHECKOUT_MESSAGE in current
        past = page.locator("#past-incidents").inner_text()
        assert "Order emails" in past and "Order confirmation e-mails are delayed" in past and "resolved" in past
        assert overflowing(page) == []
        page.set_viewport_size({"width": 390, "height": 800})  # a customer's phone
        assert overflowing(page) == []
        page.screenshot(path=str(tmp_path / "status.png"), full_page=True)
    finally:
        page.close()


def test_status_json_and_badges_say_the_same(published):
    data = json.loads((published / "status.json").read_text())
    assert data["status"] == "down" and [a["name"] for a in data["areas"]] == PUBLIC_AREAS
    assert [len(a["days"]) for a in data["areas"]] == [90] * 5
    # five failing checkout checks: one incident; the check named in public_messages says its own words,
    # the copies (test_checkout_end_to_end_1, ...) the area's default
    assert data["current"] == [
        {
            "area": "Shopping and checkout",
            "from": "2023-11-14T16:13Z",
            "to": None,
            "message": f"{PUBLIC_CHECKOUT_MESSAGE} Some customers cannot complete an order. We are working on it.",
        }
    ]
    assert data["past"][0]["area"] == "Order emails" and data["past"][0]["to"]
    badges = sorted(p.name for p in (published / "badges").iterdir())
    assert badges == [
        "order-emails.svg",
        "overall.svg",
        "payments.svg",
        "shopping-and-checkout.svg",
        "website-speed.svg",
        "website.svg",
    ]
    assert "Shopping and checkout: down" in (published / "badges" / "shopping-and-checkout.svg").read_text()
    assert "#c62828" in (published / "badges" / "overall.svg").read_text()


def test_no_check_name_message_path_host_or_measurement_reaches_the_public_files(big, published):
    _, store = big
    public = "\n".join(p.read_text() for p in published.rglob("*") if p.is_file())
    internal = {row[0] for row in store.db.execute("SELECT check_id FROM checks")}
    internal |= {row[0] for row in store.db.execute("SELECT name FROM checks")}
    internal |= {row[0] for row in store.db.execute("SELECT DISTINCT message FROM results WHERE message != ''")}
    internal |= {row[0] for row in store.db.execute("SELECT DISTINCT name FROM measurements")}
    internal |= {name for _, name, _ in CHECKS + MORE_CHECKS}
    internal |= {
        "test_",
        "checks/",
        "/var/www",
        "checkout.php",
        "db01.internal",
        "shop.example",
        "HTTP 500",
        "load_seconds",
        "summary",
        "hourly",
        "critical",
    }
    assert FAILURE_MESSAGE in internal and len(internal) > 130
    leaked = sorted(text for text in internal if text in public)
    assert leaked == []


def test_status_page_command_writes_the_files_for_publishing(tmp_path):
    settings = load_settings(tmp_path / "site")
    out = tmp_path / "public"
    missing = dija("status-page", "--config", str(settings.source), "--out", str(out))
    assert missing.returncode == 3 and "no history yet" in missing.stderr and not out.exists()
    with Store(settings.reports_dir() / "history.sqlite3") as store:
        store.record_run(
            "critical",
            [
                {
                    "id": "checks/test_availability.py::test_key_pages_answer",
                    "name": "test_key_pages_answer",
                    "area": "availability",
                    "severity": "critical",
                    "outcome": "fail",
                    "message": "/ answered 500",
                }
            ],
            status="failed",
            exit_code=1,
        )
    done = dija("status-page", "--config", str(settings.source), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(out / "status.html")
    assert json.loads((out / "status.json").read_text())["areas"][0] | {"days": []} == {
        "name": "Website",
        "status": "down",
        "days": [],
        "uptime": 0.0,
    }
    assert "answered 500" not in (out / "status.html").read_text()
    assert (out / "badges" / "website.svg").exists()


def test_a_public_message_is_chosen_by_function_name_then_area_then_a_neutral_sentence(big):
    page = big[0].status_page
    assert page.message("test_checkout_end_to_end[chromium]", "checkout") == PUBLIC_CHECKOUT_MESSAGE
    assert (
        page.message("test_login_works", "checkout") == "Some customers cannot complete an order. We are working on it."
    )
    assert page.message("test_x", "availability").startswith("The shop may not load")
    assert page.message("test_x", "tls") == "A part of the shop: some customers may be affected. We are working on it."
