"""The check contract as pytest sees it: outcomes, measurements, selection, scrubbing."""

import json
import re

import pytest

CONFIG = """
env_file = "monitor.env"
[site]
base_url = "https://shop.invalid"
[database]
name = "shop"
user = "monitor"
password_env = "TEST_DB_PASSWORD"
"""

CHECKS = '''
import pytest
from runner.pytest_plugin import Degraded

def marks(cadence="hourly"):
    def apply(fn):
        for m in (pytest.mark.cadence(cadence), pytest.mark.area("availability"), pytest.mark.severity("warning")):
            fn = m(fn)
        return fn
    return apply

@marks("critical")
def test_passes(measure):
    """Passes."""
    measure(load_seconds=1.25)

@marks()
def test_degrades(measure):
    """Degrades."""
    measure(days_left=15)
    raise Degraded("certificate expires in 15 days < 21")

@marks()
def test_fails():
    """Fails."""
    value = 4.8
    assert value <= 3.0, f"/product/gold-hoops: {value} s > 3.0 s"

@marks()
def test_errors():
    """Errors."""
    raise ConnectionError("gateway unreachable")

@marks()
def test_target_refuses(unused_port):
    """Errors on a refused connection."""
    import requests
    requests.get(f"http://127.0.0.1:{unused_port}/health", timeout=2)

@marks()
def test_skips(settings):
    """Skips."""
    from runner.pytest_plugin import configured
    configured(settings, "backups")

@marks()
def test_hangs():
    """Hangs."""
    import time
    time.sleep(30)

@marks()
def test_leaks_secret(settings):
    """Leaks."""
    secret = settings.database.secret("password").reveal()
    print("connecting with", secret)
    assert False, f"login failed with {secret}"
'''


@pytest.fixture
def project(pytester):
    pytester.makefile(".toml", monitor=CONFIG)
    pytester.path.joinpath("monitor.env").write_text("TEST_DB_PASSWORD=hunter2-very-secret\n")
    pytester.makepyfile(test_checks=CHECKS)
    pytester.makeconftest("""
import socket, pytest

@pytest.fixture
def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
""")
    return pytester


def run(project, *args):
    result = project.runpytest_subprocess(
        "-p",
        "runner.pytest_plugin",
        "--config",
        "monitor.toml",
        "--timeout",
        "2",
        "--results-json",
        "results.json",
        "-p",
        "no:cacheprovider",
        *args,
    )
    document = json.loads(project.path.joinpath("results.json").read_text())
    return result, {c["name"]: c for c in document["checks"]}


def test_each_outcome_is_recorded_with_its_message_and_measurements(project):
    _, checks = run(project)
    assert {name: c["outcome"] for name, c in checks.items()} == {
        "test_passes": "pass",
        "test_degrades": "degraded",
        "test_fails": "fail",
        "test_errors": "error",
        "test_skips": "skipped",
        "test_leaks_secret": "fail",
        "test_hangs": "error",
        "test_target_refuses": "error",
    }
    assert checks["test_passes"]["measurements"] == {"load_seconds": 1.25}
    assert checks["test_degrades"]["message"] == "certificate expires in 15 days < 21"
    assert checks["test_fails"]["message"] == "/product/gold-hoops: 4.8 s > 3.0 s"
    assert checks["test_errors"]["message"] == "could not run: ConnectionError: gateway unreachable"
    assert re.fullmatch(
        r"could not run: http://127\.0\.0\.1:\d+/health: connection refused", checks["test_target_refuses"]["message"]
    )
    assert checks["test_hangs"]["message"].startswith("could not finish: Timeout (>2.0s) from pytest-timeout")
    assert "no [backups] section" in checks["test_skips"]["message"]
    assert checks["test_passes"]["cadence"] == "critical" and checks["test_passes"]["summary"] == "Passes."


def test_degraded_shows_in_the_terminal_and_does_not_fail_the_run(project):
    result, _ = run(project, "-k", "passes or degrades")
    result.stdout.fnmatch_lines(["*1 passed*1 degraded*"])
    assert result.ret == 0


def test_cadence_option_selects_only_that_cadence(project):
    _, checks = run(project, "--cadence", "critical")
    assert list(checks) == ["test_passes"]


def test_secret_values_never_reach_results_junit_or_html(project):
    run(project, "--junitxml", "junit.xml", "--html", "report.html", "--self-contained-html")
    for name in ("results.json", "junit.xml", "report.html"):
        text = project.path.joinpath(name).read_text()
        assert "hunter2-very-secret" not in text, name
    assert "login failed with ***" in project.path.joinpath("results.json").read_text()


def test_a_check_without_markers_or_docstring_breaks_the_contract(pytester):
    pytester.makefile(".toml", monitor=CONFIG)
    pytester.mkdir("checks").joinpath("test_bad.py").write_text("def test_naked():\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "runner.pytest_plugin", "checks")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_naked: missing @pytest.mark.cadence*", "*test_naked: no docstring*"])


def test_an_unknown_area_is_a_collection_error_naming_the_check_and_the_known_areas(pytester):
    pytester.makefile(".toml", monitor=CONFIG)
    pytester.mkdir("checks").joinpath("test_typo.py").write_text(
        'import pytest\n\npytestmark = pytest.mark.area("availabilty")\n\n\n'
        '@pytest.mark.cadence("hourly")\n@pytest.mark.severity("warning")\n'
        'def test_home():\n    """Home answers."""\n'
    )
    result = pytester.runpytest_subprocess("-p", "runner.pytest_plugin", "checks")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*checks/test_typo.py::test_home: area 'availabilty' is not one of "
            "availability, performance, tls, *, backups (runner/records.py AREAS)"
        ]
    )
