"""Payment gateways: is each gateway up (its public status page) and does it accept the shop's key?"""

import pytest
import requests

from runner.clients.http import describe_error
from runner.errors import MonitorError
from runner.pytest_plugin import Degraded, configured

pytestmark = pytest.mark.area("payments")

GATEWAYS = ("stripe", "paystack", "remita")
FAILING_INDICATORS = ("major", "critical")


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("payment-issues")
@pytest.mark.parametrize("gateway", GATEWAYS)
def test_gateway_up_and_key_accepted(settings, http, measure, gateway):
    """The payment gateway reports no outage and accepts the shop's secret key: otherwise checkout fails for everyone."""
    section = getattr(configured(settings, "payments"), gateway)
    if section is None:
        pytest.skip(f"not configured: no [payments.{gateway}] section in {settings.source}")
    key = section.secret("key")
    if not key:
        pytest.skip(f"{gateway}: no API key configured (payments.{gateway}.key_env)")
    indicator, description = _status(http, gateway, section.status_url)
    status = _call(
        http,
        gateway,
        "GET",
        section.api_base.rstrip("/") + "/v1/balance",
        headers={"Authorization": f"Bearer {key.reveal()}"},
    ).status_code
    measure(key_http_status=status, outage=int(indicator in FAILING_INDICATORS))
    problems = []
    if indicator in FAILING_INDICATORS:
        problems.append(f"{gateway}: status page reports a {indicator} outage ({description})")
    if status in (401, 403):
        problems.append(f"{gateway}: key rejected (HTTP {status} from {section.api_base}/v1/balance)")
    elif status != 200:
        problems.append(f"{gateway}: authenticated call answered HTTP {status}, expected 200")
    assert not problems, "; ".join(problems)
    if indicator not in (None, "none"):
        raise Degraded(f"{gateway}: status page reports a {indicator} incident ({description})")


def _status(http, gateway: str, url: str | None) -> tuple[str | None, str]:
    """(indicator, description) from a statuspage.io-style status.json; (None, '') without a status URL."""
    if not url:
        return None, ""
    try:
        status = _call(http, gateway, "GET", url).json()["status"]
        return str(status["indicator"]), str(status.get("description", ""))
    except (ValueError, KeyError, TypeError) as exc:
        raise MonitorError(f"{gateway}: {url} is not a statuspage status.json ({type(exc).__name__}: {exc})") from None


def _call(http, gateway: str, method: str, url: str, **kwargs) -> requests.Response:
    """A request to a third party (system CA store, not the shop's); a network failure is an error, not a verdict."""
    try:
        return http.request(method, url, verify=True, **kwargs)
    except requests.RequestException as exc:
        raise MonitorError(f"{gateway}: {url.split('?')[0]} unreachable: {describe_error(exc)}") from None
