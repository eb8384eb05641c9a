"""Configured steps (runner/config/steps.py) done in the browser, each a timed step of a Journey.

A step that goes wrong fails naming itself and what happened: `payment step: HTTP 500 from /checkout`,
`login step: /login says 'Invalid email or password.' (HTTP 401)`.
"""

from __future__ import annotations

import re

from runner.clients.journey import Journey, StepFailed, require_ok
from runner.config.steps import Step


def run_steps(journey: Journey, steps: list[Step], values: dict[str, str]) -> None:
    """Do the steps in order; `values` gains what they read."""
    for step in steps:
        with journey.step(step.name):
            perform(journey, step, values)


def perform(journey: Journey, step: Step, values: dict[str, str]) -> None:
    """Do one step on the page: goto, fill, select, check, click, wait, error, expect, read."""
    step = step.expanded(values)
    if step.goto:
        journey.goto(step.goto)
    for selector, text in step.fill.items():
        journey.fill(selector, text)
    for selector, option in step.select.items():
        journey.visible(selector).select_option(option)  # matches an option's value or its label
    for selector in step.check:
        journey.visible(selector).check()
    if step.click:
        _click(journey, step)
    if step.wait_for_url:
        journey.wait_for_url(step.wait_for_url, or_shown=step.error)
    if step.wait_for:
        journey.visible(step.wait_for, or_shown=step.error)
    _fail_on_error(journey, step.error)
    _expect(journey, step)
    values.update({name: journey.text(selector) for name, selector in step.read.items()})
    if step.order_number_from_url:
        values["order_number"] = _from_url(journey, step.order_number_from_url)


def _click(journey: Journey, step: Step) -> None:
    if not step.navigates:
        journey.visible(step.click).click()
        return
    response = journey.click_to_page(step.click)
    _fail_on_error(journey, step.error, response)  # a refusal's own words before its status
    require_ok(response)


def _fail_on_error(journey: Journey, error: str | None, response=None) -> None:
    if error and journey.shows(error):
        status = f" (HTTP {response.status})" if response is not None and response.status >= 400 else ""
        raise StepFailed(f"{journey.location} says {journey.text(error)!r}{status}")


def _expect(journey: Journey, step: Step) -> None:
    problems = [f"{selector} is not shown" for selector in step.expect_visible if not journey.shows(selector)]
    problems += [f"{selector} is shown (expected hidden)" for selector in step.expect_hidden if journey.shows(selector)]
    if problems:
        raise StepFailed(f"{journey.location}: {'; '.join(problems)}")


def _from_url(journey: Journey, pattern: str) -> str:
    match = re.search(pattern, journey.location)
    if not match:
        raise StepFailed(f"no order number in {journey.location} (order_number_from_url {pattern!r})")
    return match.group(1)
