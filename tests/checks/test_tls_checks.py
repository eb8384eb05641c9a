"""The tls checks against servers presenting generated certificates, and against the demo shop's faults."""

import datetime as dt
import ssl
import warnings

import pytest
import trustme

from runner import config
from runner.clients import tls
from tests.checks.conftest import CheckRunner, assert_outcome
from tests.checks.tls_servers import (
    HOST,
    TlsServer,
    monitor_config,
    self_signed_case,
    server_context,
    trustme_case,
    weak_case,
)

TLS_MODULE = "checks/test_tls.py"
VERIFIES, EXPIRY, STRENGTH = (
    "test_certificate_verifies",
    "test_certificate_not_expiring",
    "test_protocol_and_key_strength",
)
NOW = dt.datetime.now(dt.UTC)


@pytest.fixture(scope="module")
def ca():
    return trustme.CA()


@pytest.fixture
def serve(ca, tmp_path):
    """serve(chain_pem, key_pem, legacy=False, trust=ca) → the three tls checks' records against it."""
    servers = []

    def run_checks(chain_pem: bytes, key_pem: bytes, legacy: bool = False, trust: trustme.CA | None = ca):
        server = TlsServer(server_context(chain_pem, key_pem, tmp_path, legacy))
        servers.append(server)
        bundle = None
        if trust is not None:
            bundle = tmp_path / "bundle.pem"
            trust.cert_pem.write_to_path(str(bundle))
        config = monitor_config(tmp_path / "monitor.toml", server.port, bundle)
        return CheckRunner(config, tmp_path).run(TLS_MODULE)

    yield run_checks
    for server in servers:
        server.close()


def test_tls_checks_pass_for_a_valid_certificate(ca, serve):
    results = serve(*trustme_case(ca, (HOST,), not_after=NOW + dt.timedelta(days=200)))
    for name in (VERIFIES, EXPIRY, STRENGTH):
        assert_outcome(results[name], "pass")
    assert 199 < results[EXPIRY]["measurements"]["days_left"] < 201
    assert results[EXPIRY]["measurements"]["chain_days_left"] >= 199


def test_expired_certificate_fails_verification_and_expiry_naming_the_certificate(ca, serve):
    results = serve(
        *trustme_case(ca, (HOST,), not_before=NOW - dt.timedelta(days=90), not_after=NOW - dt.timedelta(days=2))
    )
    assert_outcome(
        results[VERIFIES],
        "fail",
        f"{HOST}:",
        "does not verify: expired",
        "subject OU=Testing cert",
        f"SANs {HOST}",
        "issuer OU=Testing CA",
        "not after",
    )
    assert_outcome(results[EXPIRY], "fail", "leaf certificate expired 2.0 days ago", "< 7 days")


def test_certificate_expiring_in_5_days_fails_expiry_but_verifies(ca, serve):
    results = serve(*trustme_case(ca, (HOST,), not_after=NOW + dt.timedelta(days=5)))
    assert_outcome(results[VERIFIES], "pass")
    assert_outcome(results[EXPIRY], "fail", "leaf certificate expires in 5.0 days", "< 7 days")
    assert 4.9 < results[EXPIRY]["measurements"]["days_left"] < 5.1


def test_certificate_expiring_in_15_days_is_degraded(ca, serve):
    results = serve(*trustme_case(ca, (HOST,), not_after=NOW + dt.timedelta(days=15)))
    assert_outcome(results[EXPIRY], "degraded", "expires in 15.0 days", "< 21 days")


def test_certificate_for_another_host_fails_with_hostname_mismatch(ca, serve):
    results = serve(*trustme_case(ca, ("shop.other.example",)))
    assert_outcome(results[VERIFIES], "fail", "hostname mismatch", "SANs shop.other.example")


def test_self_signed_certificate_fails_verification(serve):
    results = serve(*self_signed_case(HOST))
    assert_outcome(results[VERIFIES], "fail", "does not verify: self-signed")


def test_certificate_from_an_untrusted_ca_fails_verification(ca, serve):
    results = serve(*trustme_case(trustme.CA(), (HOST,)), trust=ca)
    assert_outcome(results[VERIFIES], "fail", "does not verify: unknown CA")


