"""Helpers of the reliability tests: a server that accepts connections and never answers, the
daemon on its critical cadence every 10 s of an injected clock."""

import socket
import threading

import pytest

EVERY_10S = '[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 10\n'
SITE_DOWN = '''
@check()
def test_site_is_down():
    """The site answers."""
    assert False, "/: connection refused"
'''
NOTICE = "[MONITOR CANNOT WRITE ITS REPORTS] shop.invalid: monitor cannot write its reports"


def alerting(checks_settings, receiver, failure_threshold=2, extra=""):
    """Settings with the SITE_DOWN check and the receiver as a webhook channel at /hook."""
    hook = f"json://127.0.0.1:{receiver.server.server_address[1]}/hook"
    return checks_settings(
        SITE_DOWN,
        extra=f"{extra}[alerts]\nfailure_threshold = {failure_threshold}\n"
        f'[[alerts.channels]]\nname = "hook"\nurl = "{hook}"\n',
    )


def next_slot(daemon, clock) -> None:
    """The clock reaches the critical cadence's next slot; the run it starts is waited for."""
    clock.advance(seconds=10)
    daemon.tick()
    daemon.join()


@pytest.fixture
def silent_port():
    """A port on 127.0.0.1 whose server accepts every connection and never sends a byte (a hung
    target). The connections and the listener are closed after the test."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    accepted: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, name="silent-server", daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stopping.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()
