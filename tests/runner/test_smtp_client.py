"""The SMTP probe sender tells a refused connection, a refused login and a refused message apart."""

from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from demoshop.procs import free_port
from runner.clients import smtp
from runner.secrets import Secret


class RejectingHandler:
    async def handle_DATA(self, server, session, envelope):
        return "550 5.7.1 Message rejected as spam"


def reject_login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=False, handled=False)


def section(port: int, user: str | None = None):
    secrets = {"smtp_password": Secret("not-the-password")} if user else {}
    return SimpleNamespace(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        smtp_user=user,
        from_address="monitor@example.test",
        to_address="monitor@example.test",
        secret=secrets.get,
    )


@pytest.fixture
def relay():
    port = free_port()
    controller = Controller(
        RejectingHandler(), hostname="127.0.0.1", port=port, authenticator=reject_login, auth_require_tls=False
    )
    controller.start()
    yield port
    controller.stop()


def test_refused_connection_is_named():
    with pytest.raises(smtp.SmtpError, match="refused the connection"):
        smtp.send(section(free_port()), "probe", "body", timeout=5)


def test_failed_login_is_named_without_the_password(relay):
    with pytest.raises(smtp.SmtpError, match="AUTH as monitor failed: 535") as caught:
        smtp.send(section(relay, user="monitor"), "probe", "body", timeout=5)
    assert "not-the-password" not in str(caught.value)


def test_refused_message_is_named(relay):
    with pytest.raises(smtp.SmtpError, match="refused the message: 550 5.7.1 Message rejected as spam"):
        smtp.send(section(relay), "probe", "body", timeout=5)
