"""Checkout steps as config, without a browser: placeholders, step models and the rules across lists."""

import pytest
from pydantic import ValidationError

from runner.config.checkout import Checkout, demo_purchase
from runner.config.steps import Step, expand, step_list_problems, uses

VALUES = {"customer_email": "synthetic@shop.example", "order_number": "DJ-100042", "address": "1 Synthetic Way"}


def test_placeholders_are_replaced_and_other_braces_left_alone():
    assert expand('a:text-is("{order_number}")', VALUES) == 'a:text-is("DJ-100042")'
    assert expand("{address}, {customer_email}", VALUES) == "1 Synthetic Way, synthetic@shop.example"
    assert expand("div{ } x{2,3} {not a name}", VALUES) == "div{ } x{2,3} {not a name}"


def test_a_placeholder_without_a_value_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"no value for \{customer_password\}"):
        expand("{customer_password}", VALUES)


def test_expanded_step_fills_in_goto_selectors_and_values_but_not_url_patterns():
    step = Step(
        name="order",
        goto="/account/orders?ref={order_number}",
        click='a:text-is("{order_number}")',
        fill={"#address": "{address}"},
        select={"#email-{order_number}": "{customer_email}"},
        expect_visible=["#o-{order_number}"],
        read={"status": "#status-{order_number}"},
        wait_for_url="ref={order_number}",
        order_number_from_url="ref=([A-Z0-9-]{3,})",
    )
    done = step.expanded(VALUES)
    assert done.goto == "/account/orders?ref=DJ-100042" and done.click == 'a:text-is("DJ-100042")'
    assert done.fill == {"#address": "1 Synthetic Way"} and done.select == {
        "#email-{order_number}": VALUES["customer_email"]
    }
    assert done.expect_visible == ["#o-DJ-100042"] and done.read == {"status": "#status-DJ-100042"}
    assert done.wait_for_url == "ref={order_number}" and done.order_number_from_url == "ref=([A-Z0-9-]{3,})"
    assert step.goto.endswith("{order_number}")  # the configured step is unchanged


def test_placeholders_are_listed_with_the_key_that_uses_them():
    step = Step(name="pay", fill={"#card": "{test_card}"}, check=["#x", "#{address}"], error="#e-{order_number}")
    assert step.placeholders() == [("error", "order_number"), ("check[1]", "address"), ("fill.#card", "test_card")]
    assert uses([step], "test_card") and not uses([step], "customer_password")


def test_step_model_rejects_bad_regexes_paths_and_types():
    for bad in (
        {"wait_for_url": "^/cart("},
        {"order_number_from_url": "order=["},
        {"goto": "cart"},
        {"navigates": "no"},
        {"check": "#terms"},
        {"read": {"order number": "#ref"}},
    ):
        with pytest.raises(ValidationError):
            Step(name="s", **bad)
    assert Step(name="s", wait_for_url="route=cart(").wait_for_url == "route=cart("  # a substring, not a regex


def test_a_value_is_known_only_after_the_step_that_reads_it():
    steps = [
        Step(name="pay", read={"order_number": "#ref"}, click="a[href$='{order_number}']"),
        Step(name="pay", goto="/order/{order_number}"),
        Step(name="idle"),
    ]
    problems, known = step_list_problems("checkout.steps", steps, {"test_card"})
    assert problems == [
        "checkout.steps[0].click: unknown placeholder {order_number} (known here: test_card)",
        "checkout.steps[1].name: 'pay' names an earlier step too",
        "checkout.steps[2]: does nothing (give it goto, click, fill, read, ...)",
    ]
    assert known == {"test_card", "order_number"}


def test_each_list_knows_its_own_values():
    cancel = [Step(name="cancel", goto="/orders/{order_number}?total={total}")]
    sign_in = [Step(name="login", fill={"#e": "{customer_email}", "#ref": "{order_number}"})]
    checkout = Checkout(
        customer_email="s@shop.example", cancel_steps=cancel, sign_in_steps=sign_in, fields={"test_card": "1"}
    )
    assert checkout.problems() == [
        "checkout.fields.test_card: is a built-in value; choose another name",
        "checkout.sign_in_steps[0].fill.#ref: unknown placeholder {order_number} (known here: customer_email, "
        "customer_name, customer_password, test_card)",
    ]


def test_purchase_steps_may_not_take_the_names_of_the_checks_later_parts():
    steps = [*demo_purchase()[:-1], demo_purchase()[-1].model_copy(update={"name": "email"})]
    assert Checkout(customer_email="s@shop.example", steps=steps).problems() == [
        "checkout.steps[6].name: 'email' is taken by the check's own email part; choose another name"
    ]


def test_out_of_stock_page_comes_from_the_path_or_from_steps_not_both():
    sold_out = [Step(name="sold_out", goto="/sold-out", expect_hidden=["button.buy"])]
    assert Checkout(customer_email="s@shop.example", out_of_stock_path="/p/x").out_of_stock_journey()[0].goto == "/p/x"
    both = Checkout(customer_email="s@shop.example", out_of_stock_path="/p/x", out_of_stock_steps=sold_out)
    assert both.problems() == [
        "checkout.out_of_stock_path: leave it out when checkout.out_of_stock_steps are given "
        "(their goto names the page)"
    ]
    assert Checkout(customer_email="s@shop.example", out_of_stock_steps=sold_out).out_of_stock_journey() == sold_out
