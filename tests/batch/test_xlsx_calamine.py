"""XLSX through calamine (in its child) reads exactly as through openpyxl: every fixture and
generated workbooks with every cell type, read both ways; hostile files that abort calamine
end as openpyxl's reading does, never with the interpreter."""

from __future__ import annotations

import time as clock
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from sapkcheck.batch.tables import model, xlsx_calamine, xlsx_survey, xlsx_table
from sapkcheck.batch.tables.model import CellValue, TableError
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.batch.tables.xlsx_guard import check_xlsx_bounds

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def _trim(cells: tuple[CellValue, ...]) -> tuple[CellValue, ...]:
    end = len(cells)
    while end and cells[end - 1] is None:
        end -= 1
    return cells[:end]


def read(path: Path, **options: Any) -> object:
    """Everything a reader hands on (or the error it raises)."""
    try:
        with open_table(path, require_email=False, **options) as table:
            return (
                table.columns,
                table.header_row,
                table.header_rows,
                table.sheet,
                list(table._leading),
                [(row.number, row.cells, row.ragged) for row in table],
            )
    except TableError as error:
        return ("error", error.problem, error.params)


def both(path: Path, monkeypatch: pytest.MonkeyPatch, **options: Any) -> tuple[object, bool]:
    """The openpyxl reading, and whether calamine was chosen; asserts the two agree."""
    chosen: list[bool] = []
    real = xlsx_calamine.calamine_rows

    def spy(*args: Any, **kwargs: Any) -> Any:
        loaded = real(*args, **kwargs)
        chosen.append(loaded is not None)
        return loaded

    monkeypatch.setattr(xlsx_table, "calamine_rows", spy)
    fast = read(path, **options)
    with monkeypatch.context() as patch:
        patch.setattr(xlsx_survey, "CALAMINE_MAX_CELLS", 0)
        slow = read(path, **options)
    assert repr(fast) == repr(slow)  # 42 == 42.0 and True == 1: the types must agree too
    return slow, any(chosen)


def write(path: Path, sheets: dict[str, list[list[Any]]], **formats: str) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell, number_format in formats.items():
            sheet[cell].number_format = number_format
    workbook.save(path)
    return path


HEADER = ["NO", "NAMA", "NIP", "EMAIL", "TANGGAL", "AKTIF", "JUMLAH"]


def plain_rows() -> list[list[Any]]:
    return [
        ["DAFTAR PEGAWAI"],
        [],
        HEADER,
        [1, "Ani", "198001012010011001", "ani@gmail.com", date(2020, 1, 31), True, 2.5],
        [2, "Budi", "198001012010011002", "budi@gmail.com", datetime(2021, 5, 6, 7, 8), False],
        [],
        [3, None, "198001012010011003", None, None, None, 7],
        [12345, "Cici", "198001012010011004", "x@y.id", date(1999, 12, 31), 1, 0.125],
    ]


def test_a_plain_workbook_is_read_by_calamine_as_openpyxl_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "plain.xlsx",
        {"Pegawai": plain_rows(), "Lain": [["A", "B"], [1, 2]]},
        E4="dd/mm/yyyy",
        E5="yyyy-mm-dd hh:mm",
        E8="d mmm yyyy",
    )
    _, chosen = both(path, monkeypatch)
    assert chosen
    _, chosen = both(path, monkeypatch, sheet="lain ")  # no NIP column: refused alike
    assert chosen
    result, chosen = both(path, monkeypatch, sheet="nope")
    assert not chosen  # openpyxl's reading names the sheets there are
    assert result[:2] == ("error", "no-such-sheet")  # type: ignore[index]


def test_times_durations_and_fractions_of_a_second(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        [*HEADER[:4], "JAM", "LAMA", "WAKTU"],
        [1, "Ani", "198001012010011001", "a@b.id", time(7, 30), timedelta(hours=30, minutes=5)],
        [2, "Budi", "198001012010011002", "b@b.id", None, None, datetime(2020, 2, 29, 23, 59)],
    ]
    rows[1].append(datetime(2020, 2, 29, 23, 59, 59, 500000))
    path = write(
        tmp_path / "times.xlsx", {"S": rows}, E2="hh:mm", F2="[h]:mm:ss", G2="yyyy-mm-dd hh:mm:ss"
    )
    _, chosen = both(path, monkeypatch)
    assert chosen


def test_a_two_row_merged_header_and_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Laporan"])
    sheet.append(["NO", "IDENTITAS", None, "KONTAK"])
    sheet.append([None, "NAMA", "NIP", "EMAIL"])
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("A2:A3")
    for i in range(5):
        sheet.append([i + 1, f"P {i}", f"19800101201001100{i}", f"p{i}@gmail.com"])
    sheet["D4"].hyperlink = "mailto:p0@gmail.com"
    sheet["A9"] = "=SUM(A4:A8)"
    workbook.create_sheet("Hidden").sheet_state = "hidden"
    path = tmp_path / "merged.xlsx"
    workbook.save(path)
    _, chosen = both(path, monkeypatch)
    assert chosen
    both(path, monkeypatch, sheet="Hidden")


