"""`check --token`: the reset token as pasted from MySAPK's email (e.g. AFM4TK1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sapkcheck.checks.token import check_token
from sapkcheck.findings import Severity
from tests.helpers import Run

CLI = Callable[..., Run]
TOKEN = "AFM4TK1"


def check_json(cli: CLI, token: str, *extra: str) -> tuple[int, dict[str, Any]]:
    run = cli("check", "--token", token, "--format", "json", "--lang", "en", *extra)
    return run.exit_code, run.json()


KIND_CODES = ("token-authenticator-code", "token-reset-code")


def problems(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings but the one saying which kind of code it is (tested on its own below)."""
    return [f for f in doc["findings"] if f["code"] not in KIND_CODES]


def only_finding(doc: dict[str, Any]) -> dict[str, Any]:
    (finding,) = problems(doc)
    return finding


def kind_codes(doc: dict[str, Any]) -> list[str]:
    return [f["code"] for f in doc["findings"] if f["code"] in KIND_CODES]


# --------------------------------------------------------------------- clean tokens


@pytest.mark.parametrize("token", [TOKEN, "Q7ZP2XK", "afm4tk1"])
def test_clean_token(cli: CLI, token: str) -> None:
    code, doc = check_json(cli, token)
    assert code == 0
    assert doc["status"] == "ok"
    assert doc["token"] == {"input": token, "normalized": token, "kind": "reset"}
    assert problems(doc) == []
    assert kind_codes(doc) == ["token-reset-code"]
    assert doc["remedies"] == []


@pytest.mark.parametrize("token", ["AF0M4OTK1", "O0O0O0", "0FM4TK1", "OFM4TK1", "lI1S5B8"])
def test_letter_o_and_digit_zero_are_not_flagged(cli: CLI, token: str) -> None:
    """Which of O/0 the email showed cannot be known from the text."""
    code, doc = check_json(cli, token)
    assert code == 0
    assert problems(doc) == []
    assert doc["token"]["normalized"] == token


# --------------------------------------------------------------------- whitespace


@pytest.mark.parametrize(
    ("token", "span", "count", "name"),
    [
        (" AFM4TK1", [0, 1], 1, "space (U+0020)"),
        ("AFM4TK1 ", [7, 8], 1, "space (U+0020)"),
        ("  AFM4TK1  ", [0, 11], 4, "space (U+0020)"),
        ("AFM 4TK1", [3, 4], 1, "space (U+0020)"),
        ("AFM4TK1\n", [7, 8], 1, "line break (Enter, U+000A)"),
        ("AFM4\nTK1", [4, 5], 1, "line break (Enter, U+000A)"),
        ("AFM4TK1\r\n", [7, 9], 2, "Windows line break (CR, U+000D)"),
        ("\tAFM4TK1", [0, 1], 1, "tab (U+0009)"),
        ("AFM4TK1\u00a0", [7, 8], 1, "no-break space (from Word/web pages, U+00A0)"),
    ],
)
def test_token_whitespace(cli: CLI, token: str, span: list[int], count: int, name: str) -> None:
    code, doc = check_json(cli, token)
    assert code == 1
    assert doc["status"] == "fail"
    assert doc["token"] == {"input": token, "normalized": TOKEN, "kind": "reset"}
    finding = only_finding(doc)
    assert finding["code"] == "token-whitespace"
    assert finding["severity"] == "error"
    assert finding["field"] == "token"
    assert finding["span"] == span
    assert f"{count} space(s)" in finding["message"]
    assert name in finding["message"]
    assert [r["faq"] for r in doc["remedies"]] == ["token-salah"]


def test_whitespace_position_is_one_based_in_the_message(cli: CLI) -> None:
    _, doc = check_json(cli, "AFM 4TK1")
    assert only_finding(doc)["message"] == (
        "1 space(s) in the token (from position 4): space (U+0020)."
    )


# --------------------------------------------------------------------- invisible characters


@pytest.mark.parametrize(
    ("token", "span", "name"),
    [
        ("AFM\u200b4TK1", [3, 4], "zero-width space (invisible, U+200B)"),
        ("\ufeffAFM4TK1", [0, 1], "byte order mark (BOM, invisible, U+FEFF)"),
        ("AFM4TK1\u200b", [7, 8], "zero-width space (invisible, U+200B)"),
        ("AFM4\u2060TK1", [4, 5], "word joiner (invisible, U+2060)"),
    ],
)
def test_token_invisible_char(cli: CLI, token: str, span: list[int], name: str) -> None:
    code, doc = check_json(cli, token)
    assert code == 1
    assert doc["token"] == {"input": token, "normalized": TOKEN, "kind": "reset"}
    finding = only_finding(doc)
    assert finding["code"] == "token-invisible-char"
    assert finding["span"] == span
    assert name in finding["message"]
    assert [r["faq"] for r in doc["remedies"]] == ["token-salah"]


