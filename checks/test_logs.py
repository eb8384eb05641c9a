"""Logs: new PHP fatal errors, the HTTP error rate and suspicious traffic, read from the shop's logs."""

import datetime as dt
import re
from collections import Counter
from urllib.parse import unquote_plus

import pytest

from runner.clients import logfiles
from runner.pytest_plugin import configured
from runner.units import moment_text

pytestmark = pytest.mark.area("logs")

FATAL = re.compile(r"PHP (Fatal|Parse) error")
ATTACKS = {
    "SQL injection": re.compile(r"union(\s|/\*.*?\*/)+(all\s+)?select|'\s*or\s+'?1'?\s*=\s*'?1", re.I),
    "path traversal": re.compile(r"\.\./|/etc/passwd", re.I),
}
MAX_QUOTED = 5
WINDOW = dt.timedelta(hours=1)


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("logs")
@pytest.mark.smoke
def test_no_new_php_fatal_errors(settings, state, measure, deploy_since):
    """No new PHP fatal or parse errors since the last run (the deploy gate: since the deploy): each one is a page that broke for a customer."""
    path = _log(settings, "php_error_log")
    if deploy_since is None:
        saved = state.load()
        lines, position, rotated = logfiles.new_lines(path, saved.get(str(path), {}))
        state.save({**saved, str(path): position})  # saved first: a fatal is reported once, not every hour
        measure(log_rotated=int(rotated))
        window = ""
    else:  # the scheduled runs keep their own position: they report it too
        lines, window = (
            logfiles.php_lines_since(path, deploy_since),
            f" since the deploy of {moment_text(deploy_since)}",
        )
    fatals = [line for line in lines if FATAL.search(line)]
    measure(new_log_lines=len(lines), new_fatal_errors=len(fatals))
    quoted = " | ".join(line.strip()[:300] for line in fatals[:MAX_QUOTED])
    more = f" (and {len(fatals) - MAX_QUOTED} more)" if len(fatals) > MAX_QUOTED else ""
    assert not fatals, f"{len(fatals)} new PHP fatal/parse error(s){window} in {path}: {quoted}{more}"


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("site-down")
@pytest.mark.smoke
def test_http_error_rate(settings, measure, deploy_since):
    """Few requests of the last hour (the deploy gate: since the deploy) were answered with a server error (5xx): customers are not hitting broken pages."""
    path = _log(settings, "access_log")
    since, window = dt.datetime.now(dt.UTC) - WINDOW, "in the last hour"
    if deploy_since is not None:
        since, window = deploy_since, f"since the deploy of {moment_text(deploy_since)}"
    records = logfiles.access_since(path, since)
    errors = [r for r in records if 500 <= r.status <= 599]
    percent = 100 * len(errors) / len(records) if records else 0.0
    measure(requests_last_hour=len(records), http_5xx=len(errors), http_5xx_percent=percent)
    limit = settings.thresholds.http_5xx_max_percent
    top = ", ".join(f"{request} ×{count}" for request, count in Counter(r.request for r in errors).most_common(3))
    assert percent <= limit, (
        f"{len(errors)} of {len(records)} requests {window} answered 5xx: "
        f"{percent:.1f} % > {limit:g} % ({path}; most: {top})"
    )


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("security-incident")
def test_no_suspicious_traffic(settings, measure):
    """No client floods the shop and no request of the last hour probes for SQL injection or path traversal: an attack is caught early."""
    path = _log(settings, "access_log")
    since = dt.datetime.now(dt.UTC) - WINDOW
    # the monitor's own requests (its user agent) are not visitors' traffic
    records = [r for r in logfiles.access_since(path, since) if r.agent != settings.site.user_agent]
    limit = settings.thresholds.requests_per_ip_max
    per_ip = Counter(r.ip for r in records)
    flooding = [(ip, count) for ip, count in per_ip.most_common() if count > limit]
    probes = [(r, kind) for r in records for kind, pattern in ATTACKS.items() if pattern.search(_decoded(r.request))]
    measure(busiest_ip_requests=per_ip.most_common(1)[0][1] if per_ip else 0, attack_requests=len(probes))
    problems = [f"{ip} made {count} requests in the last hour > {limit}" for ip, count in flooding[:MAX_QUOTED]]
    if probes:
        shown = "; ".join(f"{r.ip} {kind}: {r.request[:150]}" for r, kind in probes[:MAX_QUOTED])
        problems.append(f"{len(probes)} attack pattern request(s): {shown}")
    assert not problems, f"{path}: " + "; ".join(problems)


def _log(settings, key: str):
    section = configured(settings, "logs")
    path = getattr(section, key)
    if path is None:
        pytest.skip(f"not configured: no logs.{key} in {settings.source}")
    return path


def _decoded(request: str) -> str:
    return unquote_plus(unquote_plus(request))
