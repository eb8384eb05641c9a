"""The stack's processes by name: started, waited for and stopped by PID, each recorded in the run
dir's state.json as soon as it starts (so a later `down` finds it even when `up` died half-way).

The builder starts a stack's processes into one of these and returns it; `Stack` is one too."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from demoshop import mariadb
from demoshop.procs import Component, spawn, stop_all, wait_port


class Processes:
    def __init__(self, run_dir: Path, state: dict, popens: dict[str, subprocess.Popen] | None = None):
        self.run_dir = Path(run_dir)
        self.state = state
        self.components = {name: Component(**spec) for name, spec in state["components"].items()}
        self.popens: dict[str, subprocess.Popen] = dict(popens or {})  # those this process started

    @property
    def ports(self) -> dict[str, int]:
        return dict(self.state["ports"])

    def start_component(self, name: str, wait: bool = True) -> None:
        comp = self.components[name]
        if comp.alive():
            return
        self.popens[name] = spawn(comp)
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
            wait_port(comp, self.popens.get(name))
        if name == "shop":
            wait_port(Component("shop (http)", [], comp.log_path, port=self.ports["shop_http"]), self.popens.get(name))

    def stop_component(self, name: str) -> None:
        stop_all([self.components[name]], self.popens)
        self.save_state()

    def down(self) -> None:
        """Stop every process by PID (SIGTERM, then SIGKILL) and record the stack as down; idempotent."""
        stop_all(list(self.components.values()), self.popens)
        self.state["status"] = "down"
        self.save_state()

    def save_state(self) -> None:
        self.state["components"] = {name: c.to_dict() for name, c in self.components.items()}
        tmp = self.run_dir / "state.json.tmp"
        tmp.write_text(json.dumps(self.state, indent=2))
        os.replace(tmp, self.run_dir / "state.json")