def test_invisible_and_space_together(cli: CLI) -> None:
    code, doc = check_json(cli, "\ufeffAFM4TK1 ")
    assert code == 1
    assert {f["code"] for f in problems(doc)} == {"token-whitespace", "token-invisible-char"}
    assert doc["token"]["normalized"] == TOKEN
    assert [r["faq"] for r in doc["remedies"]] == ["token-salah"]  # once, not twice


# --------------------------------------------------------------------- look-alikes


@pytest.mark.parametrize(
    ("token", "position", "char", "ascii_char", "name"),
    [
        ("\u0410FM4TK1", 1, "\u0410", "A", "Cyrillic (Russian) letter that looks like 'A'"),
        ("AF\u041c4TK1", 3, "\u041c", "M", "Cyrillic (Russian) letter that looks like 'M'"),
        ("AFM4\u0422K1", 5, "\u0422", "T", "Cyrillic (Russian) letter that looks like 'T'"),
        ("AFM4T\u039a1", 6, "\u039a", "K", "Greek letter that looks like 'K'"),
        ("\uff21FM4TK1", 1, "\uff21", "A", "full-width 'A' (from a Chinese/Japanese keyboard)"),
        ("AFM\uff14TK1", 4, "\uff14", "4", "full-width '4' (from a Chinese/Japanese keyboard)"),
    ],
)
def test_token_confusable(
    cli: CLI, token: str, position: int, char: str, ascii_char: str, name: str
) -> None:
    code, doc = check_json(cli, token)
    assert code == 1
    assert doc["token"] == {"input": token, "normalized": TOKEN, "kind": "reset"}
    finding = only_finding(doc)
    assert finding["code"] == "token-confusable"
    assert finding["span"] == [position - 1, position]
    code_point = f"U+{ord(char):04X}"
    named = f"{name[:-1]}, {code_point})" if name.endswith(")") else f"{name} ({code_point})"
    assert finding["message"] == (
        f"Character '{char}' at position {position} is {named}, not a plain '{ascii_char}'."
    )
    assert [r["faq"] for r in doc["remedies"]] == ["token-salah"]


def test_every_look_alike_is_reported(cli: CLI) -> None:
    token = "AF\u041c4\u0422K1"  # Cyrillic EM and TE typed on a Russian layout
    code, doc = check_json(cli, token)
    assert code == 1
    assert [f["code"] for f in problems(doc)] == ["token-confusable", "token-confusable"]
    assert [f["span"] for f in problems(doc)] == [[2, 3], [4, 5]]
    assert doc["token"]["normalized"] == TOKEN


# --------------------------------------------------------------------- missing


@pytest.mark.parametrize("token", ["", "   ", "\n", "\u200b", " \ufeff "])
def test_token_missing(cli: CLI, token: str) -> None:
    code, doc = check_json(cli, token)
    assert code == 1
    assert doc["token"] == {"input": token, "normalized": None, "kind": None}
    assert kind_codes(doc) == []
    finding = only_finding(doc)
    assert finding["code"] == "token-missing"
    assert finding["severity"] == "error"
    # No token at all: the email never came, not a mistyped token.
    assert "token-salah" not in [r["faq"] for r in doc["remedies"]]
    assert [r["faq"] for r in doc["remedies"]] == [finding["faq"]]


# --------------------------------------------------------------------- stdin and text output


@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_token_from_stdin_loses_one_line_ending(cli: CLI, ending: str) -> None:
    run = cli("check", "--token", "-", "--format", "json", input=TOKEN + ending)
    assert run.exit_code == 0
    assert run.json()["token"] == {"input": TOKEN, "normalized": TOKEN, "kind": "reset"}


def test_token_from_stdin_keeps_other_spaces(cli: CLI) -> None:
    run = cli("check", "--token", "-", "--format", "json", input=TOKEN + " \n")
    assert run.exit_code == 1
    assert run.json()["token"]["input"] == TOKEN + " "
    assert only_finding(run.json())["code"] == "token-whitespace"


