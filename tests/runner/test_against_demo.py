"""The runner against the demo shop: a run's folder and history, the daemon for a minute with a
fault switched on and off in the middle, alerting a local webhook (~75 s), and its recheck of a
pending check (~15 s)."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from runner import config
from runner.pipeline import open_store

KEY_PAGES = "checks/test_availability.py::test_key_pages_answer"
DATABASE = "checks/test_database.py::test_database_answers_quickly"


def demo_config(demo, folder: Path, extra: str = "") -> Path:
    """The demo's own config with an absolute env_file and `extra` appended, written in `folder`."""
    text = demo.config_path.read_text().replace(
        'env_file = "monitor.env"', f'env_file = "{demo.run_dir / "monitor.env"}"'
    )
    path = folder / "monitor.toml"
    path.write_text(text + "\n" + extra)
    return path


def start_daemon(path: Path, reports: Path) -> subprocess.Popen:
    """`dija-monitor schedule`; the test stops it with stop_daemon in a finally."""
    return subprocess.Popen(
        [sys.executable, "-m", "runner", "schedule", "--config", str(path), "--reports-dir", str(reports)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop_daemon(daemon: subprocess.Popen) -> int:
    """SIGTERM, then its exit code once its current run finished; SIGKILL by its PID if it hangs. It
    asserts nothing itself: called in a finally, it must not hide the test's own failure."""
    try:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
        return daemon.wait(timeout=120)
    except subprocess.TimeoutExpired:
        daemon.kill()
        daemon.wait()
        return -signal.SIGKILL


def test_a_run_against_the_demo_writes_report_junit_and_history_without_secrets(demo, fault, tmp_path):
    path = demo_config(demo, tmp_path)
    reports = tmp_path / "reports"
    healthy = subprocess.run(
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            "--config",
            str(path),
            "--cadence",
            "critical",
            "--reports-dir",
            str(reports),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    fault("db_down")
    broken = subprocess.run(
        [sys.executable, "-m", "runner", "run", "--config", str(path), "--smoke", "--reports-dir", str(reports)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "FAIL" in broken.stdout or "ERROR" in broken.stdout
    run_dirs = sorted(d for d in (reports / "runs").iterdir() if not d.is_symlink())  # not runs/latest
    assert [d.name.rsplit("-", 1)[1] for d in run_dirs] == ["critical", "smoke"]
    secrets = [v for v in demo.secrets.values() if len(v) >= 4]
    for run_dir in run_dirs:
        for name in ("report.html", "junit.xml", "results.json", "pytest.log"):
            text = (run_dir / name).read_text()
            assert not [s for s in secrets if s in text], f"a secret in {run_dir.name}/{name}"
    with open_store(reports) as store:
        assert [r["status"] for r in store.runs()] == ["failed", "passed"]
        assert store.latest_result(DATABASE).outcome in ("fail", "error")
    config.load(path)  # still valid: the test did not break the demo's config


def test_the_daemon_records_and_alerts_a_failure_and_its_recovery_at_the_right_times(demo, fault, receiver, tmp_path):
    """The issues' acceptance run (~75 s): a 10 s critical cadence, site_down for ~30 s in the middle.

    History shows the failure and the recovery when they happened; the webhook gets exactly one
    alert after 2 failures, one reminder (interval 6 s) while it stays down, one resolved after 2 passes."""
    alerts = (
        f"[alerts]\nreminder_interval_minutes = 0.1\n"
        f'[[alerts.channels]]\nurl = "json://{receiver.url.removeprefix("http://")}/hook"\n'
    )
    path = demo_config(demo, tmp_path, '[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 10\n' + alerts)
    reports = tmp_path / "reports"
    daemon = start_daemon(path, reports)
    try:
        time.sleep(15)
        fault("site_down")
        down_at = time.time()
        time.sleep(30)
        demo.fault("site_down", False)
        up_at = time.time()
        time.sleep(30)
    finally:
        stopped = stop_daemon(daemon)
    assert stopped == 0, daemon.stdout.read()
    with open_store(reports) as store:
        flips = [(f["to_outcome"], f["at"]) for f in store.flips(0, KEY_PAGES)]
        runs = [r for r in store.runs() if r["status"] != "skipped"]  # a slow machine skips an overlapping run
        assert all(r["status"] in ("passed", "failed") for r in runs), runs
        assert len(runs) >= 5
        assert [outcome for outcome, _ in flips] == ["pass", "fail", "pass"], flips
        assert down_at < flips[1][1] < down_at + 10 + 30  # the next 10 s run, however slow the machine
        assert up_at < flips[2][1] < up_at + 10 + 30
        assert {r.outcome for r in store.history(DATABASE, 50)} == {"pass"}
    titles = [body["title"] for body in receiver.on("/hook")]
    kinds = [title.split("]")[0].lstrip("[") for title in titles]
    assert kinds[0] == "FAILING" and kinds[-1] == "RESOLVED", titles
    assert kinds.count("FAILING") == 1 and kinds.count("RESOLVED") == 1, titles
    assert kinds.count("STILL FAILING") >= 1, titles
    assert all("test_key_pages_answer" in title for title in titles), titles


def test_the_daemon_rechecks_a_pending_check_and_alerts_long_before_the_next_interval(demo, fault, receiver, tmp_path):
    """A 60 s critical cadence, the site down from the start: the first run fails (one confirmed failure,
    pending), the recheck 3 s later fails too and alerts; without the recheck the alert waits 60 s."""
    hook = f'[[alerts.channels]]\nurl = "json://{receiver.url.removeprefix("http://")}/hook"\n'
    schedule = '[schedule]\ncadences = ["critical"]\ncritical_every_seconds = 60\nrecheck_pending_seconds = 3\n'
    path = demo_config(demo, tmp_path, schedule + hook)
    reports = tmp_path / "reports"
    fault("site_down")
    started = time.time()
    daemon = start_daemon(path, reports)
    try:
        while not receiver.on("/hook") and time.time() < started + 55:
            time.sleep(0.2)
        alerted = time.time()
    finally:
        stopped = stop_daemon(daemon)
    assert stopped == 0, daemon.stdout.read()
    assert receiver.on("/hook"), "no alert within 55 s"
    assert receiver.on("/hook")[0]["title"].startswith("[FAILING]")
    with open_store(reports) as store:
        runs = sorted(r["started_at"] for r in store.runs() if r["label"] == "critical" and r["status"] == "failed")
    assert len(runs) == 2 and 3 <= runs[1] - runs[0] < 30, runs
    assert alerted - started < 55
