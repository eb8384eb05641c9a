"""The local outbox: every message as one JSON line under reports/, always on, so nothing is lost.

An ordinary channel whose URL is a file URI; `channels.build` adds it before the configured ones,
taking every severity."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from runner.alerts.message import Message
from runner.alerts.providers.base import Channel, DeliveryError
from runner.errors import ConfigError


def payload(message: Message, now: float) -> dict:
    return {
        "at": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds"),
        "kind": message.kind,
        "severity": message.severity,
        "title": message.title,
        "body": message.body,
        "events": [{"kind": e.kind, "check": e.check_id, "raised_at": e.raised_at} for e in message.events],
    }


class OutboxChannel(Channel):
    """Failures (a full disk, a read-only folder) are transient: the next run writes again."""

    def __init__(self, name: str, url: str, severities: Sequence[str], **common):
        super().__init__(name, url, severities, **common)
        self.path = Path(unquote(urlsplit(url).path))

    def validate(self) -> None:
        if not self._url.startswith("file:///"):
            raise ConfigError(self.source, [f"{self.key}.url: the outbox is a file URI (file:///path/outbox.jsonl)"])

    def send(self, message: Message) -> None:
        line = json.dumps(payload(message, self.clock())) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as exc:
            raise DeliveryError(f"outbox {self.path}: {exc.strerror}") from None
