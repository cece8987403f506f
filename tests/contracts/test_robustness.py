"""Property-based robustness campaign over the real CLI.

Every command is driven with arbitrary Unicode (lone surrogates where argv allows them, NUL
through stdin only, huge strings, RTL and invisible characters, emoji, control characters,
rich markup and format placeholders) and arbitrary bytes (stdin, profile files, staff
tables). Whatever the input, the exit-code and output contracts hold:

- the exit code is 0, 1, 2 or 130 (``batch``: 0, 1 or 2);
- no traceback and no "internal error" sentence on stdout or stderr;
- ``--format json`` with exit 0 or 1: stdout is exactly one JSON document with
  ``schema_version == 1`` (and ``status`` agrees with the exit code); exit 2: stdout empty;
- ``batch``: json is one document, every jsonl line is a JSON object, csv parses with eight
  columns; the input file is never changed; ``--output``/``--fixed`` leave no other file.

Budgets scale with the Hypothesis profile (``tests/conftest.py``): ``default`` keeps this
file short; ``HYPOTHESIS_PROFILE=long`` runs many more examples with no deadline.
Known bugs are pinned by the ``xfail(strict=True)`` tests at the end of the file.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from sapkcheck.findings import CODES
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.knowledge.profile import PROFILE_TEMPLATE
from sapkcheck.render.batch import CSV_COLUMNS
from tests.helpers import Run, run_cli

T = TypeVar("T")

# --------------------------------------------------------------------------- budgets


def budget(share: float, *, floor: int = 3) -> settings:
    """Examples for one test: ``share`` of the active profile's ``max_examples``."""
    return settings(
        max_examples=max(floor, round(settings().max_examples * share)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.filter_too_much,
        ],
    )


# --------------------------------------------------------------------------- contracts

EXIT_CODES = frozenset({0, 1, 2, 130})
BATCH_EXIT_CODES = frozenset({0, 1, 2})
TRACEBACK = "Traceback (most recent call last)"
INTERNAL_ERROR = ("Internal error (", "Terjadi kesalahan internal (")


def assert_sane(
    run: Run, allowed: frozenset[int] = EXIT_CODES, *, internal_ok: bool = False
) -> None:
    """Exit code in the contract; no traceback; no internal failure passed off as exit 2."""
    if currently_in_test_context():
        event(f"exit {run.exit_code}")
    assert run.exit_code in allowed, (run.exit_code, run.stderr[-2000:])
    for stream in (run.stdout, run.stderr):
        assert TRACEBACK not in stream, stream[-4000:]
        if not internal_ok:
            assert not any(marker in stream for marker in INTERNAL_ERROR), run.stderr[-2000:]


def assert_json_contract(run: Run, json_asked: bool, *, has_status: bool = True) -> None:
    """--format json: one document with schema_version 1 on 0/1, nothing on stdout on 2."""
    if not json_asked:
        return
    if run.exit_code in (0, 1):
        document = json.loads(run.stdout)  # exactly one document: trailing data is an error
        assert isinstance(document, dict)
        assert document["schema_version"] == 1
        if has_status:
            assert document["status"] == ("fail" if run.exit_code == 1 else "ok")
    elif run.exit_code == 2:
        assert run.stdout == "", run.stdout[:2000]


# --------------------------------------------------------------------------- text strategies

SPECIAL_CHARS = (
    "\u202e\u202d\u202a\u2066\u2069\u200f\u200e\u061c"  # bidi controls
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"  # invisible
    "\u00a0\u2007\u202f\u3000\t\r\n\x0b\x0c\x85\u2028\u2029"  # spaces, line breaks
    "\x1b\x07\x08\x7f\x9b\ufffd\uffff"  # controls, replacement, non-character
    "\u0661\u0669\u06f1\u0966\uff10\uff19\u00b9\u2460"  # digits of other scripts
    "\uff20\uff0e\u3002\u0430\u0435\u043e\u0440\u0455\u0456\u03bf"  # look-alikes
    "\u05d0\u0627\u0639\u0645"  # Hebrew, Arabic
    "\U0001f600\U0001f1ee\U0001f1e9\U0001f3fd\u0301\u0308"  # emoji, combining marks
    "@.*<>'\"`[]{}()%\\/=+-;,:#!|&$~^_"
)
PIECES = (
    "-",
    "--",
    "19860926 201505 1 001",
    "198609262015051002",
    "199001012019211005",
    "NIP. ",
    "'",
    "1,98501E+17",
    "131110468",
    "eli.sari@gmail.com",
    "Eli.Sari@GMAIL.COM",
    "eli*****@gmail.com",
    "@gmial.com",
    "mailto:",
    "<",
    ">",
    "Operasi Gagal",
    "data email yang dimasukkan tidak sesuai",
    "Data Not Found",
    "operasi-gagal",
    "nip-length",
    "[bold]",
    "[/]",
    "[/bold]",
    "[link=http://x]",
    "{nip}",
    "{0}",
    "{",
    "}",
    "%s",
    "%(x)s",
    "\x1b[31m",
    "\x1b]8;;http://x\x1b\\",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "\u202eevil",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\r\n",
    "\\u0000",
    "null",
    "NaN",
)
ARGV_SURROGATES = st.characters(categories=["Cs"])  # in-process argv can carry any of them
OS_SURROGATES = st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF)  # surrogateescape


def alphabet(*, nul: bool, surrogates: st.SearchStrategy[str] | None) -> st.SearchStrategy[str]:
    # codec="utf-8": any code point but the surrogates, which come only from ``surrogates``
    choices: list[st.SearchStrategy[str]] = [
        st.characters(codec="utf-8", exclude_characters=None if nul else "\x00"),
        st.sampled_from(SPECIAL_CHARS),
        st.characters(max_codepoint=0x7F, exclude_characters=None if nul else "\x00"),
    ]
    if surrogates is not None:
        choices.append(surrogates)
    return st.one_of(choices)


