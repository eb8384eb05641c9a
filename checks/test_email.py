"""Email: does mail from the shop reach an inbox, and is the shop's outgoing queue moving?"""

import secrets

import pytest

from runner.clients import smtp
from runner.pytest_plugin import Degraded, configured

pytestmark = pytest.mark.area("email")

SUBJECT_PREFIX = "dija-monitor delivery probe"
MAX_LISTED = 10


@pytest.mark.cadence("hourly")
@pytest.mark.severity("critical")
@pytest.mark.runbook("email")
def test_email_round_trip(settings, mailbox, measure):
    """A message sent through the shop's SMTP relay arrives in the monitor's mailbox in time: order confirmations and password resets depend on it."""
    section = configured(settings, "mail")
    limits = settings.thresholds
    token = secrets.token_hex(8)
    subject = f"{SUBJECT_PREFIX} {token}"
    ca_bundle = settings.tls.ca_bundle if settings.tls else None
    try:
        smtp.send(section, subject, f"Delivery probe {token}: the monitor deletes this message.", ca_bundle)
    except smtp.SmtpError as exc:
        pytest.fail(f"not sent: {exc}")
    message, waited = mailbox.wait_for(token, timeout=limits.email_fail_seconds)
    assert message is not None, (
        f"not delivered: probe {token} sent to {section.to_address} did not arrive "
        f"within {limits.email_fail_seconds:.0f} s"
    )
    mailbox.delete(message)
    measure(delivery_seconds=waited)
    if waited > limits.email_warn_seconds:
        raise Degraded(f"delivered slowly: {waited:.1f} s > {limits.email_warn_seconds:.0f} s")


@pytest.mark.cadence("hourly")
@pytest.mark.severity("warning")
@pytest.mark.runbook("email")
@pytest.mark.shop_data("email_queue.id", "email_queue.status", "email_queue.created_at")
def test_email_queue_not_stuck(settings, shop, measure):
    """The shop's outgoing email queue has no failed or stuck messages: customers are not missing confirmations."""
    minutes = settings.thresholds.email_queue_stuck_minutes
    rows = shop.rows(
        "email_queue_problems",
        "SELECT {email_queue.id} AS id, {email_queue.status} IN {email_failed} AS failed FROM {email_queue} "
        "WHERE {email_queue.status} IN {email_failed} OR ({email_queue.status} IN {email_queued} "
        "AND {email_queue.created_at} < UTC_TIMESTAMP() - INTERVAL %(seconds)s SECOND) ORDER BY 1",
        seconds=int(minutes * 60),
    )
    failed = [r["id"] for r in rows if r["failed"]]
    queued = [r["id"] for r in rows if not r["failed"]]
    measure(failed_emails=len(failed), stuck_emails=len(queued))
    problems = []
    if failed:
        problems.append(f"{len(failed)} failed: email_queue {_ids(failed)}")
    if queued:
        problems.append(f"{len(queued)} unsent for more than {minutes:.0f} min: email_queue {_ids(queued)}")
    assert not problems, "; ".join(problems)


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:MAX_LISTED])
    return shown + (f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else "")
