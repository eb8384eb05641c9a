"""TLS: does the shop's certificate verify, is it far from expiry, and are protocol and key strong?"""

import datetime as dt
import ssl

import pytest

from runner.clients import tls
from runner.pytest_plugin import Degraded

pytestmark = pytest.mark.area("tls")

MIN_RSA_BITS = 2048
LEGACY_PROTOCOLS = {"TLS 1.0": ssl.TLSVersion.TLSv1, "TLS 1.1": ssl.TLSVersion.TLSv1_1}


@pytest.fixture
def tls_probe(settings):
    """The shop's TLS answer (verified or not), read once per check."""
    return tls.probe(tls.target(settings), settings.site.timeout_seconds)


@pytest.mark.cadence("daily")
@pytest.mark.severity("critical")
@pytest.mark.smoke
@pytest.mark.runbook("tls")
def test_certificate_verifies(tls_probe, measure):
    """The shop's certificate verifies for its host with a trusted chain: browsers block the shop otherwise."""
    measure(certificate_verified=1 if tls_probe.verified else 0)
    assert tls_probe.verified, (
        f"{tls_probe.target.where}: certificate does not verify: {tls_probe.reason}; {tls.describe(tls_probe.leaf)}"
    )


@pytest.mark.cadence("daily")
@pytest.mark.severity("critical")
@pytest.mark.runbook("tls")
@pytest.mark.smoke
def test_certificate_not_expiring(settings, tls_probe, measure):
    """The certificate and its chain are far from expiry: an expired certificate takes the shop offline."""
    now = dt.datetime.now(dt.UTC)
    chain, source = tls_probe.chain, "presented chain"
    if len(chain) == 1:
        chain = tls.with_issuer_from_bundle(chain, tls_probe.target.ca_bundle)
        source = "leaf + its issuer from tls.ca_bundle" if len(chain) > 1 else "leaf only (no chain sent)"
    leaf_days = tls.days_left(chain[0], now)
    earliest = min(chain, key=lambda cert: cert.not_valid_after_utc)
    earliest_days = tls.days_left(earliest, now)
    measure(days_left=leaf_days, chain_days_left=earliest_days)
    which = "leaf certificate" if earliest is chain[0] else f"chain certificate {tls.common_name(earliest.subject)}"
    when = f"expires in {earliest_days:.1f} days" if earliest_days >= 0 else f"expired {-earliest_days:.1f} days ago"
    text = f"{tls_probe.target.where}: {which} {when} ({earliest.not_valid_after_utc:%Y-%m-%d}; {source})"
    limits = settings.thresholds
    assert earliest_days >= limits.cert_fail_days, f"{text} < {limits.cert_fail_days:g} days"
    if earliest_days < limits.cert_warn_days:
        raise Degraded(f"{text} < {limits.cert_warn_days:g} days")


@pytest.mark.cadence("monthly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("tls")
def test_protocol_and_key_strength(settings, tls_probe, measure):
    """The shop refuses TLS 1.0/1.1 and uses an RSA key of 2048+ bits and no SHA-1 signature: old crypto is breakable."""
    timeout = settings.site.timeout_seconds
    accepted = [
        name for name, version in LEGACY_PROTOCOLS.items() if tls.accepts_protocol(tls_probe.target, version, timeout)
    ]
    # a root's signature on itself is not checked by clients, so it does not count
    signed = tls_probe.chain[:1] + [cert for cert in tls_probe.chain[1:] if cert.issuer != cert.subject]
    weak = [
        f"{tls.common_name(cert.subject)}: {problem}"
        for cert in signed
        for problem in tls.weaknesses(cert, MIN_RSA_BITS)
    ]
    measure(legacy_protocols_accepted=len(accepted), weak_certificates=len(weak))
    problems = [f"{name} accepted" for name in accepted] + weak
    assert not problems, f"{tls_probe.target.where}: " + "; ".join(problems)
