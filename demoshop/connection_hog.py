"""Hold idle MariaDB connections open until terminated (the connections_saturated fault).

    python -m demoshop.connection_hog --socket SOCK --count N --ready FILE

Like a PHP shop whose persistent connections pile up: each connection is open and idle.
Writes FILE once every connection is open, then sleeps until SIGTERM.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

import pymysql


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--socket", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--ready", type=Path, required=True)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    connections = [
        pymysql.connect(unix_socket=args.socket, user="root", password="", connect_timeout=5) for _ in range(args.count)
    ]
    args.ready.write_text(f"{len(connections)}\n")
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