@st.composite
def nips(draw: st.DrawFn) -> str:
    """NIP-shaped text: PNS/PPPK layouts, then the damage people and Excel do."""
    birth = draw(st.dates(date(1930, 1, 1), date(2010, 12, 31)))
    if draw(st.booleans()):
        middle = f"{draw(st.integers(1950, 2030)):04d}{draw(st.integers(0, 13)):02d}"
    else:  # PPPK: year, 2, contract code
        middle = f"{draw(st.integers(2015, 2030)):04d}2{draw(st.integers(0, 9))}"
    digits = (
        f"{birth:%Y%m%d}{middle}{draw(st.integers(0, 3))}{draw(st.integers(0, 1000)) % 1000:03d}"
    )
    damage = draw(
        st.sampled_from(
            ["none", "groups", "label", "apostrophe", "letter", "script", "cut", "old", "excel"]
        )
    )
    if damage == "groups":
        sep = draw(st.sampled_from([" ", ".", "-", "\u00a0", "  ", "\t"]))
        return sep.join((digits[:8], digits[8:14], digits[14], digits[15:]))
    if damage == "label":
        return draw(st.sampled_from(["NIP. ", "NIP:", "nip ", "NI PPPK "])) + digits
    if damage == "apostrophe":
        return "'" + digits
    if damage == "letter":
        at = draw(st.integers(0, len(digits) - 1))
        return digits[:at] + draw(st.sampled_from("OoIl|D")) + digits[at + 1 :]
    if damage == "script":
        zero = draw(st.sampled_from([0x660, 0x6F0, 0xFF10, 0x966]))
        return "".join(chr(zero + int(d)) for d in digits)
    if damage == "cut":
        return digits[: draw(st.integers(0, 25))] + digits[: draw(st.integers(0, 3))]
    if damage == "old":
        return digits[:9]
    if damage == "excel":
        return f"{digits[0]},{digits[1:6]}E+{len(digits) - 1}"
    return digits


DOMAINS = (
    "gmail.com",
    "gmial.com",
    "gmail.con",
    "yahoo.co.id",
    "yaho.com",
    "bkn.go.id",
    "sumbawakab.go.id",
    "\uff27\uff2d\uff21\uff29\uff2c.com",
    "b\u00fccher.example",
    "xn--bcher-kva.example",
    "example",
    "-bad-.com",
    "a..b.com",
    "gmail.com.",
)


@st.composite
def emails(draw: st.DrawFn) -> str:
    """Email-shaped text with the copy-paste debris, typos and look-alikes of real forms."""
    local = draw(st.from_regex(r"[a-z][a-z0-9._+-]{0,24}", fullmatch=True))
    address = f"{local}@{draw(st.sampled_from(DOMAINS))}"
    for _ in range(draw(st.integers(0, 2))):
        damage = draw(
            st.sampled_from(
                [
                    "upper",
                    "trailing",
                    "leading",
                    "inner",
                    "angle",
                    "mailto",
                    "quotes",
                    "invisible",
                    "cyrillic",
                    "fullwidth-at",
                    "two-at",
                    "dots",
                ]
            )
        )
        if damage == "upper":
            address = address.upper() if draw(st.booleans()) else address.title()
        elif damage == "trailing":
            address += draw(st.sampled_from([" ", "  ", "\u00a0", "\t", "\u3000"]))
        elif damage == "leading":
            address = " " + address
        elif damage == "inner":
            at = draw(st.integers(0, len(address)))
            address = address[:at] + " " + address[at:]
        elif damage == "angle":
            address = f"Eli Sari <{address}>"
        elif damage == "mailto":
            address = "mailto:" + address
        elif damage == "quotes":
            address = f'"{address}"'
        elif damage == "invisible":
            at = draw(st.integers(0, len(address)))
            address = (
                address[:at]
                + draw(st.sampled_from("\u200b\u200c\u2060\ufeff\u00ad"))
                + address[at:]
            )
        elif damage == "cyrillic":
            address = address.replace("a", "\u0430", 1).replace("o", "\u043e", 1)
        elif damage == "fullwidth-at":
            address = address.replace("@", "\uff20")
        elif damage == "two-at":
            address = address.replace("@", "@@", 1)
        else:
            address = address.replace(".", "..", 1)
    return address


def weighted(*choices: tuple[int, st.SearchStrategy[T]]) -> st.SearchStrategy[T]:
    """Like st.one_of, with a weight per branch: keeps most inputs on the paths that do
    work (valid language, a header, UTF-8) while the rest stay arbitrary."""
    total = sum(weight for weight, _ in choices)

    def pick(number: int) -> st.SearchStrategy[T]:
        for weight, strategy in choices:
            if number < weight:
                return strategy
            number -= weight
        raise AssertionError(number)

    return st.integers(0, total - 1).flatmap(pick)


def _repeat(piece: str, times: int) -> str:
    return (piece * times)[:120_000]


def texts(
    *,
    nul: bool = False,
    surrogates: st.SearchStrategy[str] | None = ARGV_SURROGATES,
    huge: bool = True,
) -> st.SearchStrategy[str]:
    """Arbitrary text, text built from interesting pieces, NIP/email shapes, huge text."""
    chars = alphabet(nul=nul, surrogates=surrogates)
    plain = st.text(chars, max_size=40)
    built = st.lists(
        st.one_of(st.sampled_from(PIECES), plain, nips(), emails()), min_size=1, max_size=6
    ).map("".join)
    choices = [(4, plain), (4, built), (3, nips()), (3, emails())]
    if huge:
        big = st.builds(
            _repeat,
            st.one_of(st.sampled_from(PIECES), st.text(chars, min_size=1, max_size=4)),
            st.integers(500, 40_000),
        )
        choices.append((1, big))
    return weighted(*choices)


