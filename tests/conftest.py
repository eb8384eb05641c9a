"""Shared fixtures: one demo stack per test session, fault switches undone in teardown, a fake
webhook; for the runner's tests a fake clock for `schedule`, config files and tiny checks."""

from __future__ import annotations

import datetime as datetime_module
import types
from datetime import datetime, timedelta

import pytest
import schedule

from demoshop.stack import temporary_stack
from runner import config
from tests.fakes import Receiver


@pytest.fixture(scope="session")
def default_demo():
    """The running demo stack, in a fresh world-traversable temp dir (not tmp_path: Dovecot needs o+x)."""
    with temporary_stack() as stack:
        yield stack


@pytest.fixture(scope="session")
def demo(default_demo):
    """The demo stack the runner's tests use (tests/checks runs the fault matrix on both shapes)."""
    return default_demo


@pytest.fixture(scope="session")
def alt_demo():
    """The demo shop's second shape (`python -m demoshop up --variant alt`): other schema, URLs, pages
    and file layouts; one per test session, like `demo`."""
    with temporary_stack(variant="alt") as stack:
        yield stack


def _switches(stack):
    """`switch_on(name)` for the stack's faults; each is switched off after the test, pass or fail."""
    switched: list[str] = []

    def switch_on(name: str) -> None:
        stack.fault(name, True)
        switched.append(name)

    yield switch_on
    for name in reversed(switched):
        stack.fault(name, False)


@pytest.fixture
def fault(demo):
    """`fault(name)` switches a demo fault on; it is switched off after the test, pass or fail."""
    yield from _switches(demo)


@pytest.fixture
def alt_fault(alt_demo):
    """`alt_fault(name)`: as `fault`, on the alt shape's stack."""
    yield from _switches(alt_demo)


@pytest.fixture
def receiver():
    """A local HTTP server recording what the monitor sends to a webhook or Alertmanager."""
    server = Receiver()
    server.thread.start()
    yield server
    server.stop()


class FakeClock:
    """Naive local time that moves only when told; `time()` is its epoch for the runner's own code."""

    def __init__(self, start: datetime):
        self.now = start

    def time(self) -> float:
        return self.now.timestamp()

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """Drives `schedule` (which calls datetime.datetime.now) and the daemon from one fake time.
    Starts on Saturday 2024-06-01 00:30 local time."""
    fake = FakeClock(datetime(2024, 6, 1, 0, 30))

    class FakeDatetime(datetime):
        @classmethod
        def now(cls, tz=None):
            return fake.now if tz is None else fake.now.astimezone(tz)

    shim = types.SimpleNamespace(
        **{n: getattr(datetime_module, n) for n in dir(datetime_module) if not n.startswith("__")}
    )
    shim.datetime = FakeDatetime
    monkeypatch.setattr(schedule, "datetime", shim)
    return fake


def write_config(folder, extra: str = "", base_url: str = "https://shop.invalid", site: str = "") -> config.Settings:
    path = folder / "monitor.toml"
    path.write_text(f'[site]\nbase_url = "{base_url}"\n{site}\n{extra}')
    return config.load(path, environ={})


@pytest.fixture
def make_settings(tmp_path):
    """make_settings('[schedule]\\ncritical_every_seconds = 10') → Settings with reports in tmp_path;
    `runner=`, `site=`: more keys of those sections; `base_url=`: the shop's."""

    def make(extra: str = "", runner: str = "", **kwargs) -> config.Settings:
        return write_config(tmp_path, f'[runner]\nreports_dir = "reports"\n{runner}\n{extra}', **kwargs)

    return make


CHECK_HEADER = """
import os, subprocess, sys, time
import pytest
from runner.pytest_plugin import Degraded


def check(cadence="critical", smoke=True):
    def apply(fn):
        for mark in (pytest.mark.cadence(cadence), pytest.mark.area("availability"), pytest.mark.severity("critical")):
            fn = mark(fn)
        return pytest.mark.smoke(fn) if smoke else fn
    return apply
"""


@pytest.fixture
def checks_settings(tmp_path):
    """checks_settings(body, runner=..., extra=...): Settings whose runner.checks_dir holds the
    checks in `body` (the helper `check(cadence, smoke)` applies the required markers)."""

    def make(body: str, runner: str = "", extra: str = "", environ: dict | None = None) -> config.Settings:
        folder = tmp_path / "checks"
        folder.mkdir(exist_ok=True)
        (folder / "test_synthetic.py").write_text(CHECK_HEADER + body)
        (folder / "conftest.py").write_text('pytest_plugins = ["runner.pytest_plugin"]\n')
        path = tmp_path / "monitor.toml"
        path.write_text(
            f'[site]\nbase_url = "https://shop.invalid"\n'
            f'[runner]\nreports_dir = "reports"\nchecks_dir = "checks"\n{runner}\n{extra}'
        )
        return config.load(path, environ=environ or {})

    return make
