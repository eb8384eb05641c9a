"""Alerts first, independent of the disk. With the reports on a full disk (a 200 KiB tmpfs) or a
read-only one, the checks still run and every channel is told:
"monitor cannot write its reports: <the real cause>" with the failing checks, and the alert state
advances from what can be read. The runner error names the cause, not a check; no traceback; only
paths it wrote are printed. Before: a traceback from the output thread, a check blamed for a crash,
no alert at all, and a dashboard path it had not written."""

import os
import subprocess

import pytest

from tests.cli import dija
from tests.reliability.conftest import NOTICE, alerting

FAILING_CHECK = "  - test_site_is_down: /: connection refused"

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounts a tmpfs: needs root")


@pytest.fixture
def disk(tmp_path):
    """disk(size) -> a tmpfs of that size mounted for the test; unmounted in teardown."""
    mounted = []

    def mount(size: str):
        mounted.append(tmp_path / f"disk{len(mounted)}")
        mounted[-1].mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mounted[-1])], check=True)
        return mounted[-1]

    yield mount
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], check=True)


def remount_read_only(mount) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


def run(settings, reports):
    done = dija("run", "--config", str(settings.source), "--reports-dir", str(reports))
    assert "Traceback" not in done.stdout + done.stderr, done.stdout + done.stderr
    return done


def test_on_a_full_disk_every_channel_is_told_with_the_failing_checks(checks_settings, receiver, disk):
    tiny_disk = disk("200k")
    (tiny_disk / "filler").write_bytes(b"\0" * (192 * 1024))  # 8 KiB left
    settings = alerting(checks_settings, receiver)
    done = run(settings, tiny_disk / "reports")
    assert done.returncode == 3, done.stdout + done.stderr
    assert f"RUNNER ERROR: cannot write the reports: no space left on {tiny_disk}\n" in done.stdout
    assert "crashed" not in done.stdout and "report:" not in done.stdout and "dashboard:" not in done.stdout
    assert_told(receiver, f"no space left on {tiny_disk}")


def test_a_disk_filling_up_during_the_run_still_lets_the_alerts_out(checks_settings, receiver, disk):
    tiny_disk = disk("200k")  # the run's files fit; the history, outbox and dashboard after them do not
    settings = alerting(checks_settings, receiver)
    done = run(settings, tiny_disk / "reports")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "dashboard:" not in done.stdout
    assert f"dija-monitor: post-run step failed: reports: cannot write: no space left on {tiny_disk}\n" in done.stderr
    assert_told(receiver, f"no space left on {tiny_disk}")


def assert_told(receiver, cause: str) -> None:
    [notice] = receiver.on("/hook")
    assert notice["title"] == NOTICE
    assert f"monitor cannot write its reports: {cause}." in notice["message"]
    assert FAILING_CHECK in notice["message"]


def test_on_a_read_only_disk_the_state_is_read_and_the_owner_told(checks_settings, receiver, disk):
    tiny_disk = disk("4m")
    settings = alerting(checks_settings, receiver, failure_threshold=1)
    first = run(settings, tiny_disk / "reports")
    assert first.returncode == 1 and "dashboard:" in first.stdout, first.stdout + first.stderr
    remount_read_only(tiny_disk)
    done = run(settings, tiny_disk / "reports")
    assert done.returncode == 3, done.stdout + done.stderr
    assert (
        f"RUNNER ERROR: cannot write the reports: cannot create the run folder {tiny_disk}/reports/runs/" in done.stdout
        and done.stdout.rstrip().endswith("Read-only file system")
    )
    assert "dashboard:" not in done.stdout  # index.html is the first run's
    incident, notice = receiver.on("/hook")  # the incident is not sent again: its state was read
    assert incident["title"] == "[FAILING] shop.invalid: test_site_is_down"
    assert notice["title"] == NOTICE and FAILING_CHECK in notice["message"]
