"""Faults only a real browser notices: JavaScript errors, cookie consent, checkout UI."""
