"""Third parties played by a local HTTP server (the one seam where the tests fake anything):
a JSON webhook, Slack, Alertmanager, a heartbeat URL."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Records every POST (and the path of every GET); `status` is what it answers (503: the
    channel is down). With `delay` set, a POST gets no answer for that long (a slow channel: the
    wait ends at shutdown), then the connection is closed and nothing recorded."""

    def __init__(self, port: int = 0):
        self.posts: list[tuple[str, object]] = []
        self.gets: list[str] = []
        self.status = 200
        self.delay = 0.0
        self.pause = 0.0  # a POST is answered (and recorded) after this long: slow but working
        self.stopping = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.delay:  # slow: hangs up after `delay`, long after the client gave up
                    receiver.stopping.wait(receiver.delay)
                    return
                receiver.stopping.wait(receiver.pause)
                if receiver.status == 200:
                    receiver.posts.append((self.path, json.loads(body or b"null")))
                self.answer()

            def do_GET(self):
                receiver.gets.append(self.path)
                self.answer()

            def answer(self):
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )  # shutdown() waits up to one poll

    def on(self, path):
        return [body for p, body in self.posts if p == path]

    def stop(self):
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
