"""A 30-day history of 60 checks (hourly runs), shared by the dashboard and status page tests."""

import pytest

from runner import config
from runner.store import Store
from tests.dashboard.history import CHECKS, MORE_CHECKS, generate

NOW = 1_700_000_000.0
PUBLIC_CHECKOUT_MESSAGE = "Some customers cannot pay at checkout. We are on it."
CONFIG = f"""[site]
base_url = "https://shop.example"
[runner]
reports_dir = "reports"
[status_page]
title = "Dija Accessories status"
public_messages = {{ test_checkout_end_to_end = "{PUBLIC_CHECKOUT_MESSAGE}" }}
"""


def overflowing(page) -> list[str]:
    """Elements whose right edge is past the viewport's width or their parent's (what a person would scroll to
    or see spill out of its box)."""
    return page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => {
            const right = e.getBoundingClientRect().right, parent = e.parentElement.getBoundingClientRect().right;
            return right > window.innerWidth + 0.5 || (e.parentElement !== document.body && right > parent + 0.5);
        }).map(e => e.tagName + '.' + e.className)""")


def load_settings(folder, extra: str = ""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "monitor.toml").write_text(CONFIG + extra)
    return config.load(folder / "monitor.toml", environ={})


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """(settings, store) over 60 checks × 30 days; each run names a folder, the newest one holds a report."""
    settings = load_settings(tmp_path_factory.mktemp("big"))
    runs = settings.reports_dir() / "runs"
    with Store(settings.reports_dir() / "history.sqlite3") as store:
        generate(store, NOW, days=30, every=3600, checks=CHECKS + MORE_CHECKS, copies=5, run_dirs=runs)
        newest = store.runs(1)[0]["run_dir"]
        (runs / newest.rsplit("/", 1)[-1]).mkdir(parents=True)
        (runs / newest.rsplit("/", 1)[-1] / "report.html").write_text("<h1>run report</h1>")
        yield settings, store
