"""The plain-row fast path of ``check_row`` decides the common row of a staff export;
whatever it decides must be exactly what the full path says (every field of the result:
findings, keys, certain fixes)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sapkcheck.batch import rows as rows_module
from sapkcheck.batch.rows import RowResult, check_row
from sapkcheck.batch.tables.model import CellValue, Columns, Row

TODAY = date(2026, 11, 29)
WITH_REGISTERED = Columns(
    nip=1, email=2, registered=3, name=0, header=("NAMA", "NIP", "EMAIL", "EMAIL SAPK")
)
WITHOUT_REGISTERED = Columns(
    nip=1, email=2, registered=None, name=0, header=("NAMA", "NIP", "EMAIL")
)
LOCAL_DOMAINS = ("sumbawakab.go.id",)

nips = (
    st.sampled_from(
        [
            "198609262015051001",
            "199001012022211001",  # PPPK
            "198613262015051001",  # month 13
            "198609262015053001",  # sex digit 3
            "198609262015051000",  # serial 000
            "190001012015051001",  # retired
            "200001012015051001",  # young at TMT
            "１98609262015051001",  # a full-width digit
            "19860926 201505 1 001",
            "19860926201505100",
            '="198609262015051001"',
            "",
        ]
    )
    | st.from_regex(r"\A[0-9]{18}\Z")
    | st.integers(0, 10**18)
    | st.none()
)
addresses = (
    st.sampled_from(
        [
            "budi.santoso@gmail.com",
            "Budi@gmail.com",
            "budi@gmial.com",
            "pegawai@sumbawakb.go.id",
            "budi@kemenkue.go.id",
            "info@kemenkeu.go.id",
            " budi@gmail.com",
            "budi@gmail.com ",
            "<budi@gmail.com>",
            "budi@gmail",
            "dot..dot@gmail.com",
            "bu\u200bdi@gmail.com",
            "budi@gmail.com\udcff",
            "",
        ]
    )
    | st.emails()
    | st.none()
    | st.just(12.5)
)
names: st.SearchStrategy[CellValue] = st.sampled_from(
    ["Budi", "José", "Bu\udce9di", "", None, datetime(2020, 1, 2)]
)


def full_path(row: Row, columns: Columns) -> RowResult:
    original = rows_module._plain_row
    rows_module._plain_row = lambda *args: None  # type: ignore[assignment]
    try:
        return check_row(row, columns, TODAY, LOCAL_DOMAINS)
    finally:
        rows_module._plain_row = original


@settings(max_examples=1500, deadline=None)
@given(
    name=names,
    nip=nips,
    email=addresses,
    registered=st.sampled_from(
        ["same", "other", "other-domain", "upper", "spaced", "none", "blank", "number"]
    )
    | st.emails(),
    with_registered=st.booleans(),
)
@example(
    name="Budi",
    nip="198609262015051001",
    email="budi@gmail.com",
    registered="same",
    with_registered=True,
)
def test_the_fast_path_says_what_the_full_path_says(
    name: CellValue, nip: CellValue, email: CellValue, registered: str, with_registered: bool
) -> None:
    typed = email if isinstance(email, str) else "budi@gmail.com"
    on_record: CellValue = {
        "same": email,
        "other": "lain@gmail.com",
        "other-domain": typed.rpartition("@")[0] + "@yahoo.co.id",
        "upper": typed.upper(),
        "spaced": f" {typed}",
        "none": None,
        "blank": "",
        "number": 5,
    }.get(registered, registered)
    columns = WITH_REGISTERED if with_registered else WITHOUT_REGISTERED
    cells = (name, nip, email, on_record) if with_registered else (name, nip, email)
    row = Row(7, cells, 0)
    assert check_row(row, columns, TODAY, LOCAL_DOMAINS) == full_path(row, columns)


@pytest.mark.parametrize(
    "cells",
    [
        ("Budi", "198609262015051001", "budi@gmail.com", "budi@gmail.com"),
        ("Budi", "198609262015051001", "budi@gmail.com", None),
        ("Budi", "198609262015051001", "budi@gmail.com", "lain@gmail.com"),
        ("Budi", "198609262015051001", "budi@gmail.com", "BUDI@gmail.com"),
    ],
)
def test_a_plain_row_takes_the_fast_path(cells: tuple[CellValue, ...]) -> None:
    row = Row(2, cells, 0)
    fast = rows_module._plain_row(row, WITH_REGISTERED, TODAY, ())
    assert fast is not None and fast == full_path(row, WITH_REGISTERED)
    assert fast.nip_key == "198609262015051001" and fast.email_key == "budi@gmail.com"


@pytest.mark.parametrize(
    "cells",
    [
        ("Bu\udce9di", "198609262015051001", "budi@gmail.com", None),  # a byte of another encoding
        ("Budi", "19860926 201505 1 001", "budi@gmail.com", None),
        ("Budi", "198609262015051001", "Budi@gmail.com", None),
        ("Budi", "198609262015051001", "budi@gmail.com", " lain@gmail.com"),
        ("Budi", "198609262015051001", "budi@gmail.com", 5),
        ("Budi", 198609262015051001, "budi@gmail.com", None),
    ],
)
def test_any_other_row_takes_the_full_path(cells: tuple[CellValue, ...]) -> None:
    assert rows_module._plain_row(Row(2, cells, 0), WITH_REGISTERED, TODAY, ()) is None
