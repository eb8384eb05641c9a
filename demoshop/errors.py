"""One base error for everything the demo stack reports to a person."""


class DemoError(Exception):
    """A demo-stack problem, with a message meant to be read as one line."""


class NotRunning(DemoError):
    """There is no running demo stack where one was expected."""


class AlreadyRunning(DemoError):
    """A demo stack is already running in the run dir."""


class UnknownFault(DemoError):
    """A fault name that is not in the registry."""
