from __future__ import annotations

import pytest

from sapkcheck.checks.chars import unicode_name
from sapkcheck.checks.email.check import EmailResult, check_email
from sapkcheck.checks.email.compare import parse_hint
from sapkcheck.errors import UsageProblem
from sapkcheck.findings import Finding, Severity


def unicode_names(finding: Finding) -> str:
    """The characters a finding carries (``codepoints``) by Unicode's names, with codes."""
    return ", ".join(
        f"{unicode_name(chr(int(point[2:], 16)))} ({point})"
        for point in str(finding.params["codepoints"]).split()
        if point.startswith("U+")
    )


def result(text: str, **kwargs: str) -> EmailResult:
    return check_email(text, **kwargs)  # type: ignore[arg-type]


def codes(text: str, **kwargs: str) -> list[str]:
    return [f.code for f in result(text, **kwargs).findings]


def only(text: str, code: str, **kwargs: str) -> Finding:
    found = [f for f in result(text, **kwargs).findings if f.code == code]
    assert len(found) == 1, result(text, **kwargs).findings
    return found[0]


INVISIBLES = {
    " ": "SPACE",
    "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\u00a0": "NO-BREAK SPACE",
    "\u2002": "EN SPACE",
    "\u2009": "THIN SPACE",
    "\u202f": "NARROW NO-BREAK SPACE",
    "\u3000": "IDEOGRAPHIC SPACE",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    "\u00ad": "SOFT HYPHEN",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2028": "LINE SEPARATOR",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
}
SPACES = {ch for ch in INVISIBLES if ch.isspace()}
ADDRESS = "eli.sari@gmail.com"


def test_clean_address_has_no_findings() -> None:
    checked = result(ADDRESS)
    assert checked.findings == ()
    assert checked.info.normalized == ADDRESS
    assert checked.info.domain == "gmail.com"
    assert checked.info.suggestions == ()


@pytest.mark.parametrize("ch", sorted(INVISIBLES))
def test_trailing_invisible_of_every_kind(ch: str) -> None:
    typed = ADDRESS + ch + ch
    finding = only(typed, "email-trailing-space")
    assert finding.span == (len(ADDRESS), len(ADDRESS) + 2)
    assert finding.params["count"] == 2
    assert INVISIBLES[ch] in unicode_names(finding)
    assert f"U+{ord(ch):04X}" in unicode_names(finding)
    assert finding.faq == "operasi-gagal"
    assert result(typed).info.normalized == ADDRESS


@pytest.mark.parametrize("ch", sorted(INVISIBLES))
def test_leading_invisible_of_every_kind(ch: str) -> None:
    finding = only(ch + ADDRESS, "email-leading-space")
    assert finding.span == (0, 1)
    assert finding.faq == "operasi-gagal"
    assert result(ch + ADDRESS).info.normalized == ADDRESS


@pytest.mark.parametrize("ch", sorted(INVISIBLES))
def test_inner_invisible_of_every_kind(ch: str) -> None:
    typed = "eli.sari" + ch + "@gmail.com"
    code = "email-inner-space" if ch in SPACES else "email-invisible-char"
    finding = only(typed, code)
    assert finding.span == (8, 9)
    assert finding.params["position"] == 9
    assert INVISIBLES[ch] in unicode_names(finding)
    assert finding.params["suggestion"] == ADDRESS
    assert result(typed).info.normalized == ADDRESS


def test_space_after_is_the_faq_3_case() -> None:
    checked = result("eli.sari@gmail.com ")
    assert [f.code for f in checked.findings] == ["email-trailing-space"]
    assert checked.findings[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("mailto:eli.sari@gmail.com", "mailto"),
        ("MAILTO:eli.sari@gmail.com", "mailto"),
        ("<eli.sari@gmail.com>", "angle"),
        ("Eli Sari <eli.sari@gmail.com>", "name-angle"),
        ('"Eli Sari" <eli.sari@gmail.com>', "name-angle"),
        ('"eli.sari@gmail.com"', "quotes"),
        ("'eli.sari@gmail.com'", "quotes"),
        ("\u201celi.sari@gmail.com\u201d", "quotes"),
        ("\u2018eli.sari@gmail.com\u2019", "quotes"),
        ("(eli.sari@gmail.com)", "quotes"),
        ("*eli.sari@gmail.com*", "markup"),
        ("_eli.sari@gmail.com_", "markup"),
        ("~eli.sari@gmail.com~", "markup"),
        ("eli.sari@gmail.com.", "trailing-punct"),
        ("eli.sari@gmail.com,", "trailing-punct"),
        ("eli.sari@gmail.com;", "trailing-punct"),
    ],
)
def test_wrappers(typed: str, kind: str) -> None:
    finding = only(typed, "email-wrapper")
    assert finding.detail == kind
    assert finding.params["suggestion"] == ADDRESS
    checked = result(typed)
    assert checked.info.normalized == ADDRESS
    assert ADDRESS in checked.info.suggestions
    assert "email-syntax" not in codes(typed)


