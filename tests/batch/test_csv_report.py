"""The Excel-safe CSV report: the input's delimiter (or --delimiter), UTF-8 with a BOM,
headers in --lang, a status column and the carried columns, fragile digit strings written
as the formula of their text, every cell a person typed inert."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck.batch.inert import text_cell
from tests.helpers import Run

CLI = Callable[..., Run]
HEADER = ["NAMA", "UNIT", "NIP", "EMAIL"]
ROWS = [
    ["Eli Sari", "Disdik", "198609262015052001", "eli.sari@gmial.com"],
    ["Budi", "Dinkes", "19860926 201505 1 002", '=HYPERLINK("x")'],
    ["Citra", "Setda", "199001012015031003", "citra@gmail.com"],
]


def write(path: Path, delimiter: str) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def csv_report(cli: CLI, source: Path, *args: str) -> tuple[bytes, list[list[str]], str]:
    out = source.parent / "laporan.csv"
    run = cli("batch", str(source), "--format", "csv", "--output", str(out), "--jobs", "1", *args)
    assert run.exit_code == 1, run.stderr
    raw = out.read_bytes()
    text = raw.decode("utf-8").removeprefix("\ufeff")
    delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t|").delimiter
    return raw, list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), delimiter


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_follows_the_input(cli: CLI, tmp_path: Path, delimiter: str) -> None:
    raw, lines, found = csv_report(cli, write(tmp_path / "p.csv", delimiter))
    assert raw.startswith(b"\xef\xbb\xbf")
    assert found == delimiter
    assert lines[0][:3] == ["Baris", "NAMA", "UNIT"]


@pytest.mark.parametrize(("option", "expected"), [(";", ";"), ("tab", "\t"), ("|", "|")])
def test_delimiter_option_overrides(cli: CLI, tmp_path: Path, option: str, expected: str) -> None:
    _, _, found = csv_report(cli, write(tmp_path / "p.csv", ","), "--delimiter", option)
    assert found == expected


def test_a_bad_delimiter_is_refused(cli: CLI, tmp_path: Path) -> None:
    source = write(tmp_path / "p.csv", ",")
    run = cli("batch", str(source), "--format", "csv", "--delimiter", "::")
    assert run.exit_code == 2
    assert "--delimiter" in run.stderr


@pytest.mark.parametrize(("lang", "expected"), [("id", ";"), ("en", ",")])
def test_an_xlsx_input_gets_the_list_separator_of_the_language(
    cli: CLI, tmp_path: Path, lang: str, expected: str
) -> None:
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    for row in ROWS:
        book.active.append(row)
    source = tmp_path / "p.xlsx"
    book.save(source)
    _, _, found = csv_report(cli, source, "--lang", lang)
    assert found == expected


def test_columns_status_and_headers_in_the_language(cli: CLI, tmp_path: Path) -> None:
    _, lines, _ = csv_report(cli, write(tmp_path / "p.csv", ";"), "--lang", "en")
    assert lines[0] == [
        "Row",
        "NAMA",
        "UNIT",
        "NIP",
        "Email",
        "Status",
        "Code",
        "Severity",
        "Message",
        "How to fix",
        "FAQ",
    ]
    typo = next(line for line in lines if line[6] == "email-domain-typo")
    assert typo[:6] == ["2", "Eli Sari", "Disdik", '="198609262015052001"', ROWS[0][3], "warning"]
    live = next(line for line in lines if line[0] == "3")
    assert live[3] == "19860926 201505 1 002"  # not a digit string: a spreadsheet keeps it
    assert live[4] == '\'=HYPERLINK("x")'  # inert


def test_mask_hides_the_name_too(cli: CLI, tmp_path: Path) -> None:
    raw, lines, _ = csv_report(cli, write(tmp_path / "p.csv", ";"), "--mask")
    text = raw.decode("utf-8")
    for row in ROWS:
        assert row[0] not in text
        assert row[2].replace(" ", "") not in text.replace(" ", "")
    assert {line[1] for line in lines[1:]} == {"***"}
    assert {line[2] for line in lines[1:]} <= {"Disdik", "Dinkes", "Setda"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("198609262015051002", '="198609262015051002"'),  # 18 digits: Excel keeps 15
        ("3201011234567890", '="3201011234567890"'),  # a NIK
        ("081234567890", '="081234567890"'),  # a leading 0
        ("012", '="012"'),
        ("12345678901", "12345678901"),  # 11 digits: a number keeps them all
        ("0", "0"),
        ("19860926 201505 1 002", "19860926 201505 1 002"),
        ("=1+1", "'=1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1", "'\r=1"),
        ("\0=1", "'\0=1"),
        ("-5", "-5"),
        ('"=1"', '"=1"'),
        ('1986"=1', '1986"=1'),
    ],
)
def test_text_cell(value: str, expected: str) -> None:
    assert text_cell(value) == expected


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_a_name_with_a_byte_that_is_not_utf8_is_written_readably(
    cli: CLI, tmp_path: Path, output_format: str
) -> None:
    # A UTF-8 file with one cp1252 byte in a name: that row is row-bad-encoding and its
    # carried name holds a lone surrogate, which no UTF-8 report can write as it is.
    source = tmp_path / "mixed.csv"
    source.write_bytes(
        b"NAMA;NIP;EMAIL\r\nJos\xe9 Abc;198609262015051001;a@gmail.com\r\n"
        b"Budi \xc3\xa0;198609262015051002;b@gmail.com \r\n"
    )
    out = tmp_path / f"laporan.{output_format}"
    run = cli("batch", str(source), "--format", output_format, "--output", str(out), "--jobs", "1")
    assert run.exit_code == 1, run.stderr
    if output_format == "csv":
        text = out.read_bytes().decode("utf-8").removeprefix("\ufeff")
        names = [line[1] for line in csv.reader(io.StringIO(text, newline=""), delimiter=";")]
    else:
        sheet = openpyxl.load_workbook(out, read_only=True).worksheets[0]
        names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Jos\ufffd Abc" in names
    assert "Budi à" in names
