"""The Jinja environment of the dashboard and the status page. Their compiled templates are cached on
disk (Jinja's own per-user cache folder in the temp dir, keyed by the template's source): `run`
renders both in a fresh process, where compiling them was most of the rendering's time."""

from __future__ import annotations

import logging

from jinja2 import (
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    select_autoescape,
)

log = logging.getLogger(__name__)


def environment(package: str) -> Environment:
    """The environment for the templates in `package`/templates."""
    return Environment(
        loader=PackageLoader(package, "templates"),
        autoescape=select_autoescape(["j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),
    )


def bytecode_cache() -> FileSystemBytecodeCache | None:
    try:
        return FileSystemBytecodeCache()
    except (OSError, RuntimeError) as exc:  # no usable temp folder: compile every time
        log.debug("no template cache: %s", exc)
        return None
