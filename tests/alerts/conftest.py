"""A local HTTP server playing the third parties (JSON webhook, Slack, Alertmanager), and config helpers."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from runner import config
from runner.store import Store

T0 = 1_700_000_000.0  # 2023-11-14 22:13:20 UTC, a Tuesday


class Receiver:
    """Records every POST; `status` is what it answers (503: the channel is down)."""

    def __init__(self):
        self.posts: list[tuple[str, object]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.status == 200:
                    receiver.posts.append((self.path, json.loads(body or b"null")))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def on(self, path):
        return [body for p, body in self.posts if p == path]


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def make_settings(tmp_path):
    def make(alerts_toml="", environ=None):
        path = tmp_path / "monitor.toml"
        path.write_text(f'[site]\nbase_url = "https://shop.example"\n[runner]\nreports_dir = "reports"\n'
                        f'[alerts]\n{alerts_toml}')
        return config.load(path, environ=environ or {})
    return make


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "reports" / "history.sqlite3") as history:
        yield history


def check(name="test_home", outcome="fail", **extra):
    record = {"id": f"checks/test_availability.py::{name}", "name": name, "area": "availability",
              "cadence": "critical", "severity": "critical", "runbook": "site-down",
              "summary": "Key pages answer 200.", "doc": "Key pages answer 200: customers can reach the shop.",
              "outcome": outcome, "message": "/: HTTP 500, expected 200" if outcome == "fail" else "",
              "duration": 0.4, "measurements": {"response_seconds[/]": 0.12}}
    record.update(extra)
    return record
