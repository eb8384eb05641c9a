"""Fixtures for checks: settings, http, db, shop, mailbox, measure, state.

Expensive resources (config, HTTP session, DB connection) are session-scoped;
cheap ones (mailbox, measurement recorder, check state) are per check.
"""

from __future__ import annotations

import pytest

from runner import config as config_module
from runner.clients.database import ReadOnlyDatabase
from runner.clients.http import HttpClient
from runner.clients.mailbox import Mailbox
from runner.errors import ConfigError, MonitorError
from runner.shopschema.live import live_schema
from runner.shopschema.mapping import Mapping, NotInShop
from runner.shopschema.sql import ShopSql, field_problem
from runner.state import CheckState

SCRUBBER_KEY = pytest.StashKey()
MEASUREMENT_PREFIX = "measure:"


@pytest.fixture(scope="session")
def settings(pytestconfig):
    """The validated monitor config; a bad config stops the whole run with exit code 2."""
    try:
        loaded = config_module.load(pytestconfig.getoption("monitor_config"))
    except ConfigError as exc:
        pytest.exit(str(exc), returncode=2)
    pytestconfig.stash[SCRUBBER_KEY] = loaded.scrubber()
    _describe_target(pytestconfig, loaded)
    return loaded


def _describe_target(pytestconfig, settings) -> None:
    """Name the monitored shop in the HTML report's Environment table."""
    try:
        from pytest_metadata.plugin import metadata_key
    except ImportError:
        return
    metadata = pytestconfig.stash.get(metadata_key, None)
    if metadata is not None:
        metadata.pop("Base URL", None)
        metadata["Shop"] = settings.site.origin
        metadata["Config"] = str(settings.source)


@pytest.fixture(scope="session")
def http(settings):
    """A requests-based client bound to the shop: base URL, CA bundle, timeouts, size limit."""
    client = HttpClient(settings)
    yield client
    client.close()


@pytest.fixture(scope="session")
def db(settings):
    """A read-only connection to the shop database (the session is SET TRANSACTION READ ONLY)."""
    section = settings.database
    if section is None:
        pytest.skip(f"not configured: no [database] section in {settings.source}")
    try:
        database = ReadOnlyDatabase.connect(section)
    except MonitorError as exc:
        raise MonitorError(f"database unreachable, check could not run: {exc}") from None
    yield database
    database.close()


@pytest.fixture(scope="session")
def shop_schema(db):
    """The shop database's tables and columns, read once per run."""
    return live_schema(db)


@pytest.fixture
def shop(request, settings, db, shop_schema):
    """The shop's data through the schema contract, for a check marked @pytest.mark.shop_data(fields...).

    A declared field the shop lacks skips the check (unless declared optional: "products.low_stock_threshold?");
    one mapped to a column the database does not have stops it with a sentence naming the config key,
    before any query runs."""
    marker = request.node.get_closest_marker("shop_data")
    mapping = Mapping.from_settings(settings)
    if marker and marker.kwargs.get("from_config"):  # the fields are listed in config (orphan relations, ...)
        return ShopSql(db, mapping, None)
    declared = {name.rstrip("?") for name in marker.args} if marker else set()
    for name in marker.args if marker else ():
        problem = field_problem(mapping, shop_schema, name.rstrip("?"), optional=name.endswith("?"))
        if isinstance(problem, NotInShop):
            pytest.skip(f"does not fit this shop: {problem}")
        if problem:
            raise problem
    return ShopSql(db, mapping, declared)


@pytest.fixture
def mailbox(settings):
    """The monitor's IMAP mailbox, logged in; closed after the check."""
    section = settings.mail
    if section is None:
        pytest.skip(f"not configured: no [mail] section in {settings.source}")
    box = Mailbox.open(section, settings.tls.ca_bundle if settings.tls else None)
    yield box
    box.close()


@pytest.fixture
def measure(request):
    """Record a check's figures: measure(load_seconds=1.42, days_left=61). Stored and charted."""

    def record(**figures: float) -> None:
        for name, value in figures.items():
            request.node.user_properties.append((MEASUREMENT_PREFIX + name, float(value)))

    return record


@pytest.fixture
def state(request, settings):
    """Small persistent state of this check between runs (log offsets, previous counters)."""
    folder = request.config.getoption("monitor_state") or settings.state_dir()
    return CheckState(folder, request.node.nodeid)
