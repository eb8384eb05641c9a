"""One log-scrubbing filter (runner.secrets.ScrubFilter) for the commands' handlers and the alert
providers' library loggers: a secret is gone from the message and from a logged traceback."""

import io
import logging

from runner.alerts.providers.base import scrubbed_logs
from runner.secrets import Scrubber, ScrubFilter

SECRET = "sk_live_51HxQ2abcdefTOKEN"


def logged(logger: logging.Logger, handler_filter: logging.Filter | None = None) -> str:
    """What a handler on the logger writes for one error logged with its traceback."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    if handler_filter:
        handler.addFilter(handler_filter)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        raise RuntimeError(f"gateway refused key {SECRET}")
    except RuntimeError:
        logger.error("charge with %s failed", SECRET, exc_info=True)
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


def test_a_secret_in_a_logged_traceback_is_scrubbed_by_the_handler_filter():
    text = logged(logging.getLogger("test_scrub.handler"), ScrubFilter(Scrubber([SECRET])))
    assert "RuntimeError: gateway refused key ***" in text and "charge with *** failed" in text
    assert SECRET not in text


def test_without_the_filter_the_traceback_holds_the_secret():
    assert f"RuntimeError: gateway refused key {SECRET}" in logged(logging.getLogger("test_scrub.bare"))


def test_a_channel_url_token_is_scrubbed_from_a_library_logger_traceback_while_sending():
    url = f"json://127.0.0.1:9/hook/{SECRET}"
    logger = logging.getLogger("test_scrub.library")
    with scrubbed_logs(url, loggers=(logger.name,)):
        text = logged(logger)
    assert "gateway refused key ***" in text and SECRET not in text