def stdin_bytes() -> st.SearchStrategy[bytes]:
    """What a pipe can carry: arbitrary bytes, or text (NUL and lone surrogates included,
    the latter encoded as the invalid UTF-8 they are) with or without a line ending."""
    endings = st.sampled_from(["", "\n", "\r\n", "\r", "\n\n", "\x00"])
    utf8 = st.tuples(texts(nul=True, surrogates=None), endings).map(
        lambda pair: (pair[0] + pair[1]).encode("utf-8")
    )
    broken = st.tuples(texts(nul=True), endings).map(
        lambda pair: (pair[0] + pair[1]).encode("utf-8", "surrogatepass")
    )
    return weighted((6, utf8), (1, broken), (1, st.binary(max_size=300)))


VALID_LANGS = st.sampled_from(["id", "en", "EN", " en ", "Id\t", ""])
LANGS: st.SearchStrategy[str | None] = weighted(
    (6, st.none()),
    (5, VALID_LANGS),
    (1, st.sampled_from(["fr", "id-ID", "en_US.UTF-8", "-", "\u0456d"])),
    (1, texts(huge=False)),
)
FORMATS = st.sampled_from(["text", "json", "JSON", "Text"])
COLORS = st.sampled_from([None, "auto", "always", "never"])
ENV_LANGS: st.SearchStrategy[str | None] = weighted(
    (8, st.none()),
    (3, st.sampled_from(["id", "en", "EN", ""])),
    (1, st.sampled_from(["xx", "english"])),
    (1, texts(surrogates=None, huge=False)),
)


def common_options(
    draw: st.DrawFn, args: list[str], langs: st.SearchStrategy[str | None] = LANGS
) -> bool:
    """Append --format/--lang/--color; True when JSON was asked."""
    fmt = draw(FORMATS)
    args += ["--format", fmt]
    lang = draw(langs)
    if lang is not None:
        args += ["--lang", lang] if draw(st.booleans()) else [f"--lang={lang}"]
    color = draw(COLORS)
    if color is not None:
        args += ["--color", color]
    return fmt.lower() == "json"


def lang_env(draw: st.DrawFn) -> dict[str, str]:
    value = draw(ENV_LANGS)
    return {} if value is None else {"SAPKCHECK_LANG": value}


@dataclass
class Invocation:
    args: list[str]
    stdin: bytes | None = None
    json_asked: bool = False
    env: dict[str, str] = field(default_factory=dict)

    def run(self) -> Run:
        return run_cli(*self.args, input=self.stdin, env=self.env)


# --------------------------------------------------------------------------- check

CHECK_OPTIONS = ("--nip", "--email", "--registered", "--hint", "--token", "--message")


@st.composite
def hints(draw: st.DrawFn) -> str:
    """MySAPK's masked address, well formed or not."""
    local = draw(st.from_regex(r"[a-z0-9.]{0,4}", fullmatch=True))
    stars = "*" * draw(st.integers(0, 8))
    tail = draw(st.from_regex(r"[a-z0-9]{0,3}", fullmatch=True))
    return f"{local}{stars}{tail}@{draw(st.sampled_from(DOMAINS))}"


@st.composite
def check_invocations(draw: st.DrawFn) -> Invocation:
    args = ["check"]
    present = draw(st.lists(st.sampled_from(CHECK_OPTIONS), unique=True, max_size=6))
    from_stdin = None
    use_stdin = draw(st.booleans())
    if present and use_stdin:
        from_stdin = draw(st.sampled_from(present))
    for option in present:
        if option == from_stdin:
            value = "-"
        elif option == "--hint":
            value = draw(weighted((4, hints()), (1, texts())))
        else:
            value = draw(texts())
        args += [option, value] if draw(st.booleans()) else [f"{option}={value}"]
    json_asked = common_options(draw, args)
    stdin = draw(stdin_bytes()) if from_stdin else None
    return Invocation(args, stdin, json_asked, lang_env(draw))


@budget(0.6)
@given(check_invocations())
@example(Invocation(["check", "--nip", "19861326 201505 3 001", "--format", "json"], None, True))
@example(Invocation(["check", "--email", "-", "--format", "json"], b"a\x00b@x.com\n", True))
@example(Invocation(["check", "--email", "-", "--nip", "-", "--format", "json"], b"1", True))
@example(Invocation(["check", "--hint", "no-at-sign", "--email", "x@y.z", "--format", "json"]))
@example(Invocation(["check", "--message", "[/bold]{0}%s\x1b[31m", "--color", "always"]))
@example(Invocation(["check", "--format", "json"], None, True))
def test_check_any_options(invocation: Invocation) -> None:
    run = invocation.run()
    assert_sane(run)
    assert_json_contract(run, invocation.json_asked)


@budget(0.3)
@given(
    option=st.sampled_from(("--nip", "--email", "--token", "--message", "--registered")),
    data=stdin_bytes(),
    fmt=FORMATS,
)
@example(option="--nip", data=b"\xff\xfe1986", fmt="json")
@example(option="--email", data=b"\x00" * 10, fmt="json")
@example(option="--message", data=b"Operasi Gagal\r\n", fmt="json")
def test_check_option_from_stdin(option: str, data: bytes, fmt: str) -> None:
    """Each option that takes '-' reads stdin: arbitrary bytes, NUL included."""
    args = ["check", option, "-", "--format", fmt]
    if option == "--registered":
        args += ["--email", "eli.sari@gmail.com"]
    run = run_cli(*args, input=data)
    assert_sane(run)
    assert_json_contract(run, fmt.lower() == "json")


