"""The demo shop's cron: the backup job and the scheduled jobs' heartbeats, as on the live server.

Without it a demo left running would age into failures (backups past their RPO, stale
heartbeats). While any fault is switched on the cron pauses, so that it never heals a fault
(a stale or corrupt backup, a stale heartbeat) behind the back of the person showing it.
"""

from __future__ import annotations

import argparse
import logging
import signal
import time
from pathlib import Path

from demoshop import backup, runfiles, shapes
from demoshop.faults import flags

log = logging.getLogger("demoshop.cron")


def tick(run_dir: Path) -> bool:
    """One round of the jobs; False when paused because a fault is on."""
    if flags.active(flags.folder(run_dir)):
        return False
    key = runfiles.read_env(run_dir / "monitor.env")["DIJA_BACKUP_KEY"]
    shape = shapes.of_run_dir(run_dir)
    backup.run_backup(run_dir, key, shape)
    runfiles.touch_heartbeats(run_dir / "heartbeats", shape)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--every", type=float, default=300, help="seconds between rounds (default 300)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, lambda *_: exit(0))
    while True:
        time.sleep(args.every)
        try:
            log.info("jobs %s", "ran" if tick(args.run_dir) else "paused: a fault is on")
        except Exception:  # a failed round is retried at the next one, like cron
            log.exception("cron round failed")


if __name__ == "__main__":
    main()
