"""The warm parent (`python -m runner.warmparent SOCKET CONFIG [CHECKS_DIR]`): a process that has
imported pytest, its plugins, the project's plugin, the clients and the checks (one collect-only
pytest session), then forks a fresh child per run that calls pytest.main with the arguments the
cold path's subprocess would get. Started and spoken to by runner.warm.

Protocol on the Unix socket SOCKET, one connection per run: the runner sends a length-prefixed
JSON request {"args", "cwd", "env"} with the write end of its output pipe attached (SCM_RIGHTS);
the parent answers `{"pid": N}` once the child leads its own session, then `{"exit": CODE,
"cpu": SECONDS}` when the child ends (CODE negative for a signal, as subprocess has it).

The parent starts no thread (fork copies only the forking thread); it refuses to serve if
anything it imported did. EOF on its stdin retires it: no new runs, it exits once its children
have ended. It dies with the runner (runner.lifeline) and its children die with it.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
from pathlib import Path

READY = "ready"
HEADER = struct.Struct("!I")
MAX_REQUEST = 4 * 2**20
IDLE_CHECK_SECONDS = 5.0


def warm_up(config: str, checks_dir: str | None) -> None:
    """Import everything a run imports, by collecting the checks once (their modules then stay in
    sys.modules, assertion-rewritten, for every child)."""
    import pytest

    from runner.execute import PROJECT_ROOT, pytest_base
    from runner.lifeline import LIFELINE_ENV, die_with_parent

    runner_pid = os.environ.get(LIFELINE_ENV)
    die_with_parent()
    if runner_pid:  # the plugin asks again in the warm-up session, for the same parent
        os.environ[LIFELINE_ENV] = runner_pid
    args = pytest_base(Path(checks_dir) if checks_dir else None)[3:]
    quiet = os.open(os.devnull, os.O_WRONLY)
    saved = os.dup(1), os.dup(2)
    os.dup2(quiet, 1), os.dup2(quiet, 2)
    try:
        os.chdir(PROJECT_ROOT)
        # pytest-rerunfailures starts a server thread in every session where xdist is installed: not
        # here, where nothing may run beside the main thread when it forks (each child imports it)
        pytest.main([*args, "--config", config, "--collect-only", "-p", "no:rerunfailures"])
    finally:
        sys.stdout.flush(), sys.stderr.flush()
        os.dup2(saved[0], 1), os.dup2(saved[1], 2)
        for fd in (quiet, *saved):
            os.close(fd)


def receive_request(conn: socket.socket) -> tuple[dict, int]:
    """The request and the output pipe's write end."""
    data, fds, _, _ = socket.recv_fds(conn, 65536, 1)
    if len(fds) != 1 or len(data) < HEADER.size:
        for fd in fds:
            os.close(fd)
        raise ValueError("a request comes with its length and one output pipe")
    (length,) = HEADER.unpack_from(data)
    if length > MAX_REQUEST:
        os.close(fds[0])
        raise ValueError(f"request of {length} bytes")
    body = data[HEADER.size :]
    while len(body) < length:
        chunk = conn.recv(length - len(body))
        if not chunk:
            os.close(fds[0])
            raise ValueError("the runner hung up mid-request")
        body += chunk
    return json.loads(body), fds[0]


def run_child(request: dict, output: int, ready: int, inherited: list) -> None:
    """In the forked child: its own session, the run's output, environment and working folder,
    then pytest. Never returns."""
    code = 3
    try:
        os.setsid()
        os.close(ready)  # the parent replies with our pid only now: the group exists to be signalled
        for thing in inherited:
            thing.close()
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0), os.dup2(output, 1), os.dup2(output, 2)
        os.close(stdin), os.close(output)
        sys.stdout.reconfigure(line_buffering=True, write_through=True)  # progress as it happens
        sys.stderr.reconfigure(line_buffering=True, write_through=True)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        from runner.lifeline import LIFELINE_ENV

        os.environ[LIFELINE_ENV] = str(os.getppid())  # die with the warm parent, as it dies with the runner
        import pytest

        sys.argv = list(request["args"][:1]) + list(request["args"][3:])
        code = int(pytest.main(list(request["args"][3:])))
    except BaseException as exc:  # noqa: BLE001 - anything: the child reports it and exits
        print(f"dija-monitor warm child: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        try:
            sys.stdout.flush(), sys.stderr.flush()
        finally:
            os._exit(code)


class Parent:
    def __init__(self, listener: socket.socket):
        self.listener = listener
        self.selector = selectors.DefaultSelector()
        self.children: dict[int, socket.socket] = {}
        self.retired = False
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        self.wake = os.fdopen(wake_read, "rb", buffering=0)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wakeup fd hears of it
        self.selector.register(listener, selectors.EVENT_READ, "accept")
        self.selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
        self.selector.register(self.wake, selectors.EVENT_READ, "wake")

    def serve(self) -> None:
        while not (self.retired and not self.children):
            for key, _ in self.selector.select(IDLE_CHECK_SECONDS):
                if key.data == "accept":
                    self.accept()
                elif key.data == "stdin" and not os.read(sys.stdin.fileno(), 4096):
                    self.retire()
                elif key.data == "wake":
                    self.wake.read(512)
            self.reap()

    def retire(self) -> None:
        self.retired = True
        self.selector.unregister(sys.stdin)
        if self.listener.fileno() >= 0:
            self.selector.unregister(self.listener)
            self.listener.close()

    def accept(self) -> None:
        conn, _ = self.listener.accept()
        try:
            conn.settimeout(10)
            request, output = receive_request(conn)
        except (OSError, ValueError) as exc:
            print(f"dija-monitor warm parent: bad request: {exc}", file=sys.stderr)
            conn.close()
            return
        self.fork(conn, request, output)

    def fork(self, conn: socket.socket, request: dict, output: int) -> None:
        sys.stdout.flush(), sys.stderr.flush()
        ready_read, ready_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(ready_read)
            run_child(
                request, output, ready_write, [self.selector, self.listener, conn, self.wake, *self.children.values()]
            )
        os.close(output), os.close(ready_write)
        os.read(ready_read, 1)  # EOF once the child has its own session (or died)
        os.close(ready_read)
        self.children[pid] = conn
        reply(conn, {"pid": pid})

    def reap(self) -> None:
        while self.children:
            try:
                pid, status, usage = os.wait4(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            conn = self.children.pop(pid, None)
            if conn is not None:
                reply(conn, {"exit": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime})
                conn.close()


def reply(conn: socket.socket, message: dict) -> None:
    try:
        conn.sendall(json.dumps(message).encode() + b"\n")
    except OSError:  # the runner gave up on this run; the child's group is its business
        pass


def main(argv: list[str]) -> int:
    socket_path, config, *checks_dir = argv
    warm_up(config, checks_dir[0] if checks_dir else None)
    if threading.active_count() != 1:
        names = ", ".join(t.name for t in threading.enumerate() if t is not threading.main_thread())
        print(f"dija-monitor warm parent: not forking: importing the checks started threads ({names})", file=sys.stderr)
        return 4
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(16)
    print(READY, flush=True)
    Parent(listener).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
