"""Sending a probe message through the shop's SMTP relay (the [mail] section).

Failures are told apart, because each one sends the owner somewhere else: the relay refused the
connection (server down), refused the login (credentials), or refused the message itself.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from runner.errors import MonitorError


class SmtpError(MonitorError):
    """The relay did not accept the message; the text says at which step."""


def send(section, subject: str, body: str, ca_bundle=None, timeout: float = 30) -> None:
    """Send one message from `from_address` to `to_address`; raise SmtpError naming the step that failed."""
    where = f"SMTP {section.smtp_host}:{section.smtp_port}"
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = section.from_address, section.to_address, subject
    message["Date"], message["Message-ID"] = formatdate(localtime=False), make_msgid(domain="dija-monitor")
    message.set_content(body)
    try:
        client = smtplib.SMTP(section.smtp_host, section.smtp_port, timeout=timeout)
    except OSError as exc:
        raise SmtpError(f"{where} refused the connection ({exc.strerror or exc})") from None
    try:
        with client:
            _secure_and_login(client, section, where, ca_bundle)
            client.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise SmtpError(
            f"{where} AUTH as {section.smtp_user} failed: {exc.smtp_code} {_text(exc.smtp_error)}"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        codes = ", ".join(f"{rcpt}: {code} {_text(text)}" for rcpt, (code, text) in exc.recipients.items())
        raise SmtpError(f"{where} refused the recipient ({codes})") from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        raise SmtpError(f"{where} refused the message: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise SmtpError(f"{where} failed: {type(exc).__name__}: {exc}") from None


def _secure_and_login(client: smtplib.SMTP, section, where: str, ca_bundle) -> None:
    client.ehlo()
    if section.smtp_starttls:
        if not client.has_extn("starttls"):
            raise SmtpError(f"{where} does not offer STARTTLS (mail.smtp_starttls is on)")
        client.starttls(context=ssl.create_default_context(cafile=str(ca_bundle) if ca_bundle else None))
        client.ehlo()
    password = section.secret("smtp_password")
    if section.smtp_user and password is not None:
        if not client.has_extn("auth"):
            raise SmtpError(f"{where} does not offer AUTH (mail.smtp_user is set)")
        client.login(section.smtp_user, password.reveal())


def _text(raw) -> str:
    return raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
