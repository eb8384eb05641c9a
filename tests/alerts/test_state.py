"""The alert state machine, table-driven: each row is a sequence of runs and the notices they raise."""

import pytest

from runner.alerts.state import AlertState, Policies, Policy, acknowledge, firing, transition

ID = "checks/test_web.py::test_home"
MIN = 60.0
T0 = 1_700_000_000.0


def record(outcome, message="HTTP 500"):
    return {
        "id": ID,
        "name": "test_home",
        "area": "availability",
        "severity": "critical",
        "outcome": outcome,
        "message": message,
    }


def play(steps, policy=Policy(), deliver=True, restart_every_run=False):
    """Run `steps` ("fail", "pass", "degraded", "error", "skipped", "-" = no result) a minute... apart.

    Each step is `outcome` or `(outcome, minutes since start)`. Returns the notice kinds per step.
    """
    states, seen = {}, []
    for index, step in enumerate(steps):
        outcome, minutes = step if isinstance(step, tuple) else (step, index * 5)
        now = T0 + minutes * MIN
        if restart_every_run:  # what the store gives back after a restart
            states = {k: AlertState.from_json(v.to_json()) for k, v in states.items()}
        records = [] if outcome == "-" else [record(outcome)]
        states, events = transition(states, records, Policies(policy), now)
        seen.append("+".join(e.kind for e in events) or ".")
        if deliver:
            for event in events:
                states[ID] = acknowledge(states[ID], event, {"outbox"}, set(), {"outbox"}, now)
    return seen


@pytest.mark.parametrize(
    "steps, expected",
    [
        (["pass", "pass", "pass"], [".", ".", "."]),
        (["fail", "pass", "fail", "pass"], [".", ".", ".", "."]),  # flapping below the threshold: silent
        (["fail", "fail", "fail", "pass", "pass"], [".", "incident", ".", ".", "resolved"]),
        (["fail", "fail", "pass", "fail", "pass", "pass"], [".", "incident", ".", ".", ".", "resolved"]),
        (["error", "error"], [".", "incident"]),  # could not run counts as failing
        (["fail", "skipped", "fail"], [".", ".", "incident"]),  # skipped changes nothing
        (["degraded", "degraded", "degraded"], [".", ".", "."]),  # degraded is silent by default
        (["fail", "fail", "degraded", "degraded"], [".", "incident", ".", "resolved"]),  # degraded counts as up
    ],
    ids=[
        "healthy",
        "flapping",
        "fault-and-recovery",
        "flap-inside-incident",
        "error",
        "skipped",
        "degraded-silent",
        "degraded-recovers",
    ],
)
def test_notices_follow_the_thresholds(steps, expected):
    assert play(steps) == expected


@pytest.mark.parametrize(
    "policy, steps, expected",
    [
        (Policy(failure_threshold=1), ["fail"], ["incident"]),
        (Policy(failure_threshold=3), ["fail", "fail", "fail"], [".", ".", "incident"]),
        (Policy(success_threshold=1), ["fail", "fail", "pass"], [".", "incident", "resolved"]),
        (Policy(send_on_resolved=False), ["fail", "fail", "pass", "pass"], [".", "incident", ".", "."]),
        (
            Policy(notify_degraded=True),
            ["degraded", "degraded", "degraded", "pass", "degraded", "degraded"],
            [".", "degraded", ".", ".", ".", "degraded"],
        ),
    ],
)
def test_policy_changes_thresholds_and_notices(policy, steps, expected):
    assert play(steps, policy) == expected


def test_reminders_come_every_interval_while_the_incident_stays_open():
    steps = [("fail", 0), ("fail", 5), ("fail", 30), ("fail", 66), ("-", 100), ("-", 127), ("pass", 128), ("pass", 130)]
    assert play(steps) == [".", "incident", ".", "reminder", ".", "reminder", ".", "resolved"]


def test_reminders_off_with_zero_interval():
    assert play([("fail", 0), ("fail", 5), ("fail", 500)], Policy(reminder_interval=0)) == [".", "incident", "."]


def test_an_undelivered_notice_is_raised_again_at_every_run_until_taken():
    assert play(["fail", "fail", "fail", "fail"], deliver=False) == [".", "incident", "incident", "incident"]


def test_no_resolved_notice_for_an_incident_nobody_was_told_about():
    assert play(["fail", "fail", "pass", "pass"], deliver=False) == [".", "incident", "incident", "."]


def test_a_restart_neither_repeats_nor_forgets():
    steps = [("fail", 0), ("fail", 5), ("fail", 10), ("fail", 70), ("pass", 75), ("pass", 80)]
    assert play(steps, restart_every_run=True) == [".", "incident", ".", "reminder", ".", "resolved"]


def test_a_partly_delivered_notice_is_retried_only_for_the_channels_that_missed_it():
    states, events = transition({}, [record("fail")], Policies(Policy(failure_threshold=1)), T0)
    states[ID] = acknowledge(states[ID], events[0], {"outbox"}, set(), {"outbox", "slack"}, T0)
    states, events = transition(states, [record("fail")], Policies(), T0 + MIN)
    assert [(e.kind, e.delivered) for e in events] == [("incident", ("outbox",))]
    assert states[ID].told == ("outbox",) and states[ID].notified_at is None
    states[ID] = acknowledge(states[ID], events[0], {"slack"}, set(), {"outbox", "slack"}, T0 + MIN)
    assert states[ID].queue == () and states[ID].told == ("outbox", "slack")


