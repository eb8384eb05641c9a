"""Reliability: the monitor survives a broken target, broken dependencies and a broken self.

Each scenario and where it is proven (real components throughout; the only fakes are the
third-party seam: a local HTTP server as webhook/Alertmanager/heartbeat, a silent TCP server):

- target down (connection refused) ............ test_unreachable_target (run end to end, exit 1, no
  traceback); the check alone under the demo's site_down: tests/checks/test_availability_checks.py
- target hanging (accepts, never answers) ..... test_unreachable_target (cut at site.timeout_seconds)
- database down ................................ test_unreachable_target (the connectivity check fails,
  the checks needing `db` error); the demo's db_down: tests/checks/test_database_checks.py
- IMAP down .................................... test_unreachable_target
- SMTP down (IMAP up) .......................... tests/checks/test_email_checks.py (the demo's smtp_down;
  needs a real IMAP server, so not repeated here); the client: tests/runner/test_smtp_client.py
- alert channel refused / too slow ............. test_alert_channels; answering 503:
  tests/alerts/test_delivery.py (outbox keeps it, the next run delivers)
- a check hanging forever ...................... test_broken_checks (pytest-timeout, next run on time);
  the overall run timeout: tests/runner/test_execute.py
- a check killing pytest (os._exit) ............ test_broken_checks (runner error naming the check, exit 3,
  daemon goes on; an xdist worker killed the same way too); pytest failing to collect:
  tests/runner/test_execute.py; a job raising: tests/runner/test_schedule.py
- reports/ not writable ........................ test_reports_unwritable (CLI exit 3; the daemon logs,
  pings /fail, records when the history still works); history unwritable after a run:
  tests/runner/test_pipeline.py
- two runs at once on one history .............. test_history_database (two CLI processes, fresh DB);
  two Store writers: tests/runner/test_store.py
- a writer SIGKILLed mid-transaction ........... test_history_database
- config that would fail later ................. test_config_at_load (every such key, check-config and run;
  secret hygiene: credentials in the file, empty secret, missing/readable env_file; maintenance cap;
  a closed stdout)
- a full or read-only disk (tmpfs) ............. test_disk_full (alerts still go out, the cause named)
- runs at once on one reports folder ........... test_concurrent_runs (each notice once, every failure counted)
- redirects off the shop, metadata addresses ... test_off_site_redirects (loopback only; refused before
  connecting)
- the runner SIGKILLed mid-run ................. test_orphans (no pytest survives)

The README's "Reliability" section is the same list as a table: fault, what happens, what the owner is told.
"""
