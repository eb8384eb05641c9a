"""`dija-monitor`: the command line. Each subcommand is a small function over the engine.

Exit codes: 0 all pass/degraded, 1 a check failed, 2 bad config or usage, 3 runner error.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from runner import config as config_module
from runner.alerts.commands import add_commands as add_alert_commands
from runner.errors import MonitorError
from runner.execute import RunResult, Selection, run_checks
from runner.summary import print_summary

log = logging.getLogger("dija-monitor")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return args.handler(args)
    except MonitorError as exc:
        print(f"dija-monitor: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dija-monitor: interrupted", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dija-monitor",
        description="Synthetic monitoring for the Dija Accessories shop: the maintenance guide "
                    "as a pytest suite, run on a schedule, with reports, history and alerts.",
        epilog="exit codes: 0 all checks pass or degraded, 1 a check failed, 2 bad config or "
               "usage, 3 runner error")
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the runner does")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    check_config = commands.add_parser("check-config", help="validate the config and print it (secrets redacted)")
    add_config_option(check_config)
    check_config.set_defaults(handler=cmd_check_config)

    run = commands.add_parser("run", help="run checks once: report, history, alerts")
    add_config_option(run)
    add_selection_options(run)
    run.add_argument("--reports-dir", type=Path, help="where run folders go (default: runner.reports_dir or ./reports)")
    run.set_defaults(handler=cmd_run)

    demo = commands.add_parser("demo", help="start the demo shop (if not running) and run every check against it")
    demo.add_argument("--fault", action="append", default=[], metavar="NAME",
                      help="switch this demo fault on first (repeatable; see `python -m demoshop faults`)")
    demo.add_argument("--reports-dir", type=Path, default=Path("reports"), help="where run folders go (default: ./reports)")
    demo.set_defaults(handler=cmd_demo)
    add_alert_commands(commands, add_config_option)
    return parser


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help=f"config file (default: ${config_module.CONFIG_ENV} or ./{config_module.DEFAULT_CONFIG})")


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--cadence", choices=config_module.CADENCES, help="only the checks of this cadence")
    group.add_argument("--smoke", action="store_true", help="only the smoke checks")
    group.add_argument("-k", dest="keyword", metavar="EXPR", help="only checks matching this pytest -k expression")


def cmd_check_config(args) -> int:
    from runner.alerts import channels

    settings = config_module.load(args.config)
    channels.validate(settings)
    print(f"# {settings.source}: valid")
    print(json.dumps(config_module.redacted(settings), indent=2))
    return 0


def cmd_run(args) -> int:
    settings = config_module.load(args.config)
    selection = Selection(args.cadence, args.smoke, args.keyword)
    return finish(run_checks(settings, selection, args.reports_dir, output=sys.stdout))


def cmd_demo(args) -> int:
    from demoshop.errors import DemoError  # the demo shop is a dev extra, not needed to monitor
    from demoshop.stack import ensure_running

    try:
        stack, started = ensure_running()
    except DemoError as exc:
        raise MonitorError(f"demo shop: {exc}") from None
    print(f"demo shop {'started' if started else 'already running'}: {stack.base_url}")
    for name in args.fault:
        try:
            stack.fault(name, True)
        except DemoError as exc:
            raise MonitorError(f"demo shop: {exc}") from None
        print(f"fault {name}: on")
    if stack.active_faults():
        print(f"active faults: {', '.join(stack.active_faults())}")
    settings = config_module.load(stack.config_path)
    result = run_checks(settings, Selection(), args.reports_dir.resolve(), output=sys.stdout)
    code = finish(result)
    print("\nthe demo shop keeps running; stop it with: python -m demoshop down")
    return code


def finish(result: RunResult) -> int:
    print_summary(result, sys.stdout)
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