# --------------------------------------------------------------------------- explain, faq

CODE_NAMES = sorted(CODES)


@st.composite
def code_queries(draw: st.DrawFn) -> str:
    code = draw(st.sampled_from(CODE_NAMES))
    return draw(st.sampled_from([code, code.upper(), f"  {code}\t", code + "\u200b", code[:-1]]))


@st.composite
def explain_invocations(draw: st.DrawFn) -> Invocation:
    args = ["explain"]
    json_asked = common_options(draw, args)
    code = draw(weighted((2, st.none()), (5, code_queries()), (2, texts())))
    if code is not None:
        args += ["--", code] if draw(st.booleans()) else [code]
    return Invocation(args, None, json_asked, lang_env(draw))


@budget(0.3)
@given(explain_invocations())
@example(Invocation(["explain", "--format", "json"], None, True))
@example(Invocation(["explain", "--format", "json", "--", "\ud800"], None, True))
def test_explain_any_code(invocation: Invocation) -> None:
    run = invocation.run()
    assert_sane(run)
    assert_json_contract(run, invocation.json_asked, has_status=False)


FAQ_QUERIES = (
    "operasi-gagal",
    "email-tidak-sesuai",
    "Operasi Gagal",
    "data email yang dimasukkan tidak sesuai",
    "Data Not Found",
    "token salah",
)


@st.composite
def faq_invocations(draw: st.DrawFn) -> Invocation:
    args = ["faq"]
    json_asked = common_options(draw, args)
    query = draw(weighted((2, st.none()), (4, st.sampled_from(FAQ_QUERIES)), (4, texts())))
    if query is not None:
        args += ["--", query] if draw(st.booleans()) else [query]
    return Invocation(args, None, json_asked, lang_env(draw))


@budget(0.3)
@given(faq_invocations())
@example(Invocation(["faq", "--format", "json", "--", "Operasi Gagal"], None, True))
def test_faq_any_query(invocation: Invocation) -> None:
    run = invocation.run()
    assert_sane(run)
    assert_json_contract(run, invocation.json_asked, has_status=False)


# --------------------------------------------------------------------------- password, guide


@st.composite
def password_invocations(draw: st.DrawFn) -> Invocation:
    args = ["password", "--stdin"]
    policy = draw(st.none() | st.sampled_from(["mysapk", "myasn", "asn-digital", "MYASN"]))
    if policy is not None:
        args += ["--policy", policy]
    json_asked = common_options(draw, args)
    return Invocation(args, draw(stdin_bytes()), json_asked, lang_env(draw))


@budget(0.3)
@given(password_invocations())
@example(Invocation(["password", "--stdin", "--format", "json"], b"", True))
@example(Invocation(["password", "--stdin", "--format", "json"], b"\xff\n", True))
@example(Invocation(["password", "--stdin", "--format", "json"], b"Ab\x00cdef1\n", True))
def test_password_stdin_any_text(invocation: Invocation) -> None:
    run = invocation.run()
    assert_sane(run)
    assert_json_contract(run, invocation.json_asked)


@st.composite
def guide_answers(draw: st.DrawFn) -> str:
    """Up to eight answers (message, NIP, email, then up to three hints), maybe cut short."""
    answer = weighted((2, st.just("")), (5, texts(nul=True, surrogates=None)), (2, hints()))
    answers = draw(weighted((5, st.lists(answer, min_size=4, max_size=8)), (1, st.lists(answer))))
    endings = st.sampled_from(["\n", "\r\n", "\r"])
    text = "".join(answer + draw(endings) for answer in answers)
    return text if draw(st.booleans()) else text.rstrip("\r\n")


@st.composite
def guide_invocations(draw: st.DrawFn) -> Invocation:
    args = ["guide"]
    json_asked = common_options(draw, args)
    return Invocation(args, draw(guide_answers()).encode("utf-8"), json_asked, lang_env(draw))


@budget(0.4)
@given(guide_invocations())
@example(Invocation(["guide", "--format", "json"], b"", True))
@example(Invocation(["guide", "--format", "json"], b"\n\n\n\n", True))
@example(Invocation(["guide", "--format", "json"], b"Operasi Gagal\n\n\nbad hint\nx\n", True))
@example(Invocation(["guide", "--format", "json"], b"\x00\n1986\x00\ne@x\x00.com\n\n", True))
def test_guide_any_answers(invocation: Invocation) -> None:
    run = invocation.run()
    assert_sane(run)
    assert_json_contract(run, invocation.json_asked)


@budget(0.2)
@given(data=st.binary(max_size=200), json_asked=st.booleans())
def test_guide_any_stdin_bytes(data: bytes, json_asked: bool) -> None:
    """Any bytes: the exit-code contract holds; bytes that are not UTF-8 are a usage error."""
    run = run_cli("guide", "--format", "json" if json_asked else "text", input=data)
    assert_sane(run)
    assert_json_contract(run, json_asked)


# --------------------------------------------------------------------------- profiles

PROFILE_KEYS = (
    "region_name",
    "agency",
    "self_update_url",
    "admin_app_url",
    "password_policy",
    "name",
    "contact",
)


