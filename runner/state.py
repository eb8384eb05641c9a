"""Per-check state kept between runs (a log file's offset, a counter's previous value)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


class CheckState:
    """A small JSON document per check, written atomically."""

    def __init__(self, state_dir: Path, check_id: str):
        digest = hashlib.sha1(check_id.encode()).hexdigest()[:12]
        safe = "".join(c if c.isalnum() else "_" for c in check_id.split("::")[-1])[:60]
        self.path = Path(state_dir) / f"{safe}-{digest}.json"

    def load(self) -> dict:
        try:
            return json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            return {}  # a damaged state file means "no previous run": the check re-baselines

    def save(self, data: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(data, default=str))
        tmp.replace(self.path)
