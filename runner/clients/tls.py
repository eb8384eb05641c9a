"""TLS probes for checks: verify a server's certificate, read it even when it does not verify,
and try handshakes limited to one protocol version."""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import shutil
import socket
import ssl
import tempfile
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from runner.errors import MonitorError

log = logging.getLogger(__name__)
# OpenSSL verify codes, as the guide names them
VERIFY_REASONS = {
    10: "expired",
    9: "not yet valid",
    62: "hostname mismatch",
    64: "hostname mismatch (IP address)",
    18: "self-signed",
    19: "self-signed certificate in the chain",
    20: "unknown CA (unable to get local issuer)",
    21: "unknown CA (unable to verify the first certificate)",
    2: "unknown CA (issuer missing)",
}
ANY_CIPHER = "ALL:@SECLEVEL=0"  # read what the server presents, however weak


@dataclass
class Target:
    host: str
    port: int
    server_name: str
    ca_bundle: Path | None

    @property
    def where(self) -> str:
        return f"{self.server_name}:{self.port}"


@dataclass
class Probe:
    """One server's answer: whether it verified, why not, and the chain it presented (leaf first)."""

    target: Target
    verified: bool
    reason: str = ""
    chain: list[x509.Certificate] = field(default_factory=list)
    chain_source: str = "presented chain"

    @property
    def leaf(self) -> x509.Certificate:
        return self.chain[0]


def target(settings) -> Target:
    """Host and port from site.base_url, overridden by tls.host / tls.port; CA bundle from tls."""
    url = urlsplit(settings.site.base_url)
    tls = settings.tls
    host = (tls.host if tls and tls.host else None) or url.hostname
    port = (tls.port if tls and tls.port else None) or url.port or 443
    return Target(url.hostname or host, port, host, tls.ca_bundle if tls else None)


def probe(where: Target, timeout: float) -> Probe:
    """Verify strictly; on a verify error, read the certificate anyway and keep the reason."""
    context = ssl.create_default_context(cafile=str(where.ca_bundle) if where.ca_bundle else None)
    try:
        with _connect(where, context, timeout) as tls:
            return Probe(where, True, chain=_chain(tls))
    except ssl.SSLCertVerificationError as exc:
        reason = VERIFY_REASONS.get(exc.verify_code, exc.verify_message or str(exc))
    except ssl.SSLError as exc:  # e.g. only protocols or ciphers a current client refuses
        reason = f"handshake refused by a current client ({exc.reason or exc})"
    with _connect(where, _unverified_context(), timeout) as tls:
        return Probe(where, False, reason=reason, chain=_chain(tls))


class ProtocolUntestable(MonitorError):
    """This host's TLS library cannot offer the protocol itself: whether the server accepts it is unknown."""


def accepts_protocol(
    where: Target, version: ssl.TLSVersion, timeout: float, context: ssl.SSLContext | None = None
) -> bool:
    """Whether the server completes a handshake limited to `version` (any cipher, no verification).

    A refused handshake counts as "not accepted" only when this host can offer `version` at all
    (`can_offer`); else ProtocolUntestable: a monitor that cannot ask must not answer "no"."""
    context = context or _unverified_context()
    _only(context, version)
    try:
        with _connect(where, context, timeout) as tls:
            return tls.version() is not None
    except (ssl.SSLError, ConnectionResetError) as exc:
        if not can_offer(context, version):
            raise ProtocolUntestable(
                f"this host's TLS library cannot offer {_name(version)}, so whether "
                f"{where.where} accepts it could not be tested ({exc})"
            ) from None
        return False


