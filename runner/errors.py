"""The one base exception of the project; every expected failure is a MonitorError."""


class MonitorError(Exception):
    """An expected failure with a message fit to show a person (no traceback)."""

    exit_code = 3


def reason(exc: BaseException) -> str:
    """One line for a person: a MonitorError's own message; for anything else (a bug), its type too."""
    return str(exc) if isinstance(exc, MonitorError) else f"{type(exc).__name__}: {exc}"


class ConfigError(MonitorError):
    """The configuration cannot be used. Each problem names its key path."""

    exit_code = 2

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{source}: invalid configuration\n{lines}")


class UsageError(MonitorError):
    """The command line asks for something impossible (a bad option value, an ambiguous name)."""

    exit_code = 2
