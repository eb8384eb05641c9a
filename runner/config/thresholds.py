"""The guide's limits, with their defaults in one place."""

from __future__ import annotations

from pydantic import Field

from runner.config.base import Section


class Thresholds(Section):
    """The guide's limits, all in one place. `*_warn_*` marks the degraded tier, `*_fail_*` failure."""

    # availability, performance, content
    page_load_warn_seconds: float = Field(default=2.0, gt=0)
    page_load_fail_seconds: float = Field(default=3.0, gt=0)
    image_max_kb: float = Field(default=300, gt=0)
    link_crawl_max_urls: int = Field(default=100, ge=1)
    # tls
    cert_warn_days: float = Field(default=21, ge=0)
    cert_fail_days: float = Field(default=7, ge=0)
    # database
    db_latency_fail_ms: float = Field(default=200, gt=0)
    db_connections_fail_percent: float = Field(default=80, gt=0, le=100)
    session_max_age_days: float = Field(default=30, gt=0)
    table_fragmentation_fail_percent: float = Field(default=20, gt=0, le=100)
    table_fragmentation_min_free_mb: float = Field(default=8, ge=0)  # InnoDB keeps a few MiB of extents free
    slow_queries_max_growth: int = Field(default=10, ge=0)
    data_retention_days: int = Field(default=1095, ge=1)
    # orders, payments, business
    order_unprocessed_hours: float = Field(default=24, gt=0)
    payment_success_min_percent: float = Field(default=98, ge=0, le=100)
    payment_window_hours: float = Field(default=24, gt=0)
    payment_min_sample: int = Field(default=10, ge=1)
    webhook_silence_hours: float = Field(default=6, gt=0)
    abandoned_cart_hours: float = Field(default=24, gt=0)
    daily_orders_target: float = Field(default=0, ge=0)  # 0: compare with the trailing 7-day average only
    conversion_rate_target_percent: float = Field(default=0, ge=0)
    average_order_value_target: float = Field(default=0, ge=0)
    trailing_drop_warn_percent: float = Field(default=50, gt=0, le=100)
    # inventory, content
    low_stock_default: int = Field(default=5, ge=0)
    testimonial_pending_days: float = Field(default=7, gt=0)
    # security
    failed_logins_per_ip: int = Field(default=10, ge=1)
    failed_logins_per_account: int = Field(default=5, ge=1)
    failed_login_window_minutes: float = Field(default=15, gt=0)
    admin_inactive_days: float = Field(default=90, gt=0)
    software_eol_warn_days: int = Field(default=90, ge=0)
    # email
    email_warn_seconds: float = Field(default=60, gt=0)
    email_fail_seconds: float = Field(default=300, gt=0)
    email_queue_stuck_minutes: float = Field(default=15, gt=0)
    # backups: restored row counts may differ from the live ones by this much (rows change after the dump)
    restore_row_tolerance_percent: float = Field(default=5, ge=0, le=100)
    # server, logs
    disk_free_min_percent: float = Field(default=15, ge=0, le=100)
    load_per_core_max: float = Field(default=2, gt=0)
    memory_available_min_percent: float = Field(default=10, ge=0, le=100)
    http_5xx_max_percent: float = Field(default=1, ge=0, le=100)
    requests_per_ip_max: int = Field(default=600, ge=1)  # per hour
    heartbeat_grace_minutes: float = Field(default=30, ge=0)
    # the deploy gate: timings (measurements named <prefix>[...]) vs their median in the 24 h before the deploy
    regression_warn_ratio: float = Field(default=1.5, gt=1)
    regression_fail_ratio: float = Field(default=3.0, gt=1)
    regression_min_increase_seconds: float = Field(default=0.25, ge=0)  # smaller changes are noise
    regression_measurements: list[str] = Field(default_factory=lambda: ["response_seconds", "step_seconds"])
