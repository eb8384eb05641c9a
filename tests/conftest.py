"""Shared fixtures: one demo stack per test session, and fault switches undone in teardown."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from demoshop.stack import Stack
from tests.fakes import Receiver


@pytest.fixture(scope="session")
def demo():
    """The running demo stack, in a fresh world-traversable temp dir (not tmp_path: Dovecot needs o+x)."""
    run_dir = Path(tempfile.mkdtemp(prefix="dija-demo-"))
    os.chmod(run_dir, 0o755)
    stack = Stack.up(run_dir)
    try:
        yield stack
    finally:
        stack.down()
        shutil.rmtree(run_dir, ignore_errors=True)


@pytest.fixture
def fault(demo):
    """`fault(name)` switches a demo fault on; it is switched off after the test, pass or fail."""
    switched: list[str] = []

    def switch_on(name: str) -> None:
        demo.fault(name, True)
        switched.append(name)

    yield switch_on
    for name in reversed(switched):
        demo.fault(name, False)


@pytest.fixture
def receiver():
    """A local HTTP server recording what the monitor sends to a webhook or Alertmanager."""
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
