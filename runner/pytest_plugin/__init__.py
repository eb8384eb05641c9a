"""The project's pytest plugin: the check contract, outcomes, measurements, evidence, fixtures.

Loaded by the root conftest.py. Check modules import what they need from here:
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
    "runner.pytest_plugin.browser",
    "runner.pytest_plugin.gate",
]

__all__ = ["Degraded", "configured", "no_problems"]
