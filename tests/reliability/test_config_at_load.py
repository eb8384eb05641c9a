"""Every config value with a use that could fail later fails at load instead: `check-config` and
`run` alike exit 2 with one message naming the key, nothing run. Before, a window in an unknown
timezone passed check-config and then stopped every run's alerts; a channel URL check-config refused
was silently left out by `run`. Secret hygiene too: credentials in the file, an empty secret, a
missing env_file; an env_file others can read is a warning (check-config, dashboard)."""

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from runner import config, maintenance
from runner.cli import main
from runner.dashboard import write_dashboard
from runner.pipeline import open_store
from tests.cli import dija

SITE = '[site]\nbase_url = "https://shop.invalid"\n'
SLACK_TOKEN = "T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
STRIPE = '[payments.stripe]\napi_base = "https://api.stripe.com"\nkey_env = "DIJA_TEST_KEY"\n'
RECURRING = '[[alerts.maintenance]]\nfrom_time = "01:00"\nto_time = "02:00"\n'
CASES = {  # name -> (config after [site], environment, the one problem line)
    "unknown timezone": (
        RECURRING + 'timezone = "Mars/Olympus"\n',
        {},
        "alerts.maintenance[0].timezone: unknown timezone 'Mars/Olympus' (an IANA name such as Africa/Lagos)",
    ),
    "apprise URL apprise refuses": (
        '[[alerts.channels]]\nurl = "nosuchscheme://host/x"\n',
        {},
        "alerts.channels[0].url: not a usable apprise URL (nosuchscheme://host)",
    ),
    "apprise URL from a variable": (
        '[[alerts.channels]]\nurl_env = "DIJA_TEST_URL"\n',
        {"DIJA_TEST_URL": "nosuchscheme://host/x"},
        "alerts.channels[0].url: not a usable apprise URL (nosuchscheme://host)",
    ),
    "alertmanager URL": (
        '[[alerts.channels]]\ntype = "alertmanager"\nurl = "ftp://127.0.0.1:9093"\n',
        {},
        "alerts.channels[0].url: an Alertmanager URL starts with http:// or https://",
    ),
    "password in an apprise URL": (
        '[[alerts.channels]]\nurl = "json://ops:hunter22@127.0.0.1:9/hook"\n',
        {},
        "alerts.channels[0].url: holds credentials (json://127.0.0.1); put it in url_env",
    ),
    "token in an apprise URL": (
        f'[[alerts.channels]]\nurl = "slack://{SLACK_TOKEN}"\n',
        {},
        "alerts.channels[0].url: holds credentials (slack://t1jj3t3l2); put it in url_env",
    ),
    "password in an Alertmanager URL": (
        '[[alerts.channels]]\ntype = "alertmanager"\nurl = "http://ops:hunter22@127.0.0.1:9093"\n',
        {},
        "alerts.channels[0].url: holds credentials (http://127.0.0.1); put it in url_env",
    ),
    "password in the heartbeat URL": (
        '[schedule]\nheartbeat_url = "https://ops:hunter22@hc.example/ping"\n',
        {},
        "schedule.heartbeat_url: holds credentials; put it in heartbeat_url_env",
    ),
    "CA bundle missing": (
        '[tls]\nca_bundle = "absent-ca.pem"\n',
        {},
        "tls.ca_bundle: {folder}/absent-ca.pem is not a file",
    ),
    "checks folder missing": (
        '[runner]\nchecks_dir = "absent-checks"\n',
        {},
        "runner.checks_dir: {folder}/absent-checks is not a folder",
    ),
    "env_file missing": ('env_file = "absent.env"\n', {}, "env_file: {folder}/absent.env does not exist"),
    "empty secret": (STRIPE, {"DIJA_TEST_KEY": ""}, "payments.stripe.key_env: variable DIJA_TEST_KEY is empty"),
    "blank secret": (STRIPE, {"DIJA_TEST_KEY": "  "}, "payments.stripe.key_env: variable DIJA_TEST_KEY is empty"),
    "schedule interval overflowing": (
        "[schedule]\ncritical_every_minutes = 1e300\n",
        {},
        "schedule.critical_every_minutes: at most ten years (5270400 min)",
    ),
    "infinite check timeout": (
        "[runner]\ncheck_timeout_seconds = inf\n",
        {},
        "runner.check_timeout_seconds: Input should be a finite number",
    ),
    "NaN run timeout": (
        "[runner]\nrun_timeout_seconds = nan\n",
        {},
        "runner.run_timeout_seconds: Input should be a finite number",
    ),
    "SQL interval overflowing": (
        "[thresholds]\nsession_max_age_days = 1e12\n",
        {},
        "thresholds.session_max_age_days: at most ten years (3660 days)",
    ),
    "reminder overflowing": (
        "[alerts]\nreminder_interval_minutes = 1e300\n",
        {},
        "alerts.reminder_interval_minutes: at most ten years (5270400 min)",
    ),
}
COMMANDS = {"check-config": [], "run": ["-k", "anything"]}