def test_tls10_only_server_fails_protocol_check_and_verification(ca, serve):
    results = serve(*trustme_case(ca, (HOST,)), legacy=True)
    assert_outcome(results[STRENGTH], "fail", "TLS 1.0 accepted")
    assert_outcome(results[VERIFIES], "fail", "handshake refused by a current client")
    assert_outcome(results[EXPIRY], "pass")


def test_weak_key_and_sha1_signature_fail_strength_check(serve, tmp_path):
    results = serve(*weak_case(tmp_path, HOST), trust=None)
    assert_outcome(results[STRENGTH], "fail", "RSA key 1024 bits < 2048", "SHA1 signature")


def refusing_tls10(unverified=tls._unverified_context) -> ssl.SSLContext:
    """A client context as on a host whose TLS library refuses TLS 1.0 (OpenSSL built or set up without it)."""
    context = unverified()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        context.options |= ssl.OP_NO_TLSv1
    return context


@pytest.mark.parametrize("legacy", [True, False], ids=["server-takes-tls10", "server-refuses-tls10"])
def test_a_host_that_cannot_offer_tls10_says_it_could_not_test_never_not_accepted(ca, tmp_path, legacy):
    server = TlsServer(server_context(*trustme_case(ca, (HOST,)), tmp_path, legacy=legacy))
    try:
        target = tls.Target(HOST, server.port, HOST, None)
        with pytest.raises(tls.ProtocolUntestable, match="cannot offer TLS 1.0, so whether .* could not be tested"):
            tls.accepts_protocol(target, ssl.TLSVersion.TLSv1, 5, context=refusing_tls10())
        assert tls.accepts_protocol(target, ssl.TLSVersion.TLSv1, 5) is legacy  # this host can offer it
    finally:
        server.close()


def test_the_protocol_check_is_an_error_not_a_pass_when_this_host_cannot_offer_tls10(ca, tmp_path, monkeypatch):
    """The check itself, run in-process with the refusing context: it raises (error), it does not pass."""
    from checks.test_tls import test_protocol_and_key_strength

    server = TlsServer(server_context(*trustme_case(ca, (HOST,)), tmp_path))
    try:
        bundle = tmp_path / "bundle.pem"
        ca.cert_pem.write_to_path(str(bundle))
        settings = config.load(monitor_config(tmp_path / "monitor.toml", server.port, bundle))
        probe = tls.probe(tls.target(settings), 5)
        monkeypatch.setattr(tls, "_unverified_context", refusing_tls10)
        with pytest.raises(tls.ProtocolUntestable):
            test_protocol_and_key_strength(settings, probe, lambda **figures: None)
    finally:
        server.close()


# the demo shop, restarted with other TLS material by its faults
def test_tls_checks_pass_on_healthy_demo(healthy):
    for name in (VERIFIES, EXPIRY, STRENGTH):
        assert_outcome(healthy[name], "pass")
    assert healthy[EXPIRY]["measurements"]["days_left"] > 80
    assert healthy[STRENGTH]["measurements"]["legacy_protocols_accepted"] == 0


def test_demo_wrong_host_cert_fails_verification(check_runner, fault):
    fault("wrong_host_cert")
    results = check_runner.run(f"{TLS_MODULE}::{VERIFIES}")
    assert_outcome(
        results[VERIFIES], "fail", "hostname mismatch", "SANs shop.wrong-host.example", "issuer CN=Dija Demo Root CA"
    )


def test_demo_cert_expiring_in_5_days_fails_expiry(check_runner, fault):
    fault("cert_expiring")
    results = check_runner.run(f"{TLS_MODULE}::{EXPIRY}")
    assert_outcome(results[EXPIRY], "fail", "leaf certificate expires in 5.0 days", "presented chain", "< 7 days")


def test_demo_tls10_enabled_fails_protocol_check(check_runner, fault):
    fault("tls10_enabled")
    results = check_runner.run(f"{TLS_MODULE}::{STRENGTH}")
    assert_outcome(results[STRENGTH], "fail", "TLS 1.0 accepted", "TLS 1.1 accepted")
