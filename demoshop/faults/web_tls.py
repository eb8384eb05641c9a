"""TLS faults: the shop restarts serving other certificate material or accepting old protocols."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from demoshop import tlsgen
from demoshop.faults import flags
from demoshop.faults.kinds import Fault
from demoshop.shop.web_faults import FAULT_CERT, FAULT_KEY


def cert_fault(
    name: str, description: str, hosts: tuple[str, ...] = ("127.0.0.1", "localhost"), days: int = 90
) -> Fault:
    """The shop serves a leaf from the demo CA for `hosts`, valid `days` from now."""

    def on(stack) -> None:
        _write_fault_cert(stack.run_dir / "tls", hosts, days)
        _restart_shop(stack)

    def off(stack) -> None:
        for file in (FAULT_CERT, FAULT_KEY):
            (stack.run_dir / "tls" / file).unlink(missing_ok=True)
        _restart_shop(stack)

    return Fault(name, description, on=on, off=off, kind="process")


def legacy_tls_fault(name: str, description: str) -> Fault:
    """The shop reads this fault's marker at start-up, so the marker is written before the restart."""

    def on(stack) -> None:
        (flags.folder(stack.run_dir) / name).write_text(dt.datetime.now(dt.UTC).isoformat() + "\n")
        _restart_shop(stack)

    def off(stack) -> None:
        (flags.folder(stack.run_dir) / name).unlink(missing_ok=True)
        _restart_shop(stack)

    return Fault(name, description, on=on, off=off, kind="process")


def _write_fault_cert(tls_dir: Path, hosts: tuple[str, ...], days: int) -> None:
    ca = x509.load_pem_x509_certificate((tls_dir / "ca.pem").read_bytes())
    ca_key = serialization.load_pem_private_key((tls_dir / "ca.key").read_bytes(), password=None)
    leaf, key = tlsgen.make_leaf(ca, ca_key, dt.datetime.now(dt.UTC), hosts=hosts, days=days)
    (tls_dir / FAULT_CERT).write_bytes(tlsgen.pem(leaf) + tlsgen.pem(ca))
    tlsgen._write_private(tls_dir / FAULT_KEY, tlsgen.key_pem(key))


def _restart_shop(stack) -> None:
    stack.stop_component("shop")
    stack.start_component("shop")
