"""Database: is the shop's MariaDB reachable, responsive and consistent?"""

import pytest

from runner.clients.database import DatabaseUnavailable, ReadOnlyDatabase
from runner.pytest_plugin import configured


@pytest.mark.cadence("critical")
@pytest.mark.area("database")
@pytest.mark.severity("critical")
@pytest.mark.smoke
@pytest.mark.runbook("site-down")
def test_database_answers_quickly(settings, measure):
    """The shop database accepts connections and answers SELECT 1 quickly: every page and order depends on it."""
    section = configured(settings, "database")
    try:
        database = ReadOnlyDatabase.connect(section)
    except DatabaseUnavailable as exc:
        pytest.fail(f"database unreachable: {exc}")
    try:
        latency_ms = min(database.timed_ping() for _ in range(3))
    finally:
        database.close()
    measure(select1_ms=latency_ms)
    limit = settings.thresholds.db_latency_fail_ms
    assert latency_ms <= limit, f"SELECT 1 took {latency_ms:.0f} ms > {limit:.0f} ms"
