"""When each cadence runs, driven by a fake clock through `schedule` itself (nothing sleeps)."""

from datetime import datetime

from runner import cadences
from runner.config import Schedule
from runner.schedule import Daemon


def fire_times(daemon, clock, until: datetime) -> list[tuple[str, datetime]]:
    """Jump the clock from one job's next_run to the next, as the loop would, recording runs."""
    fired = []
    daemon.run = lambda cadence: fired.append((cadence, clock.now)) or 0
    while True:
        clock.now = min(job.next_run for job in daemon.scheduler.jobs)
        if clock.now > until:
            return fired
        daemon.tick()
        daemon.join()


def test_clock_cadences_fire_at_their_local_times(clock, make_settings):
    settings = make_settings('[schedule]\ncadences = ["daily", "weekly", "monthly"]')
    fired = fire_times(Daemon(settings, clock=clock.time), clock, until=datetime(2024, 7, 3))
    by_cadence = {c: [t for name, t in fired if name == c] for c in ("daily", "weekly", "monthly")}
    assert by_cadence["daily"][:2] == [datetime(2024, 6, 1, 2, 0), datetime(2024, 6, 2, 2, 0)]
    assert len(by_cadence["daily"]) == 32
    assert by_cadence["weekly"] == [datetime(2024, 6, d, 4, 0) for d in (2, 9, 16, 23, 30)]  # Sundays
    assert by_cadence["monthly"] == [datetime(2024, 6, 1, 5, 0), datetime(2024, 7, 1, 5, 0)]  # day 1 only


def test_critical_and_hourly_follow_the_config(clock, make_settings):
    settings = make_settings(
        '[schedule]\ncadences = ["critical", "hourly"]\ncritical_every_minutes = 5\nhourly_at_minute = 15'
    )
    fired = fire_times(Daemon(settings, clock=clock.time), clock, until=datetime(2024, 6, 1, 2, 0))
    critical = [t for name, t in fired if name == "critical"]
    assert critical[:3] == [datetime(2024, 6, 1, 0, 35), datetime(2024, 6, 1, 0, 40), datetime(2024, 6, 1, 0, 45)]
    assert len(critical) == 18
    assert [t for name, t in fired if name == "hourly"] == [datetime(2024, 6, 1, 1, 15)]


def test_seconds_override_for_tests_and_benchmarks(clock, make_settings):
    settings = make_settings('[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 10')
    fired = fire_times(Daemon(settings, clock=clock.time), clock, until=datetime(2024, 6, 1, 0, 31))
    assert [t.second for _, t in fired] == [10, 20, 30, 40, 50, 0]


def test_due_is_judged_from_the_latest_occurrence():
    spec = Schedule(daily_at="02:00", weekly_day="sunday", weekly_at="04:00", monthly_day=1, monthly_at="05:00")
    now = datetime(2024, 6, 12, 9, 0)  # a Wednesday
    assert cadences.previous_occurrence(spec, "daily", now) == datetime(2024, 6, 12, 2, 0)
    assert cadences.previous_occurrence(spec, "weekly", now) == datetime(2024, 6, 9, 4, 0)
    assert cadences.previous_occurrence(spec, "monthly", now) == datetime(2024, 6, 1, 5, 0)
    assert cadences.previous_occurrence(spec, "monthly", datetime(2024, 1, 1, 4, 0)) == datetime(2023, 12, 1, 5, 0)
    assert cadences.previous_occurrence(spec, "hourly", now) == datetime(2024, 6, 12, 9, 0)
    ran_at = datetime(2024, 6, 12, 2, 0, 3).timestamp()
    assert not cadences.is_due(spec, "daily", ran_at, now)
    assert cadences.is_due(spec, "daily", ran_at, datetime(2024, 6, 13, 2, 0))
    assert cadences.is_due(spec, "weekly", None, now)


def test_an_interval_cadence_is_due_a_little_early_because_cron_and_runs_wobble():
    spec = Schedule(critical_every_minutes=5)
    last = datetime(2024, 6, 12, 9, 0, 0, 400000).timestamp()
    assert cadences.is_due(spec, "critical", last, datetime(2024, 6, 12, 9, 5, 0, 100000))
    assert not cadences.is_due(spec, "critical", last, datetime(2024, 6, 12, 9, 2))
