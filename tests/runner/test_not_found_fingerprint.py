"""The not-found fingerprint tells a served file from a 200 "not found" page that repeats the path."""

from __future__ import annotations

import requests

from runner.clients import notfound

PAGE = "<html><head><style>p{}</style></head><body><h1>Oops</h1><p>No page at {path}.</p></body></html>"


def _response(status: int, body: bytes, content_type: str = "text/html") -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = status, body
    response.headers["Content-Type"] = content_type
    response.encoding = "utf-8"
    return response


class Site:
    """Answers every path with the not-found page, status 200 (a soft 404)."""

    def get(self, path, **_):
        return _response(200, PAGE.replace("{path}", path).encode())


def test_soft_404_page_repeating_the_path_is_recognised_and_a_dump_is_not():
    not_found = notfound.fingerprint(Site())
    assert not_found.soft
    path = "/backup-2026.sql.gz"
    assert not_found.matches(Site().get(path), path)
    dump = _response(200, b"\x1f\x8b\x08\x00" + b"\x00" * 40, "application/gzip")
    assert not not_found.matches(dump, path)
    assert notfound.describe(dump) == "gzip archive"
