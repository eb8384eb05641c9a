"""What the monitor publishes: service-level objectives and the public status page."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from runner.config.base import Section

CheckName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]
PublicText = Annotated[str, Field(min_length=1, max_length=300)]


class Slo(Section):
    """The guide's targets, tracked as 30-day objectives with an error budget. `*_check` names the
    check (its function name) whose history each objective is computed from."""

    window_days: float = Field(default=30, gt=0, le=400)
    key_pages_availability_percent: float = Field(default=99.9, gt=0, lt=100)
    key_pages_check: CheckName = "test_key_pages_answer"
    http_error_rate_max_percent: float = Field(default=1.0, gt=0, lt=100)
    http_error_rate_check: CheckName = "test_http_error_rate"
    payment_success_min_percent: float = Field(default=98.0, gt=0, lt=100)
    payment_success_check: CheckName = "test_payment_success_rate"
    email_delivery_max_seconds: float = Field(default=300, gt=0)
    email_delivered_in_time_percent: float = Field(default=99.0, gt=0, lt=100)
    email_check: CheckName = "test_email_round_trip"


class StatusPage(Section):
    """The public status page: which areas customers see (under which name) and what they are told."""

    title: PublicText = "Shop status"
    # area → public name; areas not listed stay off the public page
    areas: dict[str, PublicText] = Field(
        default_factory=lambda: {
            "availability": "Website",
            "performance": "Website speed",
            "checkout": "Shopping and checkout",
            "payments": "Payments",
            "email": "Order emails",
        },
        min_length=1,
    )
    # area → what customers read while one of its checks fails (default: "<public name> has problems …")
    area_messages: dict[str, PublicText] = Field(
        default_factory=lambda: {
            "availability": "The shop may not load for some customers. We are working on it.",
            "performance": "The shop is slower than usual. We are working on it.",
            "checkout": "Some customers cannot complete an order. We are working on it.",
            "payments": "Some payments are failing. Please retry later; "
            "you have not been charged for a failed payment.",
            "email": "Order confirmation e-mails are delayed. Your order is safe.",
        }
    )
    # check function name → its own public message, preferred over the area's
    public_messages: dict[CheckName, PublicText] = Field(default_factory=dict)
    days: int = Field(default=90, ge=7, le=400)

    def message(self, check_name: str, area: str) -> str:
        """The public message for a failing check: its own, else its area's, else a neutral sentence."""
        function = check_name.partition("[")[0]  # test_checkout[chromium] → test_checkout
        if function in self.public_messages:
            return self.public_messages[function]
        if area in self.area_messages:
            return self.area_messages[area]
        return f"{self.areas.get(area, 'A part of the shop')}: some customers may be affected. We are working on it."
