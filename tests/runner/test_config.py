"""The config file: validated on load, errors name the key path, secrets never printed."""

import subprocess
import sys

import pytest

from runner import config
from runner.errors import ConfigError

MINIMAL = '[site]\nbase_url = "https://shop.example"\n'


def write(tmp_path, text, name="monitor.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(tmp_path, text, environ=None):
    with pytest.raises(ConfigError) as caught:
        config.load(write(tmp_path, text), environ=environ or {})
    return caught.value.problems


def test_minimal_config_gets_the_guide_defaults(tmp_path):
    settings = config.load(write(tmp_path, MINIMAL), environ={})
    assert settings.thresholds.page_load_fail_seconds == 3.0
    assert settings.database is None and settings.site.timeout_seconds == 10


def test_example_config_is_valid_with_its_variables_set():
    names = [
        "DIJA_DB_PASSWORD",
        "DIJA_SMTP_PASSWORD",
        "DIJA_IMAP_PASSWORD",
        "DIJA_CHECKOUT_PASSWORD",
        "DIJA_STRIPE_KEY",
        "DIJA_PAYSTACK_KEY",
        "DIJA_REMITA_KEY",
        "DIJA_BACKUP_KEY",
        "DIJA_ALERT_EMAIL_URL",
        "DIJA_ALERT_SLACK_URL",
    ]
    urls = {
        "DIJA_ALERT_EMAIL_URL": "mailtos://monitor:pw@smtp.example.org?to=ops@example.org",
        "DIJA_ALERT_SLACK_URL": "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
    }
    settings = config.load(
        config.Path(__file__).parents[2] / "monitor.example.toml", environ={n: urls.get(n, "x" * 8) for n in names}
    )
    assert settings.payments.stripe.secret("key").reveal() == "xxxxxxxx"
    assert settings.alerts.channels[0].secret("url").reveal() == urls["DIJA_ALERT_EMAIL_URL"]
    assert "xxxxxxxx" in settings.secret_values()


def test_unknown_key_is_named_with_its_path(tmp_path):
    assert problems(tmp_path, MINIMAL + "[database]\nname='x'\nuser='m'\nhots='db'\n") == ["database.hots: unknown key"]


def test_bad_values_name_key_path_and_list_index(tmp_path):
    text = (
        MINIMAL.replace('"https://shop.example"', '"ftp://x"')
        + "timeout_seconds = -1\nkey_pages = [{path='/'}, {path='no-slash'}]\n"
    )
    found = problems(tmp_path, text)
    assert any(p.startswith("site.base_url: invalid value 'ftp://x'") for p in found)
    assert any(p.startswith("site.timeout_seconds: Input should be greater than 0") for p in found)
    assert any(p.startswith("site.key_pages[1].path:") for p in found)


def test_missing_required_section_and_key(tmp_path):
    assert problems(tmp_path, "[database]\nname = 'x'\n") == [
        "site: required key missing",
        "database.user: required key missing",
    ]


def test_invalid_toml_is_one_clear_problem(tmp_path):
    [problem] = problems(tmp_path, "[site\nbase_url=1")
    assert problem.startswith("not valid TOML:")


def test_missing_secret_variable_names_key_and_variable(tmp_path):
    text = MINIMAL + "[database]\nname='x'\nuser='m'\npassword_env='SHOP_DB_PW'\n"
    assert problems(tmp_path, text) == ["database.password_env: variable SHOP_DB_PW is not set in the environment"]


def test_secret_comes_from_env_file_relative_to_config_and_prints_redacted(tmp_path):
    text = 'env_file = "secrets.env"\n' + MINIMAL + "[database]\nname='x'\nuser='m'\npassword_env='SHOP_DB_PW'\n"
    write(tmp_path, "# secrets\nSHOP_DB_PW='s3cr3t-value'\n", "secrets.env")
    settings = config.load(write(tmp_path, text), environ={})
    secret = settings.database.secret("password")
    assert secret.reveal() == "s3cr3t-value"
    assert str(secret) == repr(secret) == f"{secret}" == "***"
    assert "s3cr3t-value" not in repr(settings) and "s3cr3t-value" not in str(config.redacted(settings))
    assert config.redacted(settings)["database"]["password"] == "***"


def test_check_config_command_exits_2_naming_the_key(tmp_path):
    path = write(tmp_path, MINIMAL + "[alerts_typo]\n")
    result = subprocess.run(
        [sys.executable, "-m", "runner", "check-config", "--config", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "alerts_typo: unknown key" in result.stderr and "Traceback" not in result.stderr


def test_check_config_prints_effective_config_without_secrets(tmp_path, monkeypatch):
    path = write(tmp_path, MINIMAL + "[database]\nname='x'\nuser='m'\npassword_env='SHOP_DB_PW'\n")
    result = subprocess.run(
        [sys.executable, "-m", "runner", "check-config", "--config", str(path)],
        capture_output=True,
        text=True,
        env={"SHOP_DB_PW": "topsecret99", "PATH": "/usr/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert '"password": "***"' in result.stdout and "topsecret99" not in result.stdout
    assert '"page_load_fail_seconds": 3.0' in result.stdout


def test_warning_tiers_must_sit_below_failure_tiers(tmp_path):
    text = MINIMAL + "[thresholds]\npage_load_warn_seconds = 4\ncert_fail_days = 30\n"
    assert problems(tmp_path, text) == [
        "thresholds.page_load_warn_seconds: must be below thresholds.page_load_fail_seconds (3)",
        "thresholds.cert_fail_days: must not exceed thresholds.cert_warn_days (21)",
    ]


def test_check_timeout_must_leave_time_for_an_email_to_fail_properly(tmp_path):
    text = MINIMAL + (
        "[mail]\nimap_user='m'\nfrom_address='a@b.c'\nto_address='a@b.c'\n[runner]\ncheck_timeout_seconds = 120\n"
    )
    [problem] = problems(tmp_path, text)
    assert problem.startswith("runner.check_timeout_seconds: must exceed thresholds.email_fail_seconds (300)")


CHECKOUT = MINIMAL + "[checkout]\ncustomer_email = 'synthetic@shop.example'\n"
PURCHASE = """[[checkout.steps]]
name = "product"
goto = "/index.php?route=product&slug=gold-hoops"
read = { product_name = "h1", total = ".price" }
[[checkout.steps]]
name = "payment"
fill = { "#card" = "{test_card}", "#address" = "{adress}" }
clik = "#place-order"
order_number_from_url = "order=([A-Z0-9-]+)"
"""


def test_checkout_step_with_a_bad_key_is_named_with_its_index(tmp_path):
    assert problems(tmp_path, CHECKOUT + PURCHASE) == ["checkout.steps[1].clik: unknown key"]


def test_checkout_step_placeholder_naming_no_value_is_named(tmp_path):
    text = CHECKOUT.replace(
        "\n[checkout]\n", "\n[checkout]\nfields = { address = '1 Synthetic Way' }\n"
    ) + PURCHASE.replace("clik", "click")
    assert problems(tmp_path, text) == [
        "checkout.steps[1].fill.#address: unknown placeholder {adress} (known here: address, customer_email, "
        "customer_name, customer_password, product_name, test_card, total)"
    ]
    assert config.load(write(tmp_path, text.replace("{adress}", "{address}")), environ={}).checkout.steps[1].click


def test_checkout_steps_must_read_what_the_checkout_check_compares(tmp_path):
    text = CHECKOUT + '[[checkout.steps]]\nname = "home"\ngoto = "/"\nread = { order_number = "#ref" }\n'
    assert problems(tmp_path, text) == [
        "checkout.steps: no step reads product_name (the product bought, compared with the order's items)",
        "checkout.steps: no step reads total (the amount the customer is asked to pay, compared with the order "
        "and its payment)",
    ]


def test_order_number_regex_needs_a_group_and_out_of_stock_page_is_given_once(tmp_path):
    text = (
        CHECKOUT
        + "out_of_stock_path = '/sold-out'\n"
        + PURCHASE.replace("clik", "click").replace("{adress}", "{test_card}").replace("([A-Z0-9-]+)", "[A-Z0-9-]+")
    )
    assert problems(tmp_path, text) == [
        "checkout.steps[1].order_number_from_url: needs a group (…) around the order number"
    ]
    found = problems(tmp_path, text.replace("[A-Z0-9-]+", "([A-Z0-9-]+)"))
    assert found == [
        "checkout.out_of_stock_path: its step looks for the demo's #add-to-cart-button and "
        "#out-of-stock; with your own checkout.steps, write checkout.out_of_stock_steps instead"
    ]


def test_checkout_defaults_are_the_demo_shops_pages_and_cancel_may_be_turned_off(tmp_path):
    settings = config.load(write(tmp_path, CHECKOUT + "cancel_steps = []\n"), environ={})
    checkout = settings.checkout
    assert [s.name for s in checkout.steps] == [
        "home",
        "category",
        "product",
        "add_to_cart",
        "cart",
        "checkout_form",
        "payment",
    ]
    assert [s.name for s in checkout.sign_in_steps] == ["login"] and checkout.cancel_steps == []
    assert checkout.out_of_stock_journey() == []


def test_example_config_steps_are_valid_once_uncommented(tmp_path):
    text = (config.Path(__file__).parents[2] / "monitor.example.toml").read_text()
    block = text.split("# --- example steps\n")[1].split("# --- end of example steps")[0]
    uncommented = "\n".join(line.removeprefix("#").removeprefix(" ") for line in block.splitlines())
    checkout = config.load(write(tmp_path, CHECKOUT + uncommented), environ={}).checkout
    assert len(checkout.steps) > 5 and checkout.steps[2].navigates is False
    assert checkout.out_of_stock_journey()[0].expect_hidden == ["button.add-to-bag"]
