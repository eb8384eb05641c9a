"""The demo stack: bring every component up in a run dir, attach to it later, fault it, stop it."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pymysql

from demoshop import builder, mariadb, runfiles, shapes
from demoshop.errors import AlreadyRunning, DemoError, NotRunning
from demoshop.faults import catalog, flags
from demoshop.layout import default_run_dir
from demoshop.processes import Processes
from demoshop.procs import port_open

log = logging.getLogger(__name__)


def ensure_running(run_dir: Path | None = None, variant: str | None = None) -> tuple[Stack, bool]:
    """Attach to the stack in `run_dir` if it runs (faults and all), else start one: (stack, started)."""
    run_dir = run_dir or default_run_dir(variant)
    try:
        stack = Stack.attach(run_dir)
        if stack.is_running():
            if stack.shape.name != shapes.get(variant).name:
                raise AlreadyRunning(
                    f"a demo stack of variant {stack.shape.name} is running in {run_dir}: "
                    "stop it first (python -m demoshop down)"
                )
            return stack, False
    except NotRunning:
        pass
    return Stack.up(run_dir, variant), True


class Stack(Processes):
    """A demo stack: its processes (started, stopped by `down`), run dir, files and faults."""

    # ---- public API -------------------------------------------------------------------------
    @classmethod
    def up(cls, run_dir: Path, variant: str | None = None) -> Stack:
        """Create and start every component of shop shape `variant` (default: the default shape) in
        `run_dir`, wait until ready, write the monitor's files, switch on again the faults left on."""
        shape = shapes.get(variant)
        run_dir = Path(run_dir).absolute()
        if (run_dir / "state.json").exists():
            old = cls.attach(run_dir)
            if old.is_running():
                raise AlreadyRunning(f"a demo stack is already running in {run_dir}")
            old.down()
        started = time.monotonic()
        try:
            procs = builder.build(run_dir, shape)
        except DemoError as exc:
            if "in use" not in str(exc):
                raise
            log.warning("a port was taken between choosing and binding it; retrying with new ports")
            procs = builder.build(run_dir, shape)
        stack = cls(run_dir, procs.state, procs.popens)
        try:
            stack.reapply_faults()
        except BaseException:
            stack.down()
            raise
        log.info("demo stack up in %.2f s at %s", time.monotonic() - started, stack.base_url)
        return stack

    @classmethod
    def attach(cls, run_dir: Path) -> Stack:
        state_file = Path(run_dir).absolute() / "state.json"
        try:
            state = json.loads(state_file.read_text())
        except FileNotFoundError:
            raise NotRunning(f"no demo stack in {state_file.parent} (start one with `python -m demoshop up`)") from None
        except (OSError, ValueError) as exc:
            raise DemoError(f"unreadable demo state {state_file}: {exc}") from None
        return cls(state_file.parent, state)

    def remove(self) -> None:
        """Stop the stack and delete its run dir (the state, data, logs and backups with it)."""
        self.down()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    @property
    def shape(self) -> shapes.Shape:
        return shapes.get(self.state.get("variant"))

    def is_running(self) -> bool:
        return self.state.get("status") == "up" and any(c.alive() for c in self.components.values())

    def fault(self, name: str, on: bool) -> None:
        fault = catalog.get(name)
        if not self.is_running():
            raise NotRunning(f"the demo stack in {self.run_dir} is not running")
        marker = flags.folder(self.run_dir) / name
        if on:
            fault.on(self)
            marker.write_text(dt.datetime.now(dt.UTC).isoformat() + "\n")
        else:
            fault.off(self)
            marker.unlink(missing_ok=True)
        log.info("fault %s %s", name, "on" if on else "off")

    def active_faults(self) -> list[str]:
        return flags.active(flags.folder(self.run_dir))

    def reapply_faults(self) -> None:
        """A fault left on when the stack stopped is switched on again, not silently healed."""
        for name in self.active_faults():
            if name in catalog.FAULTS:
                log.warning("fault %s was active before this start; switching it on again", name)
                catalog.FAULTS[name].on(self)

    def db_root(self) -> pymysql.Connection:
        return mariadb.connect_root(self.run_dir)

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

    def status_lines(self) -> list[str]:
        lines = [f"demo stack in {self.run_dir}: {'running' if self.is_running() else 'not running'}"]
        for comp in self.components.values():
            alive = comp.alive()
            listening = port_open(comp.port) if alive and comp.port else False
            lines.append(
                f"  {comp.name:<8} pid {comp.pid or '-':<8} port {comp.port or '-':<6} "
                f"{'alive' if alive else 'stopped'}{', listening' if listening else ''}"
            )
        lines.append(f"  shop URL {self.base_url} (plain HTTP {self.http_url})")
        lines.append(f"  active faults: {', '.join(self.active_faults()) or 'none'}")
        return lines


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
