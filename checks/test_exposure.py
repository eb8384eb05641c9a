"""Exposure: does the web front hide what attackers look for, and is the software still supported?"""

import datetime as dt
import difflib
import json
import re
import secrets
import tomllib
from pathlib import Path

import pytest

from runner.clients.http import ResponseTooLarge
from runner.pytest_plugin import Degraded

SENSITIVE_PATHS = ("/.env", "/.git/HEAD", "/config.php.bak", "/phpinfo.php", "/vendor/", "/scripts/")
LISTING_PATHS = ("/uploads/",)
LISTING_SIGNS = ("Index of /", "Parent Directory", "Directory listing for")
SOFT_404_SIMILARITY = 0.9
VERSION_NUMBER = re.compile(r"\d+\.\d+|/\d")
EOL_TABLE = Path(__file__).with_name("software_eol.toml")
PRODUCTS = {"php": "PHP", "mariadb": "MariaDB"}


@pytest.mark.cadence("daily")
@pytest.mark.area("security")
@pytest.mark.severity("critical")
@pytest.mark.runbook("security-incident")
def test_sensitive_paths_not_exposed(settings, http, measure):
    """Secrets, source control, backups, phpinfo and directory listings are not served: one leak hands over the database."""
    baseline = http.get(f"/dija-monitor-not-found-{secrets.token_hex(6)}", allow_redirects=False)
    backups = tuple("/" + name.lstrip("/") for name in settings.site.backup_file_names)
    exposed = [found for path in (*SENSITIVE_PATHS, *backups) if (found := served(http, path, baseline))]
    exposed += [found for path in LISTING_PATHS if (found := listed(http, path, baseline))]
    measure(exposed_paths=len(exposed), paths_probed=len(SENSITIVE_PATHS) + len(backups) + len(LISTING_PATHS))
    assert not exposed, "served: " + "; ".join(exposed)


def served(http, path: str, baseline) -> str | None:
    """What is exposed at `path` (status, size, type; never the content), or None."""
    try:
        response = http.get(path, allow_redirects=False)
    except ResponseTooLarge:
        return f"{path}: HTTP 200, larger than the read limit"
    if response.status_code != 200 or looks_like(response, baseline):
        return None
    kind = response.headers.get("Content-Type", "no type").split(";")[0]
    return f"{path}: HTTP 200, {len(response.content)} bytes ({kind})"


def listed(http, path: str, baseline) -> str | None:
    response = http.get(path, allow_redirects=False)
    if response.status_code == 200 and not looks_like(response, baseline) and \
            any(sign in response.text for sign in LISTING_SIGNS):
        return f"{path}: directory listing (HTTP 200)"
    return None


def looks_like(response, baseline) -> bool:
    """A 200 that is the shop's own "not found" page (a soft 404) exposes nothing."""
    if baseline.status_code != 200:
        return False
    ratio = difflib.SequenceMatcher(None, response.text[:20000], baseline.text[:20000]).quick_ratio()
    return ratio >= SOFT_404_SIMILARITY


@pytest.mark.cadence("daily")
@pytest.mark.area("security")
@pytest.mark.severity("warning")
@pytest.mark.runbook("security-incident")
def test_security_headers_present(settings, http, measure):
    """Security headers are set and no software version is advertised: they blunt XSS, clickjacking and targeted attacks."""
    headers = http.get("/").headers
    csp = headers.get("Content-Security-Policy", "")
    required = {"Strict-Transport-Security": "Strict-Transport-Security" in headers,
                "X-Content-Type-Options: nosniff": headers.get("X-Content-Type-Options", "").lower() == "nosniff",
                "X-Frame-Options or CSP frame-ancestors": "X-Frame-Options" in headers or "frame-ancestors" in csp,
                "Content-Security-Policy": bool(csp),
                "Referrer-Policy": "Referrer-Policy" in headers}
    missing = [name for name, present in required.items() if not present]
    leaks = [f"{name}: {headers[name]}" for name in ("X-Powered-By", "Server")
             if name in headers and VERSION_NUMBER.search(headers[name])]
    measure(missing_headers=len(missing), version_leaks=len(leaks))
    problems = ([f"missing {', '.join(missing)}"] if missing else []) + [f"version leak {leak}" for leak in leaks]
    assert not problems, f"{settings.site.origin}/: " + "; ".join(problems)


@pytest.fixture
def server_versions(request, settings) -> list[tuple[str, str, str]]:
    """(product, version, where it was read) from server.versions_file and the database's VERSION()."""
    found = []
    versions_file = settings.server.versions_file if settings.server else None
    if versions_file:
        data = json.loads(Path(versions_file).read_text())
        found += [(key, str(data[key]), versions_file.name) for key in PRODUCTS if data.get(key)]
    if settings.database:
        version = request.getfixturevalue("db").value("SELECT VERSION()")
        if "mariadb" in version.lower():
            found.append(("mariadb", version, "SELECT VERSION()"))
    if not found:
        pytest.skip("not configured: no server.versions_file and no [database] section")
    return found


@pytest.mark.cadence("monthly")
@pytest.mark.area("security")
@pytest.mark.severity("warning")
@pytest.mark.runbook("security-incident")
def test_software_supported(settings, server_versions, measure):
    """PHP and MariaDB are release lines that still get security fixes: past end of life, holes stay open."""
    table = tomllib.loads(EOL_TABLE.read_text())
    today = dt.datetime.now(dt.timezone.utc).date()
    warn_days = settings.thresholds.software_eol_warn_days
    failures, warnings, days_by_product = [], [], {}
    for product, version, where in server_versions:
        name = f"{PRODUCTS[product]} {version} ({where})"
        line = re.match(r"(\d+\.\d+)", version)
        end = table[product].get(line.group(1)) if line else None
        if end is None:
            warnings.append(f"{name}: release line not in {EOL_TABLE.name}; update the table")
            continue
        days = (end - today).days
        days_by_product[product] = min(days, days_by_product.get(product, days))
        if days < 0:
            failures.append(f"{name}: end of life since {end} ({-days} days ago)")
        elif days <= warn_days:
            warnings.append(f"{name}: end of life on {end}, in {days} days <= {warn_days}")
    measure(**{f"{product}_days_to_eol": days for product, days in days_by_product.items()})
    assert not failures, "; ".join(failures + warnings)
    if warnings:
        raise Degraded("; ".join(warnings))
