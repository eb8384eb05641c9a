"""The key pages' JavaScript and failed-requests check, on pages of a front before the demo: what the
check's own navigation aborts is no problem, a request the shop fails still is."""

import socket

from tests.checks.conftest import assert_outcome
from tests.checks.shop_front import shop_front  # noqa: F401 (a fixture)

JS_ERRORS = "checks/test_checkout.py::test_key_pages_have_no_javascript_errors[chromium]"
LATE_IMAGE = """<!doctype html><html><head><title>Late image</title></head><body><h1>Late image</h1>
<script>addEventListener("load", () => { const img = new Image(); img.src = "/img/stalled.jpg";
document.body.append(img); });</script></body></html>"""
BROKEN_IMAGES = """<!doctype html><html><head><title>Broken images</title></head><body><h1>Broken images</h1>
<img src="/img/missing.jpg" alt="gone"><img src="https://127.0.0.1:{port}/img/refused.jpg" alt="refused">
</body></html>"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def key_pages(*paths: str) -> dict:
    return {"key_pages": [{"path": path} for path in paths]}


def test_javascript_check_ignores_an_image_load_its_own_next_navigation_aborted(check_runner, shop_front):
    config = shop_front(
        site=key_pages("/late-image", "/"), pages={"/late-image": LATE_IMAGE}, stalled=("/img/stalled.jpg",)
    )
    record = check_runner.one(JS_ERRORS, config=config)
    assert_outcome(record, "pass")
    assert record["measurements"]["javascript_problems"] == 0


def test_javascript_check_still_fails_on_a_refused_request_and_a_404_image(check_runner, shop_front):
    config = shop_front(
        site=key_pages("/broken-images", "/"), pages={"/broken-images": BROKEN_IMAGES.format(port=closed_port())}
    )
    assert_outcome(
        check_runner.one(JS_ERRORS, config=config),
        "fail",
        "/broken-images: HTTP 404 from /img/missing.jpg",
        "/broken-images: request failed: /img/refused.jpg (net::ERR_CONNECTION_REFUSED)",
    )
