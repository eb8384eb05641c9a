"""Faults in the shop's data and database server."""
from demoshop.faults import process_fault

process_fault("db_down", "MariaDB is stopped: the monitor cannot connect and the shop shows its error page", "mariadb")
