from checks.test_accounts import card_numbers, hash_weakness, mask
from tests.checks.conftest import assert_outcome

ACCOUNTS = "checks/test_accounts.py::"


def test_account_checks_pass_on_healthy_demo(healthy):
    for name in ("test_no_brute_force_logins", "test_admin_accounts_reviewed", "test_no_card_numbers_stored"):
        assert_outcome(healthy[name], "pass")
    assert healthy["test_admin_accounts_reviewed"]["measurements"]["active_admins"] == 2
    assert healthy["test_no_card_numbers_stored"]["measurements"]["pan_columns_scanned"] >= 4


def test_brute_force_check_names_the_ip_and_the_account(check_runner, fault):
    fault("login_flood")
    assert_outcome(
        check_runner.one(ACCOUNTS + "test_no_brute_force_logins"),
        "fail",
        "IP 203.0.113.66: 14 failed logins in 15 min > 10",
        "account owner: 14 failed logins",
    )


def test_admin_review_fails_on_rogue_admin_with_md5_hash(check_runner, fault):
    fault("rogue_admin")
    record = check_runner.one(ACCOUNTS + "test_admin_accounts_reviewed")
    assert_outcome(record, "fail", "support: not in security.approved_admins", "support: unsalted MD5 password hash")
    assert "letmein" not in record["message"]


def test_pan_scan_fails_with_the_card_number_masked(check_runner, fault):
    fault("pan_in_notes")
    record = check_runner.one(ACCOUNTS + "test_no_card_numbers_stored")
    assert_outcome(record, "fail", "orders.notes id", "************1111")
    assert "4111-1111" not in record["message"] and "4111 1111" not in record["message"]


def test_hash_weakness_recognises_weak_and_strong_schemes():
    assert hash_weakness("5f4dcc3b5aa765d61d8327deb882cf99") == "unsalted MD5"
    assert hash_weakness("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8") == "unsalted SHA-1"
    assert hash_weakness("$1$abc$xyz") == "MD5-crypt"
    assert hash_weakness("hunter2") == "unrecognised (plain text?)"
    for strong in ("$2y$10$" + "a" * 53, "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "pbkdf2:sha256:600000$s$h"):
        assert hash_weakness(strong) is None


def test_card_numbers_are_luhn_checked_and_masked():
    text = "card 4111 1111 1111 1111, ref 4111111111111112, order DJ-100042, tel 0803-123-4567, 378282246310005"
    assert card_numbers(text) == ["4111111111111111", "378282246310005"]
    assert card_numbers("pi_4111111111111111abc") == []
    assert mask("4111111111111111") == "************1111"
