"""Each shipped fault switch breaks what it should, and switching it off restores the shop."""

from __future__ import annotations

import datetime as dt

import pymysql
import pytest
import requests

from demoshop.errors import UnknownFault
from demoshop.faults.catalog import FAULTS
from demoshop.faults.web_files import REFUSED_FOLDER, dump_name
from tests.demoshop.helpers import get


def _monitor_connect(demo):
    return pymysql.connect(
        host="127.0.0.1",
        port=demo.ports["mariadb"],
        user="monitor",
        password=demo.secrets["DIJA_DB_PASSWORD"],
        connect_timeout=2,
    )


def test_healthy_stack_has_no_active_fault(demo):
    assert demo.active_faults() == []


def test_site_down_refuses_connections_and_off_restores(demo):
    demo.fault("site_down", True)
    try:
        assert demo.active_faults() == ["site_down"]
        with pytest.raises(requests.ConnectionError):
            get(demo, "/")
    finally:
        demo.fault("site_down", False)
    assert get(demo, "/").status_code == 200
    assert demo.active_faults() == []


def test_db_error_page_answers_200_with_database_error_text(demo, fault):
    fault("db_error_page")
    resp = get(demo, "/")
    assert resp.status_code == 200 and "Database connection failed" in resp.text


def test_db_error_page_off_restores_the_home_page(demo):
    demo.fault("db_error_page", True)
    demo.fault("db_error_page", False)
    assert "Database connection failed" not in get(demo, "/").text


def test_db_down_stops_mariadb_and_off_restarts_it_on_the_same_port(demo):
    port = demo.ports["mariadb"]
    demo.fault("db_down", True)
    try:
        with pytest.raises(pymysql.err.OperationalError):
            _monitor_connect(demo)
        assert "Database connection failed" in get(demo, "/").text
    finally:
        demo.fault("db_down", False)
    assert demo.ports["mariadb"] == port
    _monitor_connect(demo).close()
    home = get(demo, "/")
    assert home.status_code == 200 and "Gold Hoop Earrings" in home.text


def test_unknown_fault_names_the_known_ones(demo):
    with pytest.raises(UnknownFault, match="db_down"):
        demo.fault("no_such_fault", True)


def test_every_fault_has_a_description():
    assert {"site_down", "db_error_page", "db_down"} <= set(FAULTS)
    assert all(f.description for f in FAULTS.values())


def test_soft_404_answers_200_with_the_not_found_page_and_off_restores_404(demo):
    demo.fault("soft_404", True)
    try:
        response = get(demo, "/no-such-page-here")
        assert response.status_code == 200 and "Page not found" in response.text
    finally:
        demo.fault("soft_404", False)
    assert get(demo, "/no-such-page-here").status_code == 404


def test_web_root_files_are_served_unless_refused(demo, fault):
    fault("dated_dump_soft_404")
    fault("refused_archive")
    dump = get(demo, "/" + dump_name(dt.datetime.now(dt.UTC).date()))
    assert dump.status_code == 200 and dump.content.startswith(b"\x1f\x8b")
    archive = next((demo.run_dir / "www" / REFUSED_FOLDER).glob("*.zip")).name
    assert get(demo, f"/{REFUSED_FOLDER}/{archive}").status_code == 403
    assert get(demo, "/.htaccess").status_code == 403 and get(demo, "/config.php").status_code == 200  # soft 404
    assert "Page not found" in get(demo, "/config.php").text
