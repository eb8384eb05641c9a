"""Every registered alert channel keeps the `Channel` contract: a complete subclass in its own
module, built from its config example with its severities, refusing a bad URL with a message
naming the key, delivering to a local fake receiver, and saying whether a failure is permanent.
The outbox (always on) and the README's "Adding an alert channel" example pass the same checks."""

import re
import sys
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from runner.alerts import channels, message
from runner.alerts.providers import PROVIDERS, Channel, DeliveryError, OutboxChannel
from runner.alerts.state import Event
from runner.errors import ConfigError
from tests.alerts.conftest import T0, check

README = Path(__file__).resolve().parents[2] / "README.md"
KEY = "alerts.channels[0]"


@dataclass(frozen=True)
class Case:
    example: str  # its `url` in [[alerts.channels]]; {address} is the fake receiver's 127.0.0.1:port
    path: str  # where the receiver sees a delivery
    bad_url: str
    refusal: str  # validate()'s problem for bad_url
    permanent: int | None  # an answer retrying cannot help; None: the provider reports every failure as transient


CASES = {
    "apprise": Case(
        "json://{address}/hook",
        "/hook",
        "nosuchscheme://token@host",
        f"{KEY}.url: not a usable apprise URL (nosuchscheme://host)",
        None,
    ),
    "alertmanager": Case(
        "http://{address}",
        "/api/v2/alerts",
        "ftp://{address}",
        f"{KEY}.url: an Alertmanager URL starts with http:// or https://",
        400,
    ),
}


def incident() -> message.Message:
    return message.compose([Event("incident", check()["id"], T0, check())], "shop.example")


def built(make_settings, kind: str, url: str) -> Channel:
    """The channel `channels.build` makes of one [[alerts.channels]] entry (the config loads it too)."""
    settings = make_settings(
        f'[[alerts.channels]]\ntype = "{kind}"\nname = "conformance"\nurl = "{url}"\nseverities = ["critical"]\n'
    )
    found, problems, _ = channels.build(settings)
    assert problems == []
    [channel] = [c for c in found if c.name == "conformance"]
    return channel


def assert_conforms(kind: str, case: Case, make_settings, receiver) -> None:
    provider = PROVIDERS[kind]
    assert issubclass(provider, Channel) and not provider.__abstractmethods__, provider
    address = receiver.url.removeprefix("http://")
    channel = built(make_settings, kind, case.example.format(address=address))
    assert type(channel) is provider and channel.severities == ("critical",) and channel.key == KEY

    settings = make_settings()
    bad = provider(
        "bad", case.bad_url.format(address=address), ("critical",), key=KEY, **provider.options(settings, None)
    )
    with pytest.raises(ConfigError) as refused:
        bad.validate()
    assert refused.value.problems == [case.refusal]

    channel.send(incident())
    assert len(receiver.on(case.path)) == 1, receiver.posts

    for status in (503, case.permanent or 400):
        receiver.status = status
        with pytest.raises(DeliveryError) as failed:
            channel.send(incident())
        assert failed.value.permanent is (status == case.permanent), (status, str(failed.value))
    assert len(receiver.posts) == 1


def test_every_registered_channel_has_a_conformance_case():
    assert sorted(CASES) == sorted(PROVIDERS), "add a Case to CASES for each type in PROVIDERS"


@pytest.mark.parametrize("kind", sorted(PROVIDERS))
def test_a_registered_channel_keeps_the_contract(kind, make_settings, receiver):
    assert_conforms(kind, CASES[kind], make_settings, receiver)


def test_each_provider_has_its_own_module():
    modules = [provider.__module__ for provider in [*PROVIDERS.values(), OutboxChannel]]
    assert len(set(modules)) == len(modules) and all(m.startswith("runner.alerts.providers.") for m in modules)


def test_an_unknown_type_is_refused_naming_the_known_ones(make_settings):
    settings = make_settings('[[alerts.channels]]\ntype = "pagerduty"\nurl = "https://events.example"\n')
    with pytest.raises(ConfigError) as refused:
        channels.check(settings)  # as every command's load_settings does
    known = ", ".join(sorted(PROVIDERS))
    assert refused.value.problems == [f"{KEY}.type: unknown channel type 'pagerduty'; the known types are {known}"]


def test_the_outbox_is_an_ordinary_channel_taking_every_severity(make_settings, tmp_path):
    settings = make_settings()
    [outbox], problems, _ = channels.build(settings, clock=lambda: T0)
    assert isinstance(outbox, OutboxChannel) and not problems and outbox.severities == ("critical", "warning")
    outbox.send(incident())
    assert channels.outbox_path(settings).read_text().count("\n") == 1
    with pytest.raises(ConfigError) as refused:
        OutboxChannel("outbox", "http://127.0.0.1/outbox", ("critical",), key="outbox").validate()
    assert refused.value.problems == ["outbox.url: the outbox is a file URI (file:///path/outbox.jsonl)"]
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(DeliveryError) as failed:  # the path is a folder: not written, tried again next run
        OutboxChannel("outbox", folder.as_uri(), ("critical",), key="outbox").send(incident())
    assert not failed.value.permanent and str(failed.value) == f"outbox {folder}: Is a directory"


def readme_example() -> tuple[str, str]:
    """The README's example provider module and its registry line."""
    section = README.read_text().split("### Adding an alert channel", 1)[1].split("\n## ", 1)[0]
    module, line = re.findall(r"```python\n(.*?)```", section, re.S)
    return module, line.strip()


def test_the_readme_example_channel_passes_the_same_checks(make_settings, receiver, monkeypatch):
    source, line = readme_example()
    example = types.ModuleType("runner.alerts.providers.webhook")
    monkeypatch.setitem(sys.modules, example.__name__, example)
    exec(compile(source, "README.md", "exec"), example.__dict__)
    kind, name = re.fullmatch(r'"(\w+)": (\w+),', line).groups()
    monkeypatch.setitem(PROVIDERS, kind, getattr(example, name))
    webhook = Case(
        "http://{address}/alerts",
        "/alerts",
        "ftp://{address}",
        f"{KEY}.url: a webhook URL starts with http:// or https://",
        400,
    )
    assert_conforms(kind, webhook, make_settings, receiver)
    [(_, posted)] = receiver.posts
    assert posted["title"] == "[FAILING] shop.example: test_home"


def test_alertmanager_links_a_notice_without_a_report_to_the_dashboard(make_settings, receiver):
    settings = make_settings(
        f'report_base_url = "https://monitor.example/reports"\n'
        f'[[alerts.channels]]\ntype = "alertmanager"\nurl = "{receiver.url}"\n'
    )
    _, alertmanager = channels.build(settings, clock=lambda: T0)[0]
    offline = Event("offline", "monitor", T0, {"name": "monitor offline", "severity": "critical"})
    alertmanager.send(message.compose([offline], "shop.example"))
    [[alert]] = receiver.on("/api/v2/alerts")
    assert alert["generatorURL"] == "https://monitor.example/reports/index.html"
