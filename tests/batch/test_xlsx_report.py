"""The XLSX report (``--format xlsx``), parsed back with openpyxl: every row, NIPs as text
cells, exactly the faulty cells coloured, the summary equal to the JSON summary, the next
results sheet past the row limit, --mask, --carry, and the usage errors decided before
any work."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck.render import xlsx_report
from tests.helpers import Run

CLI = Callable[..., Run]
HEADER = ["NO", "NAMA", "UNIT KERJA", "NIP", "EMAIL", "EMAIL SAPK"]
ROWS = [
    ["1", "Eli Sari", "Disdik", "198609262015052001", "eli.sari@gmail.com ", "eli.sari@gmail.com"],
    ["2", "Budi Santoso", "Dinkes", "198609262015051002", "budi@gmial.com", "budi@gmial.com"],
    ["3", "Citra Dewi", "Bappeda", "1,98609E+17", "citra@yahoo.co.id", "citra@yahoo.co.id"],
    ["4", "Dedi Kurnia", "Bappeda", "198613262015053004", "dedi@gmail.com", "dedi@gmail.com"],
    ["5", "Fajar Nugroho", "Dinkes", "199001012015031003", "fajar@gmail.com", "fajar@gmail.com"],
    ["6", "Gita Lestari", "Setda", "199203042019032005", "gita@yahoo.com", "gita.l@yahoo.com"],
    ["7", "Hadi Pratama", "Setda", "019001012015031007", "hadi@gmail.com", "hadi@gmail.com"],
]  # fmt: skip
RED, YELLOW = "FFC7CE", "FFEB9C"


@pytest.fixture
def staff(tmp_path: Path) -> Path:
    path = tmp_path / "pegawai.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=";")
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def report(cli: CLI, source: Path, *args: str, name: str = "laporan.xlsx") -> Any:
    out = source.parent / name
    run = cli("batch", str(source), "--output", str(out), "--jobs", "1", *args)
    assert run.exit_code == 1, run.stderr
    return openpyxl.load_workbook(out)


def lines(sheet: Any) -> list[dict[str, Any]]:
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def jsonl(cli: CLI, source: Path, *args: str) -> list[dict[str, Any]]:
    run = cli("batch", str(source), "--format", "jsonl", "--jobs", "1", *args)
    return [json.loads(line) for line in run.stdout.splitlines()]


def fill(cell: Any) -> str | None:
    if cell.fill is None or cell.fill.fill_type != "solid":
        return None
    return str(cell.fill.fgColor.rgb)[-6:]


def test_every_row_with_its_nip_as_a_text_cell(cli: CLI, staff: Path) -> None:
    book = report(cli, staff)
    assert book.sheetnames == ["Hasil", "Ringkasan", "Kode"]
    results = book["Hasil"]
    header = [cell.value for cell in next(results.iter_rows())]
    assert header == [
        "Baris",
        "NAMA",
        "NO",
        "UNIT KERJA",
        "NIP",
        "Email",
        "Status",
        "Kode",
        "Pesan",
        "Cara memperbaiki",
        "Pesan untuk pegawai",
    ]
    found = lines(results)
    assert [line["Baris"].value for line in found] == list(range(2, 2 + len(ROWS)))  # every row
    for line, row in zip(found, ROWS, strict=True):
        assert line["NIP"].data_type == "s"  # a text cell: all 18 digits, whatever they are
        assert line["NIP"].value == row[3]
        assert line["NAMA"].value == row[1]
        assert line["UNIT KERJA"].value == row[2]
    assert found[6]["NIP"].value == "019001012015031007"  # the leading zero kept
    assert results.freeze_panes == "A2"
    assert results.auto_filter.ref == f"A1:K{len(ROWS) + 1}"


def test_codes_status_and_the_message_for_each_staff_member(cli: CLI, staff: Path) -> None:
    records = {r["row"]: r for r in jsonl(cli, staff)}
    found = {line["Baris"].value: line for line in lines(report(cli, staff)["Hasil"])}
    words = {"ok": "baik", "warn": "peringatan", "fail": "kesalahan"}
    for number, record in records.items():
        line = found[number]
        assert line["Status"].value == words[record["status"]]
        assert line["Kode"].value == ", ".join(f["code"] for f in record["findings"])
        for finding in record["findings"]:
            assert finding["message"] in line["Pesan"].value
    fine = found[6]["Pesan untuk pegawai"].value  # Fajar: nothing to change
    assert fine.startswith("Halo Fajar Nugroho, ")
    assert "tidak ada masalah" in fine
    typo = found[3]["Pesan untuk pegawai"].value  # Budi: the main problem, then what to do
    assert typo.startswith("Halo Budi Santoso, ")
    first = next(f for f in records[3]["findings"] if f["severity"] in ("error", "warning"))
    assert first["message"] in typo
    assert first["remedy"] in typo


def test_coloured_cells_are_exactly_the_faulty_ones(cli: CLI, staff: Path) -> None:
    records = {r["row"]: r for r in jsonl(cli, staff)}
    sheet = report(cli, staff)["Hasil"]
    colour = {"error": RED, "warning": YELLOW}
    rank = {"error": 2, "warning": 1}
    coloured = 0
    for row in list(sheet.iter_rows())[1:]:
        number = row[0].value
        for cell in row:
            field = {4: "nip", 5: "email"}.get(cell.column - 1)
            about = [
                f["severity"]
                for f in records[number]["findings"]
                if f["field"] == field and f["severity"] in colour
            ]
            expected = colour[max(about, key=rank.__getitem__)] if about else None
            assert fill(cell) == expected, (number, cell.coordinate, about)
            coloured += expected is not None
    assert coloured >= 4  # the fixture has faulty NIPs and emails of both severities


def test_summary_counts_equal_the_json_summary(cli: CLI, staff: Path) -> None:
    document = json.loads(cli("batch", str(staff), "--format", "json", "--jobs", "1").stdout)
    summary = document["summary"]
    sheet = report(cli, staff)["Ringkasan"]
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    labels = {row[0]: row[1] for row in cells if row[0] is not None}
    assert labels["Baris diperiksa"] == summary["rows"]
    assert labels["baik"] == summary["ok"]
    assert labels["peringatan"] == summary["warn"]
    assert labels["kesalahan"] == summary["fail"]
    start = next(i for i, row in enumerate(cells) if row[:3] == ["Kode", "Judul", "Jumlah"])
    by_code = {}
    for row in cells[start + 1 :]:
        if row[0] is None:
            break
        by_code[row[0]] = row[2]
    assert by_code == summary["by_code"]
    assert labels["NIP"] == "NIP"
    assert labels["Email"] == "EMAIL"
    assert labels["Kolom yang dibawa"] == "NAMA, NO, UNIT KERJA"
    assert labels["Profil daerah"] == "Kabupaten Sumbawa"
    assert len(sheet._charts) == 1  # the bar chart of the most frequent codes
    codes = [row[0].value for row in list(report(cli, staff)["Kode"].iter_rows())[1:]]
    assert codes == sorted(summary["by_code"])  # each code present, explained once


def test_results_continue_on_a_second_sheet_past_the_row_limit(
    cli: CLI, staff: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_report, "SHEET_ROWS", 4)  # a header and 3 lines per sheet
    book = report(cli, staff, "--lang", "en")
    assert book.sheetnames == ["Results", "Results 2", "Results 3", "Summary", "Codes"]
    numbers = []
    for name, count in (("Results", 3), ("Results 2", 3), ("Results 3", 1)):
        sheet = book[name]
        assert next(sheet.iter_rows(values_only=True))[0] == "Row"
        found = lines(sheet)
        assert len(found) == count
        numbers += [line["Row"].value for line in found]
        assert sheet.auto_filter.ref == f"A1:K{count + 1}"
    assert numbers == list(range(2, 2 + len(ROWS)))


def test_mask_hides_nips_emails_names_and_the_messages(cli: CLI, staff: Path) -> None:
    book = report(cli, staff, "--mask")
    text = "\n".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )
    for row in ROWS:
        for personal in (row[1], row[3], row[4].strip(), row[5], row[1].split()[0]):
            assert personal not in text, personal
    assert "gmail.com" in text  # the domain stays, as in every --mask output
    assert "Dinkes" in text  # a unit finds no one
    found = lines(book["Hasil"])
    assert found[0]["NAMA"].value == "***"
    assert all(line["Pesan untuk pegawai"].value.startswith("Halo, ") for line in found)


def test_carry_chooses_the_columns(cli: CLI, staff: Path) -> None:
    book = report(cli, staff, "--carry", " unit kerja ,Nama")
    header = next(book["Hasil"].iter_rows(values_only=True))
    assert header[:3] == ("Baris", "UNIT KERJA", "NAMA")
    assert header[3] == "NIP"


def test_an_unknown_carry_column_is_refused_before_any_work(cli: CLI, staff: Path) -> None:
    out = staff.parent / "laporan.xlsx"
    run = cli("batch", str(staff), "--output", str(out), "--carry", "NAMA,JABATAN")
    assert run.exit_code == 2
    assert "'JABATAN'" in run.stderr
    assert "UNIT KERJA" in run.stderr  # the columns found
    assert sorted(p.name for p in staff.parent.iterdir()) == ["pegawai.csv"]


@pytest.mark.parametrize(
    ("args", "key"),
    [
        (("--format", "xlsx"), "--output"),
        (("--format", "xlsx", "--output", "-"), "--output"),
        (("--format", "csv", "--output", "{dir}/r.xlsx"), "r.xlsx"),
        (("--format", "xlsx", "--output", "{dir}/r.csv"), "r.csv"),
        (("--format", "json", "--output", "{dir}/R.XLSX"), "R.XLSX"),
    ],
)
def test_format_and_suffix_must_agree(
    cli: CLI, staff: Path, args: tuple[str, ...], key: str
) -> None:
    before = sorted(p.name for p in staff.parent.iterdir())
    run = cli("batch", str(staff), *(a.format(dir=staff.parent) for a in args))
    assert run.exit_code == 2
    assert key in run.stderr
    assert "xlsx" in run.stderr
    assert sorted(p.name for p in staff.parent.iterdir()) == before  # nothing written


def test_the_suffix_implies_xlsx_in_any_case(cli: CLI, staff: Path) -> None:
    book = report(cli, staff, name="LAPORAN.XLSX")
    assert "Hasil" in book.sheetnames
    explicit = report(cli, staff, "--format", "xlsx", name="b.xlsx")
    assert explicit.sheetnames == book.sheetnames


def test_formula_text_stays_text(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text(
        'NAMA,NIP,EMAIL\n=HYPERLINK("http://x"),198609262015052001,=1+1\n', encoding="utf-8"
    )
    out = tmp_path / "r.xlsx"
    cli("batch", str(source), "--output", str(out), "--jobs", "1")
    line = lines(openpyxl.load_workbook(out)["Hasil"])[0]
    for column in ("NAMA", "Email"):
        assert line[column].data_type == "s"  # stored as a string, never a formula
    assert line["NAMA"].value == '=HYPERLINK("http://x")'


@pytest.mark.parametrize("interrupt", [False, True])
def test_no_row_file_is_left_behind(
    cli: CLI, staff: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interrupt: bool
) -> None:
    """xlsxwriter keeps the rows in named temp files until the end: in a private folder
    that goes, whether the run ends normally or is interrupted half-way."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen: list[Path] = []
    add = xlsx_report.XlsxSink.add

    def add_then_stop(self: xlsx_report.XlsxSink, output: Any, row: Any) -> None:
        add(self, output, row)
        seen.extend(path for path in scratch.rglob("*") if path.is_file())
        if interrupt and output.row == 4:
            raise KeyboardInterrupt

    monkeypatch.setattr(xlsx_report.XlsxSink, "add", add_then_stop)
    out = staff.parent / "laporan.xlsx"
    run = cli("batch", str(staff), "--output", str(out), "--jobs", "1")
    assert run.exit_code == (130 if interrupt else 1)
    assert seen  # the rows were in files under the scratch folder
    assert list(scratch.iterdir()) == []
    assert out.exists() is not interrupt
    assert [p.name for p in staff.parent.iterdir() if p.name.startswith(".")] == []