def test_resolved_goes_only_to_the_channels_told_about_the_incident():
    policy = Policies(Policy(failure_threshold=1, success_threshold=1))
    states, events = transition({}, [record("fail")], policy, T0)
    states[ID] = acknowledge(states[ID], events[0], {"outbox"}, {"pagerduty"}, {"outbox", "pagerduty"}, T0)
    states, events = transition(states, [record("pass")], policy, T0 + MIN)
    assert [(e.kind, e.only_channels) for e in events] == [("resolved", ("outbox",))]


def test_events_carry_the_newest_message_and_the_streak_start():
    states, _ = transition({}, [record("fail", "first")], Policies(), T0)
    _, events = transition(states, [record("error", "DB down")], Policies(), T0 + 5 * MIN)
    assert events[0].check["message"] == "DB down" and events[0].could_not_run
    assert events[0].since == T0


def play_problems(problem_sets, policy=Policy(failure_threshold=1, success_threshold=1), deliver=True):
    """Runs of a failing check with these problem lists (None: a pass); notices per run, with what is new."""
    states, seen = {}, []
    for index, problems in enumerate(problem_sets):
        outcome = "pass" if problems is None else "fail"
        rec = {**record(outcome, "; ".join(problems or [])), **({"problems": problems} if problems else {})}
        states, events = transition(states, [rec], Policies(policy), T0 + index * 5 * MIN)
        seen.append("+".join(e.kind + (f"{list(e.new_problems)}" if e.new_problems else "") for e in events) or ".")
        for event in events if deliver else ():
            states[ID] = acknowledge(states[ID], event, {"outbox"}, set(), {"outbox"}, T0 + index * 5 * MIN)
    return seen


@pytest.mark.parametrize(
    "problem_sets, expected",
    [
        ([["sitemap 500"], ["sitemap 500"], ["sitemap 500"]], ["incident", ".", "."]),
        (
            [
                ["sitemap 500"],
                ["sitemap 500", "robots 404"],
                ["sitemap 500", "robots 404"],
                ["robots 404", "sitemap 500"],
            ],
            ["incident", "updated['robots 404']", ".", "."],
        ),
        (
            [
                ["sitemap 500"],
                ["robots 404"],
                ["sitemap 500"],
                ["sitemap 500", "robots 404"],
            ],  # a problem back: not new
            ["incident", "updated['robots 404']", ".", "."],
        ),
        ([["a"], ["a", "b", "c"]], ["incident", "updated['b', 'c']"]),
        ([["a"], None, ["a", "b"]], ["incident", "resolved", "incident"]),  # a new incident starts afresh
        ([["a"], []], ["incident", "."]),  # failing without a problem list: nothing to compare
    ],
    ids=["same-problems", "one-new-problem", "problem-comes-back", "two-new-at-once", "new-incident", "no-list"],
)
def test_an_open_incident_that_gains_a_problem_sends_one_updated_notice(problem_sets, expected):
    assert play_problems(problem_sets) == expected


def test_no_updated_notice_before_anyone_was_told_the_incident_carries_the_newest_problems():
    assert play_problems([["a"], ["a", "b"]], deliver=False) == ["incident", "incident"]


def test_an_updated_notice_goes_to_the_channels_told_and_carries_the_newest_snapshot():
    policy = Policies(Policy(failure_threshold=1))
    states, events = transition({}, [{**record("fail"), "problems": ["a"]}], policy, T0)
    states[ID] = acknowledge(
        states[ID], events[0], {"outbox", "slack"}, {"pagerduty"}, {"outbox", "slack", "pagerduty"}, T0
    )
    states, events = transition(states, [{**record("fail"), "problems": ["a", "b"]}], policy, T0 + MIN)
    [updated] = events
    assert updated.only_channels == ("outbox", "slack") and updated.new_problems == ("b",)
    assert updated.check["problems"] == ["a", "b"]
    restarted = {ID: AlertState.from_json(states[ID].to_json())}
    assert restarted[ID].problems_told == ("a", "b")


def test_firing_lists_the_open_incidents_of_the_checks_in_this_run():
    policy = Policies(Policy(failure_threshold=1, success_threshold=2))
    other = {**record("fail"), "id": "checks/test_web.py::test_other"}
    states, _ = transition({}, [record("fail"), other], policy, T0)
    assert [e.check_id for e in firing(states, [record("fail")], T0)] == [ID]  # not the check that did not run
    states, _ = transition(states, [record("pass")], policy, T0 + MIN)  # one pass of two: still open
    assert [(e.kind, e.since) for e in firing(states, [record("pass")], T0 + MIN)] == [("firing", T0)]
    states, _ = transition(states, [record("pass")], policy, T0 + 2 * MIN)
    assert firing(states, [record("pass")], T0 + 2 * MIN) == []
