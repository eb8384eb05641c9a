"""The demo stack: bring every component up in a run dir, attach to it later, fault it, stop it."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import secrets as pysecrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pymysql

from demoshop import mariadb, runfiles, shapes
from demoshop.errors import AlreadyRunning, DemoError, NotRunning
from demoshop.procs import Component, free_port, port_open, spawn, stop_all, wait_port

log = logging.getLogger(__name__)

PORT_NAMES = ("shop_https", "shop_http", "mariadb", "smtp", "imap", "gateway")
KEEP_ON_REBUILD = ("faults",)


def default_run_dir(variant: str | None = None) -> Path:
    """$DIJA_DEMO_DIR, else where `python -m demoshop` and `dija-monitor demo` keep the stack: ./.demo,
    or for a shape that lives outside the checkout a folder in the temp dir, one per checkout (its
    parents are world-traversable, so Dovecot can read the mail even when the clone is in a 0700 home)."""
    if os.environ.get("DIJA_DEMO_DIR"):
        return Path(os.environ["DIJA_DEMO_DIR"]).absolute()
    if shapes.get(variant).run_dir_outside_checkout:
        checkout = hashlib.sha256(str(Path(__file__).resolve().parent.parent).encode()).hexdigest()[:10]
        return Path(tempfile.gettempdir()) / f"dija-demo-{variant}-{checkout}"
    return Path(".demo").absolute()


def ensure_running(run_dir: Path | None = None, variant: str | None = None) -> tuple["Stack", bool]:
    """Attach to the stack in `run_dir` if it runs (faults and all), else start one: (stack, started)."""
    run_dir = run_dir or default_run_dir(variant)
    try:
        stack = Stack.attach(run_dir)
        if stack.is_running():
            if stack.shape.name != shapes.get(variant).name:
                raise AlreadyRunning(f"a demo stack of variant {stack.shape.name} is running in {run_dir}: "
                                     "stop it first (python -m demoshop down)")
            return stack, False
    except NotRunning:
        pass
    return Stack.up(run_dir, variant), True


class Stack:
    def __init__(self, run_dir: Path, state: dict):
        self.run_dir = Path(run_dir)
        self.state = state
        self.components = {name: Component(**spec) for name, spec in state["components"].items()}
        self._popens: dict[str, subprocess.Popen] = {}

    # ---- public API -------------------------------------------------------------------------
    @classmethod
    def up(cls, run_dir: Path, variant: str | None = None) -> "Stack":
        """Create and start every component of shop shape `variant` (default: the default shape) in
        `run_dir`, wait until ready, write the monitor's files."""
        shape = shapes.get(variant)
        run_dir = Path(run_dir).absolute()
        if (run_dir / "state.json").exists():
            old = cls.attach(run_dir)
            if old.is_running():
                raise AlreadyRunning(f"a demo stack is already running in {run_dir}")
            old.down()
        from demoshop.builder import build
        started = time.monotonic()
        try:
            stack = build(cls, run_dir, shape)
        except DemoError as exc:
            if "in use" not in str(exc):
                raise
            log.warning("a port was taken between choosing and binding it; retrying with new ports")
            stack = build(cls, run_dir, shape)
        log.info("demo stack up in %.2f s at %s", time.monotonic() - started, stack.base_url)
        return stack

    @classmethod
    def attach(cls, run_dir: Path) -> "Stack":
        state_file = Path(run_dir).absolute() / "state.json"
        try:
            state = json.loads(state_file.read_text())
        except FileNotFoundError:
            raise NotRunning(f"no demo stack in {state_file.parent} (start one with `python -m demoshop up`)") from None
        except (OSError, ValueError) as exc:
            raise DemoError(f"unreadable demo state {state_file}: {exc}") from None
        return cls(state_file.parent, state)

    def down(self) -> None:
        """Stop every process by PID (SIGTERM, then SIGKILL); idempotent."""
        stop_all(list(self.components.values()), self._popens)
        self.state["status"] = "down"
        self.save_state()

    def remove(self) -> None:
        """Stop the stack and delete its run dir (the state, data, logs and backups with it)."""
        self.down()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    @property
    def shape(self) -> "shapes.Shape":
        return shapes.get(self.state.get("variant"))

    def is_running(self) -> bool:
        return self.state.get("status") == "up" and any(c.alive() for c in self.components.values())

    def fault(self, name: str, on: bool) -> None:
        from demoshop import faults
        fault = faults.get(name)
        if not self.is_running():
            raise NotRunning(f"the demo stack in {self.run_dir} is not running")
        marker = self.run_dir / "faults" / name
        if on:
            fault.on(self)
            marker.write_text(dt.datetime.now(dt.timezone.utc).isoformat() + "\n")
        else:
            fault.off(self)
            marker.unlink(missing_ok=True)
        log.info("fault %s %s", name, "on" if on else "off")

    def active_faults(self) -> list[str]:
        directory = self.run_dir / "faults"
        return sorted(p.name for p in directory.iterdir()) if directory.is_dir() else []

    def db_root(self) -> pymysql.Connection:
        return mariadb.connect_root(self.run_dir)

    @property
    def ports(self) -> dict[str, int]:
        return dict(self.state["ports"])

    @property
    def secrets(self) -> dict[str, str]:
        return runfiles.read_env(self.run_dir / "monitor.env")

    @property
    def config_path(self) -> Path:
        return self.run_dir / "monitor.toml"

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.ports['shop_https']}"

    @property
    def http_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['shop_http']}"

    @property
    def ca_path(self) -> Path:
        return self.run_dir / "tls" / "ca.pem"

    # ---- components -------------------------------------------------------------------------
    def start_component(self, name: str, wait: bool = True) -> None:
        comp = self.components[name]
        if comp.alive():
            return
        self._popens[name] = spawn(comp)
        self.save_state()
        if wait:
            self.wait_component(name)

    def wait_component(self, name: str) -> None:
        comp = self.components[name]
        if name == "mariadb":
            mariadb.wait_ready(self.run_dir, comp)
        elif comp.port is None:
            return  # a background job (the cron) is ready when started
        else:
            wait_port(comp, self._popens.get(name))
        if name == "shop":
            wait_port(Component("shop (http)", [], comp.log_path, port=self.ports["shop_http"]), self._popens.get(name))

    def stop_component(self, name: str) -> None:
        stop_all([self.components[name]], self._popens)
        self.save_state()

    def status_lines(self) -> list[str]:
        lines = [f"demo stack in {self.run_dir}: {'running' if self.is_running() else 'not running'}"]
        for comp in self.components.values():
            alive = comp.alive()
            listening = port_open(comp.port) if alive and comp.port else False
            lines.append(f"  {comp.name:<8} pid {comp.pid or '-':<8} port {comp.port or '-':<6} "
                         f"{'alive' if alive else 'stopped'}{', listening' if listening else ''}")
        lines.append(f"  shop URL {self.base_url} (plain HTTP {self.http_url})")
        lines.append(f"  active faults: {', '.join(self.active_faults()) or 'none'}")
        return lines

    def save_state(self) -> None:
        self.state["components"] = {name: c.to_dict() for name, c in self.components.items()}
        tmp = self.run_dir / "state.json.tmp"
        tmp.write_text(json.dumps(self.state, indent=2))
        os.replace(tmp, self.run_dir / "state.json")


