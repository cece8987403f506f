"""The batch's JSON rows are written directly (no dicts, findings phrased once per run):
the text must equal ``json.dumps`` of the documented record shape, byte for byte."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sapkcheck.batch.rows import RowResult, check_row
from sapkcheck.batch.tables.model import Columns, Row
from sapkcheck.checks.email.check import EmailInfo
from sapkcheck.checks.nip import NipInfo
from sapkcheck.findings import CODES, make_finding
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.batch import RecordBuilder

TODAY = date(2026, 12, 3)
COLUMNS = Columns(nip=0, email=1, registered=2, name=None, header=("NIP", "EMAIL", "SAPK"))
NIPS = [
    "197108011997072003",
    "19710801 199707 2 003",
    "1.97108E+17",
    "\u0661\u0669\u0667108011997072003",
    "19711301199707200x",
    "199001012022211001",
    "",
    "NIP: 197108011997072003",
]
EMAILS = [
    "budi@gmail.com",
    " Budi@gmail.com\u200b",
    "mailto:siti@yahoo.co.id",
    "Dewi <dewi@belajar.id>",
    "d\u0435wi@gmail.com",
    "budi@gmial.com",
    "budi@@gmail.com",
    '"q\\"uote"@gmail.com',
    "\U0001f600@gmail.com",
    "",
]
text_values = st.text(max_size=12)
maybe = st.none() | text_values


def _builder(lang: str = "id") -> RecordBuilder:
    return RecordBuilder(catalog(lang), {"helpdesk": "BKPSDM"}, mask=False)  # type: ignore[arg-type]


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_checked_rows_read_as_json_dumps_of_their_record(lang: str, ascii_only: bool) -> None:
    records = _builder(lang)
    number = 1
    for nip in NIPS:
        for email in EMAILS:
            for registered in (email, "budi@gmail.com", None):
                number += 1
                row = Row(number, (nip, email, registered), 0)
                result = check_row(row, COLUMNS, TODAY)
                expected = json.dumps(records.record(result), ensure_ascii=ascii_only)
                assert records.record_json(result, ascii_only) == expected
                # the second time, from the findings phrased once
                assert records.record_json(result, ascii_only) == expected


@settings(max_examples=300, deadline=None)
@given(
    nip=st.builds(
        NipInfo,
        text_values,
        maybe,
        st.sampled_from([None, "pns", "pppk", "old"]),
        st.none() | st.dates(),
        maybe,
        st.sampled_from([None, "male", "female"]),
        maybe,
        st.none() | st.integers(0, 99),
    ),
    email=st.none()
    | st.builds(EmailInfo, text_values, maybe, maybe, st.lists(text_values, max_size=3).map(tuple)),
    codes=st.lists(st.sampled_from(sorted(CODES)), max_size=3),
    param=text_values,
    span=st.none() | st.tuples(st.integers(0, 50), st.integers(0, 50)),
    ascii_only=st.booleans(),
)
def test_any_record_reads_as_json_dumps(
    nip: NipInfo,
    email: EmailInfo | None,
    codes: list[str],
    param: str,
    span: tuple[int, int] | None,
    ascii_only: bool,
) -> None:
    records = _builder()
    findings = tuple(
        make_finding(code, span=span if i % 2 else None, **({"value": param} if i else {}))
        for i, code in enumerate(codes)
    )
    result = RowResult(7, nip, email, findings)
    expected = json.dumps(records.record(result), ensure_ascii=ascii_only)
    assert records.record_json(result, ascii_only) == expected
