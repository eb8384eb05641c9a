"""How much of a browser check is browser start: Playwright driver, Chromium launch, fresh context.

    python bench/browser_start.py [--rounds 5]

Prints the median of each phase over the rounds; compare with a check's duration
(the checkout check: ~5 s on the demo).
"""

from __future__ import annotations

import argparse
import time

from _common import check_nothing_left, figure, machine, spread
from playwright.sync_api import sync_playwright

from runner.pytest_plugin.browser import chromium_path


def one_round() -> dict[str, float]:
    figures = {}
    started = time.perf_counter()
    with sync_playwright() as playwright:
        figures["driver_start"] = time.perf_counter() - started
        mark = time.perf_counter()
        browser = playwright.chromium.launch(executable_path=chromium_path())
        figures["browser_launch"] = time.perf_counter() - mark
        mark = time.perf_counter()
        context = browser.new_context()
        context.new_page()
        figures["context_and_page"] = time.perf_counter() - mark
        mark = time.perf_counter()
        browser.close()
        figures["browser_close"] = time.perf_counter() - mark
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="browser starts (default 5)")
    args = parser.parse_args()
    print(f"browser start, Debian's Chromium through Playwright; {machine()}")
    results = [one_round() for _ in range(args.rounds)]
    for phase in results[0]:
        figure(phase, spread([r[phase] for r in results], digits=3))
    check_nothing_left()


if __name__ == "__main__":
    main()
