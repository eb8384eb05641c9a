"""The demo stack comes up fast, serves a realistic shop over verified HTTPS, and writes the monitor's files."""

from __future__ import annotations

import gzip
import re
import tomllib
from pathlib import Path

import pymysql
import pytest
import requests
from cryptography.fernet import Fernet

from tests.demoshop.helpers import get, post, scalar

KEY_PAGES = {
    "/": "Dija Accessories",
    "/category/earrings": "Earrings",
    "/product/gold-hoops": "Gold Hoop Earrings",
    "/cart": "Your cart",
}
EXAMPLE = Path(__file__).resolve().parents[2] / "monitor.example.toml"


def test_stack_comes_up_and_records_its_start_time(demo):
    # the start time is a figure for bench/, not an assertion: tests never assert on wall time
    assert demo.is_running()
    assert demo.state["up_seconds"] > 0


@pytest.mark.parametrize("path,keyword", KEY_PAGES.items())
def test_key_pages_answer_over_verified_https_with_their_keyword(demo, path, keyword):
    resp = get(demo, path)
    assert resp.status_code == 200
    assert keyword in resp.text
    assert "Database connection failed" not in resp.text and "Fatal error" not in resp.text


def test_plain_http_redirects_to_https_and_hsts_is_set(demo):
    resp = requests.get(demo.http_url + "/category/rings?x=1", allow_redirects=False, timeout=5)
    assert resp.status_code == 301
    assert resp.headers["Location"] == demo.base_url + "/category/rings?x=1"
    assert "max-age" in get(demo, "/").headers["Strict-Transport-Security"]


@pytest.mark.parametrize("path", [*KEY_PAGES, "/login", "/category/rings", "/product/silver-stud-earrings"])
def test_pages_have_seo_tags_and_security_headers_without_version_leak(demo, path):
    resp = get(demo, path)
    html = resp.text
    assert resp.status_code == 200, path
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert 50 <= len(description) <= 160
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert f'<link rel="canonical" href="{demo.base_url}{path}">' in html
    assert 'id="cookie-consent"' in html
    for header in ("Strict-Transport-Security", "Content-Security-Policy", "Referrer-Policy"):
        assert header in resp.headers
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "X-Powered-By" not in resp.headers
    assert not re.search(r"\d", resp.headers["Server"])
    assert "_ga_demo" not in resp.cookies


def test_page_titles_are_unique(demo):
    titles = {re.search(r"<title>([^<]+)</title>", get(demo, p).text).group(1) for p in KEY_PAGES}
    assert len(titles) == len(KEY_PAGES)


def test_static_assets_are_gzipped_and_cacheable(demo):
    for path in ("/static/css/site.css", "/static/js/site.js"):
        resp = get(demo, path, headers={"Accept-Encoding": "gzip"})
        assert resp.headers.get("Content-Encoding") == "gzip", path
        assert "max-age" in resp.headers["Cache-Control"]
    image = get(demo, "/uploads/products/gold-hoops.jpg")
    assert image.content[:2] == b"\xff\xd8" and len(image.content) < 100_000
    assert "max-age" in image.headers["Cache-Control"]


def test_unknown_page_renders_shop_not_found(demo):
    resp = get(demo, "/.env")
    assert resp.status_code == 404 and "Page not found" in resp.text


def test_sitemap_and_robots(demo):
    assert f"{demo.base_url}/product/gold-hoops" in get(demo, "/sitemap.xml").text
    assert "Sitemap:" in get(demo, "/robots.txt").text


def test_out_of_stock_product_has_no_add_button(demo):
    with demo.db_root() as conn, conn.cursor() as cur:
        cur.execute("UPDATE products SET stock = 0 WHERE slug = 'onyx-stud-earrings'")
        try:
            html = get(demo, "/product/onyx-stud-earrings").text
        finally:
            cur.execute("UPDATE products SET stock = 30 WHERE slug = 'onyx-stud-earrings'")
    assert "Out of stock" in html and "add-to-cart-button" not in html


