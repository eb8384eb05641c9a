"""Fixtures of the security tests: a hostile target server, stopped after the module."""

import pytest

from tests.security.hostile import HostileServer


@pytest.fixture(scope="module")
def hostile():
    server = HostileServer().start()
    yield server
    server.stop()