_PARTS = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Pegawai" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
}
_TEXTS = ["NO", "NAMA", "NIP", "EMAIL", "Ani", "198001012010011001", "ani@gmail.com"]


def raw(path: Path, cell: str = "", *, shared: str = "", far: str = "", text: str = "") -> Path:
    """A workbook written as XML: shared strings (``text``, raw XML, the 8th), a header, one
    staff row, ``cell`` (raw XML) in E3."""
    texts = "".join(f"<si><t>{word}</t></si>" for word in _TEXTS) + text
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1">'
        + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCD"))
        + '</row><row r="2"><c r="A2"><v>1</v></c>'
        + "".join(
            f'<c r="{c}2" t="s"><v>{i}</v></c>' for c, i in zip("BCD", (4, 5, 6), strict=True)
        )
        + f'</row><row r="3"><c r="A3"><v>2</v></c>{cell.replace("@", "E3")}</row>{far}'
        "</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        archive.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            + (shared or 'count="7" uniqueCount="7"')
            + f">{texts}</sst>",
        )
    return path


# Cells the two readers read otherwise (calamine: empty, decoded, trimmed, a float).
ODD = {
    "error": '<c r="@" t="e"><v>#N/A</v></c>',
    "whitespace": '<c r="@" t="inlineStr"><is><t>   </t></is></c>',
    "empty-text": '<c r="@" t="inlineStr"><is><t></t></is></c>',
    "escape": '<c r="@" t="inlineStr"><is><t>a_x000D_b</t></is></c>',
    "padded": '<c r="@" t="inlineStr"><is><t> padded </t></is></c>',
    "whole-float": '<c r="@"><v>3.0</v></c>',
    "exponent": '<c r="@"><v>1E3</v></c>',
    "long-int": '<c r="@"><v>12345678901234567</v></c>',
    "no-reference": '<c t="inlineStr"><is><t>x</t></is></c>',
}
# Cells both read alike.
EVEN = {
    "int": '<c r="@"><v>42</v></c>',
    "fraction": '<c r="@"><v>0.30000000000000004</v></c>',
    "bool": '<c r="@" t="b"><v>1</v></c>',
    "formula": '<c r="@"><f>A2+A3</f><v>3</v></c>',
    "formula-text": '<c r="@" t="str"><f>"a"&amp;"b"</f><v>ab</v></c>',
    "preserved": '<c r="@" t="inlineStr"><is><t xml:space="preserve"> p </t></is></c>',
    "rich": '<c r="@" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>',
    "shared": '<c r="@" t="s"><v>4</v></c>',
    "entity": '<c r="@" t="inlineStr"><is><t>a &amp; b &#233;</t></is></c>',
    "empty": '<c r="@" s="0"/>',
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_values_the_readers_read_otherwise_go_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _, chosen = both(raw(tmp_path / "odd.xlsx", ODD[name]), monkeypatch)
    assert not chosen


@pytest.mark.parametrize(
    "text",
    ["<si><t> padded</t></si>", "<si><t>  </t></si>", "<si><t>a_x000A_b</t></si>"],
    ids=["padded", "whitespace", "escape"],
)
def test_shared_texts_the_readers_read_otherwise_go_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    path = raw(tmp_path / "odd.xlsx", '<c r="@" t="s"><v>7</v></c>', text=text)
    _, chosen = both(path, monkeypatch)
    assert not chosen


@pytest.mark.parametrize("name", sorted(EVEN))
def test_values_both_read_alike_go_to_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    _, chosen = both(raw(tmp_path / "even.xlsx", EVEN[name]), monkeypatch)
    assert chosen


def test_negative_numbers_without_date_formats_go_to_calamine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [HEADER[:4], [-1, "Ani", "198001012010011001", "ani@gmail.com", -2.5, 123456789012345]]
    _, chosen = both(write(tmp_path / "negative.xlsx", {"Pegawai": rows}), monkeypatch)
    assert chosen


def test_a_negative_number_under_a_date_format_goes_to_openpyxl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = plain_rows()
    rows[4][1] = -5
    path = write(tmp_path / "date.xlsx", {"Pegawai": rows}, B5="dd/mm/yyyy")
    _, chosen = both(path, monkeypatch)
    assert not chosen


@pytest.mark.parametrize("fixture", sorted(FIXTURES.rglob("*.xlsx")), ids=lambda p: p.name)
def test_every_xlsx_fixture_reads_alike(fixture: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    both(fixture, monkeypatch)


HOSTILE = {
    "shared-count": {"shared": 'count="7" uniqueCount="4294967295"'},
    "far-cell": {"far": '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'},
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("unbounded", [False, True], ids=["surveyed", "child-meets-it"])
def test_files_that_abort_calamine_read_as_openpyxl_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, unbounded: bool
) -> None:
    path = raw(tmp_path / "hostile.xlsx", **HOSTILE[name])
    survey = check_xlsx_bounds(path)
    assert survey is not None
    assert not survey.calamine_safe()  # the guard's pass already sees it
    if unbounded:  # past the survey: the child itself loads the file, and dies
        monkeypatch.setattr(xlsx_survey.WorkbookSurvey, "calamine_safe", lambda self: True)
    start = clock.monotonic()
    result, chosen = both(path, monkeypatch)
    assert not chosen
    assert clock.monotonic() - start < 60
    if name == "far-cell":  # a million empty rows: openpyxl's reading refuses it
        assert result[:2] == ("error", "too-large")  # type: ignore[index]
    else:
        assert result == read(raw(tmp_path / "plain.xlsx"))


def test_a_row_out_of_order_ends_the_child_not_the_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The survey takes a block's last row as its largest: a far row before a near one
    passes it, and calamine's dense load (1,048,000 x 52 cells, ~1.7 GB) then meets the
    child's memory bound (1 GiB more than it started with)."""
    far = (
        '<row r="1048000"><c r="AZ1048000"><v>1</v></c></row>'
        '<row r="4"><c r="A4"><v>3</v></c></row>'
    )
    path = raw(tmp_path / "disorder.xlsx", far=far)
    survey = check_xlsx_bounds(path)
    assert survey is not None
    assert survey.calamine_safe()  # the guard's pass does not see it
    # nor, here, the second pass (as it does not see cells out of order within a row)
    monkeypatch.setattr(xlsx_survey.SheetSurvey, "_rows_in_order", lambda self, block: True)
    start = clock.monotonic()
    _, chosen = both(path, monkeypatch)
    assert not chosen
    assert clock.monotonic() - start < 60


def test_rows_out_of_order_go_to_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl drops a row numbered below the one before it; calamine places it."""
    far = '<row r="6"><c r="A6"><v>6</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>'
    _, chosen = both(raw(tmp_path / "order.xlsx", far=far), monkeypatch)
    assert not chosen


def test_the_child_s_side_run_in_this_process_sends_what_the_parent_streams(
    tmp_path: Path,
) -> None:
    """``_serve`` (the child's side) run here, on a pipe: "go" and the sheet's title, its
    rows in chunks, then the end; the same rows the parent streams from a real child."""
    import threading
    from multiprocessing import Pipe

    path = write(tmp_path / "plain.xlsx", {"Pegawai": plain_rows(), "Lain": [["A"], [1]]})
    for sheet, title in ((None, "Pegawai"), ("lain ", "Lain")):
        receiving, sending = Pipe(duplex=False)
        messages: list[object] = []

        def read_all(into: list[object] = messages, end: Any = receiving) -> None:
            while (message := end.recv()) is not None:
                into.append(message)

        reader = threading.Thread(target=read_all)
        reader.start()
        xlsx_calamine._serve(sending, str(path), sheet)
        sending.send(None)  # _serve ends with None after the rows: this ends the reader
        reader.join(timeout=30)
        assert messages[0] == ("go", title)
        served = [row for chunk in messages[1:] for row in chunk]  # type: ignore[attr-defined]
        streamed = xlsx_calamine.calamine_rows("x", str(path), sheet, meanwhile=lambda: True)
        assert streamed is not None and streamed[0] == title
        assert repr(served) == repr(list(streamed[1]))


@pytest.mark.parametrize("cap", ["cell", "cells"])
def test_a_row_past_a_cap_is_refused_alike_by_both_readers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: str
) -> None:
    """The calamine stream checks a chunk of rows at once (``checked_rows``): a row past a
    cap is still refused at its own number, as openpyxl's row-by-row reading refuses it,
    and the rows before it in the same chunk are still handed on."""
    if cap == "cell":
        monkeypatch.setattr(model, "MAX_CELL_CHARS", 40)  # the guard's own cap stays
    else:
        monkeypatch.setattr(model, "MAX_CELLS_PER_ROW", len(HEADER))
    past = [4, "D" * 41, "198001012010011005", "d@b.id", None, None, 7, "one cell more"]
    rows = [*plain_rows()[:5], past]
    path = write(tmp_path / "cap.xlsx", {"S": [*rows, *plain_rows()[6:]]})
    result, chosen = both(path, monkeypatch)
    assert chosen
    assert result[:2] == ("error", "too-large")  # type: ignore[index]
    assert result[2]["what"] == cap and result[2]["row"] == "6"  # type: ignore[index]
    handed: list[int] = []
    with pytest.raises(TableError), open_table(path) as table:
        handed.extend(row.number for row in table)
    assert handed == [4, 5]


class _Unmeasurable(str):
    def __len__(self) -> int:
        raise AssertionError("measured")


def test_a_known_bound_on_the_texts_spares_measuring_them(monkeypatch: pytest.MonkeyPatch) -> None:
    rows: list[tuple[CellValue, ...]] = [(1, _Unmeasurable("abc")), (2, None)]
    assert list(model.checked_rows("x", 5, rows, text_bound=model.MAX_CELL_CHARS)) == rows
    with pytest.raises(AssertionError, match="measured"):
        list(model.checked_rows("x", 5, rows, text_bound=model.MAX_CELL_CHARS + 1))
    monkeypatch.setattr(model, "MAX_CELL_CHARS", 2)
    with pytest.raises(TableError) as caught:
        list(model.checked_rows("x", 5, [(1, "ab"), (2, "abc")]))
    assert caught.value.params["row"] == "6"