@st.composite
def profile_texts(draw: st.DrawFn) -> str:
    """The template with values replaced (escaped, raw or wrong-typed), then maybe a line
    dropped or duplicated or an unknown key added."""
    lines = PROFILE_TEMPLATE.splitlines()
    for index, line in enumerate(lines):
        key = line.split("=", 1)[0].strip()
        if key in PROFILE_KEYS and draw(st.integers(0, 5)) == 0:
            value = draw(
                weighted(
                    (4, texts(surrogates=None, huge=False)),
                    (1, texts(huge=False)),
                    (2, st.sampled_from(["mysapk", "myasn", "asn-digital", "MYSAPK", ""])),
                )
            )
            style = draw(st.sampled_from(["json"] * 6 + ["raw", "literal", "int", "array"]))
            rendered = {
                "json": json.dumps(value, ensure_ascii=draw(st.booleans())),
                "raw": f'"{value}"',
                "literal": f"'{value}'",
                "int": str(len(value)),
                "array": f"[{json.dumps(value)}]",
            }[style]
            lines[index] = f"{key} = {rendered}"
    for _ in range(draw(st.sampled_from([0] * 6 + [1, 1, 2]))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "twice", "unknown", "table"]))
        if action == "drop":
            del lines[index]
        elif action == "twice":
            lines.insert(index, lines[index])
        elif action == "unknown":
            lines.insert(index, f"{draw(st.from_regex(r'[a-z_]{1,10}', fullmatch=True))} = 1")
        else:
            lines.insert(index, "[[helpdesk]]")
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n"]))


