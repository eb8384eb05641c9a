"""How much of a browser check is browser start: Playwright driver, Chromium launch, fresh context.

    python bench/browser_start.py [ROUNDS]

Prints the median of each phase over ROUNDS (default 5); compare with a check's duration
(the checkout check: ~5 s on the demo).
"""
from __future__ import annotations

import statistics
import sys
import time

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
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    results = [one_round() for _ in range(rounds)]
    for phase in results[0]:
        print(f"{phase:<18} median {statistics.median(r[phase] for r in results):.3f} s "
              f"(min {min(r[phase] for r in results):.3f}, max {max(r[phase] for r in results):.3f})")


if __name__ == "__main__":
    main()
