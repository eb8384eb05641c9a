"""Faults of the web front: availability, redirects, headers, TLS, pages."""
from demoshop.faults import flag_fault, process_fault

process_fault("site_down", "the shop's web server is stopped: connections are refused", "shop")
flag_fault("db_error_page", "pages answer 200 but show 'Database connection failed' instead of the shop")
