"""`dija-monitor`: the command line. Each subcommand is a small function over the engine.

Exit codes: 0 all pass/degraded, 1 a check failed, 2 bad config or usage, 3 runner error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from datetime import datetime
from pathlib import Path

from runner import config as config_module
from runner.ci import CiOptions, add_ci_options
from runner.commands.history import add_commands as add_alert_commands
from runner.commands.settings import load_settings
from runner.errors import MonitorError, UsageError
from runner.execute import Selection

log = logging.getLogger("dija-monitor")
DEFAULT_BACKUP_WITHIN_MINUTES = 60  # the guide: a backup right before deploying
EXIT_CODES = (
    "exit codes: 0 all checks pass or degraded, 1 a check failed, 2 bad config or usage, "
    "3 runner error (pytest crashed or timed out, history unwritable)"
)


def main(argv: list[str] | None = None, prestarted=None) -> int:
    """`prestarted`: the run's pytest, already importing (runner.prestart), for `run`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.prestarted = prestarted
    daemon = getattr(args, "handler", None) is cmd_schedule and not args.once
    quiet = logging.INFO if daemon else logging.WARNING  # the daemon keeps a log; cron wants silence
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else quiet, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # like Ctrl-C: stop pytest, record the run
    try:
        return args.handler(args)
    except MonitorError as exc:
        print(f"dija-monitor: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dija-monitor: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `check-config | head -1`: the reader has what it wanted
        silence_stdout()
        return 0
    except Exception as exc:  # a bug: one line for the user, the traceback with -v
        log.debug("internal error", exc_info=True)
        print(f"dija-monitor: internal error: {type(exc).__name__}: {exc} (-v shows the traceback)", file=sys.stderr)
        return 3


def silence_stdout() -> None:
    """stdout's reader is gone: send the rest (and the flush at exit) nowhere instead of failing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dija-monitor",
        epilog=EXIT_CODES,
        description="Synthetic monitoring for the Dija Accessories shop: the maintenance guide "
        "as a pytest suite, run on a schedule, with reports, history and alerts.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what the runner does")
    parser.add_argument("--version", action=VersionAction, nargs=0, help="show the version and exit")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name, handler, help, description=None):
        sub = commands.add_parser(name, help=help, description=description or help, epilog=EXIT_CODES)
        sub.set_defaults(handler=handler)
        return sub

    check_config = command(
        "check-config",
        cmd_check_config,
        "validate the config and print it (secrets redacted)",
        "Validate the config and print it, secrets as ***. With --probe, also connect to the "
        "shop's database read-only and say, for every data check, whether it fits the shop's "
        "schema; where something does not fit, print a suggested [database] mapping to paste. "
        "Exit 2 when the config is invalid or a data check does not fit.",
    )
    add_config_option(check_config)
    check_config.add_argument(
        "--probe", action="store_true", help="check the data checks against the live database and suggest a mapping"
    )

    run = command(
        "run",
        cmd_run,
        "run checks once: report, history, alerts",
        "Run the selected checks once in a pytest subprocess; write reports/runs/<stamp>-<label>/ "
        "(report.html, junit.xml, results.json, pytest.log), record the run in the history.",
    )
    add_config_option(run)
    add_selection_options(run)
    run.add_argument("--workers", type=int, metavar="N", help="pytest-xdist processes (default: runner.workers)")
    add_reports_option(run)
    add_ci_options(run)
    add_operation_commands(command)
    add_view_commands(command)
    add_alert_commands(commands, add_config_option)
    return parser


def add_operation_commands(command) -> None:
    sched = command(
        "schedule",
        cmd_schedule,
        "the daemon: run each cadence at its times",
        "Run each cadence at the times of the config's [schedule] section until SIGTERM/SIGINT "
        "(which let the current runs finish). Cadences missed while it was down run at start.",
    )
    add_config_option(sched)
    sched.add_argument(
        "--once", action="store_true", help="run every cadence that is due (judged from the history) and exit: for cron"
    )
    add_reports_option(sched)

    verify = command(
        "verify",
        cmd_verify,
        "post-deployment gate: the smoke checks, then an optional watch",
        "Run the smoke checks (key pages, synthetic checkout, sign-in, scripts, TLS, database, the "
        "backup before the deploy, the logs since it; timings against the 24 h before it); the exit "
        "code gates a deployment (deploy.sh). With --watch, then run the gate's checks for HOURS: the "
        "critical ones every schedule.watch_every_seconds (60), all every schedule.watch_gate_every_seconds "
        "(900).",
    )
    add_config_option(verify)
    verify.add_argument(
        "--since",
        type=deploy_time,
        metavar="TIME",
        help="the deploy's start, ISO 8601 (e.g. 2026-12-02T12:00:00Z): logs and error rate are judged "
        "from then on (default: when verify starts)",
    )
    verify.add_argument(
        "--backup-within",
        type=float,
        default=DEFAULT_BACKUP_WITHIN_MINUTES,
        metavar="MINUTES",
        help="fail unless a full backup is at most this old when the deploy started (default 60)",
    )
    verify.add_argument(
        "-k", dest="keyword", metavar="EXPR", help="only the gate's checks matching this pytest -k expression"
    )
    verify.add_argument("--watch", type=float, metavar="HOURS", help="then watch the gate's checks this long (e.g. 24)")
    verify.add_argument("--interval", type=float, metavar="SECONDS", help=argparse.SUPPRESS)
    add_reports_option(verify)
    add_ci_options(verify)


def add_view_commands(command) -> None:
    checks = command("checks", cmd_checks, "list the checks: id, area, cadence, severity, what each verifies")
    add_config_option(checks, required=False)
    checks.add_argument("--cadence", choices=config_module.CADENCES, help="only the checks of this cadence")
    checks.add_argument("--smoke", action="store_true", help="only the smoke checks")
    checks.add_argument("--json", action="store_true", help="print the catalogue as JSON")

    history = command(
        "history",
        cmd_history,
        "the last results of a check",
        "Show the newest results of one check. CHECK is any part of its id "
        "(e.g. key_pages); when several checks match, they are listed.",
    )
    history.add_argument("check", metavar="CHECK", help="part of the check's id or name")
    history.add_argument("-n", type=int, default=20, metavar="N", help="how many results (default 20)")
    add_config_option(history, required=False)
    add_reports_option(history)

    status = command(
        "status-page",
        cmd_status_page,
        "write the public status page (status.html, status.json, badges)",
        "Write the public status page from the history into DIR for publishing: status.html, "
        "status.json and badges/*.svg. Per area of [status_page] up, degraded or down, daily uptime, "
        "incidents with their public message; no check names, error texts, paths, hosts or figures.",
    )
    add_config_option(status)
    status.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write the files")
    add_reports_option(status)

    demo = command("demo", cmd_demo, "start the demo shop (if not running) and run every check against it")
    demo.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch this demo fault on first (repeatable; see `python -m demoshop faults`)",
    )
    demo.add_argument(
        "--reports-dir", type=Path, default=Path("reports"), help="where run folders go (default: ./reports)"
    )


class VersionAction(argparse.Action):
    """--version, looked up only when asked for (importlib.metadata costs every other verb ~0.05 s)."""

    def __call__(self, parser, namespace, values, option_string=None):
        parser.exit(message=f"{parser.prog} {version()}\n")


def version() -> str:
    from importlib import metadata

    try:
        return metadata.version("dija-monitor")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def deploy_time(text: str) -> datetime:
    """--since: an ISO 8601 time; without a zone it is local time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time: {text!r} (e.g. 2026-12-02T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.astimezone()


def add_config_option(parser: argparse.ArgumentParser, required: bool = True) -> None:
    note = "" if required else "; optional here"
    parser.add_argument(
        "--config",
        metavar="FILE",
        help=f"config file (default: ${config_module.CONFIG_ENV} or ./{config_module.DEFAULT_CONFIG}{note})",
    )


def add_reports_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--reports-dir",
        type=Path,
        metavar="DIR",
        help="run folders and history.sqlite3 (default: runner.reports_dir or ./reports)",
    )


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--cadence", choices=config_module.CADENCES, help="only the checks of this cadence")
    group.add_argument("--smoke", action="store_true", help="only the smoke checks")
    group.add_argument("-k", dest="keyword", metavar="EXPR", help="only checks matching this pytest -k expression")


def optional_settings(args):
    """The config when one is named or ./monitor.toml exists; None otherwise."""
    path = config_module.config_path(args.config)
    return load_settings(path) if args.config or path.exists() else None


def reports_dir(args, settings) -> Path:
    """--reports-dir, else the config's."""
    return Path(args.reports_dir or (settings.reports_dir() if settings else Path.cwd() / "reports")).resolve()


def load_for_run(args):
    """The config with --reports-dir applied, so every step (history, outbox, dashboard) agrees."""
    return config_module.with_reports_dir(load_settings(args.config), getattr(args, "reports_dir", None))


def cmd_check_config(args) -> int:
    settings = load_settings(args.config)
    for warning in settings.warnings:
        print(f"dija-monitor: warning: {warning}", file=sys.stderr)
    if args.probe:
        return probe_database(settings)
    print(f"# {settings.source}: valid")
    print(json.dumps(config_module.redacted(settings), indent=2))
    return 0


def probe_database(settings) -> int:
    from runner.catalogue import collect
    from runner.clients.database import ReadOnlyDatabase
    from runner.shopschema.probe import run_probe

    if settings.database is None:
        raise UsageError(f"--probe: no [database] section in {settings.source}")
    checks = collect(Selection(), settings.runner.checks_dir)
    database = ReadOnlyDatabase.connect(settings.database)
    try:
        report, fits = run_probe(settings, checks, database)
    finally:
        database.close()
    print(f"# {settings.source}: valid")
    print(report, end="")
    return 0 if fits else 2


def cmd_run(args) -> int:
    from runner.pipeline import STEPS, preload_post_run, run_once

    settings = load_for_run(args)
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers: must be ≥ 1")
    from runner import ci

    preload_post_run()
    selection = Selection(args.cadence, args.smoke, args.keyword)
    options = CiOptions.from_args(args)
    result, failures = run_once(
        settings,
        selection,
        reports_dir(args, settings),
        output=sys.stdout,
        workers=args.workers,
        steps=options.steps(STEPS),
        start=args.prestarted and args.prestarted.start,
    )
    code = ci.exit_code(finish(settings, result, failures), result, options)
    ci.publish(result, code, options, "run")
    return code


def cmd_schedule(args) -> int:
    from runner.schedule import Daemon

    settings = load_for_run(args)
    daemon = Daemon(settings, reports_dir(args, settings))
    return daemon.once() if args.once else daemon.serve()


def cmd_verify(args) -> int:
    from runner.verify import Deploy, verify

    settings = load_for_run(args)
    if args.watch is not None and args.watch <= 0:
        raise UsageError("--watch: HOURS must be > 0")
    if args.backup_within <= 0:
        raise UsageError("--backup-within: MINUTES must be > 0")
    deploy = Deploy(
        backup_within=args.backup_within,
        pipeline=CiOptions.from_args(args),
        keyword=args.keyword,
        start=args.prestarted and args.prestarted.start,
        **({"since": args.since} if args.since else {}),
    )
    return verify(settings, reports_dir(args, settings), sys.stdout, args.watch, args.interval, deploy=deploy)


def cmd_checks(args) -> int:
    from runner.catalogue import collect, table

    settings = optional_settings(args)
    checks = collect(Selection(args.cadence, args.smoke), settings and settings.runner.checks_dir)
    print(json.dumps(checks, indent=1) if args.json else table(checks), end="" if not args.json else "\n")
    return 0


def cmd_history(args) -> int:
    from runner.pipeline import history_path, open_store
    from runner.progress import SYMBOL

    folder = reports_dir(args, optional_settings(args))
    if not history_path(folder).exists():
        raise MonitorError(f"no history yet: {history_path(folder)} does not exist (see --reports-dir)")
    with open_store(folder) as store:
        matches = store.find_checks(args.check)
        exact = [m for m in matches if m == args.check or m.endswith("::" + args.check)]
        if len(exact) == 1 or len(matches) == 1:
            check_id = (exact or matches)[0]
        elif not matches:
            raise UsageError(f"no check matches {args.check!r} in {history_path(folder)}")
        else:
            raise UsageError(
                f"{args.check!r} matches {len(matches)} checks; be more specific:\n"
                + "\n".join(f"  {m}" for m in matches)
            )
        results = store.history(check_id, args.n)
    print(f"{check_id}: last {len(results)} results, newest first")
    for r in results:
        duration = f"{r.duration:6.1f} s" if r.duration is not None else " " * 8
        print(
            f"  {datetime.fromtimestamp(r.at):%Y-%m-%d %H:%M:%S}  {SYMBOL.get(r.outcome, r.outcome):<8} "
            f"{duration}  {' '.join(r.message.split())[:200]}"
        )
        for number, attempt in enumerate(r.attempts[:-1], 1):  # a retested check: the attempts before
            print(
                f"      attempt {number}: {SYMBOL.get(attempt['outcome'], attempt['outcome'])} "
                f"{' '.join(attempt['message'].split())[:180]}"
            )
    return 0


def cmd_status_page(args) -> int:
    from runner.pipeline import history_path, open_store
    from runner.statuspage import write_status_page

    settings = load_settings(args.config)
    folder = reports_dir(args, settings)
    if not history_path(folder).exists():
        raise MonitorError(f"no history yet: {history_path(folder)} does not exist (see --reports-dir)")
    with open_store(folder) as store:
        print(write_status_page(store, settings, args.out))
    return 0


def cmd_demo(args) -> int:
    from demoshop.errors import DemoError  # the demo shop is a dev extra, not needed to monitor
    from demoshop.stack import ensure_running
    from runner.pipeline import run_once

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
    settings = config_module.with_reports_dir(load_settings(stack.config_path), args.reports_dir)
    result, failures = run_once(settings, Selection(), args.reports_dir.resolve(), output=sys.stdout)
    code = finish(settings, result, failures)
    print(
        f"\nthe demo shop keeps running in {stack.run_dir}; stop it (and remove that folder) with: "
        "python -m demoshop down"
    )
    return code


def finish(settings, result, failures: list[str]) -> int:
    """Print the summary; the run's exit code even when nobody reads stdout any more."""
    from runner.pipeline import exit_code
    from runner.summary import print_summary

    for failure in failures:
        print(f"dija-monitor: post-run step failed: {failure}", file=sys.stderr)
    try:
        print_summary(result, sys.stdout, settings.scrubber())
        dashboard = settings.reports_dir() / "index.html"
        if dashboard.exists() and dashboard.stat().st_mtime >= result.started:  # written by this run
            print(f"dashboard: {dashboard}")
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    return exit_code(result, failures)
