"""Loads the project's pytest plugin: the check contract, fixtures, outcomes and evidence."""

pytest_plugins = ["runner.pytest_plugin"]
