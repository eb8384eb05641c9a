"""A run that leaves a check pending is run again after `recheck_pending_seconds`: the second
confirmed failure alerts then, not one whole interval later; a recheck that passes sends nothing.
Runs are canned results through the real post-run pipeline (history, alert state, outbox)."""

import json

from runner.execute import RunResult, Selection
from runner.pipeline import after_run
from runner.schedule import Daemon

CRITICAL_EVERY_60S = '[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 60\n'
CHECK = "checks/test_availability.py::test_key_pages_answer"


def record(outcome: str, cadence: str = "critical") -> dict:
    return {
        "id": CHECK,
        "name": "test_key_pages_answer",
        "area": "availability",
        "cadence": cadence,
        "severity": "critical",
        "doc": "The key pages answer.",
        "duration": 0.1,
        "measurements": {},
        "evidence": [],
        "outcome": outcome,
        "message": "" if outcome == "pass" else "GET / answered 503",
    }


def canned(settings, clock, outcomes: list[str], cadence: str = "critical"):
    """A daemon `run` that records the next outcome as a run of one check; the fake times it ran at."""
    left, ran_at = iter(outcomes), []

    def run(label: str) -> int:
        ran_at.append(clock.now)
        run_dir = settings.reports_dir() / "runs" / f"canned-{len(ran_at)}"
        run_dir.mkdir(parents=True)
        checks = [record(next(left), cadence)]
        result = RunResult(run_dir, Selection(label), 1, checks)  # real times: retention keeps them
        return 3 if after_run(settings, result, settings.reports_dir()) else result.exit_code

    return run, ran_at


def incidents(settings) -> list[str]:
    path = settings.reports_dir() / "alerts" / "outbox.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return [event["kind"] for line in lines for event in json.loads(line)["events"]]


def advance(daemon, clock, seconds: float, every: float = 1.0) -> None:
    """Move the fake clock second by second, one loop pass each, as `serve()` would."""
    for _ in range(int(seconds / every)):
        clock.advance(seconds=every)
        daemon.tick()
        daemon.join()


def offsets(ran_at, start) -> list[float]:
    return [(t - start).total_seconds() for t in ran_at]


def test_a_pending_check_is_rechecked_and_alerts_at_the_second_failure(clock, make_settings):
    settings = make_settings(CRITICAL_EVERY_60S)
    start = clock.now
    daemon = Daemon(settings, clock=clock.time)
    daemon.run, ran_at = canned(settings, clock, ["fail", "fail", "fail"])
    advance(daemon, clock, 60)  # the regular run: the first confirmed failure, pending
    assert incidents(settings) == [] and daemon.rechecks
    advance(daemon, clock, 15)  # the recheck: the second one opens the incident
    assert offsets(ran_at, start) == [60, 75]
    assert incidents(settings) == ["incident"]
    advance(daemon, clock, 45)  # the cadence keeps its own beat; the open incident needs no recheck
    assert offsets(ran_at, start) == [60, 75, 120] and not daemon.rechecks


def test_a_recheck_that_passes_sends_nothing_and_rechecks_no_more(clock, make_settings):
    settings = make_settings(CRITICAL_EVERY_60S)
    start = clock.now
    daemon = Daemon(settings, clock=clock.time)
    daemon.run, ran_at = canned(settings, clock, ["fail", "pass", "pass"])
    advance(daemon, clock, 120)
    assert offsets(ran_at, start) == [60, 75, 120]
    assert incidents(settings) == [] and not daemon.rechecks


def test_without_recheck_the_second_failure_waits_a_whole_interval(clock, make_settings):
    settings = make_settings(CRITICAL_EVERY_60S + "recheck_pending_seconds = 0\n")
    start = clock.now
    daemon = Daemon(settings, clock=clock.time)
    daemon.run, ran_at = canned(settings, clock, ["fail", "fail"])
    advance(daemon, clock, 119)
    assert offsets(ran_at, start) == [60] and incidents(settings) == []
    advance(daemon, clock, 1)
    assert offsets(ran_at, start) == [60, 120] and incidents(settings) == ["incident"]


def test_a_check_that_alerts_on_its_first_failure_needs_no_recheck(clock, make_settings):
    settings = make_settings('[schedule]\ncadences = ["daily"]\n')
    clock.advance(hours=1, minutes=29)  # 01:59, a minute before the daily run
    daemon = Daemon(settings, clock=clock.time)
    daemon.run, ran_at = canned(settings, clock, ["fail"], cadence="daily")
    advance(daemon, clock, 120)
    assert len(ran_at) == 1 and incidents(settings) == ["incident"] and not daemon.rechecks


def test_a_regular_run_due_first_supersedes_the_recheck(clock, make_settings):
    settings = make_settings(
        '[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 10\n[alerts]\nfailure_threshold = 3\n'
    )
    start = clock.now
    daemon = Daemon(settings, clock=clock.time)
    daemon.run, ran_at = canned(settings, clock, ["fail", "fail", "fail"])
    advance(daemon, clock, 30)  # regular runs every 10 s come before each recheck planned 15 s on
    assert offsets(ran_at, start) == [10, 20, 30] and incidents(settings) == ["incident"]


def test_once_under_cron_plans_no_recheck(clock, make_settings):
    settings = make_settings(CRITICAL_EVERY_60S)
    daemon = Daemon(settings, clock=clock.time)
    daemon.run, ran_at = canned(settings, clock, ["fail"])
    assert daemon.once() == 1
    assert len(ran_at) == 1 and not daemon.rechecks
