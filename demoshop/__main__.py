"""`python -m demoshop up|down|status|faults|fault NAME on|off [--variant alt]` (run dir: $DIJA_DEMO_DIR,
else a folder of the temp dir, one per checkout and shape; `down` stops the stack and removes it)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from demoshop.errors import DemoError
from demoshop.faults import catalog
from demoshop.layout import default_run_dir
from demoshop.stack import Stack, ensure_running


def run_dir(args) -> Path:
    return default_run_dir(args.variant)


def cmd_up(args) -> int:
    stack, started = ensure_running(run_dir(args), args.variant)
    if not started:
        print(f"demo stack already running: {stack.base_url} (config {stack.config_path})")
        return 0
    print(f"demo stack up: {stack.base_url}")
    print(f"monitor config: {stack.config_path}")
    return 0


def cmd_down(args) -> int:
    stack = Stack.attach(run_dir(args))
    stack.remove()
    print(f"demo stack in {stack.run_dir} stopped and removed")
    return 0


def cmd_status(args) -> int:
    print("\n".join(Stack.attach(run_dir(args)).status_lines()))
    return 0


def cmd_faults(args) -> int:
    width = max(len(name) for name in catalog.FAULTS)
    for name in sorted(catalog.FAULTS):
        print(f"{name:<{width}}  {catalog.FAULTS[name].description}")
    return 0


def cmd_fault(args) -> int:
    catalog.get(args.name)
    Stack.attach(run_dir(args)).fault(args.name, args.state == "on")
    print(f"fault {args.name} {args.state}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m demoshop", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--variant",
        choices=("default", "alt"),
        default=None,
        help="the shop's shape: default, or alt (other schema, URLs, pages, file layouts)",
    )
    sub = p.add_subparsers(dest="command", required=True)
    for name, func, text in (
        ("up", cmd_up, "start the demo stack"),
        ("down", cmd_down, "stop it"),
        ("status", cmd_status, "components and active faults"),
        ("faults", cmd_faults, "list every fault"),
    ):
        sub.add_parser(name, help=text, parents=[common]).set_defaults(func=func)
    fault = sub.add_parser("fault", help="switch a fault on or off", parents=[common])
    fault.add_argument("name")
    fault.add_argument("state", choices=("on", "off"))
    fault.set_defaults(func=cmd_fault)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except DemoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
