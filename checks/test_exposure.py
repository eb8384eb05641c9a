"""Exposure: does the web front hide what attackers look for, and is the software still supported?"""

import datetime as dt
import json
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from runner.clients import notfound, webroot
from runner.clients.http import ResponseTooLarge
from runner.pytest_plugin import Degraded

pytestmark = pytest.mark.area("security")

SENSITIVE_PATHS = ("/.env", "/.git/HEAD", "/config.php.bak", "/phpinfo.php", "/vendor/", "/scripts/")
LISTING_SIGNS = ("Index of /", "Parent Directory", "Directory listing for")
LISTING_DEPTH, LISTING_MAX = 2, 20
DATED_NAMES = ("{stem}-{date}.sql", "{stem}-{date}.sql.gz", "{stem}-{date}.zip")
SOFT_404 = "unknown paths answer 200 (soft 404)"
VERSION_NUMBER = re.compile(r"\d+\.\d+|/\d")
EOL_TABLE = Path(__file__).with_name("software_eol.toml")
PRODUCTS = {"php": "PHP", "mariadb": "MariaDB"}


@pytest.mark.cadence("daily")
@pytest.mark.severity("critical")
@pytest.mark.runbook("security-incident")
def test_sensitive_paths_not_exposed(settings, http, measure):
    """Secrets, source control, dumps, archives, phpinfo, planted code and directory listings are not served: one leak hands over the database."""
    not_found = notfound.fingerprint(http)
    web_root = settings.server.web_root if settings.server else None
    scan = webroot.scan(web_root) if web_root else None
    names = [*SENSITIVE_PATHS, *("/" + name.lstrip("/") for name in settings.site.backup_file_names)]
    names += [] if scan else dated_names(settings, dt.datetime.now(dt.UTC).date())
    exposed = [f"{path}: {answer}" for path in dict.fromkeys(names) if (answer := served_answer(http, path, not_found))]
    refused = 0
    for candidate in scan.candidates if scan else []:
        if "/" + candidate.relative in names:
            continue  # probed by name already
        answer = served_answer(http, "/" + candidate.relative, not_found)
        refused += answer is None
        if answer:
            exposed.append(
                f"/{candidate.relative} ({candidate.what}, {candidate.size} bytes in the web root): {answer}"
            )
    folders = listing_folders(scan) if scan else settings.site.listing_paths
    exposed += [f"{path}: directory listing (HTTP 200)" for path in folders if listed(http, path, not_found)]
    measure(
        exposed_paths=len(exposed),
        paths_probed=len(names) + len(folders) + (len(scan.candidates) if scan else 0),
        web_root_files_scanned=scan.files_seen if scan else 0,
        found_on_disk_but_refused=refused,
        soft_404=int(not_found.soft),
    )
    notes = ([SOFT_404] if not_found.soft else []) + (
        [f"web root scan {scan.cut_short}"] if scan and scan.cut_short else []
    )
    assert not exposed, "served: " + "; ".join(exposed + notes)
    if notes:
        raise Degraded("; ".join(notes))


def served_answer(http, path: str, not_found) -> str | None:
    """What is served at `path` (status, size, type; never the content), or None."""
    is_served, answer = notfound.probe(http, path, not_found)
    return answer if is_served else None


def dated_names(settings, today: dt.date) -> list[str]:
    """Dump names a person or a script makes: database name, host or "backup", then a year or a day."""
    host = urlsplit(settings.site.base_url).hostname or ""
    label = "" if host.replace(".", "").isdigit() else host.split(".")[0]  # an IP address has no name to take
    stems = dict.fromkeys([settings.database.name if settings.database else "", host, label, "backup"])
    yesterday = today - dt.timedelta(days=1)
    dates = [str(today.year), str(today.year - 1)] + [
        day.strftime(form) for day in (today, yesterday) for form in ("%Y-%m-%d", "%Y%m%d")
    ]
    return [
        "/" + pattern.format(stem=stem, date=date)
        for stem in stems
        if stem
        for date in dates
        for pattern in DATED_NAMES
    ]


def listing_folders(scan) -> list[str]:
    """The web root's folders near the top that have no index page: where a listing would show."""
    shallow = [
        folder
        for folder in scan.folders
        if folder and folder.count("/") < LISTING_DEPTH and not any(part.startswith(".") for part in folder.split("/"))
    ]
    return [f"/{folder}/" for folder in shallow[:LISTING_MAX]]


def listed(http, path: str, not_found) -> bool:
    try:
        response = http.get(path, allow_redirects=False)
    except ResponseTooLarge:
        return False  # a listing is a small page; whatever this is, it is not one
    return (
        response.status_code == 200
        and not not_found.matches(response, path)
        and any(sign in response.text for sign in LISTING_SIGNS)
    )


@pytest.mark.cadence("daily")
@pytest.mark.severity("warning")
@pytest.mark.runbook("security-incident")
def test_security_headers_present(settings, http, measure):
    """Security headers are set and no software version is advertised: they blunt XSS, clickjacking and targeted attacks."""
    headers = http.get("/").headers
    csp = headers.get("Content-Security-Policy", "")
    required = {
        "Strict-Transport-Security": "Strict-Transport-Security" in headers,
        "X-Content-Type-Options: nosniff": headers.get("X-Content-Type-Options", "").lower() == "nosniff",
        "X-Frame-Options or CSP frame-ancestors": "X-Frame-Options" in headers or "frame-ancestors" in csp,
        "Content-Security-Policy": bool(csp),
        "Referrer-Policy": "Referrer-Policy" in headers,
    }
    missing = [name for name, present in required.items() if not present]
    leaks = [
        f"{name}: {headers[name]}"
        for name in ("X-Powered-By", "Server")
        if name in headers and VERSION_NUMBER.search(headers[name])
    ]
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
@pytest.mark.severity("warning")
@pytest.mark.runbook("security-incident")
def test_software_supported(settings, server_versions, measure):
    """PHP and MariaDB are release lines that still get security fixes: past end of life, holes stay open."""
    table = tomllib.loads(EOL_TABLE.read_text())
    today = dt.datetime.now(dt.UTC).date()
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
    measure(**{f"days_to_eol[{product}]": days for product, days in days_by_product.items()})
    assert not failures, "; ".join(failures + warnings)
    if warnings:
        raise Degraded("; ".join(warnings))
