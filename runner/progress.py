"""What a person sees in the terminal while a run goes: a line per finished check, read from the
progress lines the project's pytest plugin prints (--progress)."""

from __future__ import annotations

import json

from runner.records import CheckRecord, from_json

SYMBOL = {"pass": "ok", "degraded": "DEGRADED", "fail": "FAIL", "error": "ERROR", "skipped": "skip"}
# --progress: the plugin prints JSON lines with this prefix on pytest's output as checks start and
# finish; defined here, not in the plugin, so the runner reads them without importing pytest
PROGRESS_PREFIX = "@@dija "
PROGRESS_MESSAGE = 90


class Progress:
    """Reads pytest's output for the plugin's progress lines (--progress); keeps the records of
    finished checks (the partial result when a run is killed) and prints one line for each;
    `started` lists the checks as they start (one never finished is where pytest crashed)."""

    def __init__(self, output=None):
        self.output = output
        self.total: int | None = None
        self.records: list[CheckRecord] = []
        self.started: list[str] = []

    def feed(self, line: str, scrub=str) -> None:
        _, found, payload = line.partition(PROGRESS_PREFIX)
        if not found:
            return
        try:
            data = json.loads(payload)
        except ValueError:
            return
        if "collected" in data:
            self.total = data["collected"]
        elif "started" in data:
            self.started.append(data["started"])
        elif "check" in data:
            self.records.append(from_json(data["check"]))
            self._show(self.records[-1], scrub)

    def _show(self, check: CheckRecord, scrub) -> None:
        if self.output is None:
            return
        outcome = check["outcome"]
        width = len(str(self.total or 0))
        where = f"[{len(self.records):>{width}}/{self.total}]" if self.total else f"[{len(self.records)}]"
        message = " ".join(check.get("message", "").split())
        if len(message) > PROGRESS_MESSAGE:
            message = message[: PROGRESS_MESSAGE - 1] + "…"
        line = (
            f"{where} {SYMBOL.get(outcome, outcome):<8} {check['name']} "
            f"({check.get('duration', 0):.1f} s){'  ' + message if message else ''}"
        )
        try:
            self.output.write(scrub(line) + "\n")
            self.output.flush()
        except (OSError, ValueError):  # the terminal went away (a closed pipe): the run goes on unseen
            self.output = None
