"""The monitor's IMAP mailbox: find a message by a token in its subject, delete it."""

from __future__ import annotations

import email
import email.policy
import imaplib
import ssl
import time
from dataclasses import dataclass

from runner.errors import MonitorError


class MailboxUnavailable(MonitorError):
    pass


@dataclass
class Message:
    uid: bytes
    subject: str
    body: str


class Mailbox:
    def __init__(self, client: imaplib.IMAP4):
        self.client = client

    @classmethod
    def open(cls, section, ca_bundle=None, user: str | None = None, password=None, timeout: float = 15):
        user = user or section.imap_user
        password = password or section.secret("imap_password")
        try:
            if section.imap_ssl:
                context = ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None)
                client = imaplib.IMAP4_SSL(section.imap_host, section.imap_port, ssl_context=context, timeout=timeout)
            else:
                client = imaplib.IMAP4(section.imap_host, section.imap_port, timeout=timeout)
        except OSError as exc:
            raise MailboxUnavailable(f"IMAP {section.imap_host}:{section.imap_port}: cannot connect ({exc})") from None
        try:
            client.login(user, password.reveal() if password else "")
            client.select("INBOX")
        except imaplib.IMAP4.error:
            client.shutdown()
            raise MailboxUnavailable(f"IMAP login as {user} refused") from None
        return cls(client)

    def find(self, subject_contains: str) -> Message | None:
        self.client.noop()
        status, data = self.client.uid("SEARCH", None, "SUBJECT", f'"{subject_contains}"')
        uids = data[0].split() if status == "OK" and data and data[0] else []
        if not uids:
            return None
        status, parts = self.client.uid("FETCH", uids[-1], "(RFC822)")
        raw = next(p[1] for p in parts if isinstance(p, tuple))
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        body = parsed.get_body(("plain", "html"))
        return Message(uid=uids[-1], subject=str(parsed["subject"]), body=body.get_content() if body else "")

    def wait_for(self, subject_contains: str, timeout: float, poll: float = 0.5) -> tuple[Message | None, float]:
        """Poll until a message with the text in its subject arrives: (message or None, seconds waited)."""
        started = time.monotonic()
        while True:
            message = self.find(subject_contains)
            waited = time.monotonic() - started
            if message or waited >= timeout:
                return message, waited
            time.sleep(min(poll, max(0.0, timeout - waited)))

    def delete(self, message: Message) -> None:
        self.client.uid("STORE", message.uid, "+FLAGS", r"(\Deleted)")
        self.client.expunge()

    def close(self) -> None:
        try:
            self.client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
