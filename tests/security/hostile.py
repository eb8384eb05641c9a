"""A local HTTP server whose answers are hostile, one behaviour per path: the target a monitor
must survive (a compromised, broken or overloaded shop). Raw sockets, so it can misbehave at
any byte; every handler ends when the server stops."""

from __future__ import annotations

import functools
import socketserver
import threading
import zlib

from runner.clients.http import MAX_BODY_BYTES

DRIBBLE_SECONDS = 0.5
PAGE = b"<!doctype html><title>Dija</title><h1>Dija Accessories</h1>"
BLOCK = b"\0" * (64 * 1024)


@functools.lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """~1 MB of gzip that inflates to 1 GiB of zeros (128 gzip members of 8 MiB each: valid gzip)."""
    member = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return (member.compress(b"\0" * (8 << 20)) + member.flush()) * 128


def head(status: str = "200 OK", length: int | None = None, *extra: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: text/html; charset=utf-8", "Connection: close", *extra]
    lines += [f"Content-Length: {length}"] if length is not None else []
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


class HostileServer:
    """`url + path` for each behaviour in ROUTES; `stop()` ends every handler, then the server."""

    def __init__(self):
        self.stopping = threading.Event()
        hostile = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.settimeout(10)
                try:
                    path = read_path(self.request)
                    ROUTES.get(path.split("?")[0], not_found)(hostile, self.request)
                except OSError:
                    pass  # the client hung up, which is what a client's limit does

        self.tcp = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.tcp.server_address[1]}"
        self.thread = threading.Thread(target=self.tcp.serve_forever, daemon=True)

    def start(self) -> HostileServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.tcp.shutdown()
        self.tcp.server_close()  # joins the handler threads: each one sees `stopping`
        self.thread.join(5)

    def dribble(self, sock, byte: bytes = b"a") -> None:
        """One byte every DRIBBLE_SECONDS, forever (until the client or the server gives up)."""
        while not self.stopping.wait(DRIBBLE_SECONDS):
            sock.sendall(byte)


def read_path(sock) -> str:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    request_line = data.split(b"\r\n", 1)[0].decode("latin-1")
    parts = request_line.split()
    return parts[1] if len(parts) > 1 else "/"


def ok(server, sock):
    sock.sendall(head(length=len(PAGE)) + PAGE)


def not_found(server, sock):
    sock.sendall(head("404 Not Found", 0))


def huge(server, sock):
    """A declared body 1 MiB over the limit."""
    size = MAX_BODY_BYTES + (1 << 20)
    sock.sendall(head(length=size))
    for _ in range(size // len(BLOCK)):
        if server.stopping.is_set():
            return
        sock.sendall(BLOCK)


def endless(server, sock):
    """No length, no end: zeros as fast as the client takes them."""
    sock.sendall(head())
    while not server.stopping.is_set():
        sock.sendall(BLOCK)


def loop(server, sock):
    sock.sendall(head("302 Found", 0, "Location: /loop"))


def bad_utf8(server, sock):
    body = PAGE + b"<p>\xff\xfe\xc3(</p>"
    sock.sendall(head(length=len(body)) + body)


def bomb(server, sock):
    sock.sendall(head("200 OK", len(gzip_bomb()), "Content-Encoding: gzip") + gzip_bomb())


def redirect_bomb(server, sock):
    """A redirect whose own body is a gzip bomb: redirect answers are read too."""
    sock.sendall(head("302 Found", len(gzip_bomb()), "Location: /", "Content-Encoding: gzip") + gzip_bomb())


def slowloris(server, sock):
    """Headers, then the body one byte at a time: each read succeeds, the answer never ends."""
    sock.sendall(head(length=1_000_000))
    server.dribble(sock)


def slow_headers(server, sock):
    """The status line, then a header that never ends, one byte at a time."""
    sock.sendall(b"HTTP/1.1 200 OK\r\nX-Padding: ")
    server.dribble(sock)


def stall(server, sock):
    """Headers promising 100 bytes, then silence."""
    sock.sendall(head(length=100))
    server.stopping.wait()


def slow_but_finishing(server, sock):
    """A slow answer within the deadline: 5 bytes, 0.1 s apart."""
    sock.sendall(head(length=5))
    for _ in range(5):
        if server.stopping.wait(0.1):
            return
        sock.sendall(b"x")


ROUTES = {
    "/": ok,
    "/huge": huge,
    "/endless": endless,
    "/loop": loop,
    "/bad-utf8": bad_utf8,
    "/gzip-bomb": bomb,
    "/redirect-bomb": redirect_bomb,
    "/slowloris": slowloris,
    "/slow-headers": slow_headers,
    "/stall": stall,
    "/slow-ok": slow_but_finishing,
}
