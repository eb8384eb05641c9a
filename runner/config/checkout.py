"""The [checkout] section: the synthetic customer and the shop's ways through its pages as steps.

Each step list defaults to the demo shop's pages, so the demo's config names none of them.
"""

from __future__ import annotations

from pydantic import Field

from runner.config.base import Section
from runner.config.steps import CUSTOMER_VALUES, Name, Step, step_list_problems

PURCHASE_READS = {  # what the checkout check needs the purchase to read, and why
    "product_name": "the product bought, compared with the order's items",
    "total": "the amount the customer is asked to pay, compared with the order and its payment",
    "order_number": 'read = { order_number = "<selector>" } or order_number_from_url',
}
CHECK_PARTS = ("database", "email", "cancel")  # timed parts of the checkout check after the purchase steps


def demo_purchase() -> list[Step]:
    return [
        Step(name="home", goto="/"),
        Step(name="category", click='a[href$="/category/earrings"]'),
        Step(name="product", click='a[href$="/product/gold-hoops"]', read={"product_name": "h1", "price": "#price"}),
        Step(name="add_to_cart", click="#add-to-cart-button"),
        Step(name="cart", click="#checkout-link"),
        Step(
            name="checkout_form",
            read={"total": "#checkout-total"},
            fill={"#name": "{customer_name}", "#email": "{customer_email}", "#card_number": "{test_card}"},
        ),
        Step(name="payment", click="#pay-button", error="#payment-error", read={"order_number": "#order-number"}),
    ]


def demo_sign_in() -> list[Step]:
    return [
        Step(
            name="login",
            goto="/login",
            fill={"#login-email": "{customer_email}", "#login-password": "{customer_password}"},
            click="#login-button",
            error="#login-error",
            wait_for="#account-name",
        )
    ]


def demo_cancel() -> list[Step]:
    return [
        Step(name="open_order", click='a:text-is("{order_number}")'),
        Step(name="cancel_order", click="#cancel-order-button"),
    ]


def demo_out_of_stock(path: str) -> list[Step]:
    return [
        Step(
            name="out_of_stock_page", goto=path, expect_visible=["#out-of-stock"], expect_hidden=["#add-to-cart-button"]
        )
    ]


class Checkout(Section):
    customer_email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$")  # orders from it are the shop's synthetic ones
    customer_password_env: str | None = None
    customer_name: str = "Synthetic Monitor"
    test_card: str = Field(default="4242424242424242", pattern=r"^[0-9]{12,19}$")
    fields: dict[Name, str] = Field(default_factory=dict)  # more values steps can fill in: { address = "..." }
    steps: list[Step] = Field(default_factory=demo_purchase)  # the purchase, up to the order number
    sign_in_steps: list[Step] = Field(default_factory=demo_sign_in)  # [] : the shop has no customer accounts
    cancel_steps: list[Step] = Field(default_factory=demo_cancel)  # after signing in; [] : the order stays
    out_of_stock_path: str | None = Field(default=None, pattern=r"^/")  # a product page with stock 0
    out_of_stock_steps: list[Step] | None = None  # default: out_of_stock_path with the demo's selectors
    imap_user: str | None = None  # the customer's mailbox on [mail]'s IMAP server; default: local part of the email
    imap_password_env: str | None = None  # default: the customer's password

    def out_of_stock_journey(self) -> list[Step]:
        """The out-of-stock check's steps; none when it is not configured."""
        if self.out_of_stock_steps is not None:
            return self.out_of_stock_steps
        return demo_out_of_stock(self.out_of_stock_path) if self.out_of_stock_path else []

    def values(self) -> dict[str, str]:
        """The values steps fill in, but the password: a secret, added only where a step uses it."""
        return {
            "customer_email": self.customer_email,
            "customer_name": self.customer_name,
            "test_card": self.test_card,
            **self.fields,
        }

    def problems(self, where: str = "checkout") -> list[str]:
        """What makes the step lists unusable, each problem naming its key path."""
        base = set(CUSTOMER_VALUES) | set(self.fields)
        problems = [
            f"{where}.fields.{name}: is a built-in value; choose another name"
            for name in self.fields
            if name in (*CUSTOMER_VALUES, "order_number")
        ]
        found, bought = step_list_problems(f"{where}.steps", self.steps, base)
        problems += found + self._purchase_problems(f"{where}.steps")
        found, signed_in = step_list_problems(f"{where}.sign_in_steps", self.sign_in_steps, base)
        problems += found
        problems += step_list_problems(f"{where}.cancel_steps", self.cancel_steps, bought | signed_in)[0]
        problems += step_list_problems(f"{where}.out_of_stock_steps", self.out_of_stock_journey(), base)[0]
        return problems + self._out_of_stock_path_problems(where)

    def _purchase_problems(self, where: str) -> list[str]:
        reads = set().union(*(step.reads() for step in self.steps))
        problems = [
            f"{where}: no step reads {name} ({why})" for name, why in PURCHASE_READS.items() if name not in reads
        ]
        return problems + [
            f"{where}[{index}].name: {step.name!r} is taken by the check's own {step.name} part; choose another name"
            for index, step in enumerate(self.steps)
            if step.name in CHECK_PARTS
        ]

    def _out_of_stock_path_problems(self, where: str) -> list[str]:
        if self.out_of_stock_path is None:
            return []
        if self.out_of_stock_steps is not None:
            return [
                f"{where}.out_of_stock_path: leave it out when {where}.out_of_stock_steps are given "
                "(their goto names the page)"
            ]
        if "steps" in self.model_fields_set:
            return [
                f"{where}.out_of_stock_path: its step looks for the demo's #add-to-cart-button and "
                f"#out-of-stock; with your own {where}.steps, write {where}.out_of_stock_steps instead"
            ]
        return []
