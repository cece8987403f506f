"""Batch mode on real files as admins have them, made by the tests: Excel's CSV dialect,
XLSX with merged header cells, formulas and numeric NIPs, damaged files, a 100 MB line.
Every run leaves the input's bytes unchanged; every output format parses back."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from tests.helpers import Run

CLI = Callable[..., Run]
CERTAIN_FIXES = {
    "email-leading-space",
    "email-trailing-space",
    "email-inner-space",
    "email-invisible-char",
    "email-wrapper",
    "nip-separators",
}
ROWS = [
    ("1", "Eli Sari", "19860926 201505 2 001", "eli.sari@gmail.com  ", "eli.sari@gmail.com"),
    ("2", "Budi Santoso", "NIP. 198609262015051002", "<budi@gmail.com>", "budi@gmail.com"),
    ("3", "Citra Dewi", "198901012015032003", "citra\u200b@yahoo.co.id", "citra@yahoo.co.id"),
    ("4", "Dédi Müller", "199001012019031004", "mailto:dedi@bkn.go.id;", "dedi@bkn.go.id"),
    ("5", "Eka", "199101012019031005", "eka@gmial.com", "eka@gmail.com"),
]
HEADER = ("NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def excel_csv(path: Path, rows: list[tuple[str, ...]] = ROWS) -> Path:
    """CSV as Excel (Indonesian locale) saves it: ';', CRLF, Windows code page 1252."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252", "replace"))
    return path


def run_checked(cli: CLI, source: Path, *args: str) -> Run:
    before = digest(source)
    run = cli("batch", str(source), "--jobs", "1", *args)
    assert digest(source) == before, "the input file changed"
    assert "Traceback" not in run.stderr
    return run


def codes(run: Run) -> dict[int, set[str]]:
    return {
        record["row"]: {f["code"] for f in record["findings"]}
        for record in map(json.loads, run.stdout.splitlines())
    }


def test_excel_csv_semicolon_crlf_cp1252(cli: CLI, tmp_path: Path) -> None:
    source = excel_csv(tmp_path / "pegawai.csv")
    found = codes(run_checked(cli, source, "--format", "jsonl"))
    assert "email-trailing-space" in found[2]
    assert {"nip-separators", "email-wrapper"} <= found[3]
    assert "email-domain-typo" in found[6]


def test_excel_csv_with_bom_utf8(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "pegawai.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([HEADER, *ROWS])
    source.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    found = codes(run_checked(cli, source, "--format", "jsonl"))
    assert "email-invisible-char" in found[4]


def test_utf16_tab_separated(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "pegawai.txt"
    lines = ["\t".join(row) for row in (HEADER, *ROWS)]
    source.write_text("\r\n".join(lines) + "\r\n", encoding="utf-16")
    assert len(codes(run_checked(cli, source, "--format", "jsonl"))) == len(ROWS)


def make_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Pegawai"
    sheet.append(["DAFTAR PEGAWAI UNIT KERJA"])  # a title row, merged across the table
    sheet.merge_cells("A1:E1")
    sheet.append(list(HEADER))
    sheet.append(["1", "Eli", 198609262015052001, "eli@gmail.com", "eli@gmail.com"])
    sheet.append(["2", "Budi", "198609262015051002", "budi@gmail.com ", "budi@gmail.com"])
    sheet.append([None, None, None, None, None])
    sheet.append(["4", "Citra", "198901012015032003", '=LOWER("CITRA@YAHOO.CO.ID")', None])
    book.save(path)
    return path


def test_xlsx_merged_title_numeric_nip_empty_row_and_formula(cli: CLI, tmp_path: Path) -> None:
    source = make_xlsx(tmp_path / "pegawai.xlsx")
    found = codes(run_checked(cli, source, "--format", "jsonl"))
    assert "nip-excel-damaged" in found[3]  # a number cell cannot hold 18 digits
    assert "email-trailing-space" in found[4]
    assert found[5] == {"row-empty"}
    assert 6 in found  # a formula never calculated reads as empty, and is reported


def test_xlsx_merged_header_cells(cli: CLI, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "EMAIL", None])
    sheet.merge_cells("B1:C1")
    sheet.append(["198609262015051001", "eli@gmail.com", None])
    source = tmp_path / "merged.xlsx"
    book.save(source)
    run = run_checked(cli, source, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["summary"]["rows"] == 1


def test_truncated_xlsx_exits_2(cli: CLI, tmp_path: Path) -> None:
    whole = make_xlsx(tmp_path / "whole.xlsx").read_bytes()
    source = tmp_path / "rusak.xlsx"
    source.write_bytes(whole[: len(whole) // 2])
    run = run_checked(cli, source, "--format", "json")
    assert run.exit_code == 2
    assert "rusak.xlsx" in run.stderr
    assert run.stdout == ""


def test_binary_file_renamed_csv_exits_2(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "foto.csv"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    run = run_checked(cli, source)
    assert run.exit_code == 2
    assert "foto.csv" in run.stderr


def test_100_mb_single_line(cli: CLI, tmp_path: Path) -> None:
    """One 100 MB line without a header (an export gone wrong): a clear, bounded error."""
    source = tmp_path / "satu-baris.csv"
    with source.open("wb") as stream:
        chunk = b"198609262015051001;eli@gmail.com;" * 30_000
        for _ in range(102):
            stream.write(chunk)
    assert source.stat().st_size > 100_000_000
    run = run_checked(cli, source, "--format", "json", "--mask")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "satu-baris.csv" in run.stderr
    assert len(run.stderr) < 5_000  # the columns it found are listed, not all of them
    assert "198609262015051001" not in run.stderr


def test_every_format_parses_back(cli: CLI, tmp_path: Path) -> None:
    source = excel_csv(tmp_path / "pegawai.csv")
    jsonl = run_checked(cli, source, "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["row"] for line in jsonl] == [2, 3, 4, 5, 6]
    document = json.loads(run_checked(cli, source, "--format", "json").stdout)
    assert document["summary"]["rows"] == 5
    report = tmp_path / "laporan.csv"
    run_checked(cli, source, "--format", "csv", "--output", str(report), "--lang", "en")
    text = report.read_text(encoding="utf-8-sig")
    lines = list(csv.DictReader(io.StringIO(text), delimiter=";"))  # the input's delimiter
    assert {line["Code"] for line in lines} >= {"email-trailing-space", "email-wrapper"}
    text = run_checked(cli, source, "--lang", "en").stdout
    assert "5 row(s) checked" in text


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_fixed_copy_rechecks_clean_for_the_certain_fixes(
    cli: CLI, tmp_path: Path, suffix: str
) -> None:
    source = excel_csv(tmp_path / "pegawai.csv")
    fixed = tmp_path / f"diperbaiki{suffix}"
    run_checked(cli, source, "--fixed", str(fixed), "--format", "json")
    again = codes(run_checked(cli, fixed, "--format", "jsonl"))
    assert len(again) == len(ROWS)
    for row, found in again.items():
        assert not found & CERTAIN_FIXES, (row, found)
    assert "email-domain-typo" in again[6]  # a guess is never applied
