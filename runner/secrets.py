"""Secret values: held in a type that never prints, and scrubbed from any text we write."""

from __future__ import annotations

import logging
from urllib.parse import quote, quote_plus

REDACTED = "***"


class Secret:
    """A secret value. str(), repr() and f-strings show ***; use reveal() at the point of use."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return REDACTED

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self):
        raise TypeError("a Secret cannot be pickled or serialised")


class Scrubber:
    """Replaces every known secret value in a text (defence in depth for reports and logs), also in
    its URL-encoded forms (a password in a query string or a form body)."""

    MIN_LENGTH = 4  # shorter values would mangle ordinary text and are not real secrets

    def __init__(self, values: list[str] | tuple[str, ...] = ()):
        forms = {
            form for v in values if v and len(v) >= self.MIN_LENGTH for form in (v, quote(v, safe=""), quote_plus(v))
        }
        self._values = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._values:
            if value in text:
                text = text.replace(value, REDACTED)
        return text

    def __bool__(self) -> bool:
        return bool(self._values)


class ScrubFilter(logging.Filter):
    """Takes secrets out of every log record it sees, tracebacks included; on a handler (the config's
    secrets, every line the command logs) or on a library's logger (a channel URL while sending)."""

    def __init__(self, scrub: Scrubber):
        super().__init__()
        self.scrub = scrub

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = self.scrub(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = record.exc_text and self.scrub(record.exc_text)
        return True
