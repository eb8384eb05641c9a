"""One run end to end on tiny checks: the run folder, history, exit codes, the overall timeout."""

import io
import os

import psutil

from runner.execute import Selection, run_checks
from runner.pipeline import open_store, run_once

SECRET = "s3cret-Pa55word"
MIXED = '''
@check()
def test_passes(measure):
    """Passes."""
    measure(load_seconds=1.25)

@check()
def test_degrades():
    """Degrades."""
    raise Degraded("certificate expires in 15 days < 21")

@check()
def test_fails(settings):
    """Fails, and its output holds a secret."""
    print("password is", os.environ["DIJA_TEST_SECRET"])
    assert False, "/product/gold-hoops: 4.8 s > 3.0 s (secret " + os.environ["DIJA_TEST_SECRET"] + ")"

@check(cadence="daily", smoke=False)
def test_daily():
    """Daily."""
'''


def test_a_run_writes_its_folder_history_and_progress_without_secrets(checks_settings, monkeypatch):
    monkeypatch.setenv("DIJA_TEST_SECRET", SECRET)
    settings = checks_settings(
        MIXED,
        extra='[database]\nname = "shop"\nuser = "m"\npassword_env = "DIJA_TEST_SECRET"\n',
        environ={"DIJA_TEST_SECRET": SECRET},
    )
    output = io.StringIO()
    result, failures = run_once(settings, Selection("critical"), output=output)
    assert failures == [] and result.exit_code == 1 and result.status == "failed"
    assert {c["name"]: c["outcome"] for c in result.checks} == {
        "test_passes": "pass",
        "test_degrades": "degraded",
        "test_fails": "fail",
    }
    assert result.run_dir.name.endswith("-critical")
    for name in ("report.html", "junit.xml", "results.json", "pytest.log"):
        text = (result.run_dir / name).read_text()
        assert SECRET not in text, f"secret in {name}"
    assert "test_passes" in (result.run_dir / "report.html").read_text()
    lines = output.getvalue().splitlines()
    assert len(lines) == 3 and lines[2].startswith("[3/3] FAIL") and "4.8 s > 3.0 s" in lines[2]
    with open_store(settings.reports_dir()) as store:
        run = store.runs()[0]
        assert (run["label"], run["status"], run["exit_code"]) == ("critical", "failed", 1)
        assert store.measurement_series(result.checks[0]["id"], "load_seconds", 0)[0][1] == 1.25


def test_the_overall_timeout_kills_the_process_group_and_keeps_what_completed(checks_settings, tmp_path):
    pid_file = tmp_path / "child.pid"
    settings = checks_settings(
        f'''
@check()
def test_a_quick():
    """Quick."""

@check()
def test_b_hangs():
    """Hangs, with a child process of its own."""
    child = subprocess.Popen(["sleep", "600"])
    open({str(pid_file)!r}, "w").write(str(child.pid))
    time.sleep(600)
''',
        runner="run_timeout_seconds = 10",
    )  # room for a slow pytest start under load
    result, _ = run_once(settings, Selection())
    assert result.exit_code == 3 and "timed out after 10 s" in result.error
    assert [(c["name"], c["outcome"]) for c in result.checks][:1] == [("test_a_quick", "pass")]
    child = int(pid_file.read_text())
    assert not psutil.pid_exists(child) or psutil.Process(child).status() == psutil.STATUS_ZOMBIE
    with open_store(settings.reports_dir()) as store:
        run = store.runs()[0]
        assert run["status"] == "error" and "timed out" in run["message"]
        assert store.latest_result(result.checks[0]["id"]).outcome == "pass"


def test_a_crashed_pytest_is_a_recorded_runner_error_with_its_reason(checks_settings):
    settings = checks_settings("def broken(:\n")
    result, _ = run_once(settings, Selection())
    assert result.exit_code == 3 and "pytest interrupted (exit 2)" in result.error
    assert "SyntaxError" in result.error or "error" in result.error.lower()
    with open_store(settings.reports_dir()) as store:
        assert store.runs()[0]["status"] == "error"


def test_a_runner_that_cannot_start_still_records_the_run(checks_settings, monkeypatch):
    settings = checks_settings("")
    monkeypatch.setattr("runner.pipeline.run_checks", lambda *a, **k: 1 / 0)
    result, failures = run_once(settings, Selection("hourly"))
    assert result.exit_code == 3 and failures == []
    with open_store(settings.reports_dir()) as store:
        assert store.runs()[0]["message"] == "runner error: ZeroDivisionError: division by zero"


def test_killing_a_checks_browser_is_an_error_result_and_the_next_run_is_fine(checks_settings):
    settings = checks_settings(
        '''
import psutil

@check()
def test_browser(page):
    """Shows a page; with KILL set, kills its own browser first."""
    if os.environ.get("KILL_BROWSER"):
        for child in psutil.Process().children(recursive=True):
            if "chrom" in child.name() or "headless" in child.name():
                child.kill()
        time.sleep(0.5)
    page.set_content("<h1>Dija</h1>")
    assert page.inner_text("h1") == "Dija"
''',
        runner="check_timeout_seconds = 120",
    )
    os.environ["KILL_BROWSER"] = "1"
    try:
        killed = run_checks(settings, Selection())
    finally:
        del os.environ["KILL_BROWSER"]
    assert killed.exit_code == 1 and not killed.error
    assert killed.checks[0]["outcome"] == "error", killed.checks[0]
    # retested at once: the dead session browser cannot start the second attempt either
    first, retest = killed.checks[0]["attempts"]
    assert first["message"].startswith("could not run: TargetClosedError"), killed.checks[0]
    assert retest["message"].startswith("could not start: TargetClosedError"), killed.checks[0]
    healthy = run_checks(settings, Selection())
    assert healthy.exit_code == 0 and healthy.checks[0]["outcome"] == "pass"
