"""The history database under concurrent and killed writers: two `dija-monitor run`s at once on
a fresh history, and a writer SIGKILLed inside its write transaction. (Two Store writers in one
test process: tests/runner/test_store.py.)"""

import signal
import sqlite3
import subprocess
import sys

from runner.execute import PROJECT_ROOT, Selection
from runner.pipeline import history_path, open_store, run_once
from tests.cli import start_dija, stop

TWO_CHECKS = '''
@check()
def test_passes():
    """Passes."""

@check()
def test_fails():
    """Fails."""
    assert False, "HTTP 500"
'''
# commits one run, then writes 20 000 results in one transaction (enough to spill pages into the
# WAL before the commit) and says so from inside it, where it stays until killed
HOLDER = """
import sys, time
from runner.store import Store
store = Store(sys.argv[1])
store.record_run("committed", [{"id": "checks/test_x.py::test_a", "outcome": "pass"}], status="passed", exit_code=0)
with store.transaction():
    run_id = store.start_run("killed")
    store.db.executemany("INSERT INTO results (run_id, check_id, at, outcome, message) VALUES (?, ?, 0, 'pass', ?)",
                         [(run_id, f"checks/test_x.py::test_{i}", "x" * 200) for i in range(20000)])
    print("holding", flush=True)
    time.sleep(600)
"""


def integrity(path) -> str:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def test_two_runs_at_once_on_a_fresh_history_are_both_recorded_intact(checks_settings):
    settings = checks_settings(TWO_CHECKS)
    runs = [start_dija("run", "--config", str(settings.source), "--cadence", "critical") for _ in range(2)]
    try:
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    finally:
        for run in runs:
            stop(run)
    assert [run.returncode for run in runs] == [1, 1], outputs
    assert all("Traceback" not in out and "post-run step failed" not in out for out in outputs), outputs
    assert integrity(history_path(settings.reports_dir())) == "ok"
    with open_store(settings.reports_dir()) as store:
        assert [(r["label"], r["status"]) for r in store.runs()] == [("critical", "failed")] * 2
        assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 4
        assert len({r["run_dir"] for r in store.runs()}) == 2


def test_a_writer_killed_inside_its_transaction_leaves_a_history_the_next_run_uses(checks_settings):
    settings = checks_settings(TWO_CHECKS)
    path = history_path(settings.reports_dir())
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "holding\n"
        assert (path.parent / (path.name + "-wal")).stat().st_size > 1_000_000  # uncommitted pages in the WAL
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    finally:
        stop(holder)
    assert holder.returncode == -signal.SIGKILL
    assert integrity(path) == "ok"
    result, failures = run_once(settings, Selection("critical"))
    assert (result.status, failures) == ("failed", [])
    with open_store(settings.reports_dir()) as store:
        assert [r["label"] for r in reversed(store.runs())] == ["committed", "critical"]
        assert store.db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 3
