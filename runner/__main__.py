"""The `dija-monitor` command (and `python -m runner`): for `run`, its pytest starts first
(runner.prestart), then runner.cli does the work; the process ends without tearing down every
module one by one (0.06 s of a short run), the atexit functions (logging's flush,
runner.lifeline's kill of leftover process groups) and the flush of stdout and stderr kept."""

import atexit
import os
import sys


def entry_point() -> None:
    from runner.prestart import Prestarted

    prestarted = Prestarted.for_command(sys.argv[1:])
    try:
        from runner import cli

        code = cli.main(prestarted=prestarted)
    finally:
        if prestarted is not None:
            prestarted.discard()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader is gone, or the stream was closed
            pass
    os._exit(code)


if __name__ == "__main__":
    entry_point()
