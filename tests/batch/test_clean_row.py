"""Clean rows (most of an export) are decided by ``clean_row`` and written by each
renderer's ``plain`` from their pieces; both must give exactly what the general path
gives: ``check_row``'s result, and every format's text of it, byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sapkcheck.batch.pipeline import RowRenderer
from sapkcheck.batch.rows import CleanRow, check_row, clean_result, clean_row
from sapkcheck.batch.tables.model import CellValue, Columns, Row
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.batch import (
    CsvRenderer,
    JsonRecordRenderer,
    NoFragment,
    RecordBuilder,
    ReportSettings,
    TextLayout,
    TextRecordRenderer,
)
from sapkcheck.render.batch_show import Show
from sapkcheck.render.console import ASCII_SYMBOLS, UNICODE_SYMBOLS
from sapkcheck.render.xlsx_report import XlsxRenderer
from tests.batch.test_plain_row import (
    LOCAL_DOMAINS,
    TODAY,
    WITH_REGISTERED,
    WITHOUT_REGISTERED,
    addresses,
    names,
    nips,
)
from tests.checks.test_clean_nip import plausible_nips

CLEAN = ("Budi", "198609262015051001", "budi.santoso@gmail.com", "budi.santoso@gmail.com")


def renderers(columns: Columns) -> dict[str, RowRenderer]:
    """Every format's renderer, in every variant that changes a clean row's text."""
    made: dict[str, RowRenderer] = {}
    for lang in ("id", "en"):
        for mask in (False, True):
            records = RecordBuilder(catalog(lang), {}, mask=mask)
            tag = f"{lang}{'-mask' if mask else ''}"
            for ascii_only in (False, True):
                made[f"jsonl-{tag}-{ascii_only}"] = JsonRecordRenderer(records, False, ascii_only)
                made[f"json-{tag}-{ascii_only}"] = JsonRecordRenderer(records, True, ascii_only)
            for delimiter in (",", ";"):
                report = ReportSettings(catalog(lang), columns, (0,), mask, delimiter)
                made[f"csv-{tag}-{delimiter}"] = CsvRenderer(records, report)
            for show in Show:
                made[f"text-{tag}-{show.value}"] = TextRecordRenderer(records, show)
                for marks in (UNICODE_SYMBOLS, ASCII_SYMBOLS):
                    layout = TextLayout(80, marks, 0)
                    made[f"text-{tag}-{show.value}-{marks.ok}"] = TextRecordRenderer(
                        records, show, layout
                    )
            made[f"xlsx-{tag}"] = XlsxRenderer(records)
    made["none"] = NoFragment()
    return made


RENDERERS = {True: renderers(WITH_REGISTERED), False: renderers(WITHOUT_REGISTERED)}


def _agrees(row: Row, columns: Columns) -> CleanRow | None:
    clean = clean_row(row, columns, TODAY, LOCAL_DOMAINS)
    if clean is None:
        return None
    result = check_row(row, columns, TODAY, LOCAL_DOMAINS)
    assert clean_result(clean) == result
    assert (clean.status, clean.codes) == (result.status, result.codes)
    assert (clean.nip_key, clean.email_key) == (result.nip_key, result.email_key)
    for name, render in RENDERERS[columns is WITH_REGISTERED].items():
        assert render.plain(row, clean) == render(result, row), name
    return clean


@settings(max_examples=600, deadline=None)
@given(
    name=names,
    nip=nips,
    email=addresses,
    registered=st.sampled_from(["same", "other", "none", "blank"]),
    with_registered=st.booleans(),
)
@example(name="Budi", nip=CLEAN[1], email=CLEAN[2], registered="same", with_registered=True)
@example(name="José", nip=CLEAN[1], email=CLEAN[2], registered="none", with_registered=True)
@example(
    name=None, nip=CLEAN[1], email="info@kemenkeu.go.id", registered="same", with_registered=False
)
def test_a_clean_row_is_what_the_general_path_says(
    name: CellValue, nip: CellValue, email: CellValue, registered: str, with_registered: bool
) -> None:
    on_record: CellValue = {"same": email, "other": "lain@gmail.com", "none": None, "blank": ""}[
        registered
    ]
    columns = WITH_REGISTERED if with_registered else WITHOUT_REGISTERED
    cells = (name, nip, email, on_record) if with_registered else (name, nip, email)
    _agrees(Row(7, cells, 0), columns)


@pytest.mark.parametrize(
    "cells",
    [
        CLEAN,
        ("Budi", "199001012022211001", "budi_2@belajar.id", None),  # PPPK, none on record
        ("José", CLEAN[1], "a+b-c@mail.sumbawakab.go.id", "a+b-c@mail.sumbawakab.go.id"),
        ("Budi", CLEAN[1], "budi@GMAIL.COM", "budi@GMAIL.COM"),  # the domain lowercased
    ],
)
def test_the_common_rows_are_clean(cells: tuple[CellValue, ...]) -> None:
    assert _agrees(Row(2, cells, 0), WITH_REGISTERED) is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda c: (c[0], "19860926 201505 1 001", *c[2:]),  # an info finding on the NIP
        lambda c: (c[0], "198609262015051000", *c[2:]),  # serial 000
        lambda c: (c[0], 198609262015051001, *c[2:]),  # a number cell
        lambda c: (c[0], c[1], "Budi@gmail.com", "Budi@gmail.com"),  # capitals
        lambda c: (c[0], c[1], "budi@gmial.com", "budi@gmial.com"),  # a domain typo
        lambda c: (c[0], c[1], c[2], "lain@gmail.com"),  # another on record
        lambda c: (c[0], c[1], c[2], ""),  # a blank cell on record
        lambda c: ("Bu\udce9di", *c[1:]),  # a byte of another encoding
    ],
)
def test_any_other_row_is_not(
    change: Callable[[tuple[CellValue, ...]], tuple[CellValue, ...]],
) -> None:
    assert clean_row(Row(2, change(CLEAN), 0), WITH_REGISTERED, TODAY, LOCAL_DOMAINS) is None


def test_a_ragged_row_is_not_clean() -> None:
    row = Row(2, (*CLEAN, "extra"), 1)
    assert clean_row(row, WITH_REGISTERED, TODAY, LOCAL_DOMAINS) is None


def test_a_file_without_an_email_column_is_never_clean() -> None:
    columns = Columns(nip=1, email=None, registered=None, name=0, header=("NAMA", "NIP"))
    assert clean_row(Row(2, CLEAN[:2], 0), columns, date(2026, 1, 1)) is None


@st.composite
def clean_looking_rows(draw: st.DrawFn) -> tuple[CellValue, ...]:
    """Rows that are mostly clean: NIPs near real ones, addresses of the characters a
    plain one has (now and then a capital, a doubled dot, a role name)."""
    nip = draw(plausible_nips())
    local = draw(st.from_regex(r"\A[a-z0-9_+.\-]{1,12}\Z") | st.sampled_from(["info", "Budi"]))
    domain = draw(
        st.sampled_from(["gmail.com", "yahoo.co.id", "sumbawakab.go.id", "Belajar.ID", "x.a"])
    )
    email = f"{local}@{domain}"
    on_record = draw(st.sampled_from([email, None]))
    return (draw(names), nip, email, on_record)


@settings(max_examples=1500, deadline=None)
@given(cells=clean_looking_rows())
def test_clean_looking_rows(cells: tuple[CellValue, ...]) -> None:
    _agrees(Row(9, cells, 0), WITH_REGISTERED)
    _agrees(Row(9, cells[:3], 0), WITHOUT_REGISTERED)
