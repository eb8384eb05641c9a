"""The daemon: no overlap, survives its jobs, records liveness, pings the heartbeat, --once."""

import http.server
import threading
from datetime import timedelta

import pytest

from runner.pipeline import open_store
from runner.schedule import LIVENESS_KEY, CadenceLock, Daemon

EVERY_10S = '[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 10\n'


def runs(settings, label="critical"):
    with open_store(settings.reports_dir()) as store:
        return [(r["status"], r["message"]) for r in reversed(store.runs()) if r["label"] == label]


def step(daemon, clock, seconds=10):
    clock.advance(seconds=seconds)
    daemon.tick()


def test_a_cadence_never_overlaps_itself_and_the_skip_is_recorded(clock, make_settings):
    settings = make_settings(EVERY_10S)
    release, started = threading.Event(), []
    daemon = Daemon(settings, run=lambda c: started.append(c) or release.wait(60) and 0, clock=clock.time)
    step(daemon, clock)
    step(daemon, clock)  # the first run still goes
    release.set()
    daemon.join()
    step(daemon, clock)
    daemon.join()
    assert len(started) == 2
    assert runs(settings) == [("skipped", "skipped: the previous critical run is still going")]


def test_a_long_run_of_one_cadence_does_not_hold_up_another(clock, make_settings):
    settings = make_settings(
        '[schedule]\ncadences = ["critical", "hourly"]\ncritical_every_seconds = 10\nhourly_every_seconds = 10'
    )
    release, started = threading.Event(), []
    daemon = Daemon(
        settings, run=lambda c: started.append(c) or (c == "hourly" and release.wait(60)) or 0, clock=clock.time
    )
    for _ in range(3):
        step(daemon, clock)
        while daemon.running() and daemon.running() != ["hourly"]:
            daemon.workers["critical"].join()
    release.set()
    daemon.join()
    assert started.count("critical") == 3 and started.count("hourly") == 1


def test_a_job_exception_is_recorded_as_a_runner_error_and_the_loop_goes_on(clock, make_settings):
    settings = make_settings(EVERY_10S)
    calls = []

    def flaky(cadence):
        calls.append(cadence)
        if len(calls) == 1:
            raise RuntimeError("pytest binary vanished")
        return 0

    daemon = Daemon(settings, run=flaky, clock=clock.time)
    for _ in range(2):
        step(daemon, clock)
        daemon.join()
    assert len(calls) == 2 and daemon.exit_codes == [3, 0]
    assert runs(settings) == [("error", "runner error: RuntimeError: pytest binary vanished")]


def test_liveness_is_written_to_the_history(clock, make_settings):
    settings = make_settings(EVERY_10S)
    daemon = Daemon(settings, run=lambda c: 0, clock=clock.time)
    step(daemon, clock)
    daemon.join()
    with open_store(settings.reports_dir()) as store:
        liveness = store.get_meta(LIVENESS_KEY)
    assert liveness["last_loop"] == clock.time() and liveness["pid"] > 0 and not liveness["stopped"]


@pytest.fixture
def heartbeat_server():
    paths = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            paths.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/ping/abc", paths
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "fail_on, expected",
    [
        ("error", ["/ping/abc", "/ping/abc", "/ping/abc/fail"]),
        ("failure", ["/ping/abc", "/ping/abc/fail", "/ping/abc/fail"]),
    ],
)
def test_the_heartbeat_is_pinged_after_each_run(clock, make_settings, heartbeat_server, fail_on, expected):
    url, paths = heartbeat_server
    settings = make_settings(EVERY_10S + f'heartbeat_url = "{url}"\nheartbeat_fail_on = "{fail_on}"\n')
    codes = iter([0, 1, 3])
    daemon = Daemon(settings, run=lambda c: next(codes), clock=clock.time)
    for _ in range(3):
        step(daemon, clock)
        daemon.join()
    assert paths == expected


def test_an_unreachable_heartbeat_is_logged_not_fatal(clock, make_settings, caplog):
    settings = make_settings(EVERY_10S + 'heartbeat_url = "http://127.0.0.1:9/ping"\n')
    daemon = Daemon(settings, run=lambda c: 0, clock=clock.time)
    for _ in range(2):
        step(daemon, clock)
        daemon.join()
    assert daemon.exit_codes == [0, 0] and "heartbeat ping failed" in caplog.text


def test_once_runs_what_the_history_says_is_due(clock, make_settings):
    settings = make_settings('[schedule]\ncadences = ["critical", "hourly", "daily"]\n')
    with open_store(settings.reports_dir()) as store:
        for label, ago in (("critical", timedelta(seconds=30)), ("hourly", timedelta(hours=2))):  # critical: every 60 s
            at = (clock.now - ago).timestamp()
            store.record_run(label, [], status="passed", exit_code=0, started=at, at=at)
    ran = []
    daemon = Daemon(settings, run=lambda c: ran.append(c) or (1 if c == "daily" else 0), clock=clock.time)
    assert daemon.once() == 1
    assert sorted(ran) == ["daily", "hourly"]


def test_a_cadence_running_in_another_process_is_skipped(clock, make_settings):
    settings = make_settings(EVERY_10S)
    ran = []
    daemon = Daemon(settings, run=lambda c: ran.append(c) or 0, clock=clock.time)
    with CadenceLock(settings.reports_dir(), "critical") as locked:  # as a cron --once would hold it
        assert locked
        step(daemon, clock)
        daemon.join()
    assert ran == [] and runs(settings) == [("skipped", "skipped: a critical run is going in another process")]
