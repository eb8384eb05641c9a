"""One writer of alert state: `dija-monitor run`s started at once on one reports folder (a manual run
or `verify` during a scheduled one) take turns for the alert step. Before, each read the state, both
sent the incident, and two failing runs were counted as one."""

from runner.pipeline import open_store
from tests.cli import start_dija, stop

RUNS = 3
SITE_DOWN = '''
@check()
def test_site_is_down():
    """The site answers."""
    assert False, "/: connection refused"
'''


def test_runs_at_once_send_each_notice_once_and_count_every_failure(checks_settings, receiver):
    receiver.pause = 2  # each delivery takes 2 s: without turns, the runs' alert steps overlap
    settings = checks_settings(
        SITE_DOWN,
        extra=f"[alerts]\nfailure_threshold = 1\n[[alerts.channels]]\n"
        f'name = "hook"\nurl = "json://127.0.0.1:{receiver.server.server_address[1]}/hook"\n',
    )
    runs = [start_dija("run", "--config", str(settings.source), "--cadence", "critical") for _ in range(RUNS)]
    try:
        outputs = [run.communicate(timeout=180)[0] for run in runs]
    finally:
        for run in runs:
            stop(run)
    assert [run.returncode for run in runs] == [1] * RUNS, outputs
    assert all("Traceback" not in out and "post-run step failed" not in out for out in outputs), outputs
    titles = [body["title"] for body in receiver.on("/hook")]
    assert titles == ["[FAILING] shop.invalid: test_site_is_down"]
    with open_store(settings.reports_dir()) as store:
        [state] = store.alert_states().values()
        sent = [(n["channel"], n["kind"]) for n in store.notifications()]
    assert (state["status"], state["failures"]) == ("failing", RUNS)
    assert sorted(sent) == [("hook", "incident"), ("outbox", "incident")]
