"""Characters named in the chosen language at render time (issue 12): a finding carries the
code points (``codepoints``); the catalog's ``chars.toml`` names them, look-alike letters by
script and letter, anything else by Unicode's own name."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib.resources import files

import pytest

from sapkcheck.checks.chars import codepoints
from sapkcheck.checks.email.check import check_email
from sapkcheck.checks.password import check_password
from sapkcheck.checks.token import check_token
from sapkcheck.knowledge.i18n import LANGS, catalog
from sapkcheck.knowledge.policies import POLICIES


def table(lang: str) -> dict[str, str]:
    raw = (files("sapkcheck") / "catalog" / lang / "chars.toml").read_text(encoding="utf-8")
    chars: dict[str, str] = tomllib.loads(raw)["chars"]
    return chars


# The characters people actually meet in pasted values (the list).
MET = {
    " ": ("spasi biasa", "space"),
    "\u00a0": ("spasi tak terputus", "no-break space"),
    "\t": ("tab", "tab"),
    "\u200b": ("spasi tak terlihat", "zero-width space"),
    "\u200c": ("pemisah tak terlihat", "zero-width non-joiner"),
    "\u200d": ("penyambung tak terlihat", "zero-width joiner"),
    "\ufeff": ("tanda BOM", "byte order mark"),
    "\u00ad": ("tanda hubung tersembunyi", "soft hyphen"),
    "\u3164": ("pengisi Hangul", "Hangul filler"),
    "\u2800": ("pola Braille kosong", "blank Braille pattern"),
    "\uff20": ("@ lebar penuh", "full-width @"),
    "\uff0e": ("titik lebar penuh", "full-width full stop"),
    "\u3000": ("spasi lebar penuh", "ideographic space"),
    "\u202f": ("spasi sempit tak terputus", "narrow no-break space"),
    "\u2007": ("spasi angka", "figure space"),
    "\u2013": ("tanda pisah pendek", "en dash"),
    "\u2014": ("tanda pisah panjang", "em dash"),
    "\u2011": ("tanda hubung tak terputus", "non-breaking hyphen"),
    "\u2018": ("tanda kutip tunggal miring pembuka", "left single quotation mark"),
    "\u2019": ("tanda kutip tunggal miring penutup", "right single quotation mark"),
    "\u201c": ("tanda kutip ganda miring pembuka", "left double quotation mark"),
    "\u201d": ("tanda kutip ganda miring penutup", "right double quotation mark"),
    # look-alikes, by letter
    "\u0430": (
        "huruf Kiril (Rusia) yang mirip 'a'",
        "Cyrillic (Russian) letter that looks like 'a'",
    ),
    "\u0435": (
        "huruf Kiril (Rusia) yang mirip 'e'",
        "Cyrillic (Russian) letter that looks like 'e'",
    ),
    "\u043e": (
        "huruf Kiril (Rusia) yang mirip 'o'",
        "Cyrillic (Russian) letter that looks like 'o'",
    ),
    "\u0421": (
        "huruf Kiril (Rusia) yang mirip 'C'",
        "Cyrillic (Russian) letter that looks like 'C'",
    ),
    "\u03bf": ("huruf Yunani yang mirip 'o'", "Greek letter that looks like 'o'"),
    "\u039a": ("huruf Yunani yang mirip 'K'", "Greek letter that looks like 'K'"),
    "\uff41": ("'a' lebar penuh", "full-width 'a'"),
    "\uff11": ("'1' lebar penuh", "full-width '1'"),
    "\u0661": ("angka 1 Arab", "Arabic digit 1"),
}


@pytest.mark.parametrize("ch", sorted(MET))
@pytest.mark.parametrize("lang", LANGS)
def test_characters_people_meet_are_named_in_the_language(ch: str, lang: str) -> None:
    expected = MET[ch][LANGS.index(lang)]
    rendered = catalog(lang).char_names(codepoints(ch))
    assert rendered.startswith(expected), rendered
    assert f"U+{ord(ch):04X}" in rendered
    unicode = unicodedata.name(ch, "")
    if unicode:
        assert unicode not in rendered  # never Unicode's English name


def test_both_languages_name_the_same_characters() -> None:
    assert table("id").keys() == table("en").keys()
    for point in table("id"):
        chr(int(point.removeprefix("U+"), 16))  # every key is a code point


@pytest.mark.parametrize("lang", LANGS)
def test_unknown_characters_fall_back_to_unicode_names(lang: str) -> None:
    assert catalog(lang).char_names("U+2603") == "SNOWMAN (U+2603)"
    assert catalog(lang).char_names("U+E000") == "? (U+E000)"  # private use: no name
    more = catalog(lang).char_names(codepoints("\u00a0\u200b \t"))
    assert more.endswith(("dan lainnya", "and more"))


def test_findings_keep_code_points_and_names_follow_the_language() -> None:
    email = check_email("budi@gmail.com\u00a0")
    (trailing,) = [f for f in email.findings if f.code == "email-trailing-space"]
    assert trailing.params["codepoints"] == "U+00A0"
    assert "names" not in trailing.params
    id_text = catalog("id").message(trailing)
    en_text = catalog("en").message(trailing)
    assert "spasi tak terputus" in id_text and "NO-BREAK SPACE" not in id_text
    assert "no-break space" in en_text and "NO-BREAK SPACE" not in en_text


@pytest.mark.parametrize(
    "finding",
    [
        *check_email("\u200bbu\u0430i@gmail\uff0ecom\u3164").findings,
        *check_email("bu di@gmail.com").findings,
        *check_token("12\u00a0345\u200b6").findings,
        *check_token("12\u03bf456").findings,
        *check_password("Raha\u200bsia 1", POLICIES["mysapk"]),
    ],
    ids=lambda finding: finding.code,
)
def test_no_unicode_english_name_in_indonesian_messages(finding: object) -> None:
    from sapkcheck.findings import Finding

    assert isinstance(finding, Finding)
    text = catalog("id").message(finding)
    points = str(finding.params.get("codepoints", ""))
    for point in points.split():
        if point.startswith("U+"):
            name = unicodedata.name(chr(int(point[2:], 16)), "")
            assert not name or name not in text, text
