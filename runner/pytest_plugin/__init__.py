"""The project's pytest plugin: the check contract, outcomes, measurements, evidence, fixtures.

Loaded by its pytest11 entry point where the project is installed, by `-p runner.pytest_plugin`
in dija-monitor's runs and by the root conftest.py in a checkout: one registration, under this
module's name. Check modules import what they need from here:
`from runner.pytest_plugin import Degraded, configured`.
"""

from runner.pytest_plugin.contract import configured
from runner.pytest_plugin.outcomes import Degraded, no_problems

pytest_plugins = [
    "runner.pytest_plugin.lifeline",
    "runner.pytest_plugin.contract",
    "runner.pytest_plugin.outcomes",
    "runner.pytest_plugin.results",
    "runner.pytest_plugin.evidence",
    "runner.pytest_plugin.fixtures",
    "runner.pytest_plugin.gate",
]
BROWSER = "runner.pytest_plugin.browser"


def pytest_configure(config):
    """The browser fixtures override pytest-playwright's, so they must register after it: here, once
    every plugin named on the command line or by an entry point is in, whichever order those came in."""
    config.pluginmanager.import_plugin(BROWSER)


__all__ = ["Degraded", "configured", "no_problems"]