def test_monitor_toml_is_valid_and_configures_every_section_a_check_needs(demo):
    from runner import config

    settings = config.load(demo.config_path, environ={})  # secrets come from its env_file
    written = tomllib.loads(demo.config_path.read_text())
    example = tomllib.loads(EXAMPLE.read_text())
    not_for_checks = {"alerts", "env_file", "slo", "status_page"}  # the monitor's own output
    assert set(example) - not_for_checks <= set(written)
    assert settings.site.base_url == demo.base_url
    assert (demo.run_dir / "monitor.env").stat().st_mode & 0o777 == 0o600
    assert set(demo.secrets) >= {
        "DIJA_DB_PASSWORD",
        "DIJA_IMAP_PASSWORD",
        "DIJA_CHECKOUT_PASSWORD",
        "DIJA_STRIPE_KEY",
        "DIJA_PAYSTACK_KEY",
        "DIJA_REMITA_KEY",
        "DIJA_BACKUP_KEY",
    }


def test_monitor_toml_passes_the_runners_validation(demo):
    from runner import config

    settings = config.load(demo.config_path, environ={})
    assert settings is not None


def test_monitor_db_user_reads_but_cannot_write(demo):
    conn = pymysql.connect(
        host="127.0.0.1",
        port=demo.ports["mariadb"],
        user="monitor",
        password=demo.secrets["DIJA_DB_PASSWORD"],
        database="dija_shop",
    )
    with conn, conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM products")
        assert cur.fetchone()[0] == 40
        with pytest.raises(pymysql.err.OperationalError):
            cur.execute("UPDATE products SET stock = 1")


HEALTH_QUERIES = {
    # synthetic orders are left out: the checkout check's fault tests make broken ones on purpose
    "total differs from items": "SELECT COUNT(*) FROM orders o WHERE o.is_synthetic = 0 AND o.total <> "
    "(SELECT COALESCE(SUM(quantity * unit_price), 0) FROM order_items i WHERE i.order_id = o.id)",
    "orphan items": "SELECT COUNT(*) FROM order_items i LEFT JOIN orders o ON o.id = i.order_id WHERE o.id IS NULL",
    "orphan payments": "SELECT COUNT(*) FROM payments p LEFT JOIN orders o ON o.id = p.order_id WHERE o.id IS NULL",
    "stuck paid orders": "SELECT COUNT(*) FROM orders WHERE payment_status = 'paid' AND processed_at IS NULL "
    "AND paid_at < UTC_TIMESTAMP() - INTERVAL 24 HOUR",
    "failed payments 24h": "SELECT COUNT(*) FROM payments WHERE status = 'failed' "
    "AND created_at > UTC_TIMESTAMP() - INTERVAL 24 HOUR",
    "old sessions": "SELECT COUNT(*) FROM sessions WHERE last_activity < UTC_TIMESTAMP() - INTERVAL 7 DAY",
    "expired live banners": "SELECT COUNT(*) FROM banners WHERE is_active = 1 AND ends_at < UTC_TIMESTAMP()",
    "unsent mail": "SELECT COUNT(*) FROM email_queue WHERE status <> 'sent'",
    "carts without recovery": "SELECT COUNT(*) FROM abandoned_carts WHERE recovery_sent_at IS NULL "
    "AND created_at < UTC_TIMESTAMP() - INTERVAL 24 HOUR",
    "visible stock 0": "SELECT COUNT(*) FROM products WHERE is_active = 1 AND stock <= low_stock_threshold",
    "future orders": "SELECT COUNT(*) FROM orders WHERE created_at > UTC_TIMESTAMP()",
}


@pytest.mark.parametrize("problem", HEALTH_QUERIES)
def test_seed_data_is_healthy(demo, problem):
    assert scalar(demo, HEALTH_QUERIES[problem]) == 0, problem


def test_seed_has_recent_orders_and_webhooks(demo):
    assert scalar(demo, "SELECT COUNT(*) FROM orders WHERE created_at > UTC_TIMESTAMP() - INTERVAL 24 HOUR") >= 5
    assert (
        scalar(
            demo,
            "SELECT COUNT(*) FROM webhook_events WHERE received_at > UTC_TIMESTAMP() - INTERVAL 6 HOUR "
            "AND status = 'processed'",
        )
        >= 1
    )
    assert scalar(demo, "SELECT COUNT(*) FROM testimonials WHERE status = 'pending'") == 1


