"""``batch --fixed`` never makes a cell worse: the XLSX copy is the original workbook with
only the fixed cells changed, the CSV copy the input's own bytes with only the changed fields
rewritten (NIPs kept as text), ``--fixed-log`` lists every change."""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest
from openpyxl.chart import BarChart, Reference  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped,unused-ignore]

from sapkcheck.batch import fixed_xlsx
from sapkcheck.batch.excel_text import needs_text_form, text_form, unwrap
from sapkcheck.batch.fixed_copy import FixedWriter
from sapkcheck.batch.fixed_csv import field_value, rewrite_record, split_record
from sapkcheck.batch.tables.model import Columns, Row, Table, TableError
from tests.helpers import Run

CLI = Callable[..., Run]

NIP_GROUPED = "19860926 201505 2 001"
NIP = "198609262015052001"
NIP_B = "199001012015031003"
SHEET = "xl/worksheets/sheet1.xml"
FORMULA_NOTE = "not changed: the cell holds a formula"


# --------------------------------------------------------------------------- XLSX


def rich_workbook(path: Path) -> Path:
    """A workbook shaped like a real export: a title row, merged title, styles, widths, a
    formula, a second sheet with a chart and a formula, a defined name."""
    workbook = openpyxl.Workbook()
    data = workbook.active
    data.title = "Pegawai"
    data.append(["DAFTAR PEGAWAI DINAS X", None, None, None])
    data.merge_cells("A1:D1")
    data["A1"].font = Font(bold=True, size=14)
    data.append(["NAMA", "NIP", "EMAIL", "JUMLAH"])
    data.append(["Eli Sari", NIP_GROUPED, "eli.sari@gmail.com ", 3])
    data.append(["Budi", 1.98609262015051e17, "budi@gmail.com", 4])  # Excel damage
    data.append(["Fajar", NIP_B, "\u200bfajar@gmail.com", "=D3+D4"])
    data["B3"].fill = PatternFill("solid", fgColor="FFFF00")
    data["B3"].number_format = "@"
    data["C3"].font = Font(italic=True, color="FF0000")
    data.column_dimensions["A"].width = 31
    data.column_dimensions["B"].width = 24
    data.row_dimensions[3].height = 22
    other = workbook.create_sheet("Rekap")
    other.append(["Unit", "Jumlah"])
    other.append(["Dinas X", "=COUNTA(Pegawai!A3:A5)"])
    other.merge_cells("C1:E2")
    chart = BarChart()
    chart.add_data(Reference(other, min_col=2, min_row=1, max_row=2), titles_from_data=True)
    other.add_chart(chart, "G2")
    from openpyxl.workbook.defined_name import DefinedName  # type: ignore[import-untyped]

    workbook.defined_names["daftar"] = DefinedName("daftar", attr_text="Pegawai!$A$2:$D$5")
    workbook.save(path)
    return path


