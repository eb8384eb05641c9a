"""Reading the shop's log files: what is new since the last run (rotation-aware), and what was
written since a time (the access log's combined format, PHP's error log stamps), read backwards
from the end so a large log costs little."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

BLOCK = 64 * 1024
COMBINED = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>[^"]*)" (?P<status>\d{3}) \S+'
    r'(?: "(?P<referer>[^"]*)" "(?P<agent>[^"]*)")?'
)


PHP_STAMP = re.compile(r"^\[(?P<time>\d{2}-[A-Za-z]{3}-\d{4} \d{2}:\d{2}:\d{2})(?: (?P<zone>[^\]]+))?\]")


@dataclass(frozen=True)
class AccessRecord:
    ip: str
    when: dt.datetime
    request: str
    status: int
    agent: str


def new_lines(path: Path, previous: dict) -> tuple[list[str], dict, bool]:
    """Lines appended since `previous` ({inode, offset}): (lines, state to save, rotated).

    A first read (no previous state) is a baseline: no lines. A new inode or a file shorter than
    the saved offset means the log was rotated: the rest of the old file (`<name>.1` with the
    old inode, when logrotate renamed it) and the whole new file are new.
    """
    stat = path.stat()
    state = {"inode": stat.st_ino, "offset": stat.st_size}
    if not previous:
        return [], state, False
    rotated = previous.get("inode") != stat.st_ino or stat.st_size < previous.get("offset", 0)
    chunks = []
    if rotated:
        renamed = path.with_name(path.name + ".1")
        if previous.get("inode") != stat.st_ino and renamed.exists() and renamed.stat().st_ino == previous.get("inode"):
            chunks.append(_read_from(renamed, previous.get("offset", 0), renamed.stat().st_size))
        chunks.append(_read_from(path, 0, stat.st_size))
    else:
        chunks.append(_read_from(path, previous["offset"], stat.st_size))
    text = "".join(chunks)
    complete, _, partial = text.rpartition("\n")
    state["offset"] -= len(partial.encode())  # a line still being written is read next time
    return (complete.splitlines() if complete else []), state, rotated


def _read_from(path: Path, start: int, end: int) -> str:
    with open(path, "rb") as fh:
        fh.seek(start)
        return fh.read(max(0, end - start)).decode("utf-8", errors="replace")


def access_since(path: Path, since: dt.datetime) -> list[AccessRecord]:
    """Access log records at or after `since`, oldest first; lines that do not parse are skipped."""
    records = []
    for line in _lines_backwards(path):
        record = parse_access(line)
        if record is None:
            continue
        if record.when < since:
            break
        records.append(record)
    records.reverse()
    return records


def php_lines_since(path: Path, since: dt.datetime) -> list[str]:
    """PHP error log lines stamped at or after `since` (`[02-Dec-2026 12:00:00 UTC] ...`), oldest
    first; an unstamped line (a stack trace's) goes with the stamped line above it."""
    lines = []
    for line in _lines_backwards(path):
        when = php_time(line)
        if when is not None and when < since:
            break
        lines.append(line)
    lines.reverse()
    return lines


def php_time(line: str) -> dt.datetime | None:
    """The stamp of a PHP error log line (its zone name, else UTC), None when it has none."""
    match = PHP_STAMP.match(line)
    if not match:
        return None
    try:
        zone = ZoneInfo(match["zone"]) if match["zone"] else dt.UTC
        return dt.datetime.strptime(match["time"], "%d-%b-%Y %H:%M:%S").replace(tzinfo=zone)
    except (ValueError, ZoneInfoNotFoundError):
        return None


def parse_access(line: str) -> AccessRecord | None:
    match = COMBINED.match(line)
    if not match:
        return None
    try:
        when = dt.datetime.strptime(match["time"], "%d/%b/%Y:%H:%M:%S %z")
    except ValueError:
        return None
    return AccessRecord(match["ip"], when, match["request"], int(match["status"]), match["agent"] or "")


def _lines_backwards(path: Path):
    with open(path, "rb") as fh:
        position = fh.seek(0, os.SEEK_END)
        tail = b""
        while position > 0:
            size = min(BLOCK, position)
            position -= size
            fh.seek(position)
            lines = (fh.read(size) + tail).split(b"\n")
            tail = lines.pop(0)
            for raw in reversed(lines):
                if raw:
                    yield raw.decode("utf-8", errors="replace")
        if tail:
            yield tail.decode("utf-8", errors="replace")
