"""The server's reported software versions (server/versions.json, as a deploy script writes it)."""

from __future__ import annotations

import json

from demoshop import runfiles
from demoshop.faults.kinds import Fault

OLD_PHP = "7.4.33"


def old_version_fault(name: str, description: str) -> Fault:
    def set_php(stack, version: str) -> None:
        path = stack.run_dir / "server" / "versions.json"
        versions = json.loads(path.read_text())
        path.write_text(json.dumps({**versions, "php": version}))

    return Fault(
        name,
        description,
        on=lambda stack: set_php(stack, OLD_PHP),
        off=lambda stack: set_php(stack, runfiles.PHP_VERSION),
        kind="custom",
    )
