"""The one definition of blank characters, as a table, and every check held to it.

Each row is a character people paste without seeing it (or a visible one, as a control):
whether it is a space, invisible, and so blank. Every check that strips a pasted value's
edges (NIP, email, domain typos, password, token) must strip exactly the blank ones.
"""

from __future__ import annotations

import pytest

from sapkcheck.checks.chars import blank_edges, is_blank, is_invisible, is_space
from sapkcheck.checks.email.clean import clean_address
from sapkcheck.checks.email.typos import suggest_domains
from sapkcheck.checks.nip import check_nip
from sapkcheck.checks.password import check_password
from sapkcheck.checks.token import check_token
from sapkcheck.knowledge.policies import POLICIES

SPACE, INVISIBLE, VISIBLE = "space", "invisible", "visible"
TABLE = [
    (" ", SPACE),  # SPACE
    ("\t", SPACE),
    ("\n", SPACE),
    ("\r", SPACE),
    ("\x0b", SPACE),
    ("\x0c", SPACE),
    ("\x85", SPACE),  # NEXT LINE
    ("\u00a0", SPACE),  # NO-BREAK SPACE (Word, WhatsApp Web)
    ("\u2002", SPACE),  # EN SPACE
    ("\u2007", SPACE),  # FIGURE SPACE
    ("\u2009", SPACE),  # THIN SPACE
    ("\u202f", SPACE),  # NARROW NO-BREAK SPACE (iOS times)
    ("\u205f", SPACE),
    ("\u3000", SPACE),  # IDEOGRAPHIC SPACE
    ("\u2028", SPACE),  # LINE SEPARATOR
    ("\u2029", SPACE),  # PARAGRAPH SEPARATOR
    ("\u200b", INVISIBLE),  # ZERO WIDTH SPACE (not a Python space)
    ("\u200c", INVISIBLE),
    ("\u200d", INVISIBLE),
    ("\u200e", INVISIBLE),  # LEFT-TO-RIGHT MARK (iOS chat exports)
    ("\u200f", INVISIBLE),
    ("\u202a", INVISIBLE),
    ("\u202e", INVISIBLE),
    ("\u2060", INVISIBLE),  # WORD JOINER
    ("\u2066", INVISIBLE),
    ("\u2069", INVISIBLE),
    ("\ufeff", INVISIBLE),  # BOM
    ("\u00ad", INVISIBLE),  # SOFT HYPHEN (Word)
    ("\u180e", INVISIBLE),  # MONGOLIAN VOWEL SEPARATOR
    ("\x00", INVISIBLE),
    ("\x07", INVISIBLE),
    ("\x1a", INVISIBLE),  # Ctrl-Z at the end of old DOS files
    ("\x7f", INVISIBLE),
    ("\u3164", INVISIBLE),  # HANGUL FILLER: decided blank (see chars.is_blank)
    ("\u115f", INVISIBLE),
    ("\u1160", INVISIBLE),
    ("\uffa0", INVISIBLE),
    ("\u2800", INVISIBLE),  # BRAILLE PATTERN BLANK
    ("\u034f", INVISIBLE),  # COMBINING GRAPHEME JOINER
    ("a", VISIBLE),
    ("0", VISIBLE),
    (".", VISIBLE),
    ("_", VISIBLE),
    ("\u00e9", VISIBLE),
    ("\u0430", VISIBLE),  # Cyrillic a: a look-alike, but visible
    ("\uff10", VISIBLE),  # FULLWIDTH DIGIT ZERO
    ("\u3002", VISIBLE),  # IDEOGRAPHIC FULL STOP
    ("\U0001f64f", VISIBLE),  # 🙏
]
IDS = [f"U+{ord(ch):04X}" for ch, _ in TABLE]
BLANK = [(ch, kind) for ch, kind in TABLE if kind != VISIBLE]
BLANK_IDS = [f"U+{ord(ch):04X}" for ch, _ in BLANK]


@pytest.mark.parametrize(("ch", "kind"), TABLE, ids=IDS)
def test_definitions(ch: str, kind: str) -> None:
    assert is_space(ch) is (kind == SPACE)
    assert is_invisible(ch) is (kind == INVISIBLE)
    assert is_blank(ch) is (kind != VISIBLE)


@pytest.mark.parametrize(("ch", "kind"), TABLE, ids=IDS)
def test_blank_edges(ch: str, kind: str) -> None:
    start, end = blank_edges(f"{ch}x{ch}")
    assert (start, end) == ((1, 2) if kind != VISIBLE else (0, 3))
    assert blank_edges(ch * 3) == ((3, 3) if kind != VISIBLE else (0, 3))


NIP = "198609262015051001"


@pytest.mark.parametrize(("ch", "kind"), BLANK, ids=BLANK_IDS)
def test_every_check_strips_exactly_the_blank_edges(ch: str, kind: str) -> None:
    # NIP: read as its 18 digits; the blank edges are named, never "invalid characters".
    nip = check_nip(f"{ch}{NIP}{ch}")
    assert nip.info.normalized == NIP
    assert "nip-invalid-chars" not in {f.code for f in nip.findings}
    # Email: the blank edges are found at their offsets.
    cleaned = clean_address(f"{ch}eli@gmail.com{ch}")
    assert cleaned.leading == [0] and cleaned.trailing == [14]
    # Domain typos: a blank edge never hides the typo.
    assert suggest_domains(f"gmial.com{ch}") == suggest_domains("gmial.com")
    # Password: both edges counted as surrounding blanks.
    codes = {f.code: f for f in check_password(f"{ch}Rahasia123{ch}", POLICIES["mysapk"])}
    assert codes["password-whitespace"].params["count"] == 2
    # Token: blank characters are never part of the code.
    token = check_token(f"{ch}AB12CD{ch}")
    assert token.info.normalized == "AB12CD"


@pytest.mark.parametrize(
    "ch", ["a", "\u00e9", "\U0001f64f", "#"], ids=["a", "U+00E9", "U+1F64F", "#"]
)
def test_visible_edges_are_not_stripped(ch: str) -> None:
    assert check_nip(f"{ch}{NIP}").info.normalized is None
    assert clean_address(f"{ch}eli@gmail.com").leading == []
