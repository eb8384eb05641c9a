"""Under dija-monitor, pytest and its xdist workers die with their parent (runner.lifeline)."""

import pytest

from runner.lifeline import die_with_parent


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    die_with_parent()
