"""``clean_nip`` decides the commonest NIP of a batch (18 digits, no finding) from the
cached parts; it must say what ``check_nip`` says: no finding exactly when it answers,
and the same decoded fields."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sapkcheck.checks.nip import check_nip, clean_nip

TODAY = date(2026, 11, 29)

# Near every boundary a finding has: birth date, TMT code and month, age at TMT (PNS
# 18-40, PPPK 20-64), retirement (over 70), the first PPPK year, sex digit, serial 000.
EDGES = [
    "198609262015051001",
    "199001012022211001",  # PPPK
    "199001012018211001",  # PPPK before 2019: a warning
    "198613262015051001",  # month 13
    "198602302015051001",  # 30 February
    "198609262015053001",  # sex digit 3
    "198609262015051000",  # serial 000
    "195501012019211001",  # PPPK at 64, over 70 today
    "195601012020211001",  # PPPK at 64, 70 today
    "195512012020211001",  # 71 next month
    "200001012015051001",  # 15 at TMT
    "199701012015051001",  # 18 at TMT
    "199702012015051001",  # 17 and 11 months
    "197401012015051001",  # 41 at TMT
    "197402012015051001",  # 40 and 11 months
    "196001012025211001",  # PPPK at 65
    "196101012025211001",  # PPPK at 64
    "198609262015001001",  # month 00
    "198609262015131001",  # month 13 of TMT
    "198609262015201001",  # PPPK marker 20
    "198609262028011001",  # TMT in the future
    "198609262027101001",  # TMT inside the year of lead
    "198609261985051001",  # TMT before birth
    "198609261986091001",  # TMT the month of birth
    "189909262015051001",  # born before 1900
    "202709262015051001",  # born in the future
    "000000000000000000",
]


def _agrees(digits: str) -> None:
    full = check_nip(digits, today=TODAY)
    clean = clean_nip(digits, TODAY)
    if clean is None:
        assert full.findings, digits
        return
    assert not full.findings, digits
    info = full.info
    fields = (info.kind, info.birth_date, info.appointed, info.sex, info.contract)
    assert tuple(clean) == (*fields, info.birth_date.isoformat() if info.birth_date else ""), digits
    assert info.normalized == info.input == digits and info.serial == digits[15:]


@pytest.mark.parametrize("digits", EDGES)
def test_every_boundary(digits: str) -> None:
    _agrees(digits)


def test_the_common_nips_are_clean() -> None:
    assert clean_nip("198609262015051001", TODAY) is not None
    assert clean_nip("199001012022211001", TODAY) is not None


@st.composite
def plausible_nips(draw: st.DrawFn) -> str:
    """Digits around real NIPs: a real-ish birth date, TMT and serial, each part now and
    then out of range."""
    year = draw(st.integers(1890, 2030))
    month = draw(st.integers(0, 13))
    day = draw(st.integers(0, 32))
    tmt_year = draw(st.integers(1890, 2030))
    code = draw(st.integers(0, 30))
    sex = draw(st.integers(0, 9))
    serial = draw(st.integers(0, 999))
    return f"{year:04d}{month:02d}{day:02d}{tmt_year:04d}{code:02d}{sex}{serial:03d}"


@settings(max_examples=3000, deadline=None)
@given(digits=plausible_nips() | st.from_regex(r"\A[0-9]{18}\Z"))
@example(digits="198609262015051001")
def test_clean_nip_agrees_with_check_nip(digits: str) -> None:
    _agrees(digits)
