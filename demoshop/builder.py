"""Build a stack from nothing in about two seconds: slow steps overlap (the MariaDB datadir is
initialised while TLS keys are made and the other processes start)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets as pysecrets
import time
from pathlib import Path

from demoshop import backup, dovecot, layout, mariadb, runfiles, runfiles_alt, seed, tlsgen
from demoshop.errors import DemoError
from demoshop.faults import flags
from demoshop.images import write_product_images
from demoshop.layout import python_cmd
from demoshop.processes import Processes
from demoshop.procs import Component
from demoshop.shapes import Shape
from demoshop.smtp_server import mailbox_name

log = logging.getLogger(__name__)


def build(run_dir: Path, shape: Shape) -> Processes:
    """Start every component of a `shape` shop in `run_dir`, ready, its data and monitor files written;
    return the processes it started (on failure they are stopped again)."""
    started = time.monotonic()
    layout.prepare_run_dir(run_dir)
    ports, secrets = layout.new_ports(), layout.new_secrets()
    install = mariadb.start_install(run_dir)
    tls = tlsgen.write_tls(run_dir / "tls")
    shop_db_password = pysecrets.token_urlsafe(18)
    components = _components(run_dir, ports, secrets)
    state = {
        "status": "up",
        "variant": shape.name,
        "run_dir": str(run_dir),
        "ports": ports,
        "started_at": _now().isoformat(),
        "components": {name: comp.to_dict() for name, comp in components.items()},
    }
    procs = Processes(run_dir, state)
    try:
        _write_service_configs(run_dir, ports, secrets, tls, shop_db_password, shape)
        for name in ("dovecot", "smtp", "gateway", "shop"):
            procs.start_component(name, wait=False)
        mariadb.finish_install(install, run_dir)
        procs.start_component("mariadb")
        _fill_database(run_dir, shape, secrets, shop_db_password)
        _write_monitor_side(run_dir, shape, ports, secrets, tls["ca.pem"])
        for name in ("dovecot", "smtp", "gateway", "shop"):
            procs.wait_component(name)
        procs.start_component("cron")  # after the first backup and heartbeats
        procs.state["up_seconds"] = round(time.monotonic() - started, 3)
        procs.save_state()
    except BaseException as exc:
        install.kill() if install.poll() is None else None
        procs.down()
        if isinstance(exc, DemoError):
            raise
        raise DemoError(f"demo stack failed to start: {exc}") from exc
    return procs


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _components(run_dir: Path, ports: dict, secrets: dict) -> dict[str, Component]:
    logs = run_dir / "logs"
    env = layout.python_env()
    imap_users = {
        "monitor": secrets["DIJA_IMAP_PASSWORD"],
        mailbox_name(runfiles.SYNTHETIC_EMAIL): secrets["DIJA_CHECKOUT_PASSWORD"],
    }
    return {
        "mariadb": mariadb.component(run_dir, ports["mariadb"]),
        "dovecot": dovecot.prepare(run_dir, ports["imap"], imap_users),
        "smtp": Component(
            "smtp",
            python_cmd("demoshop.smtp_server", "--port", str(ports["smtp"]), "--run-dir", str(run_dir)),
            str(logs / "smtp.log"),
            port=ports["smtp"],
            env=env,
        ),
        "gateway": Component(
            "gateway",
            python_cmd("demoshop.gateway", "--port", str(ports["gateway"]), "--run-dir", str(run_dir)),
            str(logs / "gateway.log"),
            port=ports["gateway"],
            env=env,
        ),
        "shop": Component(
            "shop",
            python_cmd("demoshop.shop.serve", "--run-dir", str(run_dir)),
            str(logs / "shop.log"),
            port=ports["shop_https"],
            env=env,
        ),
        "cron": Component(
            "cron", python_cmd("demoshop.cron", "--run-dir", str(run_dir)), str(logs / "cron.log"), env=env
        ),
    }


def _write_service_configs(run_dir: Path, ports: dict, secrets: dict, tls: dict, shop_db_password: str, shape) -> None:
    keys = {gw: [secrets[f"DIJA_{gw.upper()}_KEY"]] for gw in ("stripe", "paystack", "remita")}
    (run_dir / "gateway" / "keys.json").write_text(json.dumps(keys, indent=2))
    config = {
        "variant": shape.name,
        "base_url": f"https://127.0.0.1:{ports['shop_https']}",
        "https_port": ports["shop_https"],
        "http_port": ports["shop_http"],
        "tls": {"cert": tls["server.pem"], "key": tls["server.key"]},
        "db": {
            "host": "127.0.0.1",
            "port": ports["mariadb"],
            "user": "shop",
            "password": shop_db_password,
            "name": mariadb.DB_NAME,
        },
        "gateway_url": f"http://127.0.0.1:{ports['gateway']}",
        "gateway_keys": {gw: k[0] for gw, k in keys.items()},
        "smtp": {"host": "127.0.0.1", "port": ports["smtp"]},
        "mail_from": runfiles.SHOP_EMAIL,
        "synthetic_email": runfiles.SYNTHETIC_EMAIL,
        "secret_key": pysecrets.token_hex(32),
        "faults_dir": str(flags.folder(run_dir)),
        "uploads_dir": str(run_dir / "www" / "uploads"),
        "web_root": str(run_dir / "www"),
        "logs": {
            "access": str(run_dir / "logs" / "access.log"),
            "php_errors": str(run_dir / "logs" / "php_errors.log"),
        },
    }
    path = run_dir / "shop" / "config.json"
    path.write_text(json.dumps(config, indent=2))
    os.chmod(path, 0o600)
    runfiles.seed_php_log(run_dir / "logs" / "php_errors.log", _now())
    (run_dir / "logs" / "access.log").touch()


def _fill_database(run_dir: Path, shape: Shape, secrets: dict, shop_db_password: str) -> None:
    version = mariadb.create_database(run_dir, shop_db_password, secrets["DIJA_DB_PASSWORD"], shape.schema_file)
    now = _now().replace(tzinfo=None, microsecond=0)
    with mariadb.connect_root(run_dir) as conn:
        facts = seed.seed(conn, now, runfiles.SYNTHETIC_EMAIL, secrets["DIJA_CHECKOUT_PASSWORD"], shape)
    runfiles.write_web_root(run_dir / "www")
    write_product_images(run_dir / "www" / "uploads" / "products", facts["slugs"])
    runfiles.write_versions(run_dir, version)


def _write_monitor_side(run_dir: Path, shape: Shape, ports: dict, secrets: dict, ca_path: str) -> None:
    backup.run_backup(run_dir, secrets["DIJA_BACKUP_KEY"], shape)
    runfiles.touch_heartbeats(run_dir / "heartbeats", shape)
    toml = runfiles.monitor_toml(run_dir, ports, ca_path)
    if shape.name != "default":
        toml = runfiles_alt.alt_toml(toml, run_dir, ports, shape)
    runfiles.write_monitor_files(run_dir, toml, secrets)