@st.composite
def profile_bytes(draw: st.DrawFn) -> bytes:
    text = draw(profile_texts())
    encoding = draw(st.sampled_from(["utf-8"] * 4 + ["utf-8-sig"] * 2 + ["utf-16", "cp1252"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # a damaged byte somewhere
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


@st.composite
def profile_commands(draw: st.DrawFn) -> tuple[list[str], bytes | None]:
    return draw(
        st.sampled_from(
            [
                (["profile"], None),
                (["faq", "operasi-gagal"], None),
                (["password", "--stdin"], b"Abcdef1\n"),
                (["check", "--nip", "198609262015051002", "--message", "Operasi Gagal"], None),
                (["check", "--email", "eli.sari@gmail.com "], None),
                (["guide"], b"Operasi Gagal\n198609262015051002\n\n\n"),
                (["batch", "-", "--jobs", "1"], b"NIP,EMAIL\n198609262015051002,e@gmail.com\n"),
            ]
        )
    )


@budget(0.5)
@given(
    data=weighted((1, st.binary(max_size=600)), (4, profile_bytes())),
    command=profile_commands(),
    fmt=FORMATS,
    via_env=st.booleans(),
    place=st.sampled_from(["file"] * 8 + ["directory", "missing"]),
)
def test_profile_file_any_bytes(
    data: bytes, command: tuple[list[str], bytes | None], fmt: str, via_env: bool, place: str
) -> None:
    args, stdin = list(command[0]), command[1]
    with tempfile.TemporaryDirectory() as root:
        path = Path(root, "region profile \u00e9.toml")
        if place == "file":
            path.write_bytes(data)
        elif place == "directory":
            path.mkdir()
        env: dict[str, str] = {}
        if via_env:
            env["SAPKCHECK_PROFILE"] = str(path)
        else:
            args += ["--profile", str(path)]
        json_asked = args[0] != "batch" and fmt.lower() == "json"
        if args[0] != "batch":
            args += ["--format", fmt]
        before = sorted(os.listdir(root))
        run = run_cli(*args, input=stdin, env=env)
        assert_sane(run)
        assert_json_contract(run, json_asked, has_status=args[0] in ("check", "guide", "password"))
        assert sorted(os.listdir(root)) == before
        if place == "file":
            assert path.read_bytes() == data


# --------------------------------------------------------------------------- --lang everywhere

COMMANDS_FOR_LANG: tuple[tuple[list[str], bytes | None, bool], ...] = (
    (["check", "--nip", "1986"], None, True),
    (["explain", "nip-length"], None, False),
    (["faq", "Operasi Gagal"], None, False),
    (["profile"], None, False),
    (["password", "--stdin"], b"abc\n", True),
    (["guide"], b"\n1986\n\n\n", True),
)


@budget(0.3)
@given(
    command=st.sampled_from(COMMANDS_FOR_LANG),
    lang=LANGS,
    env_lang=ENV_LANGS,
    fmt=FORMATS,
)
def test_any_lang_value_any_command(
    command: tuple[list[str], bytes | None, bool],
    lang: str | None,
    env_lang: str | None,
    fmt: str,
) -> None:
    args, stdin, has_status = list(command[0]), command[1], command[2]
    args += ["--format", fmt]
    if lang is not None:
        args += [f"--lang={lang}"]
    env = {} if env_lang is None else {"SAPKCHECK_LANG": env_lang}
    run = run_cli(*args, input=stdin, env=env)
    assert_sane(run)
    assert_json_contract(run, fmt.lower() == "json", has_status=has_status)


# --------------------------------------------------------------------------- batch

HEADERS = (
    ("NIP", "EMAIL"),
    ("NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK"),
    ("nip", "e-mail", "email terdaftar"),
    ("NIP Baru", "Alamat Email", "Email di SAPK", "Keterangan"),
    ("EMAIL", "NIP"),
    ("Nama", "Jabatan"),
    ("NIP", "NIP", "EMAIL"),
    ("",),
)
HEADER_CHOICE = weighted((6, st.sampled_from(HEADERS[:5])), (1, st.sampled_from(HEADERS[5:])))
BATCH_FORMATS = st.sampled_from(["text", "json", "jsonl", "csv", "csv", "xlsx"])
INPUT = "<input>"  # an --output/--fixed target that is the input file itself


NAMES = ("Eli Sari", "Budi", "Citra Dewi, S.Pd.", 'Dedi "Dd"', "Ni Luh Putu", "Fajar\nAlam")


def cells() -> st.SearchStrategy[str]:
    return weighted(
        (4, nips()),
        (4, emails()),
        (2, st.sampled_from(NAMES)),
        (2, st.just("")),
        (1, st.sampled_from(PIECES)),
        (2, texts(huge=False)),
        (1, st.builds(_repeat, st.sampled_from('x,;"\n'), st.integers(1, 3_000))),
    )


@st.composite
def csv_texts(draw: st.DrawFn) -> str:
    """A staff export as Excel or a person would write it: title rows, a header, rows of
    any width, any delimiter and quoting, embedded line breaks, a 'sep=' line, stray quotes."""
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    buffer = io.StringIO()
    if draw(st.integers(0, 7)) == 0:
        buffer.write(f"sep={delimiter}{ending}")
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=ending,
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
    )
    if draw(st.integers(0, 5)) == 0:  # title rows above the header
        for _ in range(draw(st.integers(1, 2))):
            writer.writerow([draw(texts(huge=False))])
    header = list(draw(HEADER_CHOICE))
    writer.writerow(header)
    rows = draw(st.lists(st.lists(cells(), max_size=len(header) + 2), max_size=8))
    if rows and draw(st.integers(0, 3)) == 0:
        rows.append(list(rows[0]))  # a duplicate row
    writer.writerows(rows)
    text = buffer.getvalue()
    if text and draw(st.integers(0, 9)) == 0:  # a stray quote: broken quoting
        at = draw(st.integers(0, len(text)))
        text = text[:at] + '"' + text[at:]
    if draw(st.integers(0, 19)) == 0:  # one field over csv's 128 KiB limit
        text += f'198609262015051002{delimiter}"{"a" * 140_000}"{ending}'
    return text


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    text = draw(csv_texts())
    encoding = draw(
        st.sampled_from(["utf-8"] * 4 + ["utf-8-sig"] * 2 + ["utf-16"] * 2 + ["cp1252"] * 2)
    )
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def _xlsx_text(value: str) -> str:
    from openpyxl.cell.cell import (  # type: ignore[import-untyped,unused-ignore]
        ILLEGAL_CHARACTERS_RE,
    )

    cleaned = str(ILLEGAL_CHARACTERS_RE.sub("", value))
    return cleaned.encode("utf-8", "ignore").decode("utf-8")[:30_000]


@st.composite
def xlsx_bytes(draw: st.DrawFn) -> bytes:
    """A real workbook: a header and typed cells (NIPs as numbers: Excel damage), maybe a
    second sheet, maybe truncated or with bytes flipped."""
    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = draw(st.sampled_from(["Sheet1", "Data Pegawai", "\u00c9t\u00e9"]))
    sheet.append(list(draw(HEADER_CHOICE)))
    cell = st.one_of(
        cells().map(_xlsx_text),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=True, allow_infinity=False),
        st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
        st.none(),
        st.booleans(),
    )
    for row in draw(st.lists(st.lists(cell, max_size=6), max_size=6)):
        sheet.append(row)
    if draw(st.booleans()):
        workbook.create_sheet("Kedua").append(["NIP", "EMAIL"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    damage = draw(st.sampled_from(["none"] * 4 + ["truncate", "flip"]))
    # Positions are drawn as shares of the length, never from it: the workbook's size
    # varies with the save time openpyxl writes into it, and a strategy whose bounds
    # depend on it is flaky for hypothesis (FlakyStrategyDefinition on a replay).
    if damage == "truncate":
        data = data[: len(data) * draw(st.integers(0, 1000)) // 1000]
    elif damage == "flip":
        at = len(data) * draw(st.integers(0, 999)) // 1000
        data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@dataclass
class BatchCase:
    data: bytes
    name: str  # file name in the input directory; "-" reads stdin
    fmt: str
    mask: bool = False
    output: str | None = None  # file name in the output directory, or INPUT
    fixed: str | None = None
    extra: list[str] = field(default_factory=list)


@st.composite
def batch_cases(draw: st.DrawFn, data: st.SearchStrategy[bytes], names: Sequence[str]) -> BatchCase:
    extra: list[str] = []
    if draw(st.integers(0, 9)) == 0:
        option = draw(st.sampled_from(["--nip-column", "--email-column", "--registered-column"]))
        extra += [option, draw(st.sampled_from(["NIP", "EMAIL", "EMAIL SAPK", "nope", ""]))]
    if draw(st.integers(0, 7)) == 0:
        extra += ["--sheet", draw(st.sampled_from(["Sheet1", "Kedua", "nope"]))]
    lang = draw(st.none() | st.sampled_from(["id", "en"]))
    if lang is not None:
        extra += ["--lang", lang]
    if draw(st.integers(0, 7)) == 0:
        extra += ["--carry", draw(st.sampled_from(["NAMA", "nama, nip", "nope", ""]))]
    if draw(st.integers(0, 7)) == 0:
        extra += ["--delimiter", draw(st.sampled_from([";", "tab", "|", "x", ""]))]
    fmt = draw(BATCH_FORMATS)
    outputs = [None] * 4 + ["report.out"] * 2 + ["report.csv"] * 2 + [INPUT]
    if fmt == "xlsx":  # mostly a file that can hold it; the rest are usage errors
        outputs = ["report.xlsx"] * 6 + [None, "report.csv", INPUT]
    return BatchCase(
        data=draw(data),
        name=draw(st.sampled_from(names)),
        fmt=fmt,
        mask=draw(st.booleans()),
        output=draw(st.sampled_from(outputs)),
        fixed=draw(
            st.sampled_from(
                [None] * 6
                + ["fixed.csv"] * 2
                + ["fixed.xlsx"] * 2
                + ["fixed.tsv", "fixed", "fixed.xls", INPUT]
            )
        ),
        extra=extra,
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_report(text: str, fmt: str, exit_code: int) -> None:
    """A report's format contract (stdout or an --output file), for exit 0 or 1."""
    if fmt == "json":
        document = json.loads(text)
        assert document["schema_version"] == 1
        assert isinstance(document["records"], list)
        summary = document["summary"]
        assert summary["rows"] == summary["ok"] + summary["warn"] + summary["fail"]
        assert (exit_code == 1) == (summary["fail"] > 0)
    elif fmt == "jsonl":
        assert text == "" or text.endswith("\n")
        rows = [json.loads(line) for line in text.split("\n")[:-1]]
        assert all(isinstance(row, dict) for row in rows)
        numbers = [row["row"] for row in rows]
        assert numbers == sorted(set(numbers)), "rows out of order or repeated"
        assert (exit_code == 1) == any(row["status"] == "fail" for row in rows)
    elif fmt == "csv":
        text = text.removeprefix("\ufeff")
        # The report's delimiter follows the input: the one after the first header.
        first = re.match(r"(?:Baris|Row)([;,\t|])", text)
        assert first is not None, repr(text[:40])
        delimiter = first.group(1)
        stream = io.StringIO(text, newline="")
        records = list(csv.reader(stream, delimiter=delimiter))
        tails = [tuple(catalog(lang).ui(key) for key in CSV_COLUMNS[1:]) for lang in ("id", "en")]
        assert tuple(records[0][-len(CSV_COLUMNS) + 1 :]) in tails
        assert all(len(record) == len(records[0]) for record in records)


def check_xlsx_report(path: Path, exit_code: int) -> None:
    """The XLSX report's contract: results, summary and codes sheets; every row a line;
    the summary's counts add up and agree with the exit code."""
    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        names = book.sheetnames
        assert names[-2:] in (["Ringkasan", "Kode"], ["Summary", "Codes"]), names
        results = list(book[names[0]].iter_rows(values_only=True))
        assert results[0][0] in ("Baris", "Row")
        numbers = [line[0] for line in results[1:]]
        assert numbers == sorted(set(numbers)), "rows out of order or repeated"
        counts = {row[0]: row[1] for row in book[names[-2]].iter_rows(values_only=True)}
        rows = counts.get("Baris diperiksa", counts.get("Rows checked"))
        assert rows == len(numbers)
        failed = counts.get("kesalahan", counts.get("error"))
        assert (exit_code == 1) == (bool(failed))
    finally:
        book.close()


Runner = Callable[[list[str], bytes | None], Run]


def in_process(args: list[str], stdin: bytes | None) -> Run:
    return run_cli(*args, input=stdin)


def run_batch_case(case: BatchCase, runner: Runner = in_process) -> Run:
    """Run ``batch`` on the case in fresh directories and check every batch property."""
    with tempfile.TemporaryDirectory() as root:
        source_dir, out_dir = Path(root, "in"), Path(root, "out")
        source_dir.mkdir()
        out_dir.mkdir()
        source = None if case.name == "-" else source_dir / case.name
        args = ["batch", "-" if source is None else str(source), "--format", case.fmt]
        args += ["--jobs", "1", *case.extra]
        if case.mask:
            args.append("--mask")
        targets: dict[str, Path] = {}
        for option, name in (("--output", case.output), ("--fixed", case.fixed)):
            if name is not None:
                target = source if name == INPUT and source is not None else out_dir / name
                targets[option] = target
                args += [option, str(target)]
        stdin = case.data if source is None else None
        before = None
        if source is not None:
            source.write_bytes(case.data)
            before = sha256(source)
        run = runner(args, stdin)
        assert_sane(run, BATCH_EXIT_CODES)
        if source is not None:
            assert sha256(source) == before, "the input file was changed"
            assert sorted(source_dir.iterdir()) == [source], "files appeared beside the input"
        allowed = {target for target in targets.values() if target != source}
        produced = set(out_dir.iterdir())
        assert produced <= allowed, f"unexpected files: {produced - allowed}"
        if run.exit_code == 2:
            assert not produced, f"exit 2 left {produced}"
            return run
        assert produced == allowed
        output = targets.get("--output")
        if output is not None and case.fmt == "xlsx":
            check_xlsx_report(output, run.exit_code)
        elif output is not None:
            check_report(output.read_text(encoding="utf-8"), case.fmt, run.exit_code)
        elif case.fmt != "text":
            check_report(run.stdout, case.fmt, run.exit_code)
        return run


TABLE_NAMES = ("staff.csv", "staff.txt", "staff.xlsx", "-", "STAFF.CSV", "staff.tsv", "staff")


@budget(0.4)
@given(batch_cases(st.binary(max_size=800), TABLE_NAMES))
@example(BatchCase(b"", "staff.csv", "json", output="report.out", fixed="fixed.csv"))
@example(BatchCase(b"PK\x03\x04junk", "staff.xlsx", "jsonl"))
@example(BatchCase(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "staff.xlsx", "csv"))
@example(BatchCase(b"%PDF-1.4\n", "-", "json"))
@example(BatchCase(b"NIP,EMAIL\n1,a\n", "staff.csv", "csv", output=INPUT, fixed=INPUT))
def test_batch_any_bytes(case: BatchCase) -> None:
    run_batch_case(case)


@budget(0.6)
@given(batch_cases(csv_bytes(), ("staff.csv", "staff.txt", "-", "staff.tsv")))
@example(
    BatchCase(
        'NIP;EMAIL\r\n\'19860926 201505 1 001;"eli.sari@gmail.com "\r\n'.encode("utf-16"),
        "staff.csv",
        "csv",
        mask=True,
        output="report.csv",
        fixed="fixed.csv",
    )
)
@example(BatchCase(b'sep=;\nNIP;EMAIL\n"1\n2";x@y\n', "-", "jsonl", fixed="fixed.xlsx"))
def test_batch_structured_csv(case: BatchCase) -> None:
    run_batch_case(case)


@budget(0.25)
@given(batch_cases(xlsx_bytes(), ("staff.xlsx", "staff.xlsx", "staff.csv", "-")))
def test_batch_structured_xlsx(case: BatchCase) -> None:
    run_batch_case(case)


# --------------------------------------------------------------------------- real processes


def subprocess_run(args: list[str], stdin: bytes | None, env_extra: dict[str, str]) -> Run:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SAPKCHECK_", "NO_COLOR"))}
    env.update(env_extra)
    done = subprocess.run(
        [sys.executable, "-m", "sapkcheck", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    encoding = env_extra.get("PYTHONIOENCODING", "utf-8")
    # strict: what the program wrote must be valid in the encoding it was given
    return Run(done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding))


ENCODINGS = [
    pytest.param({}, id="utf-8"),
    pytest.param({"PYTHONIOENCODING": "cp1252"}, id="cp1252"),
]
OS_TEXT = texts(surrogates=OS_SURROGATES, huge=False)  # argv: no NUL, only escaped bytes


@st.composite
def os_check_invocations(draw: st.DrawFn) -> Invocation:
    args = ["check"]
    present = draw(st.lists(st.sampled_from(CHECK_OPTIONS), unique=True, min_size=1, max_size=6))
    from_stdin = draw(st.sampled_from(present)) if draw(st.booleans()) else None
    for option in present:
        value = "-" if option == from_stdin else draw(OS_TEXT)
        args.append(f"{option}={value}")
    json_asked = common_options(
        draw, args, st.none() | st.sampled_from(["en", "EN", "xx"]) | OS_TEXT
    )
    return Invocation(args, draw(stdin_bytes()) if from_stdin else None, json_asked)


@pytest.mark.parametrize("env", ENCODINGS)
@budget(0.06)
@given(invocation=os_check_invocations())
def test_subprocess_check(env: dict[str, str], invocation: Invocation) -> None:
    run = subprocess_run(invocation.args, invocation.stdin, env)
    assert_sane(run)
    assert_json_contract(run, invocation.json_asked)


@pytest.mark.parametrize("env", ENCODINGS)
@budget(0.05)
@given(case=batch_cases(csv_bytes(), ("staff.csv", "-")))
def test_subprocess_batch(env: dict[str, str], case: BatchCase) -> None:
    run_batch_case(case, functools.partial(subprocess_run, env_extra=env))


# --------------------------------------------------------------------------- known bugs


def test_guide_non_utf8_stdin_is_a_usage_error() -> None:
    run = run_cli("guide", "--lang", "en", input=b"Operasi \xff Gagal\n198609262015051002\n\n\n")
    assert run.exit_code == 2
    assert_sane(run)
    assert "UTF-8" in run.stderr


def test_batch_huge_field_is_a_value_not_an_unreadable_file(tmp_path: Path) -> None:
    """A cell over the csv module's default field limit (131072) is checked like any other
    (one finding: too long to examine); the JSON report stays one valid document."""
    source = tmp_path / "staff.csv"
    field_over_limit = "a" * 140_000
    source.write_text(f'NIP,EMAIL\n198609262015051002,"{field_over_limit}"\n', encoding="utf-8")
    run = run_cli("batch", str(source), "--format", "json", "--jobs", "1")
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    assert document["summary"]["by_code"] == {"email-too-long": 1}


def test_batch_unusable_midway_with_output_leaves_nothing(tmp_path: Path) -> None:
    """Streamed to --output, a run that fails part-way leaves no report at all."""
    source = tmp_path / "staff.csv"
    source.write_bytes(b"NIP,EMAIL\n198609262015051002,a@b.id\n" + b"\xff\xfe bad bytes\n")
    report = tmp_path / "report.json"
    run = run_cli("batch", str(source), "--format", "json", "--output", str(report))
    # The bytes after the first row are not UTF-8 and the file is read as Excel's code page:
    # the run completes. Both outcomes are pinned, so that the test cannot pass vacuously.
    assert run.exit_code in (1, 2), run.stderr
    if run.exit_code == 2:
        assert not report.exists()
        assert [p.name for p in tmp_path.iterdir()] == ["staff.csv"]
    else:
        assert json.loads(report.read_text(encoding="utf-8"))["summary"]["rows"] == 2
        assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "staff.csv"]


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_batch_json_on_cp1252_stdout_is_valid(tmp_path: Path, fmt: str) -> None:
    """Regression: JSON written as UTF-8 text onto a cp1252 stdout (backslashreplace) had
    escapes JSON does not have ('\\U0001f600', '\\x81'); now ASCII-only JSON there."""
    source = tmp_path / "staff.csv"
    source.write_text("NIP;EMAIL\n1986\x81;kx\U0001f600@gmail.com\n", encoding="utf-8")
    run = subprocess_run(
        ["batch", str(source), "--format", fmt, "--jobs", "1"],
        None,
        {"PYTHONIOENCODING": "cp1252"},
    )
    assert run.exit_code in (0, 1)
    check_report(run.stdout, fmt, run.exit_code)
