"""A hostile target cannot hang, crash or fool the monitor: every answer is bounded in size and in
total time, and ends as a failure naming the limit, both in the HTTP client and in a real check run."""

import resource
import time

import pytest
import requests

from runner.clients.http import DeadlineExceeded, HttpClient, ResponseTooLarge, describe_error, undecodable
from runner.errors import MonitorError
from tests.checks.conftest import CheckRunner, assert_outcome
from tests.conftest import write_config
from tests.security.hostile import gzip_bomb

TIMEOUT = 1  # site.timeout_seconds: each read's limit and each request's total deadline
SLACK = 1.5  # what a bounded request may take past its deadline on a loaded 2-core machine
SIZE_LIMIT = "exceeds the 5120 KiB read limit"
TIME_LIMIT = "within 1 s (site.timeout_seconds)"
HOSTILE = {  # path -> what the check's message says about it
    "/huge": "body of 6144 KiB (Content-Length) " + SIZE_LIMIT,
    "/endless": "body " + SIZE_LIMIT,
    "/gzip-bomb": "body " + SIZE_LIMIT,
    "/redirect-bomb": "body " + SIZE_LIMIT,
    "/loop": "more than 10 redirects",
    "/slowloris": "no complete answer " + TIME_LIMIT,
    "/slow-headers": "no complete answer " + TIME_LIMIT,
    "/stall": "(site.timeout_seconds)",  # the read timeout or the deadline, whichever ends it first
}
KEY_PAGES = "checks/test_availability.py::test_key_pages_answer"


@pytest.fixture(scope="module")
def client(hostile, tmp_path_factory):
    settings = write_config(
        tmp_path_factory.mktemp("hostile"), site=f"timeout_seconds = {TIMEOUT}", base_url=hostile.url
    )
    client = HttpClient(settings)
    yield client
    client.close()


@pytest.mark.parametrize("path", sorted(HOSTILE))
def test_a_hostile_answer_ends_quickly_in_a_request_error_naming_the_limit(client, path):
    started = time.monotonic()
    with pytest.raises(requests.RequestException) as caught:
        client.get(path)
    assert time.monotonic() - started < TIMEOUT + SLACK
    assert HOSTILE[path] in describe_error(caught.value)


def test_a_body_over_the_limit_is_a_monitor_error_naming_its_url(client):
    with pytest.raises(ResponseTooLarge) as caught:
        client.get("/huge")
    assert isinstance(caught.value, MonitorError) and caught.value.request.url == client.url("/huge")


def test_a_gzip_bomb_is_not_inflated_in_memory(client):
    gzip_bomb()  # built before measuring: ~1 MB that inflates to 1 GiB
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(ResponseTooLarge):
        client.get("/gzip-bomb")
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mib < 64, f"peak memory grew by {grown_mib:.0f} MiB"


def test_past_the_deadline_the_client_stays_usable_and_a_slow_answer_within_it_is_read_whole(client):
    with pytest.raises(DeadlineExceeded) as caught:
        client.get("/slowloris")
    assert isinstance(caught.value, MonitorError) and caught.value.request.url == client.url("/slowloris")
    assert client.get("/slow-ok").content == b"xxxxx"
    assert "Dija Accessories" in client.get("/").text


def test_invalid_utf8_is_named_by_its_first_bad_byte(client):
    response = client.get("/bad-utf8")
    assert response.status_code == 200
    assert undecodable(response) == "body is not valid utf-8 (byte 0xff at offset 62)"
    assert undecodable(client.get("/")) is None


def test_key_pages_check_fails_naming_each_hostile_page_and_still_checks_the_healthy_one(hostile, tmp_path):
    pages = ", ".join(f'{{ path = "{path}", keyword = "Dija Accessories" }}' for path in ["/", "/bad-utf8", *HOSTILE])
    settings = write_config(tmp_path, site=f"timeout_seconds = {TIMEOUT}\nkey_pages = [{pages}]", base_url=hostile.url)
    started = time.monotonic()
    record = CheckRunner(settings.source, tmp_path).one(KEY_PAGES)
    assert time.monotonic() - started < 30
    assert_outcome(record, "fail", "/bad-utf8: body is not valid utf-8 (byte 0xff at offset 62)")
    problems = dict(problem.split(": ", 1) for problem in record["message"].split("; "))
    assert sorted(problems) == sorted(["/bad-utf8", *HOSTILE]), record["message"]  # "/" passed
    for path, expected in HOSTILE.items():
        assert expected in problems[path], (path, problems[path])
    assert record["measurements"]["response_seconds[/]"] < TIMEOUT
