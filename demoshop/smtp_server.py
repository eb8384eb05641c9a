"""The demo SMTP server process: delivers each recipient's mail into RUN/mail/<localpart>/Maildir.

Delivered files and Maildirs are chowned to the `mail` user so Dovecot can read them (the
interpreter lives under /root, so the process itself cannot run as `mail`):
    python -m demoshop.smtp_server --port P --run-dir RUN
"""

from __future__ import annotations

import argparse
import logging
import mailbox
import os
import pwd
import re
import signal
import threading
from pathlib import Path

from aiosmtpd.controller import Controller

from demoshop.faults import flags

log = logging.getLogger("demoshop.smtp")


def mailbox_name(address: str) -> str:
    """The Maildir a recipient's mail goes to: the address's local part, made path-safe."""
    local = address.split("@", 1)[0].lower()
    return re.sub(r"[^a-z0-9._+-]", "_", local) or "postmaster"


def deliver(home: Path, message: bytes) -> None:
    """Add the message to home/Maildir, everything owned by mail:mail."""
    mail = pwd.getpwnam("mail")
    for sub in ("cur", "new", "tmp"):
        (home / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
    for directory in (home, home / "Maildir", *(home / "Maildir" / s for s in ("cur", "new", "tmp"))):
        os.chown(directory, mail.pw_uid, mail.pw_gid)
    box = mailbox.Maildir(home / "Maildir", create=False)
    key = box.add(message)
    os.chown(os.path.join(box._path, box._lookup(key)), mail.pw_uid, mail.pw_gid)


class MaildirHandler:
    def __init__(self, run_dir: Path):
        self.run_dir = run_dir

    async def handle_DATA(self, server, session, envelope):
        if flags.is_on(flags.MAIL_DROPPED, flags.folder(self.run_dir)):
            log.info("mail_dropped fault: accepted and discarded mail for %s", envelope.rcpt_tos)
            return "250 Message accepted for delivery"
        for rcpt in envelope.rcpt_tos:
            deliver(self.run_dir / "mail" / mailbox_name(rcpt), envelope.original_content or envelope.content)
        log.info("delivered mail from %s to %s", envelope.mail_from, envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--run-dir", type=Path, required=True)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    controller = Controller(MaildirHandler(args.run_dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    log.info("SMTP listening on 127.0.0.1:%s", args.port)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
