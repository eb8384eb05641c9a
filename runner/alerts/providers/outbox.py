"""The local outbox: every message as one JSON line under reports/, always on, so nothing is lost."""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from runner.alerts.message import Message
from runner.alerts.providers.base import DeliveryError


def payload(message: Message, now: float) -> dict:
    return {
        "at": datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="seconds"),
        "kind": message.kind, "severity": message.severity, "title": message.title, "body": message.body,
        "events": [{"kind": e.kind, "check": e.check_id, "raised_at": e.raised_at} for e in message.events],
    }


class OutboxChannel:
    name = "outbox"
    key = "outbox"

    def __init__(self, path: Path, clock=None):
        self.path = Path(path)
        self._clock = clock

    def validate(self) -> None:
        pass

    def send(self, message: Message) -> None:
        line = json.dumps(payload(message, self._clock() if self._clock else time.time())) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise DeliveryError(f"outbox {self.path}: {exc.strerror}") from None
