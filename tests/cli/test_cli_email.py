from __future__ import annotations

import socket
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import Run, run_cli

CLI = Callable[..., Run]
ADDRESS = "eli.sari@gmail.com"


def test_trailing_spaces_made_visible_in_text(cli: CLI) -> None:
    run = cli("check", "--email", ADDRESS + "  ", "--lang", "en")
    assert run.exit_code == 1
    assert "eli.sari@gmail.com␣␣" in run.stdout
    assert "[email-trailing-space]" in run.stdout
    assert "operasi-gagal" in run.stdout


def test_invisible_char_made_visible_in_text(cli: CLI) -> None:
    run = cli("check", "--email", "eli\u200b.sari@gmail.com", env={"COLUMNS": "200"})
    assert "eli⟨U+200B⟩.sari@gmail.com" in run.stdout
    assert "spasi tak terlihat (zero-width space, U+200B)" in run.stdout
    assert "ZERO WIDTH SPACE" not in run.stdout


def test_json_email_contract(cli: CLI) -> None:
    run = cli(
        "check",
        "--email",
        "mailto:eli.sari@gmial.com ",
        "--registered",
        ADDRESS,
        "--hint",
        "eli*****@gmail.com",
        "--format",
        "json",
    )
    assert run.exit_code == 1
    doc = run.json()
    assert doc["email"] == {
        "input": "mailto:eli.sari@gmial.com ",
        "normalized": "eli.sari@gmial.com",
        "domain": "gmial.com",
        "suggestions": ["eli.sari@gmial.com", ADDRESS],
        "registered": ADDRESS,
        "hint": "eli*****@gmail.com",
    }
    found = {f["code"]: f for f in doc["findings"]}
    assert set(found) >= {
        "email-trailing-space",
        "email-wrapper",
        "email-domain-typo",
        "email-mismatch",
        "email-hint-mismatch",
    }
    assert found["email-trailing-space"]["span"] == [25, 26]
    assert found["email-wrapper"]["span"] == [0, 7]
    assert "nip" not in doc


def test_email_from_stdin_keeps_spaces(cli: CLI) -> None:
    doc = cli("check", "--email", "-", "--format", "json", input=ADDRESS + "  \n").json()
    assert doc["email"]["input"] == ADDRESS + "  "
    assert doc["findings"][0]["code"] == "email-trailing-space"


def test_only_one_option_may_read_stdin(cli: CLI) -> None:
    run = cli("check", "--email", "-", "--nip", "-", input="x")
    assert run.exit_code == 2
    assert "--nip" in run.stderr and "--email" in run.stderr


@pytest.mark.parametrize("mask", ["eli*****", "a@b@c", " "])
def test_malformed_hint_exits_2(cli: CLI, mask: str) -> None:
    run = cli("check", "--email", ADDRESS, "--hint", mask, "--format", "json")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "eli*****@gmail.com" in run.stderr  # shows what a mask looks like


def test_both_languages(cli: CLI) -> None:
    id_run = cli("check", "--email", ADDRESS, "--registered", "budi@gmail.com")
    en_run = cli("check", "--email", ADDRESS, "--registered", "budi@gmail.com", "--lang", "en")
    assert "berbeda" in id_run.stdout
    assert "differs" in en_run.stdout or "Same domain" in en_run.stdout


def test_clean_email_matching_record_exits_0(cli: CLI) -> None:
    run = cli("check", "--email", ADDRESS, "--registered", ADDRESS, "--nip", "198609262015051001")
    assert run.exit_code == 0


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_no_socket_without_online(cli: CLI, no_network: list[tuple[object, ...]]) -> None:
    for email in (ADDRESS, "eli@gmial.com", "x@nonexistent-domain-sapkcheck.example", "bad"):
        run = cli("check", "--email", email, "--registered", ADDRESS, "--format", "json")
        assert run.exit_code in (0, 1)
    assert no_network == []


def test_online_asks_dns_and_reports_undeliverable(
    cli: CLI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sapkcheck.checks.email import online

    asked: list[str] = []

    def fake(domain: str) -> str:
        asked.append(domain)
        return "no-mail"

    monkeypatch.setattr(online, "deliverability", fake)
    monkeypatch.setattr("sapkcheck.checks.email.check.deliverability", fake)
    doc = cli("check", "--email", "eli@nowhere.example", "--online", "--format", "json").json()
    assert asked == ["nowhere.example"]
    assert [f["code"] for f in doc["findings"]] == ["email-undeliverable"]
    assert doc["status"] == "ok"  # a warning


@settings(max_examples=80, deadline=None)
@given(
    st.text(),
    st.one_of(st.none(), st.text(max_size=30)),
    st.sampled_from(["id", "en"]),
)
def test_cli_email_json_never_crashes(email: str, registered: str | None, lang: str) -> None:
    args = ["check", "--email", "-", "--format", "json", "--lang", lang]
    if registered is not None and "\x00" not in registered:
        args += ["--registered", registered]
    run = run_cli(*args, input=email.encode("utf-8", "surrogatepass"))
    assert run.exit_code in (0, 1, 2), run.stderr
    if run.exit_code != 2:
        assert run.json()["schema_version"] == 1
    assert "Traceback" not in run.stderr
