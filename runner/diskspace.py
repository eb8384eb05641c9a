"""Why a folder cannot take the monitor's files, in words for its owner: "no space left on /srv"
rather than a check blamed for a crash or a traceback from a writer thread; and a log file whose
failed writes are remembered instead of raised."""

from __future__ import annotations

import errno
import os
from pathlib import Path

PROBE_BYTES = 64 * 1024  # a run writes reports of this order; a disk that cannot take it is full
PROBE_NAME = ".dija-write-probe"


def explain(exc: OSError, path: Path) -> str:
    """One line naming the real cause and where: the mount point for a full or read-only disk."""
    if exc.errno == errno.ENOSPC:
        return f"no space left on {mount_point(path)}"
    if exc.errno == errno.EDQUOT:
        return f"disk quota exceeded on {mount_point(path)}"
    if exc.errno == errno.EROFS:
        return f"{mount_point(path)} is mounted read-only"
    return f"{getattr(exc, 'filename', None) or path}: {exc.strerror or exc}"


def unwritable(folder: Path, seen: OSError | None = None) -> str:
    """Why `folder` cannot take a run's files ("" when it can): the error already seen while writing
    there, else what a probe write of PROBE_BYTES meets."""
    failure = seen or probe(folder)
    return explain(failure, folder) if failure else ""


def probe(folder: Path) -> OSError | None:
    path = Path(folder) / PROBE_NAME
    try:
        with open(path, "wb") as fh:
            fh.write(b"\0" * PROBE_BYTES)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        return exc
    finally:
        try:
            path.unlink()
        except OSError:
            pass
    return None


def mount_point(path: Path) -> Path:
    """The mount point holding `path` (its nearest existing ancestor's)."""
    current = Path(os.path.abspath(path))
    while not current.exists() and current != current.parent:
        current = current.parent
    while not os.path.ismount(current) and current != current.parent:
        current = current.parent
    return current


class LogSink:
    """pytest's log file; a write that fails (a full disk) is remembered and the rest dropped, so the
    output is still read to its end (the progress records are the run's results)."""

    def __init__(self, path: Path):
        self.path = path
        self.failure: OSError | None = None
        try:
            self._file = open(path, "w")
        except OSError as exc:
            self._file, self.failure = None, exc

    def write(self, text: str) -> None:
        if self._file is None:
            return
        try:
            self._file.write(text)
        except OSError as exc:
            self.failure = exc
            self.close()

    def close(self) -> None:
        file, self._file = self._file, None
        try:
            file and file.close()
        except OSError as exc:  # the last buffered lines did not fit
            self.failure = self.failure or exc