@contextmanager
def traversable_temp_dir(prefix: str = "dija-"):
    """A fresh temp folder others may traverse (not pytest's 0700 tmp_path: Dovecot reads mail as
    `mail`), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    os.chmod(folder, 0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def temporary_stack(prefix: str = "dija-demo-", variant: str | None = None):
    """A demo stack (of shop shape `variant`) on free ports in its own temp folder, stopped and removed
    however the caller ends."""
    with traversable_temp_dir(prefix) as run_dir:
        stack = Stack.up(run_dir, variant)
        try:
            yield stack
        finally:
            stack.down()


def check_traversable(run_dir: Path) -> None:
    """Dovecot's mail processes run as `mail`: every parent of the run dir must be world-traversable."""
    for parent in [run_dir, *run_dir.parents]:
        if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:
            raise DemoError(f"{parent} is not world-traversable (chmod o+x, or use tempfile.mkdtemp() + "
                            f"chmod 0755 instead of pytest's tmp_path): the IMAP server could not read mail")


def prepare_run_dir(run_dir: Path) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(run_dir, 0o755)
    check_traversable(run_dir)
    for entry in run_dir.iterdir():
        if entry.name in KEEP_ON_REBUILD:
            continue
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for sub in ("logs", "faults", "shop", "gateway", "mail"):
        (run_dir / sub).mkdir(exist_ok=True)
        os.chmod(run_dir / sub, 0o755)


def new_ports() -> dict[str, int]:
    ports: dict[str, int] = {}
    while len(ports) < len(PORT_NAMES):
        port = free_port()
        if port not in ports.values():
            ports[PORT_NAMES[len(ports)]] = port
    return ports


def new_secrets() -> dict[str, str]:
    from demoshop.backup import new_key
    token = pysecrets.token_urlsafe
    return {"DIJA_DB_PASSWORD": token(18), "DIJA_IMAP_PASSWORD": token(18), "DIJA_CHECKOUT_PASSWORD": token(18),
            "DIJA_STRIPE_KEY": "sk_test_" + pysecrets.token_hex(16),
            "DIJA_PAYSTACK_KEY": "sk_test_" + pysecrets.token_hex(20),
            "DIJA_REMITA_KEY": "rmt_" + pysecrets.token_hex(16), "DIJA_BACKUP_KEY": new_key()}


def python_cmd(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]
