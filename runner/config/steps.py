"""A shop's way through its pages as config: named steps, and the values they may fill in.

A step does, in this order: goto, fill, select, check, click (a click must load a new page unless
`navigates = false`), wait_for_url, wait_for, error, expect_visible, expect_hidden, read,
order_number_from_url. `{name}` in goto, in a selector or in a fill/select value is replaced by a
value: the customer's (customer_email, customer_name, customer_password, test_card), one of
`checkout.fields`, or one an earlier step read (order_number, ...). Every `{name}` must name a value
known at that step; the config loader says which one does not.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator

from runner.config.base import IDENTIFIER, Section

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
CUSTOMER_VALUES = ("customer_email", "customer_name", "customer_password", "test_card")
EXPANDED_TEXTS = ("goto", "click", "wait_for", "error")
EXPANDED_LISTS = ("check", "expect_visible", "expect_hidden")
EXPANDED_TABLES = ("fill", "select", "read")  # their values; keys are selectors (fill, select) or names (read)
ACTIONS = (
    "goto",
    "click",
    "wait_for_url",
    "wait_for",
    "fill",
    "select",
    "check",
    "expect_visible",
    "expect_hidden",
    "read",
    "order_number_from_url",
)
Name = Annotated[str, Field(pattern=IDENTIFIER)]


class Step(Section):
    name: Name
    goto: str | None = Field(default=None, pattern=r"^/")  # a path, with its query if any
    fill: dict[str, str] = Field(default_factory=dict)  # selector -> text
    select: dict[str, str] = Field(default_factory=dict)  # <select> selector -> option value or label
    check: list[str] = Field(default_factory=list)  # checkboxes and radios to check
    click: str | None = None
    navigates: bool = True  # the click loads a new page, which must answer without an HTTP error
    wait_for_url: str | None = None  # a substring of the URL's path and query, or a regex when it starts with ^
    wait_for: str | None = None  # a selector that must become visible
    error: str | None = None  # visible after the click = the step failed, quoting its text
    expect_visible: list[str] = Field(default_factory=list)  # shown now
    expect_hidden: list[str] = Field(default_factory=list)  # not shown now
    read: dict[Name, str] = Field(default_factory=dict)  # value name -> selector of the element whose text it is
    order_number_from_url: str | None = None  # a regex whose first group is the order number

    @field_validator("wait_for_url")
    @classmethod
    def _url_regex_compiles(cls, value: str | None) -> str | None:
        if value is not None and value.startswith("^"):
            _compiled(value)
        return value

    @field_validator("order_number_from_url")
    @classmethod
    def _has_a_group(cls, value: str | None) -> str | None:
        if value is not None and _compiled(value).groups < 1:
            raise ValueError("needs a group (…) around the order number")
        return value

    def reads(self) -> set[str]:
        """Names of the values this step reads."""
        return set(self.read) | ({"order_number"} if self.order_number_from_url else set())

    def placeholders(self) -> list[tuple[str, str]]:
        """(key, name) of every `{name}` the step uses."""
        return [(key, name) for key, text in self._texts() for name in PLACEHOLDER.findall(text)]

    def expanded(self, values: dict[str, str]) -> Step:
        """The step with its `{name}`s replaced by their values."""
        update = {key: expand(getattr(self, key), values) for key in EXPANDED_TEXTS if getattr(self, key)}
        update |= {key: [expand(text, values) for text in getattr(self, key)] for key in EXPANDED_LISTS}
        update |= {key: {k: expand(text, values) for k, text in getattr(self, key).items()} for key in EXPANDED_TABLES}
        return self.model_copy(update=update)

    def _texts(self):
        for key in EXPANDED_TEXTS:
            if getattr(self, key):
                yield key, getattr(self, key)
        for key in EXPANDED_LISTS:
            yield from ((f"{key}[{index}]", text) for index, text in enumerate(getattr(self, key)))
        for key in EXPANDED_TABLES:
            yield from ((f"{key}.{name}", text) for name, text in getattr(self, key).items())


def _compiled(pattern: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a regular expression: {exc}") from None


def expand(text: str, values: dict[str, str]) -> str:
    """`text` with each `{name}` replaced by values[name]; other braces are left as they are."""

    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise ValueError(f"no value for {{{match.group(1)}}}")
        return values[match.group(1)]

    return PLACEHOLDER.sub(value, text)


def uses(steps: list[Step], name: str) -> bool:
    return any(used == name for step in steps for _, used in step.placeholders())


def step_list_problems(where: str, steps: list[Step], known: set[str]) -> tuple[list[str], set[str]]:
    """Duplicate names, idle steps and unknown placeholders of one step list; and the names known after it."""
    problems, known, names = [], set(known), set()
    for index, step in enumerate(steps):
        at = f"{where}[{index}]"
        if step.name in names:
            problems.append(f"{at}.name: {step.name!r} names an earlier step too")
        names.add(step.name)
        if not any(getattr(step, key) for key in ACTIONS):
            problems.append(f"{at}: does nothing (give it goto, click, fill, read, ...)")
        problems += [
            f"{at}.{key}: unknown placeholder {{{name}}} (known here: {', '.join(sorted(known))})"
            for key, name in step.placeholders()
            if name not in known
        ]
        known |= step.reads()
    return problems, known