def test_nested_wrappers_with_spaces() -> None:
    typed = ' *"<mailto:eli.sari@gmail.com >"*, '
    checked = result(typed)
    kinds = [f.detail for f in checked.findings if f.code == "email-wrapper"]
    assert kinds == ["trailing-punct", "markup", "quotes", "angle", "mailto"]
    assert "email-trailing-space" in codes(typed)
    assert "email-leading-space" in codes(typed)
    assert checked.info.normalized == ADDRESS


@pytest.mark.parametrize(
    ("typed", "plain", "name"),
    [
        ("еli.sari@gmail.com", ADDRESS, "CYRILLIC SMALL LETTER IE"),
        ("eli.sаri@gmail.com", ADDRESS, "CYRILLIC SMALL LETTER A"),
        ("eli.sari@gmаil.com", ADDRESS, "CYRILLIC SMALL LETTER A"),
        ("eli.sari@gmail.cοm", ADDRESS, "GREEK SMALL LETTER OMICRON"),
        ("ｅｌｉ.sari@gmail.com", ADDRESS, "FULLWIDTH LATIN SMALL LETTER E"),
        ("eli.sari＠gmail.com", ADDRESS, "FULLWIDTH COMMERCIAL AT"),
        ("eli.sari@gmail．com", ADDRESS, "FULLWIDTH FULL STOP"),
        ("eli.sari@gmail。com", ADDRESS, "IDEOGRAPHIC FULL STOP"),
        ("eli.sari１@gmail.com", "eli.sari1@gmail.com", "FULLWIDTH DIGIT ONE"),
    ],
)
def test_confusables(typed: str, plain: str, name: str) -> None:
    checked = result(typed)
    found = [f for f in checked.findings if f.code == "email-confusable"]
    assert found, checked.findings
    assert name in unicode_names(found[0])
    assert found[0].params["suggestion"] == plain
    assert plain in checked.info.suggestions
    assert "email-syntax" not in codes(typed)  # the look-alike explains it


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("josé@gmail.com", "jose@gmail.com"),  # a phone's autocorrect adds the accent
        ("eli.sari@gmäil.com", "eli.sari@gmail.com"),
        ("eli.sari@gmɑil.com", "eli.sari@gmail.com"),  # U+0251 LATIN SMALL LETTER ALPHA
        ("elı.sari@gmail.com", "eli.sari@gmail.com"),  # U+0131 dotless i (Turkish keyboards)
        ("eli.sari@ɡmail.com", "eli.sari@gmail.com"),  # U+0261 LATIN SMALL LETTER SCRIPT G
    ],
)
def test_accented_and_special_latin_letters_are_look_alikes(typed: str, meant: str) -> None:
    """The portals take plain ASCII addresses: a Latin letter outside ASCII is as wrong
    there as a Cyrillic one."""
    result = check_email(typed)
    assert "email-confusable" in codes(typed)
    assert meant in result.info.suggestions


@pytest.mark.parametrize(
    ("typed", "detail"),
    [
        ("eli.sarigmail.com", "no-at"),
        ("eli@sari@gmail.com", "many-at"),
        ("@gmail.com", "empty-local"),
        ("eli.sari@", "empty-domain"),
        ("eli.sari@gmailcom", "no-dot-domain"),
        ("eli..sari@gmail.com", "consecutive-dots"),
        ("eli.sari@gmail..com", "consecutive-dots"),
        (".eli@gmail.com", "local-dot"),
        ("eli.@gmail.com", "local-dot"),
        ("eli@-gmail.com", "domain-hyphen"),
        ("eli@gmail-.com", "domain-hyphen"),
        ("eli@gm_ail.com", "domain-chars"),
        ("eli,sari@gmail.com", "local-chars"),
        ("eli@" + "a" * 64 + ".com", "label-too-long"),
        ("e@" + "abcdefghij." * 30 + "com", "too-long"),
    ],
)
def test_syntax_reasons_are_named(typed: str, detail: str) -> None:
    finding = only(typed, "email-syntax")
    assert finding.detail == detail, finding
    assert result(typed).info.normalized is None


def test_unusual_syntax_reason_is_carried_verbatim() -> None:
    finding = only("eli@printer.local", "email-syntax")
    assert finding.detail is None
    assert "special-use" in str(finding.params["reason"]).lower()


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("eli@gmial.com", "eli@gmail.com"),
        ("eli@gmai.com", "eli@gmail.com"),
        ("eli@gmail.co.id", "eli@gmail.com"),
        ("eli@yahoo.com.id", "eli@yahoo.co.id"),
        ("eli@kemenkeu.gov.id", "eli@kemenkeu.go.id"),
        ("eli@yahoo.co.od", "eli@yahoo.co.id"),
        ("eli@gmail.c0m", "eli@gmail.com"),
    ],
)
def test_domain_typos_are_hints(typed: str, suggested: str) -> None:
    finding = only(typed, "email-domain-typo")
    assert finding.severity is Severity.WARNING
    assert suggested in str(finding.params["suggestion"])
    assert suggested in result(typed).info.suggestions


def test_ambiguous_domain_lists_both() -> None:
    finding = only("eli@yahoo.co", "email-domain-typo")
    assert finding.detail == "ambiguous"
    assert "eli@yahoo.co.id" in str(finding.params["suggestion"])
    assert "eli@yahoo.com" in str(finding.params["suggestion"])


