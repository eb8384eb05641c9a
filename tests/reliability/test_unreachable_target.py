"""The shop, its database or its mail servers unreachable: the real checks fail or error with a
message naming what is down, the run completes with exit code 1 and its summary has no traceback.

One `dija-monitor run` (module fixture) with every dependency on a port nothing listens on."""

import re

import pytest

from demoshop.procs import free_port
from runner.execute import Selection
from runner.pipeline import open_store, run_once
from tests.cli import dija

SELECTED = (
    "test_key_pages_answer",
    "test_database_answers_quickly",
    "test_connections_below_limit",
    "test_email_round_trip",
    "test_email_queue_not_stuck",
)


@pytest.fixture(scope="module")
def down(tmp_path_factory):
    """(CompletedProcess, {check name: record}, ports) of one run against closed ports."""
    folder = tmp_path_factory.mktemp("all-down")
    ports = {name: free_port() for name in ("site", "db", "smtp", "imap")}
    config = folder / "monitor.toml"
    config.write_text(
        f'[site]\nbase_url = "http://127.0.0.1:{ports["site"]}"\ntimeout_seconds = 5\n'
        f'[runner]\nreports_dir = "reports"\n'
        f'[database]\nport = {ports["db"]}\nname = "dija_shop"\nuser = "monitor"\nconnect_timeout_seconds = 5\n'
        f"[mail]\nsmtp_port = {ports['smtp']}\nsmtp_starttls = false\nimap_port = {ports['imap']}\n"
        f'imap_ssl = false\nimap_user = "monitor"\nfrom_address = "shop@dija.example"\n'
        f'to_address = "monitor@dija.example"\n'
    )
    done = dija("run", "--config", str(config), "-k", " or ".join(SELECTED))
    with open_store(folder / "reports") as store:
        records = {s["name"]: s for s in store.latest_states()}
    return done, records, ports


def test_the_run_completes_with_exit_1_and_a_summary_without_traceback(down):
    done, records, _ = down
    assert done.returncode == 1, done.stdout + done.stderr
    assert sorted(records) == sorted(SELECTED)
    assert "5 checks (selected" in done.stdout and "2 fail, 3 error" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr and "RUNNER ERROR" not in done.stdout


def test_a_refused_site_fails_the_key_pages_check_with_connection_refused(down):
    done, records, _ = down
    assert (records["test_key_pages_answer"]["outcome"], records["test_key_pages_answer"]["message"]) == (
        "fail",
        "/: connection refused",
    )
    assert "FAIL     test_key_pages_answer: /: connection refused" in done.stdout


def test_a_database_down_fails_connectivity_and_errors_the_checks_that_need_it_naming_it(down):
    _, records, ports = down
    where = f"monitor@127.0.0.1:{ports['db']}/dija_shop: cannot connect"
    assert records["test_database_answers_quickly"]["outcome"] == "fail"
    assert records["test_database_answers_quickly"]["message"].startswith(f"database unreachable: {where}")
    for name in ("test_connections_below_limit", "test_email_queue_not_stuck"):
        assert records[name]["outcome"] == "error", records[name]
        assert "database unreachable, check could not run" in records[name]["message"]
        assert where in records[name]["message"]


def test_an_imap_server_down_errors_the_round_trip_naming_the_mailbox(down):
    _, records, ports = down
    record = records["test_email_round_trip"]
    assert record["outcome"] == "error"
    assert f"IMAP 127.0.0.1:{ports['imap']}: cannot connect" in record["message"]
    assert "Connection refused" in record["message"]


def test_a_hanging_site_is_bounded_by_the_site_timeout_and_the_message_says_so(make_settings, silent_port):
    settings = make_settings(base_url=f"http://127.0.0.1:{silent_port}", site="timeout_seconds = 1")
    result, failures = run_once(settings, Selection(keyword="test_key_pages_answer"))
    assert (result.exit_code, result.error, failures) == (1, "", [])
    [record] = result.checks
    assert record["outcome"] == "fail" and 1 <= record["duration"] < 3, record
    assert re.fullmatch(r"/: no (complete )?answer within .*timeout.*", record["message"]), record["message"]
