"""One writer of alert state per reports folder: the alert steps of runs going at once (a manual
`run` or `verify` during a scheduled one) take turns, so each reads the state the other wrote and
a notice is sent once."""

from __future__ import annotations

import fcntl
import logging
import time
from pathlib import Path

from runner.errors import MonitorError

log = logging.getLogger(__name__)
LOCK_FILE = Path("locks") / "alerts.lock"
WAIT_SECONDS = 600.0  # longer than one alert step: every channel cut at its delivery timeout
POLL_SECONDS = 0.05


class AlertLock:
    """An exclusive file lock held for one alert step; waits for the other run's step to end."""

    def __init__(self, reports_dir: Path, wait: float = WAIT_SECONDS):
        self.path = Path(reports_dir) / LOCK_FILE
        self.wait = wait
        self.fh = None

    def __enter__(self) -> AlertLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a")
        except OSError as exc:  # a folder nothing can be written to: no state is saved there to race on
            log.warning("alert lock %s unusable (%s): alerting without it", self.path, exc.strerror or exc)
            return self
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return self
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.fh.close()
                    raise MonitorError(
                        f"another run has held the alert lock {self.path} for over {self.wait:g} s"
                    ) from None
                time.sleep(POLL_SECONDS)

    def __exit__(self, *exc) -> None:
        if self.fh is not None:
            self.fh.close()  # closing releases the lock
