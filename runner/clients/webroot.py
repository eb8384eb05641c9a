"""The web root on disk: files that must never be served, found by name, by magic bytes and by where
they sit (code among static assets), within depth, file-count and time limits; links are never
followed out of the root."""

from __future__ import annotations

import fnmatch
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

MAX_DEPTH = 8
MAX_FILES = 20000
MAX_SECONDS = 10.0
MAGIC_BYTES = 4096  # enough to look inside a gzip stream for an SQL header
PHPINFO_MAX_BYTES = 16384

EXECUTABLE = ("*.php", "*.phtml", "*.phar", "*.php[3-8]")
STATIC = (
    "*.jpg",
    "*.jpeg",
    "*.png",
    "*.gif",
    "*.webp",
    "*.avif",
    "*.svg",
    "*.ico",
    "*.bmp",
    "*.css",
    "*.js",
    "*.mjs",
    "*.map",
    "*.woff",
    "*.woff2",
    "*.ttf",
    "*.otf",
    "*.eot",
    "*.css.gz",
    "*.js.gz",
    "*.svgz",
)
DUMPS = (
    "*.sql",
    "*.sql.gz",
    "*.sql.bz2",
    "*.sql.xz",
    "*.dump",
    "*.tar",
    "*.tar.gz",
    "*.tgz",
    "*.tar.bz2",
    "*.zip",
    "*.gz",
    "*.7z",
    "*.rar",
    "*.bz2",
    "*.xz",
)
CONFIG_COPIES = (".env", ".env.*", "*.env", "*.bak", "*~", "*.orig", "*.swp", "*.swo", "*.old", "*.save")
PLANTED_CODE = "executable code among static files (a planted web shell?)"
PHPINFO_NAMES = ("phpinfo*.php", "info.php", "php_info.php", "pi.php")
TOOL_FOLDERS = {
    ".git": "Git repository",
    ".svn": "Subversion working copy",
    ".hg": "Mercurial repository",
    ".bzr": "Bazaar branch",
    ".idea": "JetBrains IDE folder",
    ".vscode": "VS Code folder",
}
TOOL_FILES = ("HEAD", "config", "entries", "wc.db", "workspace.xml", "settings.json", "hgrc", "branch-format")
MAGIC = (
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!", "RAR archive"),
)
SQL_HEADERS = (
    b"-- MySQL dump",
    b"-- MariaDB dump",
    b"-- phpMyAdmin SQL Dump",
    b"-- PostgreSQL database dump",
    b"-- Adminer",
    b"CREATE TABLE",
    b"INSERT INTO",
    b"DROP TABLE",
    b"/*!40101 SET",
)


@dataclass(frozen=True)
class Candidate:
    relative: str  # below the web root, with "/" separators: its URL path without the leading "/"
    size: int
    what: str


@dataclass
class Scan:
    candidates: list[Candidate] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # every folder walked, relative ("" = the root)
    files_seen: int = 0
    cut_short: str | None = None  # why the walk stopped early, if it did


def matches(name: str, patterns) -> bool:
    return any(fnmatch.fnmatch(name.lower(), pattern) for pattern in patterns)


def sniff(head: bytes) -> str | None:
    """What the first bytes of a file (or of an answer) say it is: an archive or an SQL dump."""
    for magic, what in MAGIC:
        if head.startswith(magic):
            return "gzip-compressed SQL dump" if magic == b"\x1f\x8b" and sniff(_gunzipped(head)) else what
    stripped = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if any(stripped.startswith(header) for header in SQL_HEADERS):
        return "SQL dump"
    return None


def _gunzipped(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 256)
    except zlib.error:
        return b""


def scan(root: Path, max_depth: int = MAX_DEPTH, max_files: int = MAX_FILES, max_seconds: float = MAX_SECONDS) -> Scan:
    """Walk `root` (links to folders not followed, links to files only inside it) for files never to be served."""
    result, started = Scan(), time.monotonic()
    real_root = root.resolve()
    files_by_folder: dict[str, list[str]] = {}
    for folder, directories, files in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix().removeprefix(".")
        depth = relative.count("/") + 1 if relative else 0
        result.folders.append(relative)
        for name in [d for d in directories if d in TOOL_FOLDERS]:
            directories.remove(name)
            result.candidates += _tool_folder(Path(folder) / name, _join(relative, name))
        if depth >= max_depth:
            directories.clear()
        kept = [name for name in files if _inside(Path(folder) / name, real_root)]
        files_by_folder[relative] = kept
        for name in kept:
            result.files_seen += 1
            if (found := _judge(Path(folder) / name, name)) is not None:
                result.candidates.append(Candidate(_join(relative, name), *found))
        result.cut_short = _limit_reached(result.files_seen, max_files, started, max_seconds)
        if result.cut_short:
            break
    result.candidates += code_among_static(root, files_by_folder)
    return result


def code_among_static(root: Path, files_by_folder: dict[str, list[str]]) -> list[Candidate]:
    """Executable code in a folder whose other files (or, with none, its subfolders' files) are static assets."""
    found = []
    for folder, names in files_by_folder.items():
        code = [name for name in names if matches(name, EXECUTABLE)]
        if code and _static_folder(folder, names, files_by_folder):
            found += [Candidate(_join(folder, name), _size(root / folder / name), PLANTED_CODE) for name in code]
    return found


def _static_folder(folder: str, names: list[str], files_by_folder: dict[str, list[str]]) -> bool:
    others = [name for name in names if not name.startswith(".") and not matches(name, EXECUTABLE)]
    if not others:
        below = [
            files for sub, files in files_by_folder.items() if sub and (not folder or sub.startswith(folder + "/"))
        ]
        below_files = [name for files in below for name in files if not name.startswith(".")]
        if any(matches(name, EXECUTABLE) for name in below_files):
            return False
        others = below_files
    return bool(others) and all(matches(name, STATIC) for name in others)


def _judge(path: Path, name: str) -> tuple[int, str] | None:
    """(size, what it is) of a file that must never be served, or None."""
    if not path.is_file():
        return None
    size = _size(path)
    if matches(name, CONFIG_COPIES):
        return size, "environment or config copy"
    if matches(name, STATIC):
        return None
    head = _head(path, MAGIC_BYTES)
    if (what := sniff(head)) is not None:
        return size, what
    if matches(name, DUMPS):
        return size, "dump or archive (by its name)"
    if (
        matches(name, PHPINFO_NAMES)
        or matches(name, EXECUTABLE)
        and size <= PHPINFO_MAX_BYTES
        and b"phpinfo(" in _head(path, PHPINFO_MAX_BYTES)
    ):
        return size, "phpinfo page"
    return None


def _tool_folder(path: Path, relative: str) -> list[Candidate]:
    """A VCS or IDE folder, represented by the file in it a scanner would fetch first."""
    what = TOOL_FOLDERS[path.name]
    inside = [name for name in TOOL_FILES if (path / name).is_file()]
    if not inside:
        return [Candidate(relative + "/", 0, what)]
    return [Candidate(_join(relative, inside[0]), _size(path / inside[0]), what)]


def _inside(path: Path, real_root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(real_root)
    except (OSError, RuntimeError):  # a link loop or a vanished file
        return False


def _limit_reached(files: int, max_files: int, started: float, max_seconds: float) -> str | None:
    if files >= max_files:
        return f"stopped after {max_files} files"
    if time.monotonic() - started > max_seconds:
        return f"stopped after {max_seconds:g} s"
    return None


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name