def write(folder, body: str):
    path = folder / "monitor.toml"
    top, rest = body.split("\n", 1) if body.startswith("env_file") else ("", body)  # top-level keys go first
    path.write_text(f"{top}\n{SITE}{rest}")
    return path


@pytest.fixture
def cli(capsys, monkeypatch):
    """cli(config text, command, folder, environment) -> (exit code, stdout, stderr): main() in this process."""
    sigterm = signal.getsignal(signal.SIGTERM)  # main() makes SIGTERM act like Ctrl-C: restored after
    for name in [n for n in os.environ if n.startswith("DIJA_")]:
        monkeypatch.delenv(name)

    def run(body: str, command: str, folder, environ: dict):
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        argv = [command, "--config", str(write(folder, body)), *COMMANDS[command]]
        code = main(argv + (["--reports-dir", str(folder / "reports")] if command == "run" else []))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    yield run
    signal.signal(signal.SIGTERM, sigterm)


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", CASES)
def test_a_value_that_would_fail_later_fails_at_load_naming_its_key(cli, tmp_path, case, command):
    body, environ, expected = CASES[case]
    code, stdout, stderr = cli(body, command, tmp_path, environ)
    assert code == 2, stderr
    lines = stderr.strip().splitlines()
    assert lines[0].endswith(": invalid configuration") and len(lines) == 2, stderr
    assert lines[1].strip().startswith(expected.format(folder=tmp_path)), stderr
    assert "hunter22" not in stderr and SLACK_TOKEN.split("/")[-1] not in stderr
    assert stdout == "" and not (tmp_path / "reports").exists()


def test_a_url_with_credentials_is_accepted_from_its_variable(tmp_path):
    path = write(tmp_path, '[[alerts.channels]]\nurl_env = "DIJA_TEST_URL"\n')
    settings = config.load(path, environ={"DIJA_TEST_URL": "json://ops:hunter22@127.0.0.1:9/hook"})
    assert settings.alerts.channels[0].secret("url").reveal() == "json://ops:hunter22@127.0.0.1:9/hook"


def test_an_env_file_others_can_read_is_a_warning_in_check_config_and_on_the_dashboard(tmp_path):
    env_file = tmp_path / "monitor.env"
    env_file.write_text("DIJA_TEST_KEY=sk_test_123456\n")
    env_file.chmod(0o644)
    path = write(tmp_path, 'env_file = "monitor.env"\n' + STRIPE + '[runner]\nreports_dir = "reports"\n')
    done = dija(
        "check-config", "--config", str(path), env={k: v for k, v in os.environ.items() if not k.startswith("DIJA_")}
    )
    assert done.returncode == 0, done.stderr
    warning = (
        f"env_file: {env_file} is readable by other users (mode 0644); its secrets are exposed: chmod 600 {env_file}"
    )
    assert done.stderr == f"dija-monitor: warning: {warning}\n"
    settings = config.load(path, environ={})
    with open_store(settings.reports_dir()) as store:
        assert warning in write_dashboard(store, settings).read_text()
    env_file.chmod(0o600)
    assert config.load(path, environ={}).warnings == []


@pytest.mark.parametrize(
    "duration, forced, expected",
    [
        ("31d", False, "--for '31d': longer than 30 days; add --force to hold alerts that long"),
        ("99999999d", True, "--for '99999999d': longer than ten years"),
        ("31d", True, ""),
    ],
)
def test_a_manual_maintenance_window_is_capped_at_30_days_unless_forced(
    make_settings, capsys, duration, forced, expected
):
    settings = make_settings()
    args = [
        "maintenance",
        "start",
        "--for",
        duration,
        *(["--force"] if forced else []),
        "--config",
        str(settings.source),
    ]
    assert main(args) == (2 if expected else 0)
    assert expected in capsys.readouterr().err
    with open_store(settings.reports_dir()) as store:
        window = store.get_meta(maintenance.META_KEY)
    assert (window is None) == bool(expected)


def test_a_closed_stdout_ends_quietly(make_settings):
    settings = make_settings()
    read_end, write_end = os.pipe()
    os.close(read_end)  # `| head -1` gone before the output comes
    try:
        done = subprocess.run(
            [sys.executable, "-m", "runner", "check-config", "--config", str(settings.source)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (0, "")


def test_a_one_off_window_mixing_a_zoned_and_a_naive_time_loads_and_holds(make_settings):
    settings = make_settings("[[alerts.maintenance]]\nstart = 2024-06-01T22:00:00Z\nend = 2024-06-01T23:00:00\n")
    at = datetime(2024, 6, 1, 22, 30, tzinfo=UTC).timestamp()  # a naive time is UTC, as when it is used
    assert maintenance.active(settings.alerts.maintenance, None, at)["source"] == "alerts.maintenance[0]"
