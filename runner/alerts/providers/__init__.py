"""Alert channels, one module each behind `validate()` / `send(message)`, registered here."""

from runner.alerts.providers.alertmanager import AlertmanagerChannel
from runner.alerts.providers.apprise_channel import AppriseChannel
from runner.alerts.providers.base import DeliveryError, redact_url
from runner.alerts.providers.outbox import OutboxChannel

PROVIDERS = {"apprise": AppriseChannel, "alertmanager": AlertmanagerChannel}

__all__ = ["PROVIDERS", "AppriseChannel", "AlertmanagerChannel", "OutboxChannel", "DeliveryError", "redact_url"]
