from __future__ import annotations

from datetime import date

import pytest

from sapkcheck.checks.nip import check_nip
from sapkcheck.findings import Severity

TODAY = date(2026, 11, 29)


def codes(text: str) -> list[str]:
    return [f.code for f in check_nip(text, today=TODAY).findings]


def only(text: str, code: str):  # type: ignore[no-untyped-def]
    found = [f for f in check_nip(text, today=TODAY).findings if f.code == code]
    assert len(found) == 1, check_nip(text, today=TODAY).findings
    return found[0]


@pytest.mark.parametrize(
    "typed",
    [
        "198609262015051001",
        "19860926 201505 1 001",
        "NIP. 19860926 201505 1 001",
        "NIP 19860926.201505.1.001",
        "nip: 19860926-201505-1-001",
        "'198609262015051001",
        "  198609262015051001\t",
        "19860926  201505  1  001",
        "*198609262015051001*",  # WhatsApp formatting, kept when a message is copied
        "```198609262015051001```",
        "~19860926 201505 1 001~",
        "*_ 198609262015051001 _*",
        "*NIP: 198609262015051001*",
    ],
)
def test_pns_in_every_display_format(typed: str) -> None:
    result = check_nip(typed, today=TODAY)
    info = result.info
    assert info.normalized == "198609262015051001"
    assert info.kind == "pns"
    assert info.birth_date == date(1986, 9, 26)
    assert info.appointed == "2015-05"
    assert info.sex == "male"
    assert info.serial == "001"
    assert info.contract is None
    assert all(f.severity is Severity.INFO for f in result.findings)
    if typed != "198609262015051001":
        assert [f.code for f in result.findings] == ["nip-separators"]


@pytest.mark.parametrize(
    ("typed", "born", "year", "contract", "sex", "serial"),
    [
        ("200012312024211001", date(2000, 12, 31), "2024", 1, "male", "001"),
        ("19850223 202521 1 035", date(1985, 2, 23), "2025", 1, "male", "035"),
        ("19890225 2024 21 1 013", date(1989, 2, 25), "2024", 1, "male", "013"),
        ("199001012023242007", date(1990, 1, 1), "2023", 4, "female", "007"),
    ],
)
def test_pppk_examples_from_domain(
    typed: str, born: date, year: str, contract: int, sex: str, serial: str
) -> None:
    result = check_nip(typed, today=TODAY)
    assert result.info.kind == "pppk"
    assert result.info.birth_date == born
    assert result.info.appointed == year
    assert result.info.contract == contract
    assert result.info.sex == sex
    assert result.info.serial == serial
    assert not [f for f in result.findings if f.severity is not Severity.INFO]


def test_pns_female() -> None:
    assert check_nip("199203152019032004", today=TODAY).info.sex == "female"


@pytest.mark.parametrize("typed", ["", "   ", "\t\n", "NIP.", "NIP :  "])
def test_missing(typed: str) -> None:
    assert codes(typed) == ["nip-missing"]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1.98501E+17", "1.98501E+17"),
        ("1,98501E+17", "1,98501E+17"),
        (" 1.98609E+17 ", "1.98609E+17"),
        ("1.98609262015051E17", "1.98609262015051E17"),
        ("1,98501e+17", "1,98501e+17"),
    ],
)
def test_excel_scientific_notation(typed: str, value: str) -> None:
    finding = only(typed, "nip-excel-damaged")
    assert finding.params["value"] == value
    assert finding.faq == "nip-excel"
    assert check_nip(typed, today=TODAY).info.normalized is None


@pytest.mark.parametrize("typed", ["131110468", "NIP. 380053461", "131 110 468"])
def test_old_nip(typed: str) -> None:
    result = check_nip(typed, today=TODAY)
    assert result.info.kind == "old"
    assert result.info.normalized is not None and len(result.info.normalized) == 9
    assert only(typed, "nip-old-format").faq == "nip-lama"


@pytest.mark.parametrize(
    ("typed", "count", "detail"),
    [
        ("19860926201505100", 17, "short"),
        ("1986092620150510011", 19, "long"),
        ("1986", 4, "short"),
        ("19860926 201505 1 01", 17, "short"),
    ],
)
def test_length(typed: str, count: int, detail: str) -> None:
    finding = only(typed, "nip-length")
    assert finding.params["count"] == count
    assert finding.detail == detail


def test_letter_o_for_zero_is_located_and_suggested() -> None:
    typed = "19860926 2O1505 1 001"
    finding = only(typed, "nip-invalid-chars")
    assert finding.span == (10, 11)
    assert typed[10] == "O"
    assert finding.detail == "letter-digit"
    assert finding.params["suggestion"] == "0"
    assert finding.params["position"] == 11


