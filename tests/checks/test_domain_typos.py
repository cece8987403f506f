"""Tests for the email domain typo suggester (sapkcheck.checks.email.typos)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import tomllib
from importlib.resources import files
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sapkcheck.checks.email.typos import MAX_DOMAIN_LENGTH, suggest_domains

DATA: dict[str, Any] = tomllib.loads(
    (files("sapkcheck") / "data" / "email_domains.toml").read_text(encoding="utf-8")
)
PROVIDERS: list[str] = DATA["providers"]["domains"]
OTHERS: list[str] = DATA["other_domains"]["domains"]
KNOWN_NAMES: list[str] = DATA["known_names"]["domains"]
FAMILIES: list[str] = DATA["families"]["suffixes"]
KNOWN = set(PROVIDERS) | set(OTHERS) | set(KNOWN_NAMES)
LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


def is_hostname(text: str) -> bool:
    return bool(text) and all(LABEL.fullmatch(label) for label in text.split("."))


def is_family_domain(domain: str) -> bool:
    return any(
        domain.endswith("." + family) and is_hostname(domain[: -len(family) - 1])
        for family in FAMILIES
    )


# --- typos that must be caught ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # from the issue
        ("gmail.co.id", "gmail.com"),
        ("kemenkeu.gov.id", "kemenkeu.go.id"),
        ("yahoo.com.id", "yahoo.co.id"),
        ("ui.ac.od", "ui.ac.id"),
        ("sumbawakab.go.ud", "sumbawakab.go.id"),
        ("x.go.ic", "x.go.id"),
        ("gmail.c0m", "gmail.com"),
        ("gmial.com", "gmail.com"),
        ("gmai.com", "gmail.com"),
        ("gmaill.com", "gmail.com"),
        ("gamil.com", "gmail.com"),
        ("yaho.co.id", "yahoo.co.id"),
        ("yahoo.co.od", "yahoo.co.id"),
        ("hotmial.com", "hotmail.com"),
        ("outlok.com", "outlook.com"),
        ("gmailcom", "gmail.com"),
        ("yahoocoid", "yahoo.co.id"),
        ("gmail.co", "gmail.com"),
        # suffix-only fixes
        ("x.go.id.", "x.go.id"),
        ("kemenkeu.goid", "kemenkeu.go.id"),
        ("ui.ac.ld", "ui.ac.id"),
        ("kemenkeu.go", "kemenkeu.go.id"),
        ("bkpp.sumbawakab.go.ud", "bkpp.sumbawakab.go.id"),
        ("bps.og.id", "bps.go.id"),
        ("smkn1mataram.schid", "smkn1mataram.sch.id"),
        ("muhammadiyah.org.id", "muhammadiyah.or.id"),
        ("guru.sd.belajar.od", "guru.sd.belajar.id"),
        ("bkn.gov", "bkn.go.id"),  # .gov only for a known agency name
        ("ui.ac", "ui.ac.id"),
        # providers
        ("yahoo.cm", "yahoo.com"),
        ("yahooo.co.id", "yahoo.co.id"),
        ("hotmal.co.id", "hotmail.co.id"),
        ("icluod.com", "icloud.com"),
        ("gmail.com.id", "gmail.com"),
        ("gmail.ocm", "gmail.com"),
        ("g.mail.com", "gmail.com"),
        ("mai.lcom", "mail.com"),
        ("mail.con", "mail.com"),
        ("aol.con", "aol.com"),
        ("proton.em", "proton.me"),
        ("belajr.id", "belajar.id"),
        ("gmail", "gmail.com"),
        # capitals, copy-paste damage
        ("Gmial.Com", "gmail.com"),
        ("GMAIL.COM.", "gmail.com"),
        ("gmail..com", "gmail.com"),
        ("gmail,com", "gmail.com"),
        ("gmail .com", "gmail.com"),
        ("\uff47\uff4d\uff41\uff49\uff4c\uff0e\uff43\uff4f\uff4d", "gmail.com"),  # full-width
        ("gm\u0430il.com", "gmail.com"),  # Cyrillic a
        ("bkn\u3002go\u3002id", "bkn.go.id"),  # ideographic full stops
    ],
)
def test_typo_is_caught(typed: str, expected: str) -> None:
    got = suggest_domains(typed)
    assert got, typed
    assert got[0] == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("yahoo.co", ("yahoo.co.id", "yahoo.com")),
        ("yahoo.com.id", ("yahoo.co.id", "yahoo.com")),
        ("yahoo.id", ("yahoo.co.id",)),
        ("gmail.co", ("gmail.com",)),
        ("hotmail.co", ("hotmail.com", "hotmail.co.id")),
        ("unhas.edu.id", ("unhas.ac.id", "unhas.sch.id")),
    ],
)
def test_ambiguous_cases_list_every_candidate_in_order(
    typed: str, expected: tuple[str, ...]
) -> None:
    assert suggest_domains(typed) == expected


# --- domains that must be left alone ----------------------------------------------------


@pytest.mark.parametrize(
    "domain",
    [
        # from the issue
        "yahoo.co.id",
        "hotmail.co.id",
        "outlook.co.id",
        "bps.go.id",
        "bnn.go.id",
        "bkn.go.id",
        "bpk.go.id",
        "ui.ac.id",
        "mail.com",
        "gmail.com",
        "perusahaan.com",
        "sumbawakab.go.id",
        "kemdikbud.go.id",
        "belajar.id",
        "guru.sd.belajar.id",
        # short agency names and unknown names under a family: never guessed
        "bpn.go.id",
        "bin.go.id",
        "bsn.go.id",
        "kpu.go.id",
        "bkm.go.id",
        "gnail.go.id",
        "hotmal.sch.id",
        "yahoa.go.id",
        "bkpp.sumbawakab.go.id",
        "mysapk.bkn.go.id",
        "sman1sumbawabesar.sch.id",
        "tniad.mil.id",
        "ponggok.desa.id",
        "tebuireng.ponpes.id",
        "nu.or.id",
        "telkom.co.id",
        "indo.net.id",
        "budi.web.id",
        "andi.my.id",
        "toko.biz.id",
        "x.kop.id",
        "x.ai.id",
        # real domains close to a provider
        "email.com",
        "gmx.com",
        "gmx.net",
        "aon.com",
        "all.com",
        "love.com",
        "cloud.com",
        "pelajar.id",
        "y7mail.com",
        "yopmail.com",
        # the providers' other countries, and other countries' suffixes (generic lists
        # "correct" yahoo.co.id into yahoo.co.il; the reverse must not happen either)
        "yahoo.co.il",
        "yahoo.co.uk",
        "yahoo.co.in",
        "yahoo.ro",
        "hotmail.co.nz",
        "hotmail.co.za",
        "outlook.com.vn",
        "gmail.com.br",
        "technion.ac.il",
        "iitb.ac.in",
        "ut.ac.ir",
        "tata.co.in",
        # Indonesian domains outside the families
        "upi.edu",
        "binus.edu",
        "tempo.co",
        "kompas.id",
        "telkom.net",
        "plasa.com",
        # not domains at all
        "",
        " ",
        ".",
        "localhost",
        "gov",
        "go.id",
        "co.id",
    ],
)
def test_legitimate_domain_is_left_alone(domain: str) -> None:
    assert suggest_domains(domain) == ()


@pytest.mark.parametrize("agency", ["bkn", "bps", "bpk", "bnn", "bpn", "bin", "bsn", "kpk", "kpu"])
@pytest.mark.parametrize("family", ["go.id", "ac.id", "sch.id", "or.id", "co.id", "mil.id"])
def test_first_label_of_a_family_domain_is_never_guessed(agency: str, family: str) -> None:
    assert suggest_domains(f"{agency}.{family}") == ()
    # a broken ending is fixed without touching the name
    assert suggest_domains(f"{agency}.{family[:-2]}od") == (f"{agency}.{family}",)


def test_go_id_is_never_turned_into_gov() -> None:
    for domain in ["bkn.go.id", "kemenkeu.go.id", "x.go.id", "pemda.go.id"]:
        assert not any(s.endswith(".gov") for s in suggest_domains(domain + "."))


@pytest.mark.parametrize(
    "domain",
    ["Gmail.com", "GMAIL.COM", "gmail.com ", " gmail.com", "gmail.com\u200b", "\ufeffBKN.go.id"],
)
def test_case_and_surrounding_invisibles_alone_give_no_suggestion(domain: str) -> None:
    # Whitespace and invisible characters are reported by other checks; a suggestion
    # would look identical to what the user typed.
    assert suggest_domains(domain) == ()


# --- robustness -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "domain",
    [
        "xn--bcher-kva.example",
        "bücher.de",
        "пример.рф",
        "例え.テスト",
        "\u202egmail.com",
        "😀.com",
        "gmail.com\x00",
        "\ud800",
        "İstanbul.com.tr",
        "ﷺ" * 20,
        "a" * MAX_DOMAIN_LENGTH,
        ("a." * 126) + "a",
        "-.-.-",
        "@gmail.com",
        "gmail.com@",
    ],
)
def test_odd_input_does_not_crash(domain: str) -> None:
    result = suggest_domains(domain)
    assert all(s.isascii() and s == s.lower() for s in result)


def test_overlong_input_is_not_a_domain_and_is_fast() -> None:
    assert suggest_domains("g" * (MAX_DOMAIN_LENGTH + 1)) == ()
    huge = "gmial.com" * 120_000  # about 1 MB
    start = time.perf_counter()
    assert suggest_domains(huge) == ()
    assert time.perf_counter() - start < 0.05


def test_worst_case_length_is_fast() -> None:
    inputs = ["a" * 253, ("a." * 126) + "a", ("go." * 84) + "i", "gmail.com" * 28]
    start = time.perf_counter()
    for domain in inputs:
        suggest_domains(domain)
    assert time.perf_counter() - start < 0.5


def test_data_is_loaded_lazily_not_at_import() -> None:
    code = (
        "import sapkcheck.checks.email.typos as m\n"
        "assert m._data.cache_info().currsize == 0\n"
        "m.suggest_domains('gmial.com')\n"
        "assert m._data.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- the data file ----------------------------------------------------------------------


def test_data_file_is_consistent() -> None:
    every = PROVIDERS + OTHERS + KNOWN_NAMES + FAMILIES + DATA["families"]["foreign_suffixes"]
    for domain in every:
        assert domain == domain.lower() and domain.isascii() and is_hostname(domain), domain
    for name in (
        "PROVIDERS",
        "OTHERS",
        "KNOWN_NAMES",
        "FAMILIES",
    ):
        values = globals()[name]
        assert len(values) == len(set(values)), name
    assert not set(PROVIDERS) & set(OTHERS)
    assert all(is_family_domain(d) for d in KNOWN_NAMES)
    names = {d.partition(".")[0] for d in PROVIDERS}
    assert set(DATA["providers"]["distinctive_names"]) <= names
    for table in ("suffix_fixes", "suffix_fixes_known_names"):
        for wrong, targets in DATA[table].items():
            assert wrong not in FAMILIES
            assert targets and set(targets) <= set(FAMILIES), wrong
    codes = DATA["country_codes"]["codes"].split()
    assert "id" in codes and all(re.fullmatch("[a-z]{2}", c) for c in codes)


@pytest.mark.parametrize("domain", sorted(KNOWN))
def test_every_known_domain_is_left_alone(domain: str) -> None:
    assert suggest_domains(domain) == ()
    assert suggest_domains(domain.upper()) == ()


# --- properties -------------------------------------------------------------------------

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789.-,_ " + "ıİß\u0430\u200bＡ．。"


@st.composite
def near_domains(draw: st.DrawFn) -> str:
    """A real domain (or family domain) with a few random slips."""
    base = draw(
        st.one_of(
            st.sampled_from(PROVIDERS + OTHERS + KNOWN_NAMES),
            st.builds(
                "{}.{}".format,
                st.sampled_from(["bkn", "ui", "x", "sman1"]),
                st.sampled_from(FAMILIES),
            ),
        )
    )
    text = list(base)
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "swap"]))
        i = draw(st.integers(0, max(len(text) - 1, 0)))
        char = draw(st.sampled_from(_ALPHABET))
        if op == "insert":
            text.insert(i, char)
        elif text and op == "delete":
            del text[i]
        elif text and op == "replace":
            text[i] = char
        elif len(text) > i + 1:
            text[i], text[i + 1] = text[i + 1], text[i]
    if draw(st.booleans()):
        return "".join(text).upper()
    return "".join(text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=300), near_domains()))
@example("gmial.com")
@example("yahoo.co")
@example("x.go.id.")
@example("\ufe54.CO.IL")  # NFKC: ";.co.il", not a host name: no suggestion
@example("\ufe70.CO.IL")
def test_properties(domain: str) -> None:
    result = suggest_domains(domain)
    assert isinstance(result, tuple)
    assert len(result) <= 3
    assert len(set(result)) == len(result)
    for suggestion in result:
        assert suggestion != domain
        assert suggestion != domain.lower()
        assert suggestion.isascii() and suggestion == suggestion.lower()
        assert suggestion in KNOWN or is_family_domain(suggestion), suggestion
    assert suggest_domains(domain) == result  # deterministic
