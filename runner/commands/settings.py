"""How a command loads the config: read and validated (runner.config), every alert channel tried
as its provider parses it, then the config's secrets kept out of the log."""

from __future__ import annotations

import logging

from runner import config as config_module
from runner.secrets import ScrubFilter


def load_settings(path):
    """The config, its channels usable, its secrets then kept out of the log."""
    settings = config_module.load(path)
    if settings.alerts.channels:
        from runner.alerts.channels import check  # apprise is imported only when channels are configured

        check(settings)
    scrubber = settings.scrubber()
    for handler in logging.getLogger().handlers if scrubber else []:
        handler.addFilter(ScrubFilter(scrubber))
    return settings
