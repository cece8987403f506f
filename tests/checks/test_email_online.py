"""``--online`` tells "no mail server" from "DNS unreachable" (issue 14, item 9).

The campaign: with DNS simply unreachable, ``--online`` relayed a resolver's English
"The domain name gmail.com does not exist." inside an Indonesian sentence. Every test here
answers through a fake resolver handed to email-validator's real deliverability code; the
network is refused (a socket attempt fails the test).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import dns.exception
import dns.resolver
import pytest

from sapkcheck.checks.email import online
from sapkcheck.checks.email.check import check_email
from tests.helpers import Run

CLI = Callable[..., Run]
WIDE = {"COLUMNS": "250"}
ROOT_NS = [SimpleNamespace(target="a.root-servers.net.")]


@dataclass
class FakeResolver:
    """Answers from a table: (name, type) -> records or an exception; anything else NoAnswer."""

    answers: dict[tuple[str, str], Any]
    asked: list[tuple[str, str]] = field(default_factory=list)

    def resolve(self, name: Any, rdtype: str, *args: Any, **kwargs: Any) -> Any:
        key = (str(name), rdtype)
        self.asked.append(key)
        outcome = self.answers.get(key, dns.resolver.NoAnswer())
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    online.deliverability.cache_clear()
    yield
    online.deliverability.cache_clear()


def use(monkeypatch: pytest.MonkeyPatch, answers: dict[tuple[str, str], Any]) -> FakeResolver:
    resolver = FakeResolver(answers)
    monkeypatch.setattr(online, "_resolver", lambda: resolver)
    return resolver


def mx(*hosts: str) -> list[SimpleNamespace]:
    return [SimpleNamespace(preference=10, exchange=host) for host in hosts]


# a resolver that reaches DNS answers for the root zone
WORKING = {(".", "NS"): ROOT_NS}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({("gmail.com", "MX"): mx("gmail-smtp-in.l.google.com.")}, "ok"),
        ({**WORKING, ("kab.go.id", "A"): [SimpleNamespace(address="10.1.2.3")]}, "no-mail"),
        ({("kab.go.id", "A"): [SimpleNamespace(address="8.8.8.8")]}, "ok"),  # A fallback
        ({**WORKING, ("nowhere.example", "MX"): dns.resolver.NXDOMAIN()}, "no-domain"),
        ({**WORKING, ("kab.go.id", "MX"): dns.resolver.NoAnswer()}, "no-mail"),  # no records
        ({**WORKING, ("null.example", "MX"): mx(".")}, "no-mail"),  # RFC 7505 null MX
        ({("gmail.com", "MX"): dns.exception.Timeout()}, "unreachable"),
        (
            {("gmail.com", "MX"): dns.resolver.LifetimeTimeout(timeout=5.0, errors={})},
            "unreachable",
        ),
        ({("gmail.com", "MX"): dns.resolver.NoNameservers()}, "unreachable"),
        ({("gmail.com", "MX"): OSError(101, "Network is unreachable")}, "unreachable"),
        # an offline resolver that calls every name missing, the root included
        ({("gmail.com", "MX"): dns.resolver.NXDOMAIN()}, "unreachable"),
        (
            {("gmail.com", "MX"): dns.resolver.NXDOMAIN(), (".", "NS"): dns.exception.Timeout()},
            "unreachable",
        ),
        ({("gmail.com", "MX"): dns.resolver.NoAnswer()}, "unreachable"),  # root unanswered
    ],
    ids=[
        "mx",
        "private-a-only",
        "global-a",
        "nxdomain",
        "no-records",
        "null-mx",
        "timeout",
        "lifetime-timeout",
        "no-nameservers",
        "network-unreachable",
        "nxdomain-for-everything",
        "nxdomain-root-times-out",
        "noanswer-root-unanswered",
    ],
)
def test_dns_answers_are_sorted(
    monkeypatch: pytest.MonkeyPatch, answers: dict[tuple[str, str], Any], expected: str
) -> None:
    domain = next(name for name, _ in answers if name != ".")  # the one asked about
    use(monkeypatch, answers)
    assert online.deliverability(domain) == expected


def test_no_resolver_configuration_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    # no /etc/resolv.conf (an office PC off the network): building the resolver fails
    def no_configuration() -> Any:
        raise dns.resolver.NoResolverConfiguration("no nameservers")

    monkeypatch.setattr(online, "_resolver", no_configuration)
    assert online.deliverability("gmail.com") == "unreachable"


def test_the_root_is_asked_only_to_confirm_a_negative_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resolver = use(monkeypatch, {("gmail.com", "MX"): mx("gmail-smtp-in.l.google.com.")})
    assert online.deliverability("gmail.com") == "ok"
    assert resolver.asked == [("gmail.com", "MX")]
    assert online.deliverability("gmail.com") == "ok"  # cached for the run
    assert resolver.asked == [("gmail.com", "MX")]


def codes(address: str) -> list[tuple[str, str | None]]:
    info = check_email(address, online=True)
    return [(f.code, f.detail) for f in info.findings]


def test_findings_of_each_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, {**WORKING, ("nowhere.example", "MX"): dns.resolver.NXDOMAIN()})
    assert codes("eli@nowhere.example") == [("email-undeliverable", "no-domain")]
    assert codes("eli@kab.go.id") == [("email-undeliverable", "no-mail")]
    online.deliverability.cache_clear()
    use(monkeypatch, {("gmail.com", "MX"): dns.exception.Timeout()})
    assert codes("eli@gmail.com") == [("email-dns-unreachable", None)]
    online.deliverability.cache_clear()
    use(monkeypatch, {("gmail.com", "MX"): mx("gmail-smtp-in.l.google.com.")})
    assert codes("eli@gmail.com") == []


@pytest.mark.parametrize(
    ("lang", "unreachable", "missing"),
    [
        ("en", "DNS could not be reached: the address was not checked online", "does not exist"),
        ("id", "DNS tidak bisa dihubungi: alamat ini tidak diperiksa secara online", "tidak ada"),
    ],
)
def test_the_cli_says_which_in_the_users_language(
    cli: CLI, monkeypatch: pytest.MonkeyPatch, lang: str, unreachable: str, missing: str
) -> None:
    use(monkeypatch, {("gmail.com", "MX"): dns.resolver.NoNameservers()})
    run = cli("check", "--email", "eli@gmail.com", "--online", "--lang", lang, env=WIDE)
    assert run.exit_code == 0, run.stdout + run.stderr  # not a problem of the address
    assert unreachable in run.stdout
    assert "[email-dns-unreachable]" in run.stdout
    assert "email-undeliverable" not in run.stdout
    online.deliverability.cache_clear()
    use(monkeypatch, {**WORKING, ("nowhere.example", "MX"): dns.resolver.NXDOMAIN()})
    run = cli("check", "--email", "eli@nowhere.example", "--online", "--lang", lang, env=WIDE)
    assert "[email-undeliverable]" in run.stdout and missing in run.stdout
    assert "email-dns-unreachable" not in run.stdout
    # never email-validator's (English) sentence inside the message
    assert "The domain name" not in run.stdout and "There was an error" not in run.stdout


def test_json_names_the_finding(cli: CLI, monkeypatch: pytest.MonkeyPatch) -> None:
    use(monkeypatch, {("gmail.com", "MX"): dns.exception.Timeout()})
    doc = cli("check", "--email", "eli@gmail.com", "--online", "--format", "json").json()
    assert [(f["code"], f["severity"]) for f in doc["findings"]] == [
        ("email-dns-unreachable", "info")
    ]
    assert doc["status"] == "ok"
