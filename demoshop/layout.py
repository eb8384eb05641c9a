"""Where the demo stack lives and what it is made of: its run dir (outside the checkout, one per
checkout and shape), its ports and secrets, and how its Python processes are started.

A leaf: it imports nothing of the demo shop but the process and error helpers, so every other
module (stack, builder, faults) may use it.
"""

from __future__ import annotations

import hashlib
import os
import secrets as pysecrets
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet

from demoshop.errors import DemoError
from demoshop.procs import free_port

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
PORT_NAMES = ("shop_https", "shop_http", "mariadb", "smtp", "imap", "gateway")
RUN_SUBDIRS = ("logs", "faults", "shop", "gateway", "mail")
KEEP_ON_REBUILD = ("faults",)


def default_run_dir(variant: str | None = None) -> Path:
    """$DIJA_DEMO_DIR, else where `python -m demoshop` and `dija-monitor demo` keep the stack: a folder
    of the temp dir, one per checkout and shape (dija-demo-<hash>, dija-demo-alt-<hash>). Not in the
    checkout: Dovecot reads the mail as `mail`, which cannot pass a clone's 0700 home."""
    if os.environ.get("DIJA_DEMO_DIR"):
        return Path(os.environ["DIJA_DEMO_DIR"]).absolute()
    checkout = hashlib.sha256(str(PACKAGE_ROOT).encode()).hexdigest()[:10]
    shape = "" if variant in (None, "default") else f"{variant}-"
    return Path(tempfile.gettempdir()) / f"dija-demo-{shape}{checkout}"


def check_traversable(run_dir: Path) -> None:
    """Dovecot's mail processes run as `mail`: every parent of the run dir must be world-traversable."""
    for parent in [run_dir, *run_dir.parents]:
        if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:
            raise DemoError(
                f"{parent} is not world-traversable (chmod o+x, or use tempfile.mkdtemp() + "
                f"chmod 0755 instead of pytest's tmp_path): the IMAP server could not read mail"
            )


def check_owned(run_dir: Path) -> None:
    """The run dir sits in a shared temp dir under a predictable name: never use one another user made."""
    if run_dir.is_symlink() or run_dir.stat().st_uid != os.getuid():
        raise DemoError(f"{run_dir} belongs to another user or is a symlink: remove it, or set DIJA_DEMO_DIR")


def prepare_run_dir(run_dir: Path) -> None:
    """The run dir emptied (but for the fault markers a later `up` re-applies), with the modes the
    daemons need: 0755 folders, so Dovecot (as `mail`) reaches the Maildirs."""
    run_dir.mkdir(parents=True, exist_ok=True)
    check_owned(run_dir)
    os.chmod(run_dir, 0o755)
    check_traversable(run_dir)
    for entry in run_dir.iterdir():
        if entry.name in KEEP_ON_REBUILD:
            continue
        shutil.rmtree(entry) if entry.is_dir() and not entry.is_symlink() else entry.unlink()
    for sub in RUN_SUBDIRS:
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
    token = pysecrets.token_urlsafe
    return {
        "DIJA_DB_PASSWORD": token(18),
        "DIJA_IMAP_PASSWORD": token(18),
        "DIJA_CHECKOUT_PASSWORD": token(18),
        "DIJA_STRIPE_KEY": "sk_test_" + pysecrets.token_hex(16),
        "DIJA_PAYSTACK_KEY": "sk_test_" + pysecrets.token_hex(20),
        "DIJA_REMITA_KEY": "rmt_" + pysecrets.token_hex(16),
        "DIJA_BACKUP_KEY": Fernet.generate_key().decode(),
    }


def python_cmd(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def python_env() -> dict[str, str]:
    """The environment a stack process adds to ours, so `python -m demoshop....` finds this checkout."""
    return {"PYTHONPATH": str(PACKAGE_ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
