"""A private, real Alertmanager (Debian's prometheus-alertmanager, installed by `make setup`) for the
tests: loopback only, no clustering, a free port, a short resolve_timeout, stopped by its PID."""

from __future__ import annotations

import shutil
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import requests

from demoshop.procs import free_port

BINARY = "prometheus-alertmanager"
CONFIG = """global:
  resolve_timeout: {resolve_timeout}
route:
  receiver: hook
  group_by: [alertname, check]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: hook
    webhook_configs:
      - url: {webhook}
        send_resolved: true
"""


@contextmanager
def alertmanager(folder: Path, webhook: str, resolve_timeout: str = "3s", ready_seconds: float = 30):
    """Start Alertmanager notifying `webhook`; yield its base URL; stop it (SIGTERM, then SIGKILL)."""
    binary = shutil.which(BINARY)
    if binary is None:
        raise RuntimeError(f"{BINARY} is not installed: `make setup` installs the Debian package")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "am.yml").write_text(CONFIG.format(resolve_timeout=resolve_timeout, webhook=webhook))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with open(folder / "alertmanager.log", "w") as log:
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={folder / 'am.yml'}",
                f"--storage.path={folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_ready(url, process, ready_seconds, folder / "alertmanager.log")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Alertmanager exited ({process.returncode}): {log.read_text()[-1500:]}")
        try:
            if requests.get(f"{url}/-/ready", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"Alertmanager not ready within {seconds:g} s: {log.read_text()[-1500:]}")


def active_alerts(url: str) -> list[dict]:
    """GET /api/v2/alerts?active=true (not silenced or inhibited)."""
    response = requests.get(
        f"{url}/api/v2/alerts", params={"active": "true", "silenced": "false", "inhibited": "false"}, timeout=5
    )
    response.raise_for_status()
    return response.json()