@pytest.mark.parametrize(
    "typed",
    [
        "eli@yahoo.co.id",
        "eli@hotmail.co.id",
        "eli@bps.go.id",
        "eli@bnn.go.id",
        "eli@ui.ac.id",
        "eli@mail.com",
        "eli@sumbawakab.go.id",
        "eli@belajar.id",
        "eli@outlook.co.id",
    ],
)
def test_legitimate_domains_are_left_alone(typed: str) -> None:
    assert result(typed).findings == ()


def test_uppercase_is_info() -> None:
    finding = only("Eli.Sari@gmail.com", "email-uppercase")
    assert finding.severity is Severity.INFO
    assert finding.params["lowered"] == "eli.sari"


@pytest.mark.parametrize("typed", ["", "   ", "\u200b\u200b", "\t\n"])
def test_missing_or_blank(typed: str) -> None:
    assert codes(typed) == ["email-missing"]


# ------------------------------------------------------------ registered


def test_registered_same_but_trailing_spaces() -> None:
    checked = result(ADDRESS + "  ", registered=ADDRESS)
    assert [f.code for f in checked.findings] == [
        "email-trailing-space",
        "email-matches-registered",
    ]
    assert checked.findings[1].detail == "trailing-space"


def test_registered_exact_match() -> None:
    finding = only(ADDRESS, "email-matches-registered", registered=ADDRESS)
    assert finding.detail is None
    assert finding.severity is Severity.INFO


def test_registered_case_only() -> None:
    finding = only(ADDRESS, "email-case-differs", registered="Eli.Sari@Gmail.com")
    assert finding.severity is Severity.WARNING
    assert "email-mismatch" not in codes(ADDRESS, registered="Eli.Sari@Gmail.com")


@pytest.mark.parametrize(
    ("registered", "detail"),
    [
        ("eli.sari@yahoo.co.id", "domain"),
        ("elisari@gmail.com", "local"),
        ("budi@yahoo.com", "both"),
    ],
)
def test_registered_mismatch_says_what_differs(registered: str, detail: str) -> None:
    finding = only(ADDRESS, "email-mismatch", registered=registered)
    assert finding.detail == detail
    assert finding.faq == "email-tidak-sesuai"
    assert finding.severity is Severity.ERROR


def test_registered_mismatch_by_typo() -> None:
    finding = only("eli.sari@gmial.com", "email-mismatch", registered=ADDRESS)
    assert finding.detail == "typo"


def test_registered_with_its_own_spaces_is_compared_clean() -> None:
    assert "email-mismatch" not in codes(ADDRESS, registered=" " + ADDRESS + " ")


# ------------------------------------------------------------ hint


@pytest.mark.parametrize(
    "hint",
    [
        "eli*****@gmail.com",
        "ELI*****@GMAIL.COM",
        "e*****i@gmail.com",
        "eli*@g***.com",
        "*****@gmail.com",
        ADDRESS,
    ],
)
def test_hint_fits(hint: str) -> None:
    assert only(ADDRESS, "email-hint-match", hint=hint).severity is Severity.INFO


@pytest.mark.parametrize(
    ("typed", "hint", "detail"),
    [
        ("ely.sari@gmail.com", "eli*****@gmail.com", "prefix"),
        (ADDRESS, "eli*****@yahoo.com", "domain"),
        (ADDRESS, "eli*****x@gmail.com", "suffix"),
        ("eli@gmail.com", "eli*****@gmail.com", "length"),
        (ADDRESS, "e*zz*i@gmail.com", "middle"),
        (ADDRESS, "budi@gmail.com", "whole"),
    ],
)
def test_hint_mismatch_names_the_part(typed: str, hint: str, detail: str) -> None:
    finding = only(typed, "email-hint-mismatch", hint=hint)
    assert finding.detail == detail
    assert finding.severity is Severity.ERROR


def test_hint_compares_the_cleaned_address() -> None:
    assert "email-hint-match" in codes(ADDRESS + " ", hint="eli*****@gmail.com")


@pytest.mark.parametrize(
    "mask", ["", "   ", "eli*****", "eli@@gmail.com", "@gmail.com", "eli***@", "eli *** @gmail.com"]
)
def test_malformed_hint_is_a_usage_error(mask: str) -> None:
    with pytest.raises(UsageProblem):
        parse_hint(mask)


# ------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    "typed",
    [
        "a" * 1_000_000,
        "@" * 500,
        "a@" * 250_000,
        " " * 1_000_000,
        "\x00",
        "\ud800@gmail.com",
        "eli@gmail.com\ud800",
        '<"*(<"*(' * 10_000 + ADDRESS,
        "\u202e" * 1000 + ADDRESS,
        "😀@😀.com",
    ],
)
def test_bad_input_never_crashes(typed: str) -> None:
    checked = check_email(typed, registered=ADDRESS, hint="eli*****@gmail.com")
    for finding in checked.findings:
        if finding.span:
            assert 0 <= finding.span[0] < finding.span[1] <= len(typed)
