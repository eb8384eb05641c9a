"""No secret value, in any encoding, reaches anything a run produces.

One `dija-monitor run` against the demo with every kind of secret configured (database, SMTP and
IMAP passwords, the customer's password, three gateway keys, the backup key, two alert channel
URLs with tokens) and two faults on, so that checks fail with messages, a browser check leaves a
screenshot and a Playwright trace, an alert is delivered and another delivery fails. Then every
artefact is searched: each file under the reports folder (zip members unpacked), the history's
rows, the webhook's payloads and the command's own output.
"""

import base64
import gzip
import json
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus

from runner.secrets import Scrubber
from tests.checks.conftest import PROJECT_ROOT, CheckRunner

SELECTED = (
    "key_pages_answer or customer_can_sign_in or gateway_up or database_answers or email_round_trip or backups_intact"
)
FAULTS = ("login_broken", "revoked_key")  # a failing browser check (trace, screenshot) and a failing HTTP check


def encodings(secret: str) -> dict[str, bytes]:
    """The forms a secret may take in an artefact: raw, URL-encoded, and base64 at any alignment
    (a value base64-encoded inside a longer text, e.g. a Basic auth header, keeps a fixed core)."""
    raw = secret.encode()
    forms = {"raw": raw, "url": quote(secret, safe="").encode(), "form": quote_plus(secret).encode()}
    for offset in range(3):
        for name, encode in (("base64", base64.b64encode), ("base64url", base64.urlsafe_b64encode)):
            encoded = encode(b"\0" * offset + raw)
            first, last = (1 if offset else 0), (offset + len(raw)) // 3  # whole groups of secret bytes only
            forms[f"{name}@{offset}"] = encoded[4 * first : 4 * last]
    return {name: form for name, form in forms.items() if len(form) >= 8}


def unpacked(path: Path) -> list[tuple[str, bytes]]:
    """The file's bytes, plus every member of a zip (Playwright traces) or the content of a gzip."""
    data = path.read_bytes()
    parts = [(str(path), data)]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            parts += [(f"{path}!{name}", archive.read(name)) for name in archive.namelist()]
    elif data[:2] == b"\x1f\x8b":
        parts.append((f"{path}!gunzip", gzip.decompress(data)))
    return parts


def history_rows(database: Path) -> list[tuple[str, bytes]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [
            (f"{database} table {table}", repr(db.execute(f"SELECT * FROM {table}").fetchall()).encode())
            for table in tables
        ]


def leaks(needles: dict[str, str], haystacks: list[tuple[str, bytes]]) -> list[str]:
    return [
        f"{name} ({form}) in {where}"
        for name, secret in needles.items()
        for form, needle in encodings(secret).items()
        for where, data in haystacks
        if needle in data
    ]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_no_secret_reaches_reports_evidence_history_alerts_dashboard_metrics_or_output(demo, fault, receiver, tmp_path):
    reports = tmp_path / "reports"
    extra = {
        "DIJA_SMTP_PASSWORD": secrets.token_urlsafe(18),
        "DIJA_ALERT_URL": f"json://{receiver.url.removeprefix('http://')}/hook/{secrets.token_hex(12)}",
        "DIJA_ALERT_DOWN_URL": f"json://127.0.0.1:{closed_port()}/down/{secrets.token_hex(12)}",
    }
    config = CheckRunner(demo.config_path, tmp_path).variant(
        mail={"smtp_user": "monitor", "smtp_password_env": "DIJA_SMTP_PASSWORD"},
        alerts={
            "failure_threshold": 1,
            "metrics_textfile": str(reports / "metrics.prom"),
            "channels": [{"url_env": "DIJA_ALERT_URL"}, {"url_env": "DIJA_ALERT_DOWN_URL", "name": "down"}],
        },
    )
    for name in FAULTS:
        fault(name)
    env = {**os.environ, **extra}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "runner",
            "run",
            "--config",
            str(config),
            "-k",
            SELECTED,
            "--reports-dir",
            str(reports),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        timeout=240,
    )
    assert run.returncode == 1, run.stdout.decode() + run.stderr.decode()

    [run_dir] = [d for d in (reports / "runs").iterdir() if not d.is_symlink()]  # not runs/latest
    results = {c["name"]: c for c in json.loads((run_dir / "results.json").read_text())["checks"]}
    assert results["test_customer_can_sign_in[chromium]"]["outcome"] == "fail"
    assert results["test_gateway_up_and_key_accepted[paystack]"]["outcome"] == "fail"
    assert "does not offer AUTH" in results["test_email_round_trip"]["message"]  # it tried the SMTP password
    assert results["test_backups_intact_and_encrypted"]["outcome"] == "pass"  # it used the backup key
    evidence = {Path(p).name for p in results["test_customer_can_sign_in[chromium]"]["evidence"]}
    assert evidence == {"screenshot.png", "trace.zip"}
    assert receiver.on(f"/hook/{extra['DIJA_ALERT_URL'].rsplit('/', 1)[1]}"), "the alert was not delivered"

    files = [part for path in sorted(reports.rglob("*")) if path.is_file() for part in unpacked(path)]
    names = {Path(where.split("!")[0]).relative_to(reports).parts[0] for where, _ in files}
    assert names >= {"runs", "alerts", "index.html", "history.sqlite3", "metrics.prom"}, names
    rows = history_rows(reports / "history.sqlite3")
    assert b"'down'" in dict(rows)[f"{reports / 'history.sqlite3'} table notifications"]  # the failed delivery
    haystacks = [
        *files,
        *rows,
        ("stdout", run.stdout),
        ("stderr", run.stderr),
        *[(f"webhook {path}", json.dumps(body).encode()) for path, body in receiver.posts],
    ]
    trace = [data for where, data in files if "trace.zip!" in where]
    assert any(b"synthetic-monitor@dija-accessories.example" in data for data in trace)  # the search sees inside

    needles = {**demo.secrets, **extra}
    needles |= {f"{name} token": url.rsplit("/", 1)[1] for name, url in extra.items() if "URL" in name}
    assert leaks(needles, haystacks) == []


def test_a_secret_is_scrubbed_in_its_url_encoded_forms_too():
    scrub = Scrubber(["p@ss w0rd/ä!"])
    assert (
        scrub("login p@ss w0rd/ä! ?pw=p%40ss+w0rd%2F%C3%A4%21 /p%40ss%20w0rd%2F%C3%A4%21") == "login *** ?pw=*** /***"
    )
