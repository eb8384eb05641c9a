"""Alert channels, one module each behind `base.Channel`, registered here under their config `type`.

Adding one: a module with a `Channel` subclass, and one line below (README: "Adding an alert channel").
The outbox is always on (`channels.build` adds it), so it is not a type one configures.
"""

from runner.alerts.providers.alertmanager import AlertmanagerChannel
from runner.alerts.providers.apprise_channel import AppriseChannel
from runner.alerts.providers.base import Channel, DeliveryError, redact_url
from runner.alerts.providers.outbox import OutboxChannel

PROVIDERS: dict[str, type[Channel]] = {
    "apprise": AppriseChannel,
    "alertmanager": AlertmanagerChannel,
}

__all__ = [
    "PROVIDERS",
    "AppriseChannel",
    "AlertmanagerChannel",
    "Channel",
    "OutboxChannel",
    "DeliveryError",
    "redact_url",
]
