"""Screenshots in alerts: where the apprise service takes attachments (e-mail, JSON webhook), a failed
browser check's notice carries its screenshot; apprise announces the app as dija-monitor."""

import base64
import email
import email.policy
import struct
import zlib

import pytest
from aiosmtpd.controller import Controller

from demoshop.procs import free_port
from runner.alerts import message
from runner.alerts.providers import AppriseChannel
from runner.alerts.state import Event
from tests.alerts.conftest import T0, check


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b"")
    )


@pytest.fixture
def failed_browser_check(tmp_path):
    """A checkout check that failed with a screenshot and a trace as its evidence."""
    png, trace = tmp_path / "screenshot.png", tmp_path / "trace.zip"
    png.write_bytes(tiny_png())
    trace.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    return check("test_checkout_journey", area="checkout", evidence=[str(png), str(trace)])


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def send(url: str, events) -> None:
    channel = AppriseChannel("test", url, ("critical",), key="alerts.channels[0]")
    channel.validate()
    channel.send(message.compose(events, "shop.example"))


def test_an_email_alert_carries_the_screenshot_and_names_dija_monitor(smtp, failed_browser_check):
    port, inbox = smtp
    send(
        f"mailto://127.0.0.1:{port}?mode=insecure&from=monitor@shop.example&to=ops@shop.example",
        [Event("incident", failed_browser_check["id"], T0, failed_browser_check)],
    )
    [mail] = inbox.messages
    assert mail["X-Application"] == "dija-monitor"
    attached = {part.get_filename(): part.get_content() for part in mail.iter_attachments()}
    assert attached == {"screenshot.png": tiny_png()}  # the screenshot only, not the trace


def test_a_json_webhook_gets_the_screenshot_and_resolved_notices_get_none(receiver, failed_browser_check):
    url = f"json://{receiver.url[7:]}/hook"
    send(url, [Event("incident", failed_browser_check["id"], T0, failed_browser_check)])
    send(url, [Event("resolved", failed_browser_check["id"], T0 + 600, failed_browser_check, since=T0)])
    incident, resolved = receiver.on("/hook")
    [attachment] = incident["attachments"]
    assert attachment["filename"] == "screenshot.png" and base64.b64decode(attachment["base64"]) == tiny_png()
    assert resolved.get("attachments") in (None, [])


def test_a_missing_screenshot_file_is_left_out_and_the_alert_still_goes(receiver, failed_browser_check, tmp_path):
    (tmp_path / "screenshot.png").unlink()
    send(f"json://{receiver.url[7:]}/hook", [Event("incident", failed_browser_check["id"], T0, failed_browser_check)])
    [posted] = receiver.on("/hook")
    assert posted["title"] == "[FAILING] shop.example: test_checkout_journey" and not posted.get("attachments")