def with_cached_formula(path: Path) -> None:
    """Row 6: a formula whose cached value is an email with a trailing space (what Excel
    saves for ``=LOWER(…)``): the reader sees the value, the copy must keep the formula."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == SHEET:
                row = (
                    b'<row r="6"><c r="A6" t="inlineStr"><is><t>Eka</t></is></c>'
                    b'<c r="B6" t="inlineStr"><is><t>199001012015031004</t></is></c>'
                    b'<c r="C6" t="str"><f>LOWER("EKA@GMAIL.COM ")</f><v>eka@gmail.com </v></c>'
                    b"</row>"
                )
                data = data.replace(b"</sheetData>", row + b"</sheetData>")
            archive.writestr(info, data)
    path.write_bytes(out.getvalue())


def cells_without(xml: bytes, refs: set[str]) -> bytes:
    """The sheet XML with the ``<c>`` elements of ``refs`` taken out."""
    pattern = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?(?:/>|>.*?</c>)', re.S)
    return pattern.sub(lambda m: b"" if m.group(1).decode() in refs else m.group(0), xml)


def test_fixed_xlsx_is_the_original_workbook_with_only_the_fixed_cells_changed(
    cli: CLI, tmp_path: Path
) -> None:
    source = rich_workbook(tmp_path / "pegawai.xlsx")
    with_cached_formula(source)
    before = source.read_bytes()
    fixed = tmp_path / "fixed.xlsx"
    log = tmp_path / "log.csv"
    run = cli("batch", str(source), "--fixed", str(fixed), "--fixed-log", str(log), "--lang", "en")
    assert run.exit_code == 1
    assert source.read_bytes() == before  # never modified

    # Every zip member but the data sheet: the same names, order and contents.
    with zipfile.ZipFile(source) as a, zipfile.ZipFile(fixed) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != SHEET:
                assert a.read(name) == b.read(name), name
        old_xml, new_xml = a.read(SHEET), b.read(SHEET)
    # In the sheet, every byte outside the changed cells is the same.
    changed = {"B3", "C3", "C5"}
    assert cells_without(old_xml, changed) == cells_without(new_xml, changed)
    assert new_xml != old_xml

    old = openpyxl.load_workbook(source)
    new = openpyxl.load_workbook(fixed)
    assert old.sheetnames == new.sheetnames
    assert list(old.defined_names) == list(new.defined_names)
    for title in old.sheetnames:
        a_sheet, b_sheet = old[title], new[title]
        assert a_sheet.merged_cells.ranges == b_sheet.merged_cells.ranges
        assert {k: v.width for k, v in a_sheet.column_dimensions.items()} == {
            k: v.width for k, v in b_sheet.column_dimensions.items()
        }
        assert a_sheet.max_row == b_sheet.max_row
        for a_row, b_row in zip(a_sheet.iter_rows(), b_sheet.iter_rows(), strict=True):
            for a_cell, b_cell in zip(a_row, b_row, strict=True):
                assert a_cell.style_id == b_cell.style_id, a_cell.coordinate
                if title == "Pegawai" and a_cell.coordinate in changed:
                    continue
                assert (a_cell.value, a_cell.data_type) == (b_cell.value, b_cell.data_type), (
                    title,
                    a_cell.coordinate,
                )
    assert len(new["Rekap"]._charts) == 1
    sheet = new["Pegawai"]
    assert (sheet["B3"].value, sheet["B3"].data_type) == (NIP, "s")  # text, never a number
    assert sheet["B3"].fill.fgColor.rgb == "00FFFF00" and sheet["B3"].number_format == "@"
    assert sheet["C3"].value == "eli.sari@gmail.com" and sheet["C3"].font.italic
    assert sheet["C5"].value == "fajar@gmail.com"
    assert sheet["B4"].value == 1.98609262015051e17  # damaged: cannot be fixed, left alone
    assert sheet["D5"].value == "=D3+D4"  # formulas kept
    assert sheet["C6"].value == '=LOWER("EKA@GMAIL.COM ")'  # a formula is never replaced
    assert new["Rekap"]["B2"].value == "=COUNTA(Pegawai!A3:A5)"

    assert "2 row(s) changed" in run.stderr
    assert "1 cell(s) to fix hold a formula" in run.stderr
    assert "1 NIP cell(s) are numbers that Excel already cut" in run.stderr
    raw = log.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Column", "Before", "After", "Note"]
    assert rows[1:] == [
        ["3", "B (NIP)", NIP_GROUPED, f'="{NIP}"', ""],  # Excel keeps every digit
        ["3", "C (EMAIL)", "eli.sari@gmail.com ", "eli.sari@gmail.com", ""],
        ["5", "C (EMAIL)", "[U+200B]fajar@gmail.com", "fajar@gmail.com", ""],
        [
            "6",
            "C (EMAIL)",
            "eka@gmail.com ",
            "eka@gmail.com ",
            "not changed: the cell holds a formula",
        ],
    ]
    again = cli("batch", str(fixed), "--format", "jsonl")
    codes = {
        r["row"]: {f["code"] for f in r["findings"]} for r in map(_json, again.stdout.splitlines())
    }
    assert "email-trailing-space" not in codes[3] and "nip-separators" not in codes[3]
    assert "nip-excel-damaged" in codes[4]


def _json(line: str) -> Any:
    import json

    return json.loads(line)


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 20])
def test_sheet_patch_is_the_same_whatever_the_read_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    source = rich_workbook(tmp_path / "in.xlsx")
    changes = [(3, 1, NIP), (3, 2, "a&b<c>@x.id"), (5, 2, "fajar@gmail.com")]
    outputs = []
    for size in (chunk, 1 << 20):
        monkeypatch.setattr(fixed_xlsx, "CHUNK", size)
        out = io.BytesIO()
        patcher = fixed_xlsx.patch_workbook(source, out, "Pegawai", iter(changes), "x")
        assert (patcher.applied, patcher.missing, patcher.formulas) == (3, set(), set())
        with zipfile.ZipFile(out) as archive:
            outputs.append(archive.read(SHEET))
    assert outputs[0] == outputs[1]
    assert b'<is><t xml:space="preserve">a&amp;b&lt;c&gt;@x.id</t></is>' in outputs[0]


def test_sheet_patch_handles_prefixes_cells_without_references_and_missing_cells() -> None:
    xml = (
        b'<?xml version="1.0"?><x:worksheet xmlns:x="urn:main"><x:sheetData>'
        b'<x:row r="2"><x:c s="3" t="s"><x:v>0</x:v></x:c><x:c t="s" s="4"><x:v>1</x:v></x:c>'
        b'</x:row><x:row><x:c r="A3"><x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    out = io.BytesIO()
    patcher = fixed_xlsx.SheetPatcher(iter([(2, 1, "new"), (3, 0, "n"), (9, 0, "gone")]), "x")
    patcher.run(io.BytesIO(xml), out)
    assert out.getvalue() == xml.replace(
        b'<x:c t="s" s="4"><x:v>1</x:v></x:c>',
        b'<x:c s="4" t="inlineStr"><x:is><x:t xml:space="preserve">new</x:t></x:is></x:c>',
    ).replace(
        b'<x:c r="A3"><x:v>5</x:v></x:c>',
        b'<x:c r="A3" t="inlineStr"><x:is><x:t xml:space="preserve">n</x:t></x:is></x:c>',
    )
    assert patcher.missing == {(9, 0)}


def test_worksheet_part_follows_the_relationships(tmp_path: Path) -> None:
    source = rich_workbook(tmp_path / "in.xlsx")
    with zipfile.ZipFile(source) as archive:
        assert fixed_xlsx.worksheet_part(archive, "Rekap") == "xl/worksheets/sheet2.xml"
        assert fixed_xlsx.worksheet_part(archive, None) == SHEET
        with pytest.raises(fixed_xlsx.PatchProblem):
            fixed_xlsx.worksheet_part(archive, "Nope")


# --------------------------------------------------------------------------- CSV


RAW_CSV = (
    "sep=;\r\n"
    "DAFTAR PEGAWAI;;;\r\n"
    'NAMA;NIP;"EMAIL";KET\r\n'
    f'"Eli ""Sari""";{NIP_GROUPED};"eli.sari@gmail.com ";"catatan\r\ndua baris"\n'
    f'Budi;{NIP_B};budi@gmail.com;=HYPERLINK("x")\r\n'
    "\r\n"
    f'Fajar;"{NIP_GROUPED}";\u00a0fajar@gmail.com;ok\r\n'
    "\r\n\r\n\x1a"
)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig", "utf-16"])
def test_fixed_csv_keeps_every_byte_but_the_changed_fields(
    cli: CLI, tmp_path: Path, encoding: str
) -> None:
    source = tmp_path / "in.csv"
    source.write_bytes(RAW_CSV.encode(encoding))
    fixed = tmp_path / "out.csv"
    run = cli("batch", str(source), "--fixed", str(fixed), "--format", "json")
    assert run.exit_code == 1
    expected = (
        RAW_CSV.replace(f";{NIP_GROUPED};", f';"=""{NIP}""";', 1)
        .replace('"eli.sari@gmail.com "', '"eli.sari@gmail.com"')
        .replace('=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"')  # inert, and quoted as CSV
        .replace(f'"{NIP_GROUPED}"', f'"=""{NIP}"""')
        .replace("\u00a0fajar", "fajar")
    )
    assert fixed.read_bytes() == expected.encode(encoding)
    assert "1 cell(s) of the fixed copy began with" in run.stderr or "sel" in run.stderr


