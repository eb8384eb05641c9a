"""Files the stack writes into its run dir: monitor.toml/.env, the shop's config, a web root,
cron heartbeats, versions.json and a plausible PHP error log."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

SYNTHETIC_EMAIL = "synthetic-monitor@dija-accessories.example"
MONITOR_EMAIL = "monitor@dija-accessories.example"
SHOP_EMAIL = "orders@dija-accessories.example"
HEARTBEATS = ("cleanup", "backup", "inventory", "weekly_maintenance")
PHP_VERSION = "8.3.12"


def q(value) -> str:
    """A TOML value (JSON's string and number syntax is valid TOML)."""
    return json.dumps(value)


def monitor_toml(run_dir: Path, ports: dict, ca_path: str) -> str:
    base, gw = f"https://127.0.0.1:{ports['shop_https']}", f"http://127.0.0.1:{ports['gateway']}"
    payments = "".join(
        f"\n[payments.{name}]\napi_base = {q(f'{gw}/{name}')}\nstatus_url = {q(f'{gw}/{name}/api/v2/status.json')}\n"
        f'key_env = "DIJA_{name.upper()}_KEY"\n'
        for name in ("stripe", "paystack", "remita")
    )
    disk_paths = [str(run_dir / "www" / "uploads"), str(run_dir / "logs"), str(run_dir / "mariadb" / "data")]
    return f"""# written by `python -m demoshop up` for the demo stack in {run_dir}
env_file = "monitor.env"

[site]
base_url = {q(base)}
http_url = {q(f"http://127.0.0.1:{ports['shop_http']}")}
timeout_seconds = 10
key_pages = [
  {{ path = "/", keyword = "Dija Accessories" }},
  {{ path = "/category/earrings", keyword = "Earrings" }},
  {{ path = "/product/gold-hoops", keyword = "Gold Hoop Earrings" }},
  {{ path = "/cart", keyword = "Your cart" }},
]

[tls]
ca_bundle = {q(ca_path)}

[database]
host = "127.0.0.1"
port = {ports["mariadb"]}
name = "dija_shop"
user = "monitor"
password_env = "DIJA_DB_PASSWORD"

[mail]
smtp_host = "127.0.0.1"
smtp_port = {ports["smtp"]}
smtp_starttls = false
# the demo SMTP server has no AUTH: smtp_user and smtp_password_env are left out
imap_host = "127.0.0.1"
imap_port = {ports["imap"]}
imap_ssl = false
imap_user = "monitor"
imap_password_env = "DIJA_IMAP_PASSWORD"
from_address = {q(MONITOR_EMAIL)}
to_address = {q(MONITOR_EMAIL)}

[checkout]
customer_email = {q(SYNTHETIC_EMAIL)}
customer_password_env = "DIJA_CHECKOUT_PASSWORD"
test_card = "4242424242424242"
# the purchase, sign-in and cancel steps are left out: their defaults are this shop's pages
# hidden from the catalogue but its page still renders: stock 0 on a visible product is an inventory failure
out_of_stock_path = "/product/rose-gold-beaded-bracelet"
imap_user = "synthetic-monitor"

[compliance]
consent_banner = "#cookie-consent"
essential_cookies = ["session", "cookie_consent"]
{payments}
[backups]
dir = {q(str(run_dir / "backups"))}
offsite_dir = {q(str(run_dir / "offsite"))}
key_env = "DIJA_BACKUP_KEY"

[server]
web_root = {q(str(run_dir / "www"))}
disk_paths = {q(disk_paths)}
heartbeat_dir = {q(str(run_dir / "heartbeats"))}
versions_file = {q(str(run_dir / "server" / "versions.json"))}

[logs]
php_error_log = {q(str(run_dir / "logs" / "php_errors.log"))}
access_log = {q(str(run_dir / "logs" / "access.log"))}

[security]
approved_admins = ["owner", "manager"]

[thresholds]
page_load_warn_seconds = 2.0
page_load_fail_seconds = 3.0

[runner]
reports_dir = "reports"
check_timeout_seconds = 360
"""


def write_monitor_files(run_dir: Path, toml: str, secrets: dict[str, str]) -> Path:
    """monitor.toml and monitor.env (0600: the secrets it names)."""
    config = run_dir / "monitor.toml"
    config.write_text(toml)
    env = run_dir / "monitor.env"
    env.write_text("".join(f"{name}={value}\n" for name, value in secrets.items()))
    os.chmod(env, 0o600)
    return config


def read_env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))
    return {key.strip(): value.strip() for key, value in pairs}


def write_web_root(www: Path) -> None:
    """A small, realistic PHP web root with sane permissions (config.php 640)."""
    files = {
        "index.php": "<?php\nrequire __DIR__ . '/includes/bootstrap.php';\n(new App\\Shop())->handle($_SERVER);\n",
        "config.php": "<?php\nreturn [\n  'db' => ['host' => '127.0.0.1', 'name' => 'dija_shop', 'user' => 'shop',\n"
        "           'password' => getenv('DB_PASSWORD')],\n  'mail_from' => 'orders@dija-accessories.example',\n];\n",
        "includes/bootstrap.php": "<?php\n$config = require __DIR__ . '/../config.php';\n",
        "includes/db.php": "<?php\n// mysqli connection helper\n",
        ".htaccess": 'Options -Indexes\n<Files "config.php">\n  Require all denied\n</Files>\n',
        "uploads/.htaccess": "php_flag engine off\n",
    }
    for name, text in files.items():
        path = www / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        os.chmod(path, 0o644)
    os.chmod(www / "config.php", 0o640)
    for directory in [www, *[p for p in www.rglob("*") if p.is_dir()]]:
        os.chmod(directory, 0o755)


def touch_heartbeats(directory: Path, shape=None) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in HEARTBEATS:
        (directory / (shape.heartbeat(name) if shape else name)).write_text(dt.datetime.now(dt.UTC).isoformat() + "\n")


def write_versions(run_dir: Path, mariadb_version: str) -> None:
    (run_dir / "server").mkdir(parents=True, exist_ok=True)
    (run_dir / "server" / "versions.json").write_text(json.dumps({"php": PHP_VERSION, "mariadb": mariadb_version}))


def seed_php_log(path: Path, now: dt.datetime) -> None:
    """Yesterday's harmless warnings and notices, like any PHP shop has; never a Fatal."""
    lines = [
        (26, "Warning", 'Undefined array key "utm_source" in /var/www/dija/includes/tracking.php on line 42'),
        (19, "Notice", "Trying to access array offset on value of type null in /var/www/dija/cart.php on line 77"),
        (7, "Deprecated", "strftime() is deprecated in /var/www/dija/includes/format.php on line 15"),
    ]
    text = "".join(
        f"[{(now - dt.timedelta(hours=h)).strftime('%d-%b-%Y %H:%M:%S')} UTC] PHP {level}:  {msg}\n"
        for h, level, msg in lines
    )
    path.write_text(text)
