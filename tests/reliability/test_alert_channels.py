"""An alert channel that refuses connections or answers too slowly does not hold up the run past
alerts.delivery_timeout_seconds; the attempt is recorded with its error, the outbox has the alert,
and the next run delivers it. (A channel answering 503: tests/alerts/test_delivery.py.)"""

import json
import time

import pytest

from demoshop.procs import free_port
from runner.execute import RunResult, Selection
from runner.pipeline import after_run, open_store
from tests.fakes import Receiver

TIMEOUT = 0.5
FAILING = {
    "id": "checks/test_availability.py::test_key_pages_answer",
    "name": "test_key_pages_answer",
    "area": "availability",
    "cadence": "critical",
    "severity": "critical",
    "runbook": "site-down",
    "summary": "Key pages answer 200.",
    "outcome": "fail",
    "message": "/: connection refused",
}


def alerting_settings(make_settings, port):
    return make_settings(
        f"[alerts]\nfailure_threshold = 1\ndelivery_timeout_seconds = {TIMEOUT}\n"
        f'[[alerts.channels]]\nname = "webhook"\nurl = "json://127.0.0.1:{port}/hook"\n'
        f'[[alerts.channels]]\nname = "alertmanager"\ntype = "alertmanager"\n'
        f'url = "http://127.0.0.1:{port}"\n'
    )


def a_failing_run(settings, number):
    run_dir = settings.reports_dir() / "runs" / f"run{number}-critical"
    run_dir.mkdir(parents=True)
    return RunResult(run_dir, Selection("critical"), 1, [dict(FAILING)])


def attempts(settings):
    with open_store(settings.reports_dir()) as store:
        return [(n["channel"], bool(n["ok"]), n["error"]) for n in store.notifications()]


def outbox(settings):
    path = settings.reports_dir() / "alerts" / "outbox.jsonl"
    return [json.loads(line)["kind"] for line in path.read_text().splitlines()]


@pytest.fixture
def channel_back():
    """Starts the fake channel on a given port ("it is back up"); stopped after the test."""
    started = []

    def start(port):
        started.append(Receiver(port))
        started[-1].thread.start()
        return started[-1]

    yield start
    for server in started:
        server.stop()


@pytest.mark.parametrize("failure", ["connection refused", "slow answer"])
def test_a_dead_or_slow_channel_costs_at_most_its_timeout_and_the_next_run_delivers(
    make_settings, receiver, channel_back, failure
):
    if failure == "slow answer":
        port, receiver.delay = receiver.server.server_address[1], 30
    else:
        port = free_port()  # nothing listens there
    settings = alerting_settings(make_settings, port)
    started = time.monotonic()
    assert after_run(settings, a_failing_run(settings, 1), settings.reports_dir()) == []
    assert time.monotonic() - started < 2 * TIMEOUT + 2  # two channels, each cut at the timeout
    failed = attempts(settings)
    assert [(channel, ok) for channel, ok, _ in failed] == [
        ("outbox", True),
        ("webhook", False),
        ("alertmanager", False),
    ]
    assert all(error for _, ok, error in failed if not ok), failed
    if failure == "slow answer":
        assert failed[2][2] == f"http://127.0.0.1: no answer within {TIMEOUT:g} s (alerts.delivery_timeout_seconds)"
    assert outbox(settings) == ["incident"]

    back = receiver if failure == "slow answer" else channel_back(port)
    back.delay = 0
    assert after_run(settings, a_failing_run(settings, 2), settings.reports_dir()) == []
    assert attempts(settings)[3:] == [("webhook", True, ""), ("alertmanager", True, "")]
    assert len(back.on("/hook")) == 1 and len(back.on("/api/v2/alerts")) == 1
    assert outbox(settings) == ["incident"]  # the outbox had it already: not repeated