def test_backups_are_encrypted_checksummed_mirrored_and_a_year_deep(demo):
    fernet = Fernet(demo.secrets["DIJA_BACKUP_KEY"].encode())
    for data_class in ("full", "orders", "customers", "products"):
        newest = sorted((demo.run_dir / "backups" / data_class).glob("*.sql.gz.enc"))[-1]
        assert b"INSERT" not in newest.read_bytes()
        assert b"-- MariaDB dump" in gzip.decompress(fernet.decrypt(newest.read_bytes()))[:200]
        assert (newest.parent / (newest.name + ".sha256")).exists()
        assert (demo.run_dir / "offsite" / data_class / newest.name).exists()
    assert (
        len(list((demo.run_dir / "backups" / "full").glob("*.enc"))) >= 13
    )  # 12 monthly + newest (the cron adds more)


def test_server_side_files(demo):
    assert (demo.run_dir / "www" / "config.php").stat().st_mode & 0o777 == 0o640
    assert {p.name for p in (demo.run_dir / "heartbeats").iterdir()} == {
        "cleanup",
        "backup",
        "inventory",
        "weekly_maintenance",
    }
    versions = (demo.run_dir / "server" / "versions.json").read_text()
    assert '"php": "8.3.12"' in versions and "MariaDB" in versions
    assert "Fatal" not in (demo.run_dir / "logs" / "php_errors.log").read_text()


@pytest.mark.parametrize("gateway", ["stripe", "paystack", "remita"])
def test_gateway_accepts_the_key_rejects_others_and_reports_operational(demo, gateway):
    base = f"http://127.0.0.1:{demo.ports['gateway']}/{gateway}"
    key = demo.secrets[f"DIJA_{gateway.upper()}_KEY"]
    assert requests.get(base + "/v1/balance", headers={"Authorization": f"Bearer {key}"}, timeout=5).status_code == 200
    assert requests.get(base + "/v1/balance", headers={"Authorization": "Bearer sk_bad"}, timeout=5).status_code == 401
    status = requests.get(base + "/api/v2/status.json", timeout=5).json()
    assert status["status"]["indicator"] == "none" and "page" in status


def test_customer_login_and_logout(demo):
    session = requests.Session()
    resp = post(
        demo,
        "/login",
        session,
        data={
            "email": "synthetic-monitor@dija-accessories.example",
            "password": demo.secrets["DIJA_CHECKOUT_PASSWORD"],
        },
    )
    assert resp.status_code == 200 and "My account" in resp.text
    assert (
        post(
            demo,
            "/login",
            requests.Session(),
            data={"email": "synthetic-monitor@dija-accessories.example", "password": "wrong"},
        ).status_code
        == 401
    )
    get(demo, "/logout", session)
    assert "Sign in" in get(demo, "/account", session).text


def test_admin_login_attempts_and_webhooks_are_recorded(demo):
    before = scalar(demo, "SELECT COUNT(*) FROM login_attempts WHERE success = 0 AND username = 'owner'")
    post(demo, "/admin/login", requests.Session(), data={"username": "owner", "password": "guess"})
    assert scalar(demo, "SELECT COUNT(*) FROM login_attempts WHERE success = 0 AND username = 'owner'") == before + 1
    resp = post(
        demo,
        "/webhooks/paystack",
        requests.Session(),
        json={"event": "charge.success", "data": {"reference": "PSK_test123"}},
    )
    assert resp.status_code == 200
    assert scalar(demo, "SELECT status FROM webhook_events WHERE reference = 'PSK_test123'") == "processed"


def test_access_log_is_in_combined_format(demo):
    get(demo, "/category/bracelets", headers={"User-Agent": "pytest-agent"})
    lines = (demo.run_dir / "logs" / "access.log").read_text().splitlines()
    assert any(
        re.match(r'127\.0\.0\.1 - - \[[^]]+\] "GET /category/bracelets HTTP/1\.1" 200 \d+ "-" "pytest-agent"', line)
        for line in lines
    )
