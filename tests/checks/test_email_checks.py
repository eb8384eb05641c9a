from tests.checks.conftest import assert_outcome

ROUND_TRIP = "checks/test_email.py::test_email_round_trip"
QUEUE = "checks/test_email.py::test_email_queue_not_stuck"


def test_email_checks_pass_on_healthy_demo(healthy):
    assert_outcome(healthy["test_email_round_trip"], "pass")
    assert 0 <= healthy["test_email_round_trip"]["measurements"]["delivery_seconds"] < 60
    assert_outcome(healthy["test_email_queue_not_stuck"], "pass")
    assert healthy["test_email_queue_not_stuck"]["measurements"] == {"failed_emails": 0, "stuck_emails": 0}


def test_round_trip_fails_as_not_sent_when_smtp_down(check_runner, fault):
    fault("smtp_down")
    assert_outcome(check_runner.one(ROUND_TRIP), "fail", "not sent", "refused the connection")


def test_round_trip_fails_as_not_delivered_when_mail_dropped(check_runner, fault):
    fault("mail_dropped")
    config = check_runner.variant(thresholds={"email_warn_seconds": 1, "email_fail_seconds": 2})
    assert_outcome(check_runner.one(ROUND_TRIP, config=config), "fail", "not delivered", "within 2 s")


def test_round_trip_degrades_when_delivery_slower_than_warning(check_runner):
    config = check_runner.variant(thresholds={"email_warn_seconds": 0.000001})
    assert_outcome(check_runner.one(ROUND_TRIP, config=config), "degraded", "delivered slowly", "> 0 s")


def test_queue_check_fails_on_backlog_naming_failed_and_stuck_mail(check_runner, fault):
    fault("queue_backlog")
    record = check_runner.one(QUEUE)
    assert_outcome(record, "fail", "1 failed: email_queue ", "2 unsent for more than 15 min: email_queue ")
    assert record["measurements"] == {"failed_emails": 1, "stuck_emails": 2}
