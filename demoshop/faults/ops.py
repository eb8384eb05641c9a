"""Faults in operations: mail, backups, cron jobs, logs, server."""
