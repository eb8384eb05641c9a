"""The post-run pipeline: a failing step is noted and never loses the run; retention is daily."""

import time

from runner.execute import RunResult, Selection
from runner.pipeline import PRUNE_META, STEPS, RunContext, after_run, open_store, prune_history
from runner.store import DAY


def result(folder, outcome="pass"):
    run_dir = folder / "runs" / "x-hourly"
    run_dir.mkdir(parents=True)
    return RunResult(run_dir, Selection("hourly"), 0, [{"id": "checks/test_a.py::test_a", "outcome": outcome}])


def test_a_failing_step_is_noted_and_the_steps_after_it_still_run(make_settings, tmp_path):
    settings = make_settings()
    later = []

    def broken(ctx):
        raise ValueError("template missing")

    steps = [*STEPS, ("dashboard", broken), ("metrics", lambda ctx: later.append(ctx.run_id))]
    failures = after_run(settings, result(settings.reports_dir(), "fail"), settings.reports_dir(), steps)
    assert failures == ["dashboard: ValueError: template missing"] and later == [1]
    with open_store(settings.reports_dir()) as store:
        run = store.runs()[0]
        assert (run["status"], run["exit_code"]) == ("failed", 1)
        assert run["message"] == "post-run step failed: dashboard: ValueError: template missing"
    assert "template missing" in (settings.reports_dir() / "runs" / "x-hourly" / "pipeline-errors.txt").read_text()


def test_an_unwritable_history_is_reported_not_raised(make_settings, tmp_path):
    settings = make_settings()
    folder = settings.reports_dir()
    folder.mkdir(parents=True)
    (folder / "history.sqlite3").mkdir()  # not a database file
    failures = after_run(settings, result(folder), folder)
    assert len(failures) == 1 and failures[0].startswith("history: history database")


def test_retention_prunes_at_most_once_a_day(make_settings):
    settings = make_settings(runner="history_days = 30")
    now = time.time()
    with open_store(settings.reports_dir()) as store:
        store.record_run("hourly", [{"id": "a", "outcome": "pass"}], status="passed", exit_code=0, at=now - 40 * DAY)
        ctx = RunContext(settings, None, settings.reports_dir(), store)
        store.set_meta(PRUNE_META, now - 3600)
        prune_history(ctx, now=now)
        assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 1  # pruned an hour ago
        prune_history(ctx, now=now + DAY)
        assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 0
        assert store.get_meta(PRUNE_META) == now + DAY
