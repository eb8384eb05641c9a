"""A total deadline for a request: requests' timeout is per socket operation, so a server dribbling
a byte every few seconds (headers or body) would never time out. While a Deadline is active in a
thread, every socket a response is read from is shut down when it expires."""

from __future__ import annotations

import logging
import socket
import threading

from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection

log = logging.getLogger(__name__)

_current = threading.local()  # the Deadline of the request running in this thread


class Deadline:
    """While active in this thread, every socket a response is read from is shut down at expiry."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self._timer.cancel()
            self._sockets.clear()
        _current.deadline = self._outer

    def watch(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)
        log.debug("request deadline of %g s passed: %d socket(s) shut down", self.seconds, len(self._sockets))


def _shut(sock: socket.socket) -> None:
    try:  # the plain socket's shutdown (an SSLSocket's would also drop its TLS state under the reader)
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _Watched:
    """Connection mixin: the socket a response comes from is watched by the thread's Deadline."""

    def getresponse(self, *args, **kwargs):
        deadline = getattr(_current, "deadline", None)
        if deadline is not None:
            deadline.watch(self.sock)
        return super().getresponse(*args, **kwargs)


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """Mount on a Session so its connections are watched by the thread's Deadline."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