@pytest.mark.parametrize(
    ("lang", "heading"), [("id", "Yang perlu dilakukan:"), ("en", "What to do:")]
)
def test_text_output_shows_the_debris(cli: CLI, lang: str, heading: str) -> None:
    run = cli("check", "--token", "\ufeffAFM 4TK1", "--lang", lang, env={"COLUMNS": "200"})
    assert run.exit_code == 1
    assert "⟨U+FEFF⟩AFM␣4TK1" in run.stdout
    assert "[token-whitespace]" in run.stdout
    assert "[token-invisible-char]" in run.stdout
    remedy_lines = [line for line in run.stdout.splitlines() if line.startswith(heading)]
    assert len(remedy_lines) == 1
    assert "(FAQ: token-salah)" in remedy_lines[0]
    assert "  1. " in run.stdout
    assert "AFM4TK1" in run.stdout  # the FAQ's example token


# --------------------------------------------------------------------- the pure check


def test_check_token_pure() -> None:
    result = check_token(" \u0410FM4TK1\u200b")
    assert result.info.input == " \u0410FM4TK1\u200b"
    assert result.info.normalized == TOKEN
    assert [f.code for f in result.findings] == [
        "token-whitespace",
        "token-invisible-char",
        "token-confusable",
        "token-reset-code",
    ]
    assert all(f.faq == "token-salah" for f in result.findings)
    assert [f.span for f in result.findings] == [(0, 1), (8, 9), (1, 2), None]


def test_check_token_clean_has_no_problem() -> None:
    result = check_token(TOKEN)
    assert [f.code for f in result.findings] == ["token-reset-code"]
    assert result.info.normalized == TOKEN
    assert result.info.kind == "reset"


# --------------------------------------------------------------------- which kind of code


@pytest.mark.parametrize(
    ("token", "kind", "code", "faq"),
    [
        ("482913", "authenticator", "token-authenticator-code", "mfa-kode-salah"),
        (" 482913 ", "authenticator", "token-authenticator-code", "mfa-kode-salah"),
        (
            "\uff14\uff18\uff12\uff19\uff11\uff13",
            "authenticator",
            "token-authenticator-code",
            "mfa-kode-salah",
        ),
        ("AFM4TK1", "reset", "token-reset-code", "token-salah"),
        ("48291", "reset", "token-reset-code", "token-salah"),  # 5 digits: not a TOTP code
        ("4829133", "reset", "token-reset-code", "token-salah"),
        ("O0O0O0", "reset", "token-reset-code", "token-salah"),
    ],
)
def test_token_kind(cli: CLI, token: str, kind: str, code: str, faq: str) -> None:
    _, doc = check_json(cli, token)
    assert doc["token"]["kind"] == kind
    (finding,) = [f for f in doc["findings"] if f["code"] in KIND_CODES]
    assert (finding["code"], finding["severity"], finding["faq"]) == (code, "info", faq)


def test_token_kind_unknown_for_other_text() -> None:
    result = check_token("AFM-4TK1")
    assert result.info.kind is None
    assert not {f.code for f in result.findings} & set(KIND_CODES)


@pytest.mark.parametrize(
    ("lang", "authenticator", "reset"),
    [
        ("id", "aplikasi authenticator di HP", "email terdaftar"),
        ("en", "authenticator app on the phone", "registered email"),
    ],
)
def test_token_kind_says_where_the_code_comes_from(
    cli: CLI, lang: str, authenticator: str, reset: str
) -> None:
    run = cli("check", "--token", "482913", "--lang", lang, env={"COLUMNS": "300"})
    assert run.exit_code == 0
    assert "[token-authenticator-code]" in run.stdout and authenticator in run.stdout
    run = cli("check", "--token", "AFM4TK1", "--lang", lang, env={"COLUMNS": "300"})
    assert "[token-reset-code]" in run.stdout and reset in run.stdout


@pytest.mark.parametrize(
    ("typed", "code", "marks"),
    [
        ("AFM4TK1.", "AFM4TK1", "."),
        ("AFM4TK1,", "AFM4TK1", ","),
        ("(AFM4TK1)", "AFM4TK1", "()"),
        ('"AFM4TK1"', "AFM4TK1", '""'),
        ("123456.", "123456", "."),
    ],
)
def test_a_sentences_punctuation_at_the_ends_is_named(typed: str, code: str, marks: str) -> None:
    result = check_token(typed)
    assert result.info.normalized == code
    found = [f for f in result.findings if f.code == "token-punctuation"]
    assert len(found) == 1 and found[0].params["chars"] == marks
    assert found[0].severity is Severity.ERROR


@pytest.mark.parametrize("typed", ["AFM4TK1", "123456", "...", "A.B"])
def test_no_punctuation_finding_without_punctuation_at_the_ends(typed: str) -> None:
    assert "token-punctuation" not in {f.code for f in check_token(typed).findings}