@pytest.mark.parametrize("typed", ["19860926#201505", "abc", "1986😀0926", "1986\x000926", "١٩x"])
def test_invalid_chars(typed: str) -> None:
    assert "nip-invalid-chars" in codes(typed)
    assert check_nip(typed, today=TODAY).info.normalized is None


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "U+0661"),
        ("１９８６０９２６２０１５０５１００１", "U+FF11"),
        ("۱۹۸۶۰۹۲۶۲۰۱۵۰۵۱۰۰۱", "U+06F1"),
    ],
)
def test_lookalike_digits_are_read_and_explained(typed: str, name: str) -> None:
    result = check_nip(typed, today=TODAY)
    assert result.info.normalized == "198609262015051001"
    finding = only(typed, "nip-lookalike-digits")
    assert finding.params["codepoints"] == name
    assert finding.params["ascii"] == "198609262015051001"
    assert finding.span == (0, 18)


@pytest.mark.parametrize(
    ("typed", "detail", "span"),
    [
        ("198613262015051001", "month", (4, 6)),
        ("198600262015051001", "month", (4, 6)),
        ("198602302015051001", "day", (6, 8)),
        ("198702292015051001", "day", (6, 8)),
        ("180001012015051001", "year", (0, 4)),
        ("20300101 202001 1 001", "future", (0, 8)),
    ],
)
def test_birth_date(typed: str, detail: str, span: tuple[int, int]) -> None:
    finding = only(typed, "nip-birth-date")
    assert finding.detail == detail
    assert finding.span == span
    assert check_nip(typed, today=TODAY).info.birth_date is None


def test_leap_day_is_a_real_birth_date() -> None:
    assert check_nip("198802292015051001", today=TODAY).info.birth_date == date(1988, 2, 29)


def test_span_points_into_the_input_as_typed() -> None:
    typed = "NIP. 19861326 201505 1 001"
    finding = only(typed, "nip-birth-date")
    assert finding.span is not None
    assert typed[finding.span[0] : finding.span[1]] == "13"


@pytest.mark.parametrize(
    ("typed", "detail", "digits"),
    [
        ("198609262015001001", "code", "13-14"),
        ("198609262015131001", "code", "13-14"),
        ("198609262015301001", "code", "13-14"),
        ("198609262015201001", "code", "13-14"),
        ("198609261985051001", "before-birth", "9-14"),
        ("198609260999051001", "year", "9-12"),
        ("198609262099051001", "future", "9-14"),
        ("198609262099211001", "future", "9-12"),
    ],
)
def test_appointment(typed: str, detail: str, digits: str) -> None:
    finding = only(typed, "nip-appointment")
    assert finding.detail == detail
    assert finding.params["digits"] == digits
    assert finding.severity is Severity.ERROR


def test_pppk_before_first_intake_is_only_a_warning() -> None:
    finding = only("198001012010211001", "nip-appointment")
    assert finding.detail == "pppk-early"
    assert finding.severity is Severity.WARNING


@pytest.mark.parametrize("digit", ["0", "3", "9"])
def test_sex_digit(digit: str) -> None:
    typed = f"19860926201505{digit}001"
    finding = only(typed, "nip-sex")
    assert finding.span == (14, 15)
    assert finding.params["value"] == digit


def test_serial_000_is_an_error() -> None:
    finding = only("198609262015051000", "nip-serial")
    assert finding.span == (15, 18)
    assert check_nip("198609262015051000", today=TODAY).info.serial is None


@pytest.mark.parametrize(
    ("typed", "detail"),
    [
        ("200501012015051001", "young"),  # appointed at 10
        ("196501012015051001", "old"),  # appointed at 50 (PNS)
        ("200801012024211001", "young"),  # PPPK at 16
        ("195001011975011001", "retired"),  # appointed at 25, 76 today
    ],
)
def test_age_plausibility_is_a_warning(typed: str, detail: str) -> None:
    finding = only(typed, "nip-age")
    assert finding.detail == detail
    assert finding.severity is Severity.WARNING


def test_older_pppk_is_plausible() -> None:
    assert "nip-age" not in codes("196801012024211001")  # 56 at appointment


@pytest.mark.parametrize("typed", ["**", "*1*", "*19860926*2015051001", "*198609262015051001"])
def test_chat_marks_are_ignored_only_around_the_whole_value(typed: str) -> None:
    result = check_nip(typed, today=TODAY)
    assert any(f.severity is Severity.ERROR for f in result.findings)


def test_a_chat_mark_is_named_among_what_was_ignored() -> None:
    (finding,) = check_nip("*198609262015051001*", today=TODAY).findings
    assert "*…*" in str(finding.params["removed"])


def test_excel_zeroed_serial_plus_separators() -> None:
    assert set(codes("19860926 201505 1 000")) == {"nip-separators", "nip-serial"}
