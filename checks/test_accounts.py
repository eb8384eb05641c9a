"""Security, data side: brute-force logins, admin accounts nobody reviewed, card numbers stored in clear."""

import re

import pytest

from checks.shopdata import listing
from runner.config import Security
from runner.pytest_plugin import configured

pytestmark = pytest.mark.area("security")

ACCEPTED_HASHES = ("$2y$", "$2a$", "$2b$", "$argon2", "pbkdf2", "$pbkdf2", "scrypt:", "$6$", "$5$")
WEAK_HASHES = (
    (re.compile(r"^[0-9a-fA-F]{32}$"), "unsalted MD5"),
    (re.compile(r"^[0-9a-fA-F]{40}$"), "unsalted SHA-1"),
    (re.compile(r"^[0-9a-fA-F]{64}$"), "unsalted SHA-256"),
    (re.compile(r"^\$1\$"), "MD5-crypt"),
)
# 13-19 digits, optionally grouped by single spaces or dashes, not part of a longer word or number
PAN_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z])")
PAN_SQL_PATTERN = "[0-9]([ -]?[0-9]){12}"


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("security-incident")
@pytest.mark.shop_data(
    "login_attempts.ip", "login_attempts.username", "login_attempts.success", "login_attempts.created_at"
)
def test_no_brute_force_logins(settings, shop, measure):
    """No IP address or account collects many failed logins: someone is guessing passwords."""
    limits = settings.thresholds
    minutes = limits.failed_login_window_minutes
    recent_failures = (
        "FROM {login_attempts} WHERE {login_attempts.success} IN {login_failed} "
        "AND {login_attempts.created_at} >= UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND"
    )
    problems = []
    for field, limit, label in (
        ("ip", limits.failed_logins_per_ip, "IP"),
        ("username", limits.failed_logins_per_account, "account"),
    ):
        rows = shop.rows(
            f"failed_logins_by_{field}",
            f"SELECT {{login_attempts.{field}}} AS who, COUNT(*) AS failures {recent_failures} "
            f"GROUP BY {{login_attempts.{field}}} HAVING failures > %(limit)s ORDER BY failures DESC",
            seconds=int(minutes * 60),
            limit=limit,
        )
        problems += [f"{label} {r['who']}: {r['failures']} failed logins in {minutes:g} min > {limit}" for r in rows]
    total = shop.value("failed_logins", "SELECT COUNT(*) " + recent_failures, seconds=int(minutes * 60))
    measure(failed_logins_window=total)
    assert not problems, "; ".join(problems)


@pytest.mark.cadence("monthly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("security-incident")
@pytest.mark.shop_data(
    "admin_users.username",
    "admin_users.password_hash",
    "admin_users.active",
    "admin_users.created_at",
    "admin_users.last_login_at",
)
def test_admin_accounts_reviewed(settings, shop, measure):
    """Every active admin is approved, recently used and has a strong password hash: a stray admin is a way in."""
    approved = set(configured(settings, "security").approved_admins)
    days = settings.thresholds.admin_inactive_days
    admins = shop.rows(
        "active_admins",
        "SELECT {admin_users.username} AS username, {admin_users.password_hash} AS password_hash, "
        "DATEDIFF(UTC_TIMESTAMP(), COALESCE({admin_users.last_login_at}, {admin_users.created_at})) "
        "AS idle_days FROM {admin_users} WHERE COALESCE({admin_users.active}, 0) <> 0 ORDER BY 1",
    )
    problems = []
    for admin in admins:
        name = admin["username"]
        if name not in approved:
            problems.append(f"{name}: not in security.approved_admins")
        if admin["idle_days"] is not None and admin["idle_days"] > days:
            problems.append(f"{name}: inactive for {admin['idle_days']} days > {days:g}")
        weakness = hash_weakness(admin["password_hash"] or "")
        if weakness:
            problems.append(f"{name}: {weakness} password hash")
    measure(active_admins=len(admins), admin_problems=len(problems))
    assert not problems, "; ".join(problems)


def hash_weakness(stored: str) -> str | None:
    """None for a salted, slow hash (bcrypt, argon2, pbkdf2, scrypt, sha-crypt); else what is wrong with it."""
    if stored.startswith(ACCEPTED_HASHES):
        return None
    return next((label for pattern, label in WEAK_HASHES if pattern.match(stored)), "unrecognised (plain text?)")


@pytest.mark.cadence("monthly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("security-incident")
@pytest.mark.shop_data(from_config="security.pan_scan_columns")
def test_no_card_numbers_stored(settings, shop, measure):
    """No full card number (a Luhn-valid PAN) is stored in the shop's text columns: storing one breaks PCI DSS."""
    columns = [
        spec for spec in (settings.security or Security()).pan_scan_columns if shop.mapping.has(*spec.split("."))
    ]  # a column the shop does not have holds no card number
    found = []
    for spec in columns:
        table, column = spec.split(".")
        rows = shop.rows(
            "card_number_candidates",
            f"SELECT {{{table}.id}} AS id, {{{spec}}} AS text FROM {{{table}}} "
            f"WHERE {{{spec}}} REGEXP %(pattern)s ORDER BY 1",
            pattern=PAN_SQL_PATTERN,
        )
        found += [f"{spec} id {row['id']}: {mask(pan)}" for row in rows for pan in card_numbers(str(row["text"]))]
    measure(card_numbers_found=len(found), pan_columns_scanned=len(columns))
    assert not found, f"{len(found)} card numbers stored in clear: " + listing(found)


def card_numbers(text: str) -> list[str]:
    """The Luhn-valid 13-19 digit numbers in `text`, digits only."""
    digits = (re.sub(r"[ -]", "", match.group()) for match in PAN_CANDIDATE.finditer(text))
    return [number for number in digits if 13 <= len(number) <= 19 and luhn_valid(number)]


def luhn_valid(number: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(number)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def mask(number: str) -> str:
    return "*" * (len(number) - 4) + number[-4:]
