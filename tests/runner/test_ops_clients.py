"""The backup dump splitter and the log readers used by the operations checks."""

import datetime as dt
import os

import pytest

from runner.clients import backups, logfiles

DUMP = """/*M!999999\\- enable the sandbox mode */
-- MariaDB dump 10.19
/*!40101 SET NAMES utf8mb4 */;
CREATE DATABASE /*!32312 IF NOT EXISTS*/ `dija_shop`;
USE `dija_shop`;
CREATE TABLE `t` (
  `id` int NOT NULL
);
INSERT INTO `t` VALUES (1),(2);
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN
SET NEW.id = NEW.id + 1;
END */;;
DELIMITER ;
-- Dump completed
"""


def test_statements_skip_database_switches_and_definers_and_honour_delimiter():
    statements = list(backups.statements(DUMP))
    assert statements[0] == "/*!40101 SET NAMES utf8mb4 */"
    assert statements[1].startswith("CREATE TABLE `t`") and statements[1].endswith(")")
    assert statements[2] == "INSERT INTO `t` VALUES (1),(2)"
    assert "DEFINER" not in statements[3] and statements[3].endswith("END */")
    assert len(statements) == 4


def test_statements_raise_when_the_dump_stops_mid_statement():
    with pytest.raises(backups.ArchiveError, match="truncated"):
        list(backups.statements("CREATE TABLE t (id int);\nINSERT INTO t VALUES (1),(2"))


def test_incomplete_dump_is_one_with_header_and_no_trailer():
    assert not backups.is_incomplete(DUMP.encode())
    assert backups.is_incomplete(DUMP.replace("-- Dump completed", "").encode())
    assert not backups.is_incomplete(b"CREATE TABLE t (id int);\n")  # no comments: nothing to judge by


def test_new_lines_baselines_then_reads_appended_complete_lines(tmp_path):
    log = tmp_path / "error.log"
    log.write_text("old\n")
    lines, state, rotated = logfiles.new_lines(log, {})
    assert lines == [] and not rotated
    with open(log, "a") as fh:
        fh.write("one\ntwo\npart")
    lines, state, _ = logfiles.new_lines(log, state)
    assert lines == ["one", "two"]
    with open(log, "a") as fh:
        fh.write("ial\n")
    assert logfiles.new_lines(log, state)[0] == ["partial"]


def test_new_lines_after_rename_rotation_reads_rest_of_old_file_and_new_file(tmp_path):
    log = tmp_path / "error.log"
    log.write_text("old\n")
    _, state, _ = logfiles.new_lines(log, {})
    with open(log, "a") as fh:
        fh.write("before rotation\n")
    os.rename(log, tmp_path / "error.log.1")
    log.write_text("after rotation\n")
    lines, _, rotated = logfiles.new_lines(log, state)
    assert rotated and lines == ["before rotation", "after rotation"]


def test_access_since_reads_the_recent_tail_only(tmp_path):
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    log = tmp_path / "access.log"
    lines = [
        f"10.0.0.{i} - - [{(now - dt.timedelta(minutes=90 - i)).strftime('%d/%b/%Y:%H:%M:%S +0000')}] "
        f'"GET /p{i} HTTP/1.1" {500 if i % 10 == 0 else 200} 10 "-" "agent {i}"'
        for i in range(91)
    ]
    log.write_text("garbage line\n" + "\n".join(lines) + "\n")
    records = logfiles.access_since(log, now - dt.timedelta(hours=1))
    assert [r.request for r in records][0] == "GET /p30 HTTP/1.1" and len(records) == 61
    assert records[-1].status == 500 and records[-1].agent == "agent 90"