def can_offer(client: ssl.SSLContext, version: ssl.TLSVersion) -> bool:
    """Whether `client` completes a `version` handshake with an in-memory server that takes only it."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.set_ciphers(ANY_CIPHER)
    _only(server, version)
    server.load_cert_chain(*_throwaway_certificate())
    to_server, to_client = ssl.MemoryBIO(), ssl.MemoryBIO()
    server_out, client_out = ssl.MemoryBIO(), ssl.MemoryBIO()
    sides = [
        client.wrap_bio(to_client, client_out, server_hostname="localhost"),
        server.wrap_bio(to_server, server_out, server_side=True),
    ]
    done = [False, False]
    for _ in range(10):
        for index, side in enumerate(sides):
            try:
                side.do_handshake()
                done[index] = True
            except ssl.SSLWantReadError:
                pass
            except (ssl.SSLError, ValueError):
                return False
        to_server.write(client_out.read())
        to_client.write(server_out.read())
        if all(done):
            return True
    return False


def _only(context: ssl.SSLContext, version: ssl.TLSVersion) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # TLSv1/TLSv1_1 are deprecated names
        context.minimum_version = context.maximum_version = version


def _name(version: ssl.TLSVersion) -> str:
    return {"TLSv1": "TLS 1.0"}.get(version.name, version.name.replace("TLSv", "TLS ").replace("_", "."))


@lru_cache(maxsize=1)
def _throwaway_certificate() -> tuple[str, str]:
    """A self-signed EC certificate and key in a private temp folder, for the in-memory self-test."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp(prefix="dija-tls-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return str(folder / "cert.pem"), str(folder / "key.pem")


def with_issuer_from_bundle(chain: list[x509.Certificate], ca_bundle: Path | None) -> list[x509.Certificate]:
    """The chain plus the leaf's issuer from the CA bundle when the server sent the leaf alone."""
    if len(chain) != 1 or not ca_bundle:
        return chain
    issuers = [c for c in x509.load_pem_x509_certificates(Path(ca_bundle).read_bytes()) if c.subject == chain[0].issuer]
    return chain + issuers[:1]


def days_left(cert: x509.Certificate, now: dt.datetime) -> float:
    return (cert.not_valid_after_utc - now).total_seconds() / 86400


def describe(cert: x509.Certificate) -> str:
    """subject, SANs, issuer and expiry: what an engineer needs to recognise the certificate."""
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = [str(n) for n in sans.get_values_for_type(x509.DNSName)]
        names += [str(n) for n in sans.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    return (
        f"subject {common_name(cert.subject)}, SANs {', '.join(names) or 'none'}, "
        f"issuer {common_name(cert.issuer)}, not after {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
    )


def common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return f"CN={values[0].value}" if values else name.rfc4514_string() or "(empty)"


def weaknesses(cert: x509.Certificate, min_rsa_bits: int) -> list[str]:
    """Key and signature weaknesses of one certificate."""
    found = []
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < min_rsa_bits:
        found.append(f"RSA key {key.key_size} bits < {min_rsa_bits}")
    algorithm = cert.signature_hash_algorithm
    if algorithm is not None and algorithm.name in ("sha1", "md5"):
        found.append(f"{algorithm.name.upper()} signature")
    return found


def _unverified_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.set_ciphers(ANY_CIPHER)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = ssl.TLSVersion.TLSv1
    return context


def _connect(where: Target, context: ssl.SSLContext, timeout: float) -> ssl.SSLSocket:
    raw = socket.create_connection((where.host, where.port), timeout=timeout)
    try:
        return context.wrap_socket(raw, server_hostname=where.server_name)
    except BaseException:
        raw.close()
        raise


def _chain(tls: ssl.SSLSocket) -> list[x509.Certificate]:
    """The presented chain, leaf first. Python 3.13 has get_unverified_chain() publicly; 3.10-3.12
    have it on the private _sslobj; without it only the leaf is available."""
    sslobj = getattr(tls, "_sslobj", None)
    getter = getattr(tls, "get_unverified_chain", None) or getattr(sslobj, "get_unverified_chain", None)
    if getter is not None:
        try:
            return [x509.load_der_x509_certificate(_der(c)) for c in getter() or []]
        except (ValueError, TypeError, AttributeError) as exc:
            log.debug("presented chain unreadable (%s); using the leaf", exc)
    der = tls.getpeercert(binary_form=True)
    return [x509.load_der_x509_certificate(der)] if der else []


def _der(cert) -> bytes:
    if isinstance(cert, bytes):
        return cert
    return cert.public_bytes(ssl._ssl.ENCODING_DER)  # _ssl.Certificate (3.10-3.12)