def test_fixed_csv_plain_nips_and_nips_read_back(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(RAW_CSV, encoding="utf-8")
    plain = tmp_path / "plain.csv"
    cli("batch", str(source), "--fixed", str(plain), "--fixed-nip", "plain", "--format", "json")
    assert f";{NIP};" in plain.read_text(encoding="utf-8")
    text = tmp_path / "text.csv"
    cli("batch", str(source), "--fixed", str(text), "--format", "json")
    again = cli("batch", str(text), "--format", "jsonl")
    records = [_json(line) for line in again.stdout.splitlines()]
    assert records[0]["nip"]["normalized"] == NIP
    assert "nip-separators" not in {f["code"] for f in records[0]["findings"]}
    # A second pass changes nothing more: the copy of the copy is the copy.
    third = tmp_path / "third.csv"
    cli("batch", str(text), "--fixed", str(third), "--format", "json")
    assert third.read_bytes() == text.read_bytes()


def test_split_record_agrees_with_the_csv_module() -> None:
    samples = [
        "a,b,c\r\n",
        '"a,1","b""x",c\n',
        '"quoted"tail,,\r',
        "\r\n",
        ",\n",
        '"multi\nline",x\r\n',
        'x,"",""""\n',
        "no newline",
        'a,"b" ,c\n',
    ]
    for sample in samples:
        spans, open_quote = split_record(sample, ",")
        assert not open_quote
        expected = next(csv.reader(io.StringIO(sample, newline="")), [])
        assert [field_value(sample, span) for span in spans] == expected, sample
    assert split_record('a,"open\n', ",")[1] is True


def test_rewrite_record_checks_the_fields_it_replaces() -> None:
    record = 'a;"b;c";d\r\n'
    assert rewrite_record(record, ";", {1: "x"}, {1: "b;c"}) == 'a;"x";d\r\n'
    assert rewrite_record(record, ";", {2: 'q"q'}, {2: "d"}) == 'a;"b;c";"q""q"\r\n'
    assert rewrite_record(record, ";", {2: "x"}, {2: "not d"}) is None


def test_excel_text_form() -> None:
    assert needs_text_form(NIP) and needs_text_form("0812345")
    assert needs_text_form("123456789012") and not needs_text_form("12345678901")
    assert not needs_text_form("12a") and not needs_text_form("0")
    assert text_form(NIP) == f'="{NIP}"' and unwrap(text_form(NIP)) == NIP
    assert unwrap('="a"b"') == '="a"b"' and unwrap("plain") == "plain"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("evaluate", ["false", "true"])
def test_libreoffice_keeps_the_fixed_csv_nips_as_text(
    cli: CLI, tmp_path: Path, evaluate: str
) -> None:
    """Calc opens the fixed CSV (Indonesian locale, ';'): the NIP it fixed stays 18 digits of
    text, whether or not it evaluates formulas; a bare NIP field becomes a damaged number."""
    source = tmp_path / "in.csv"
    source.write_text(
        f"NAMA;NIP;EMAIL\r\nEli;{NIP_GROUPED};eli@gmail.com\r\nBudi;{NIP_B};budi@gmail.com\r\n",
        encoding="utf-8",
    )
    fixed = tmp_path / "fixed.csv"
    cli("batch", str(source), "--fixed", str(fixed), "--format", "json")
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            f"--infilter=CSV:59,34,76,1,,1057,false,false,false,false,false,-1,{evaluate}",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(fixed),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = tmp_path / "lo" / "fixed.xlsx"
    assert converted.exists(), done.stderr
    sheet = openpyxl.load_workbook(converted, data_only=True).active
    nip = sheet["B2"].value
    assert isinstance(nip, str) and unwrap(nip) == NIP
    assert isinstance(sheet["B3"].value, float)  # the untouched bare NIP: Calc's number


# --------------------------------------------------------------------------- other inputs


def other_table(tmp_path: Path, kind: str) -> Table:
    rows = iter([Row(2, ("Eli", NIP, "eli@gmail.com"), 0)])
    return Table(
        kind=kind,  # type: ignore[arg-type]
        label=str(tmp_path / f"in.{kind}"),
        source=tmp_path / f"in.{kind}",
        columns=Columns(nip=1, email=2, registered=None, name=0, header=("NAMA", "NIP", "EMAIL")),
        header_row=1,
        rows=rows,
        leading=(("NAMA", "NIP", "EMAIL"),),
        closers=[],
        sheet="Data",
    )


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_xls_and_ods_inputs_get_an_xlsx_copy(tmp_path: Path, kind: str) -> None:
    table = other_table(tmp_path, kind)
    for bad in ("out.csv", "out.ods", "out.xls", "out.dat"):
        with pytest.raises(TableError) as info:
            FixedWriter(table, tmp_path / bad)
        assert info.value.params["reason"] == "extension-xlsx", bad
    dest = tmp_path / "out.xlsx"
    with FixedWriter(table, dest) as writer:
        for row in table:
            writer.write(row.cells, row.cells)
    sheet = openpyxl.load_workbook(dest)["Data"]
    assert [c.value for c in sheet[2]] == ["Eli", NIP, "eli@gmail.com"]
    assert sheet["B2"].data_type == "s" and sheet["B2"].number_format == "@"


# --------------------------------------------------------------------------- --fixed-log


def test_fixed_log_is_masked_and_inert(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(RAW_CSV, encoding="utf-8")
    fixed, log = tmp_path / "out.csv", tmp_path / "log.csv"
    run = cli(
        "batch", str(source), "--fixed", str(fixed), "--fixed-log", str(log), "--mask",
        "--format", "json", "--lang", "id",
    )  # fmt: skip
    assert run.exit_code == 1
    text = log.read_text(encoding="utf-8-sig")
    for secret in (NIP, "19860926", "eli.sari", "fajar@", "HYPERLINK"):
        assert secret not in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Baris", "Kolom", "Sebelum", "Sesudah", "Catatan"]
    assert rows[1] == ["3", "B (NIP)", "19**************01", "19**************01", ""]
    assert {row[0] for row in rows[1:]} == {"3", "4", "6"}
    inert_rows = [row for row in rows[1:] if row[4]]
    assert inert_rows and inert_rows[0][3] == "***"  # the formula made inert, masked


def test_fixed_log_targets_are_checked_before_any_work(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(RAW_CSV, encoding="utf-8")
    fixed = tmp_path / "out.csv"
    alone = cli("batch", str(source), "--fixed-log", str(tmp_path / "log.csv"))
    assert alone.exit_code == 2 and "--fixed" in alone.stderr
    same = cli("batch", str(source), "--fixed", str(fixed), "--fixed-log", str(fixed))
    assert same.exit_code == 2 and not fixed.exists()
    itself = cli("batch", str(source), "--fixed", str(fixed), "--fixed-log", str(source))
    assert itself.exit_code == 2 and not fixed.exists()
    stdout = cli("batch", str(source), "--fixed", str(fixed), "--fixed-log", "-")
    assert stdout.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.csv"]


def test_a_workbook_that_cannot_be_patched_is_exit_2_and_leaves_nothing(
    cli: CLI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = rich_workbook(tmp_path / "in.xlsx")
    # A cell to fix longer than the patcher reads ahead for (the bound on its work).
    monkeypatch.setattr(fixed_xlsx, "_MAX_TAG", 4)
    monkeypatch.setattr(fixed_xlsx, "CHUNK", 2)
    fixed = tmp_path / "fixed.xlsx"
    run = cli("batch", str(source), "--fixed", str(fixed), "--lang", "en")
    assert run.exit_code == 2
    assert "could not be copied cell for cell" in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_patched_workbook(cli: CLI, tmp_path: Path) -> None:
    source = rich_workbook(tmp_path / "pegawai.xlsx")
    fixed = tmp_path / "fixed.xlsx"
    cli("batch", str(source), "--fixed", str(fixed), "--format", "json")
    assert SOFFICE is not None
    done = subprocess.run(
        [
            SOFFICE,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path / "lo"),
            str(fixed),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    converted = tmp_path / "lo" / "fixed.ods"
    assert converted.exists(), done.stderr
    with zipfile.ZipFile(converted) as archive:
        content = archive.read("content.xml").decode("utf-8")
    assert 'table:name="Pegawai"' in content and 'table:name="Rekap"' in content
    assert f"<text:p>{NIP}</text:p>" in content  # the fixed NIP, as text
    assert "eli.sari@gmail.com</text:p>" in content
    assert 'table:number-columns-spanned="4"' in content  # the merged title kept


def test_sheet_patch_memory_does_not_grow_with_the_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 6 MB sheet is patched within 2 MB: it streams, never loads the XML."""
    import tracemalloc

    monkeypatch.setattr(fixed_xlsx, "CHUNK", 64 * 1024)
    rows = 50_000
    source = tmp_path / "big.xlsx"
    small = rich_workbook(tmp_path / "small.xlsx")
    with zipfile.ZipFile(small) as original, zipfile.ZipFile(source, "w") as out:
        for info in original.infolist():
            if info.filename != SHEET:
                out.writestr(info, original.read(info))
                continue
            with out.open(SHEET, "w") as sheet:
                sheet.write(b'<worksheet xmlns="urn:x"><sheetData>')
                for number in range(1, rows + 1):
                    sheet.write(
                        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>Orang %d</t></is></c>'
                        b'<c r="B%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                        % (number, number, number, number, NIP_GROUPED.encode())
                    )
                sheet.write(b"</sheetData></worksheet>")
    with zipfile.ZipFile(source) as archive:
        assert archive.getinfo(SHEET).file_size > 6_000_000
    changes = ((number, 1, NIP) for number in range(2, rows + 1, 50))
    tracemalloc.start()
    try:
        with (tmp_path / "out.xlsx").open("wb") as out:
            patcher = fixed_xlsx.patch_workbook(source, out, "Pegawai", changes, "x")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert patcher.applied == len(range(2, rows + 1, 50)) and not patcher.missing
    assert peak < 2 * 1024 * 1024, peak


def test_a_control_character_an_xlsx_cannot_hold_is_exit_2_and_leaves_nothing(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # A form feed is text in a CSV file but no XML (so no XLSX cell) can carry it.
    source = tmp_path / "ff.csv"
    source.write_bytes(b"NAMA,NIP,EMAIL\r\nEli\x0cSari,198609262015051001,eli@gmail.com \r\n")
    fixed = tmp_path / "ff.xlsx"
    run = cli("batch", str(source), "--fixed", str(fixed), "--lang", "en")
    assert run.exit_code == 2
    assert "U+000C" in run.stderr
    assert not fixed.exists()


def test_the_fixed_log_of_a_workbook_opens_in_columns_in_indonesian_excel(
    cli: CLI, tmp_path: Path
) -> None:
    """Excel in the Indonesian locale splits a CSV on ``;``: the log of an XLSX input uses
    the delimiter the CSV report would (``;`` in Indonesian, ``,`` in English)."""
    source = rich_workbook(tmp_path / "pegawai.xlsx")
    for lang, delimiter in (("id", ";"), ("en", ",")):
        log = tmp_path / f"log-{lang}.csv"
        fixed = tmp_path / f"fixed-{lang}.xlsx"
        cli("batch", str(source), "--fixed", str(fixed), "--fixed-log", str(log), "--lang", lang)
        rows = list(csv.reader(io.StringIO(log.read_text("utf-8-sig")), delimiter=delimiter))
        assert len(rows[0]) == 5, rows[0]
        assert ["3", "B (NIP)", NIP_GROUPED, f'="{NIP}"'] == rows[1][:4]
