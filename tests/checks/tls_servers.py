"""Small TLS servers on free ports, each serving one generated certificate case, for the tls checks."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
import subprocess
import threading
import warnings
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

HOST = "127.0.0.1"


class TlsServer:
    """Accepts connections in a thread and completes (or fails) a TLS handshake on each."""

    def __init__(self, context: ssl.SSLContext):
        self.context = context
        self.listener = socket.create_server((HOST, 0))
        self.port = self.listener.getsockname()[1]
        self.listener.settimeout(0.2)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._handshake, args=(conn,), daemon=True).start()

    def _handshake(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            with self.context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError):
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)
        self.listener.close()


def server_context(chain_pem: bytes, key_pem: bytes, workdir: Path, legacy: bool = False) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert_file, key_file = workdir / "chain.pem", workdir / "key.pem"
    cert_file.write_bytes(chain_pem)
    key_file.write_bytes(key_pem)
    if legacy:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.minimum_version = ssl.TLSVersion.TLSv1
            context.maximum_version = ssl.TLSVersion.TLSv1
    context.set_ciphers("ALL:@SECLEVEL=0")  # let weak keys and old protocols through, as a bad server would
    context.load_cert_chain(cert_file, key_file)
    return context


def trustme_case(
    ca: trustme.CA, hosts: tuple[str, ...], not_after: dt.datetime | None = None, not_before: dt.datetime | None = None
) -> tuple[bytes, bytes]:
    """(chain PEM, key PEM) of a leaf issued by `ca`."""
    kwargs = {"not_after": not_after} if not_after else {}
    if not_before:
        kwargs["not_before"] = not_before
    leaf = ca.issue_cert(*hosts, **kwargs)
    return b"".join(blob.bytes() for blob in leaf.cert_chain_pems), leaf.private_key_pem.bytes()


def self_signed_case(host: str) -> tuple[bytes, bytes]:
    """A self-signed certificate (issuer == subject)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=200))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(host))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def weak_case(workdir: Path, host: str) -> tuple[bytes, bytes]:
    """A self-signed RSA-1024 certificate signed with SHA-1: cryptography refuses to make one, openssl does not."""
    cert, key = workdir / "weak.pem", workdir / "weak.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:1024",
            "-sha1",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            f"/CN={host}",
            "-days",
            "200",
            "-addext",
            f"subjectAltName=IP:{host}",
        ],
        check=True,
        capture_output=True,
    )
    return cert.read_bytes(), key.read_bytes()


def monitor_config(path: Path, port: int, ca_bundle: Path | None) -> Path:
    """A minimal monitor.toml for the tls checks against a server on 127.0.0.1:port."""
    tls = f'[tls]\nca_bundle = "{ca_bundle}"\n' if ca_bundle else "[tls]\n"
    path.write_text(f'[site]\nbase_url = "https://{HOST}:{port}"\ntimeout_seconds = 5\n\n{tls}')
    return path
