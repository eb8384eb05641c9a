"""Loads the project's pytest plugin in a checkout that was never installed (installed, its pytest11
entry point has registered it under the same name already, and this line does nothing)."""

pytest_plugins = ["runner.pytest_plugin"]
