"""The checkout check against a minimal Playwright script doing the same browser steps on the demo.

    python bench/checkout_script.py [--rounds 3]

The script: browse, add to cart, pay with the test card, read the order number, then sign in and
cancel the order, in plain Playwright calls with the demo's selectors (no journey, no tracing, images
loaded). The check does the same and more: it checks the order in the database and waits for the
confirmation email. Both run in a browser already started; the check's figure is its own duration
(`results.json`), run alone, so its clean-up signs in itself as the script does. Alternated rounds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tomllib

from _common import check_nothing_left, figure, machine, spread, timed
from playwright.sync_api import sync_playwright

from demoshop.stack import temporary_stack
from runner.pytest_plugin.browser import chromium_path

CHECK = "checks/test_checkout.py::test_checkout_records_and_confirms_the_order"


def script_round(browser, stack, email: str, password: str) -> float:
    """Seconds for the bare steps in a fresh context (the check gets a fresh one too)."""
    started = time.perf_counter()
    context = browser.new_context(base_url=stack.base_url, ignore_https_errors=True)
    page = context.new_page()
    page.goto("/")
    page.click('a[href$="/category/earrings"]')
    page.click('a[href$="/product/gold-hoops"]')
    page.click("#add-to-cart-button")
    page.click("#checkout-link")
    page.fill("#name", "Synthetic Monitor")
    page.fill("#email", email)
    page.fill("#card_number", "4242424242424242")
    page.click("#pay-button")
    number = page.locator("#order-number").inner_text().strip()
    tab = context.new_page()
    tab.goto("/login")
    tab.fill("#login-email", email)
    tab.fill("#login-password", password)
    tab.click("#login-button")
    tab.locator("#account-name").wait_for()
    tab.click(f'a:text-is("{number}")')
    tab.click("#cancel-order-button")
    tab.wait_for_load_state()
    context.close()
    return time.perf_counter() - started


def check_round(stack, folder) -> float:
    results = folder / "results.json"
    _, done = timed(
        [
            sys.executable,
            "-m",
            "pytest",
            CHECK,
            "--config",
            str(stack.config_path),
            "-q",
            "-p",
            "no:cacheprovider",
            "--results-json",
            str(results),
        ]
    )
    record = json.loads(results.read_text())["checks"][0]
    if record["outcome"] != "pass":
        raise SystemExit(f"the checkout check did not pass: {record.get('message')}\n{done.stdout[-2000:]}")
    return record["duration"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each (default 3)")
    args = parser.parse_args()
    print(f"checkout check vs a minimal Playwright script, same steps, demo stack; {machine()}")
    checks, scripts = [], []
    with temporary_stack() as stack, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path())
        email = tomllib.loads(stack.config_path.read_text())["checkout"]["customer_email"]
        password = stack.secrets["DIJA_CHECKOUT_PASSWORD"]
        script_round(browser, stack, email, password)  # warm the shop (first page loads compile templates)
        for number in range(args.rounds):
            folder = stack.run_dir / f"bench-checkout-{number}"
            folder.mkdir()
            checks.append(check_round(stack, folder))
            scripts.append(script_round(browser, stack, email, password))
        browser.close()
    figure("checkout check (its own duration)", spread(checks))
    figure("minimal Playwright script, same browser steps", spread(scripts))
    ratios = [c / s for c, s in zip(checks, scripts)]
    figure("ratio check / script, per round", spread(ratios, unit="x"))
    figure(
        "  median difference",
        f"{statistics.median(checks) - statistics.median(scripts):.2f} s "
        "(the database step, the email wait, the journey's waits and the trace)",
    )
    check_nothing_left()


if __name__ == "__main__":
    main()
