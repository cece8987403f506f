"""Fixes that stay inert (issue 14, item 5): no CSV output ever holds a live formula, not
even one a certain fix created by unwrapping inert text; XLSX text cells stay text."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sapkcheck.batch.excel_text import needs_text_form, text_form
from sapkcheck.batch.inert import FORMULA_STARTS, inert, needs_quote, text_cell
from tests.helpers import Run

CLI = Callable[..., Run]
NIP = "198609262015051002"

# The campaign's payloads: inert as typed, live once the certain fix unwraps them.
WRAPPED = [
    'mailto:=HYPERLINK("http://evil";"click")',
    "<=1+1>",
    "*+cmd|' /C calc'!A0*",
    '"-2+3"',
    "\t=1+1",
    "\r@SUM(1)",
    " \uff1d1+1",
]


def live(cell: str) -> bool:
    return cell[:1] in FORMULA_STARTS and needs_quote(cell)


@pytest.mark.parametrize("start", sorted(FORMULA_STARTS))
def test_every_formula_start_is_quoted(start: str) -> None:
    assert inert(start + "cmd") == "'" + start + "cmd"


@pytest.mark.parametrize("number", ["-5", "+62 812 3456", "-1.5", "-1,5"])
def test_plain_numbers_are_left_alone(number: str) -> None:
    assert inert(number) == number


def test_ordinary_text_is_left_alone() -> None:
    assert inert("eli@gmail.com") == "eli@gmail.com"
    assert inert("") == ""


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_fixed_csv_copy_never_unwraps_into_a_formula(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["NIP", "EMAIL", "NOTE"])
        for payload in WRAPPED:
            writer.writerow([NIP, payload, "-5"])
    fixed = tmp_path / "fixed.csv"
    run = cli("batch", str(source), "--fixed", str(fixed), "--lang", "en")
    rows = read_csv(fixed)
    assert [cell for row in rows for cell in row if live(cell)] == []
    emails = [row[1] for row in rows[1:]]
    assert emails[0] == '\'=HYPERLINK("http://evil";"click")'  # fixed, and quoted
    assert emails[1] == "'=1+1"
    assert [row[2] for row in rows[1:]] == ["-5"] * len(WRAPPED)  # numbers untouched
    assert "got a leading '" in run.stderr


def test_xlsx_text_cells_are_quoted_in_a_csv_copy_and_stay_text_in_an_xlsx_copy(
    cli: CLI, tmp_path: Path
) -> None:
    source = tmp_path / "staff.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "EMAIL", "NOTE"])
    for payload in ("=1+1", "+cmd|x", "@SUM(A1)", "-2-3"):
        sheet.append([NIP, "eli@gmail.com", payload])
        sheet.cell(sheet.max_row, 3).data_type = "s"  # typed text, not a formula
    book.save(source)

    as_csv = tmp_path / "fixed.csv"
    cli("batch", str(source), "--fixed", str(as_csv), "--lang", "en")
    notes = [row[2] for row in read_csv(as_csv)[1:]]
    assert notes == ["'=1+1", "'+cmd|x", "'@SUM(A1)", "'-2-3"]

    as_xlsx = tmp_path / "fixed.xlsx"
    cli("batch", str(source), "--fixed", str(as_xlsx), "--lang", "en")
    copy = openpyxl.load_workbook(as_xlsx).active
    cells = [copy.cell(row, 3) for row in range(2, 6)]
    assert [c.value for c in cells] == ["=1+1", "+cmd|x", "@SUM(A1)", "-2-3"]
    assert {c.data_type for c in cells} == {"s"}


def test_csv_report_quotes_every_typed_cell(cli: CLI, tmp_path: Path) -> None:
    # campaign: the CSV report missed TAB/CR-prefixed payloads, and messages quote values
    source = tmp_path / "staff.csv"
    with source.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["NIP", "EMAIL"])
        writer.writerow(["\t=1+1", "\r=2+2"])
        writer.writerow(["=3+3", "@x"])
        writer.writerow(["123456789", "<=HYPERLINK(1)>"])  # old NIP: "{value} is an old…"
    report = tmp_path / "report.csv"
    cli("batch", str(source), "--format", "csv", "--output", str(report), "--lang", "en")
    rows = read_csv(report)
    assert len(rows) > 3
    assert [cell for row in rows for cell in row if live(cell)] == []


@given(
    st.one_of(
        st.text(),
        st.text(alphabet="0123456789٠١٢", max_size=20),
        st.sampled_from(sorted(FORMULA_STARTS)).flatmap(lambda start: st.text().map(start.__add__)),
    )
)
def test_a_report_cell_is_a_digit_string_kept_as_text_or_an_inert_one(text: str) -> None:
    """``text_cell``'s shortcut for ordinary cells gives what its two rules give."""
    expected = text_form(text) if needs_text_form(text) else inert(text)
    assert text_cell(text) == expected
