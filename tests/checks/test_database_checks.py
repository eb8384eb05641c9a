from tests.checks.conftest import assert_outcome

CONNECTIVITY = "checks/test_database.py::test_database_answers_quickly"


def test_database_connectivity_passes_on_healthy_demo(healthy):
    record = healthy["test_database_answers_quickly"]
    assert_outcome(record, "pass")
    assert 0 < record["measurements"]["select1_ms"] < 200


def test_database_connectivity_fails_when_database_down(check_runner, fault):
    fault("db_down")
    assert_outcome(check_runner.one(CONNECTIVITY), "fail", "database unreachable", "cannot connect")
