"""The private Dovecot IMAP instance serving the demo Maildirs (`dovecot -F -c RUN/dovecot/dovecot.conf`)."""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path

from demoshop.procs import Component

CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {logs}/dovecot.log
info_log_path = {logs}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 8
mail_location = maildir:{mail}/%n/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%n {base}/users
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={mail}/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def _readable_by_auth(passwd: Path) -> None:
    """Dovecot's auth process runs as `dovecot`: give that group read access, nobody else."""
    try:
        os.chown(passwd, 0, grp.getgrnam("dovecot").gr_gid)
        os.chmod(passwd, 0o640)
    except KeyError:
        os.chmod(passwd, 0o644)


def prepare(run_dir: Path, port: int, users: dict[str, str]) -> Component:
    """Write the config, the passwd-file and mail:mail owned Maildirs; return the component."""
    base, mail = run_dir / "dovecot", run_dir / "mail"
    base.mkdir(parents=True, exist_ok=True)
    conf = base / "dovecot.conf"
    conf.write_text(CONF.format(base=base, logs=run_dir / "logs", mail=mail, port=port))
    passwd = base / "users"
    passwd.write_text("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in users.items()))
    _readable_by_auth(passwd)
    mail_user = pwd.getpwnam("mail")
    for name in users:
        for sub in ("cur", "new", "tmp"):
            (mail / name / "Maildir" / sub).mkdir(parents=True, exist_ok=True)
    for path in [mail, *mail.rglob("*")]:
        os.chown(path, mail_user.pw_uid, mail_user.pw_gid)
    return Component("dovecot", ["dovecot", "-F", "-c", str(conf)], str(run_dir / "logs" / "dovecot.out"), port=port)
