"""The subcommands over the history: maintenance, metrics, serve-metrics, dashboard."""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path

from runner import maintenance
from runner.commands.settings import load_settings
from runner.metricnames import DEFAULT_PORT
from runner.store import Store


def history_path(settings) -> Path:
    from runner.pipeline import history_path as in_reports_dir  # the CLI starts without the pipeline's imports

    return in_reports_dir(settings.reports_dir())


def add_commands(commands, add_config_option) -> None:
    """Register the subcommands on the CLI's subparsers (called from runner.cli.build_parser)."""
    window = commands.add_parser("maintenance", help="hold notifications: start --for 30m | stop | status")
    add_config_option(window)
    window.add_argument("action", choices=("start", "stop", "status"))
    window.add_argument("--for", dest="duration", default="1h", metavar="DURATION", help="30m, 2h, 1d (default 1h)")
    window.add_argument("--reason", default="", help="shown on the dashboard and in `status`")
    window.add_argument("--force", action="store_true", help=f"allow --for beyond {maintenance.MAX_MANUAL_DAYS} days")
    window.set_defaults(handler=cmd_maintenance)

    textfile = commands.add_parser("metrics", help="write the Prometheus exposition to a textfile")
    add_config_option(textfile)
    textfile.add_argument("--textfile", type=Path, help="default: alerts.metrics_textfile")
    textfile.set_defaults(handler=cmd_metrics)

    serve = commands.add_parser("serve-metrics", help="serve Prometheus /metrics over HTTP until stopped")
    add_config_option(serve)
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}")
    serve.add_argument("--addr", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    serve.set_defaults(handler=cmd_serve_metrics)

    dashboard = commands.add_parser("dashboard", help="regenerate reports/index.html from the history")
    add_config_option(dashboard)
    dashboard.set_defaults(handler=cmd_dashboard)


def cmd_maintenance(args, now: float | None = None) -> int:
    settings = load_settings(args.config)
    now = time.time() if now is None else now
    seconds = maintenance.parse_duration(args.duration, args.force) if args.action == "start" else 0
    with Store(history_path(settings)) as store:
        if args.action == "start":
            window = maintenance.manual_window(now, seconds, args.reason)
            store.set_meta(maintenance.META_KEY, window)
            print(f"maintenance until {_utc(window['until'])}: checks run, notifications are held")
        elif args.action == "stop":
            store.set_meta(maintenance.META_KEY, None)
            print("maintenance stopped: held notifications go out at the next run")
        active = maintenance.active(settings.alerts.maintenance, store.get_meta(maintenance.META_KEY), now)
    if args.action == "status":
        print(
            f"maintenance ({active['source']}{': ' + active['reason'] if active['reason'] else ''}) "
            f"until {_utc(active['until'])}"
            if active
            else "no maintenance window active"
        )
    return 0


def cmd_metrics(args) -> int:
    settings = load_settings(args.config)
    target = args.textfile or settings.alerts.metrics_textfile
    if target is None:
        print("dija-monitor: metrics: give --textfile PATH or set alerts.metrics_textfile", file=sys.stderr)
        return 2
    # prometheus_client and the dashboard's SLOs: only for this verb
    from runner import metrics

    print(metrics.write_textfile(history_path(settings), target, settings.slo))
    return 0


def cmd_serve_metrics(args) -> int:
    settings = load_settings(args.config)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    ready = lambda: print(  # noqa: E731
        f"serving http://{args.addr}:{args.port}/metrics (Ctrl-C or SIGTERM stops)",
        flush=True,
    )
    try:
        from runner import metrics

        metrics.serve_forever(history_path(settings), args.port, args.addr, stop, ready, settings.slo)
    except KeyboardInterrupt:
        pass
    return 0


def cmd_dashboard(args) -> int:
    from runner.dashboard import write_dashboard
    from runner.statuspage import write_status_page

    settings = load_settings(args.config)
    with Store(history_path(settings)) as store:
        path = write_dashboard(store, settings)
        write_status_page(store, settings, path.parent)
        print(path)
    return 0


def _utc(at: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(at))
