"""Files shaped like real SIASN/BKPSDM exports, made by the tests: title rows, a two-row
header (a parent label over sub-labels: merged in XLSX, repeated or blank in CSV), spacer
columns, numeric NIPs, `;` cp1252 CSV. The header rows are never data; the current email is
checked against the one on record; every report says what it read."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck.batch.tables.headers import _find_header, _two_row_labels
from sapkcheck.batch.tables.model import TableError
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.limits import (
    MAX_CARRIED_COLUMNS,
    MAX_CELLS_PER_ROW,
    MAX_SHEET_CELLS,
    MAX_XLSX_ROW_NUMBER,
)
from tests.batch.sheets import FIXTURES, ODS_MIME, Cell, write_ods
from tests.helpers import Run

CLI = Callable[..., Run]

TITLE = [
    ["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL"],
    ["BADAN KEPEGAWAIAN DAN PENGEMBANGAN SDM KABUPATEN SUMBAWA"],
    [],
]
PARENT = ["NO", "NAMA", "NIP", None, None, "Email", None, "UNIT KERJA"]
CHILD = [None, None, "NIP BARU", "NIP LAMA", None, "EMAIL SAPK", "EMAIL AKTIF", None]


def staff(count: int = 8) -> list[list[object]]:
    """Data rows; every 4th current address has a trailing space (25 % damaged)."""
    rows: list[list[object]] = []
    for i in range(count):
        nip = f"1986092620150510{i + 1:02d}"
        email = f"pegawai{i}@gmail.com"
        current = email + (" " if i % 4 == 0 else "")
        name = "Dédi Müller" if i == 1 else f"Pegawai {i}"  # cp1252 letters
        rows.append([i + 1, name, nip, f"0600{i:05d}", None, email, current, "BKPSDM"])
    return rows


def export_csv(path: Path, parent: Sequence[object] = PARENT, *, repeat: bool = False) -> Path:
    """`;`, CRLF, cp1252, the parent label repeated (repeat=True) or blank after its first
    column, as Excel saves a sheet with merged cells."""
    top = list(parent)
    if repeat:
        for j in range(1, len(top)):
            if top[j] is None and CHILD[j] is not None and top[j - 1] is not None:
                top[j] = top[j - 1]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for row in [*TITLE, top, CHILD, *staff()]:
        writer.writerow(["" if c is None else c for c in row])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def export_xlsx(path: Path, *, numeric_nip: bool = False) -> Path:
    """Title rows, a merged two-row header (row 4 over row 5), data from row 6."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Data ASN"
    for row in [*TITLE, PARENT, CHILD]:
        sheet.append(row)
    sheet.merge_cells("C4:D4")  # NIP over NIP BARU | NIP LAMA
    sheet.merge_cells("F4:G4")  # Email over EMAIL SAPK | EMAIL AKTIF
    for cells in ("A4:A5", "B4:B5", "H4:H5"):  # merged down over both rows
        sheet.merge_cells(cells)
    for row in staff():
        if numeric_nip:
            row[2] = float(str(row[2]))  # what Excel keeps of an 18-digit number
        sheet.append(row)
    workbook.save(path)
    return path


def jsonl_codes(run: Run) -> dict[int, set[str]]:
    return {
        r["row"]: {f["code"] for f in r["findings"]}
        for r in map(json.loads, run.stdout.splitlines())
    }


# --------------------------------------------------------------------------- labels


def test_two_row_labels_forward_fill_the_parent_over_its_sub_labels() -> None:
    parent = ("NO", "NAMA", "NIP", "", "", "Email", "", "UNIT")
    child = ("", "", "NIP BARU", "NIP LAMA", "", "EMAIL SAPK", "EMAIL AKTIF", "")
    labels = _two_row_labels(parent, child)
    assert labels is not None
    assert [label.label for label in labels] == [
        "NO",
        "NAMA",
        "NIP / NIP BARU",
        "NIP / NIP LAMA",
        "",  # a spacer column stays blank: a parent spans only columns with a sub-label
        "Email / EMAIL SAPK",
        "Email / EMAIL AKTIF",
        "UNIT",
    ]


def test_a_data_row_or_a_plain_header_is_never_sub_labels() -> None:
    header = ("NO", "NAMA", "NIP", "EMAIL")
    assert _two_row_labels(header, ("1", "Budi", "198609262015051001", "b@gmail.com")) is None
    # a row of text under a one-row header: no parent spans two columns
    assert _two_row_labels(header, ("(1)", "(2)", "(3)", "(4)")) is None
    # a title row (one cell) over the header is not a parent row: the header names NIP
    assert _two_row_labels(header, ("", "", "", "")) is None
    # a data row with an address but no NIP digits under a spanning parent
    assert _two_row_labels(("NIP", "", "EMAIL"), ("Budi", "Santoso", "b@gmail.com")) is None
    assert _two_row_labels(("NIP", "", "EMAIL"), ("Budi", "Santoso", "b\uff20gmail.com")) is None


def test_a_label_merged_down_spans_no_column_to_its_right() -> None:
    labels = _two_row_labels(("NAMA", "", "NIP", ""), ("", "GELAR", "NIP BARU", "NIP LAMA"))
    assert labels is not None
    assert [label.label for label in labels] == [
        "NAMA",
        "GELAR",
        "NIP / NIP BARU",
        "NIP / NIP LAMA",
    ]


def test_the_first_row_naming_nip_with_its_sub_labels_is_the_header() -> None:
    rows = [
        ["JUDUL"],
        [],
        list(map(str, ["NO", "NIP", "", "Email", ""])),
        ["", "NIP BARU", "NIP LAMA", "EMAIL SAPK", "EMAIL AKTIF"],
    ]
    choice = _find_header(rows, {})
    assert choice is not None
    assert (choice.first, choice.index) == (2, 3)
    assert choice.assigned == {"nip": 1, "registered": 3, "email": 4}


# --------------------------------------------------------------------------- CSV and XLSX


@pytest.mark.parametrize("repeat", [False, True], ids=["parent-blank", "parent-repeated"])
def test_csv_two_row_header_checks_the_current_email(tmp_path: Path, repeat: bool) -> None:
    source = export_csv(tmp_path / "siasn.csv", repeat=repeat)
    with open_table(source) as table:
        assert (table.header_row, table.header_rows) == (4, 2)
        assert table.encoding == "cp1252" and table.delimiter == ";"
        header = table.columns.header
        assert header[table.columns.nip] == "NIP / NIP BARU"
        assert table.columns.email is not None and table.columns.registered is not None
        assert header[table.columns.email] == "Email / EMAIL AKTIF"
        assert header[table.columns.registered] == "Email / EMAIL SAPK"
        rows = list(table)
    assert [r.number for r in rows] == list(range(6, 14))  # row 5 (sub-labels) is no data
    assert [header[i] for i in table.columns.carried] == [
        "NAMA",
        "NO",
        "NIP / NIP LAMA",
        "UNIT KERJA",
    ]


def test_xlsx_merged_two_row_header(tmp_path: Path) -> None:
    with open_table(export_xlsx(tmp_path / "siasn.xlsx")) as table:
        assert (table.sheet, table.header_row, table.header_rows) == ("Data ASN", 4, 2)
        header = table.columns.header
        assert table.columns.email is not None
        assert header[table.columns.email] == "Email / EMAIL AKTIF"
        assert next(r.number for r in table) == 6


def test_batch_finds_the_damaged_current_addresses(cli: CLI, tmp_path: Path) -> None:
    """The issue's case: 25 % of EMAIL AKTIF with a trailing space were reported as 0."""
    for source in (export_csv(tmp_path / "siasn.csv"), export_xlsx(tmp_path / "siasn.xlsx")):
        run = cli("batch", str(source), "--format", "jsonl", "--jobs", "1")
        found = jsonl_codes(run)
        assert sorted(found) == list(range(6, 14))
        damaged = sorted(row for row, codes in found.items() if "email-trailing-space" in codes)
        assert damaged == [6, 10]
        assert all("email-matches-registered" in found[row] for row in (7, 8, 9))


@pytest.mark.parametrize(
    "option",
    ["EMAIL SAPK", "Email / EMAIL SAPK", "email/email sapk"],
    ids=["child", "parent-child", "loose"],
)
def test_column_option_takes_the_sub_label_or_parent_child(tmp_path: Path, option: str) -> None:
    source = export_csv(tmp_path / "siasn.csv")
    with open_table(source, email_column=option, registered_column="EMAIL AKTIF") as table:
        assert table.columns.email == 5 and table.columns.registered == 6


def test_json_summary_names_what_was_read(cli: CLI, tmp_path: Path) -> None:
    run = cli("batch", str(export_xlsx(tmp_path / "siasn.xlsx")), "--format", "json", "--jobs", "1")
    assert run.exit_code == 1
    columns = run.json()["summary"]["columns"]
    assert columns == {
        "sheet": "Data ASN",
        "header_row": 4,
        "header_rows": 2,
        "nip": "NIP / NIP BARU",
        "email": "Email / EMAIL AKTIF",
        "registered": "Email / EMAIL SAPK",
        "carried": ["NAMA", "NO", "NIP / NIP LAMA", "UNIT KERJA"],
        "ambiguous": [],
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_text_report_first_lines_name_what_was_read(cli: CLI, tmp_path: Path, lang: str) -> None:
    run = cli("batch", str(export_csv(tmp_path / "siasn.csv")), "--lang", lang, "--jobs", "1")
    head = run.stdout.splitlines()[:6]
    if lang == "en":
        assert head[0] == "Header: rows 4-5"
        assert head[1] == "NIP column: NIP / NIP BARU"
        assert head[2] == "Email column checked: Email / EMAIL AKTIF"
        assert head[3] == "Registered email column (compared): Email / EMAIL SAPK"
    else:
        assert head[0] == "Judul kolom: baris 4-5"
        assert head[2] == "Kolom email yang diperiksa: Email / EMAIL AKTIF"


def test_two_equally_good_email_columns_warn_naming_both(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "dua.csv"
    source.write_text("NIP;EMAIL;NAMA;EMAIL\r\n198609262015051001;a@gmail.com;A;b@gmail.com\r\n")
    run = cli("batch", str(source), "--lang", "en", "--jobs", "1")
    assert (
        "Warning: two columns could be the email to check: 'EMAIL' (column B, used) and "
        "'EMAIL' (column D). To use the other one, give --email-column D."
    ) in " ".join(run.stdout.split())
    doc = cli("batch", str(source), "--format", "json", "--jobs", "1").json()
    assert doc["summary"]["columns"]["ambiguous"] == [
        {
            "role": "email",
            "columns": ["EMAIL", "EMAIL"],
            "letters": ["B", "D"],
            "option": "--email-column",
        }
    ]
    # the option that decides: the column letter when the headers are the same
    with open_table(source, email_column="D") as table:
        assert table.columns.email == 3 and table.columns.ambiguous == ()
    # a current and a registered column are no ambiguity
    plain = tmp_path / "plain.csv"
    plain.write_text("NIP;EMAIL SAPK;EMAIL AKTIF\r\n198609262015051001;a@gmail.com;a@gmail.com\r\n")
    assert (
        cli("batch", str(plain), "--format", "json").json()["summary"]["columns"]["ambiguous"] == []
    )


def test_nip_lama_is_never_the_nip(tmp_path: Path) -> None:
    source = tmp_path / "lama.csv"
    source.write_text("NIP LAMA;NAMA;NIP BARU;EMAIL\r\n060012345;A;198609262015051001;a@b.id\r\n")
    with open_table(source) as table:
        assert table.columns.nip == 2


# --------------------------------------------------------------------------- --header-row


def test_header_row_names_the_header(tmp_path: Path) -> None:
    source = export_csv(tmp_path / "siasn.csv")
    with open_table(source, header_row=5) as table:  # the sub-labels alone
        assert (table.header_row, table.header_rows) == (5, 1)
        assert table.columns.header[table.columns.nip] == "NIP BARU"
        assert next(r.number for r in table) == 6
    with open_table(source, header_row=4) as table:
        assert (table.header_row, table.header_rows) == (4, 2)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("row", "problem"),
    [(2, "no-nip-column"), (3, "header-row-empty"), (900, "header-row-out-of-range")],
)
def test_header_row_errors_before_any_row(
    tmp_path: Path, kind: str, row: int, problem: str
) -> None:
    source = (export_csv if kind == "csv" else export_xlsx)(tmp_path / f"siasn.{kind}")
    with pytest.raises(TableError) as caught:
        open_table(source, header_row=row)
    assert caught.value.problem == problem
    assert caught.value.params["row"] == str(row)


def test_header_row_cli_exit_2(cli: CLI, tmp_path: Path) -> None:
    source = str(export_csv(tmp_path / "siasn.csv"))
    run = cli("batch", source, "--header-row", "3", "--lang", "en")
    assert run.exit_code == 2 and "(--header-row) is empty" in run.stderr
    run = cli("batch", source, "--header-row", "900", "--lang", "en")
    assert run.exit_code == 2 and "has no row 900" in run.stderr
    assert cli("batch", source, "--header-row", "0").exit_code == 2
    assert cli("batch", source, "--header-row", "4", "--format", "json").exit_code == 1


# --------------------------------------------------------------------------- .xls and .ods

XLS = FIXTURES / "siasn.xls"  # made by tests/fixtures/make_xls.py (see its docstring)


def ods_export(path: Path, **kwargs: object) -> Path:
    """The same export as .ods: merged parent cells, a numeric NIP, a hyperlink, a date,
    a boolean and an #N/A formula in the email column, LibreOffice's padding rows."""
    rows: list[list[Cell]] = [*TITLE, list(PARENT), list(CHILD)]  # type: ignore[list-item]
    for i, row in enumerate(staff()):
        cells: list[Cell] = list(row)  # type: ignore[arg-type]
        if i == 1:
            cells[2] = 1.98609262015051e17
        elif i == 2:
            cells[6] = date(2020, 1, 2)
        elif i == 3:
            cells[6] = True
        elif i == 4:
            cells[6] = ("error", "#N/A")
        elif i == 5:
            cells[6] = ("link", "pegawai5@gmail.com")
        rows.append(cells)
    spans = {(3, 2): 2, (3, 5): 2}
    return write_ods(path, rows, sheet="Data ASN", spans=spans, repeated_rows=1_048_000, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_xls_and_ods_exports_are_read_like_xlsx(cli: CLI, tmp_path: Path, kind: str) -> None:
    source = XLS if kind == "xls" else ods_export(tmp_path / "siasn.ods")
    before = source.read_bytes()
    with open_table(source) as table:
        assert (table.kind, table.sheet, table.header_row, table.header_rows) == (
            kind,
            "Data ASN",
            4,
            2,
        )
        header = table.columns.header
        assert header[table.columns.nip] == "NIP / NIP BARU"
        assert table.columns.email is not None
        assert header[table.columns.email] == "Email / EMAIL AKTIF"
        rows = list(table)
    assert [r.number for r in rows] == list(range(6, 14))
    assert rows[1].cells[1] == "Dédi Müller"

    run = cli("batch", str(source), "--format", "jsonl", "--jobs", "1", "--lang", "en")
    assert run.exit_code == 1, run.stderr
    records = {r["row"]: r for r in map(json.loads, run.stdout.splitlines())}
    found = {row: {f["code"] for f in r["findings"]} for row, r in records.items()}
    assert "email-trailing-space" in found[6]
    # a number cell: Excel's 15 digits then zeros, never a Python repr
    damaged = next(f for f in records[7]["findings"] if f["code"] == "nip-excel-damaged")
    assert records[7]["nip"]["input"] == "198609262015051000"
    assert "shows as 198609262015051000" in damaged["message"]
    assert "e+17" not in run.stdout and "E+17" not in run.stdout
    # a date, a boolean, an #N/A formula in the email column: findings, shown as Excel does
    assert records[8]["email"]["input"] == "2020-01-02" and "email-syntax" in found[8]
    assert records[9]["email"]["input"] == "TRUE" and "email-syntax" in found[9]
    assert "email-missing" in found[10]
    if kind == "ods":  # a hyperlink cell is its text
        assert found[11] == {"email-matches-registered"}
    assert source.read_bytes() == before


def test_xls_sheet_option(cli: CLI) -> None:
    with pytest.raises(TableError) as caught:
        open_table(XLS, sheet="Rekap")
    assert caught.value.problem == "no-nip-column"
    with pytest.raises(TableError) as caught:
        open_table(XLS, sheet="Nope")
    assert caught.value.params["sheets"] == "Data ASN, Rekap"
    with open_table(XLS, sheet=" data asn ") as table:
        assert table.sheet == "Data ASN"
    run = cli("batch", str(XLS), "--sheet", "Rekap", "--lang", "en")
    assert run.exit_code == 2 and "No NIP column" in run.stderr


def ole_shell(*streams: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in streams)
    return header + directory + b"\x00" * 1024


@pytest.mark.parametrize(
    ("name", "data", "problem", "detail"),
    [
        ("enc.xls", ole_shell("Root Entry", "EncryptionInfo", "EncryptedPackage"), "encrypted", ""),
        ("enc.ods", ole_shell("Root Entry", "EncryptionInfo", "EncryptedPackage"), "encrypted", ""),
        ("cut.xls", b"", "empty", ""),
        (
            "broken.xls",
            ole_shell("Root Entry", "Workbook") + b"\x09\x08junk",
            "unreadable",
            "damaged",
        ),
        ("broken.ods", b"PK\x03\x04garbage", "unreadable", "damaged"),
        ("page.xls", b"<html><table><tr><td>NIP</td></tr></table></html>", "wrong-format", "html"),
        ("text.ods", b"NIP;EMAIL\r\n", "wrong-format", "text"),
    ],
)
def test_unusable_xls_and_ods_exit_2_before_any_row(
    cli: CLI, tmp_path: Path, name: str, data: bytes, problem: str, detail: str
) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    with pytest.raises(TableError) as caught:
        open_table(source)
    assert caught.value.problem == problem
    if detail:
        assert detail in caught.value.params.values()
    run = cli("batch", str(source), "--format", "json")
    assert (run.exit_code, run.stdout) == (2, "")
    assert source.read_bytes() == data


def test_misnamed_and_encrypted_ods(tmp_path: Path) -> None:
    xlsx = export_xlsx(tmp_path / "real.xlsx")
    renamed = tmp_path / "real.ods"
    renamed.write_bytes(xlsx.read_bytes())
    with pytest.raises(TableError) as caught:
        open_table(renamed)
    assert (caught.value.problem, caught.value.params["detected"]) == ("wrong-format", "xlsx")
    as_xls = tmp_path / "real.xls"
    as_xls.write_bytes(xlsx.read_bytes())
    with pytest.raises(TableError) as caught:
        open_table(as_xls)
    assert (caught.value.problem, caught.value.params["detected"]) == ("wrong-format", "xlsx")
    # LibreOffice's "Save with password": the manifest describes the encryption
    plain = ods_export(tmp_path / "plain.ods")
    locked = tmp_path / "locked.ods"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(locked, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "META-INF/manifest.xml":
                data = data.replace(
                    b"</manifest:manifest>", b"<manifest:encryption-data/></manifest:manifest>"
                )
            archive.writestr(info, data)
    with pytest.raises(TableError) as caught:
        open_table(locked)
    assert caught.value.problem == "encrypted"
    # a content.xml that is not XML
    bad = tmp_path / "bad.ods"
    with zipfile.ZipFile(bad, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)
        archive.writestr("content.xml", "<office:document-content><table:")
    with pytest.raises(TableError) as caught:
        open_table(bad)
    assert (caught.value.problem, caught.value.params["reason"]) == ("unreadable", "damaged")


def test_ods_without_nip_or_email_column(tmp_path: Path) -> None:
    no_nip = write_ods(tmp_path / "a.ods", [["NAMA", "EMAIL"], ["A", "a@b.id"]])
    with pytest.raises(TableError) as caught:
        open_table(no_nip)
    assert caught.value.problem == "no-nip-column"
    no_email = write_ods(tmp_path / "b.ods", [["NAMA", "NIP"], ["A", "198609262015051001"]])
    with pytest.raises(TableError) as caught:
        open_table(no_email)
    assert caught.value.problem == "no-email-column"


def _repeated_ods(path: Path, rows: int, cols: int, typed: bool = True) -> Path:
    """A few hundred bytes claiming ``rows`` x ``cols`` cells that all hold a value (with
    ``typed=False`` a paragraph only, no value type: calamine reads it as text)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body>'
        '<office:spreadsheet><table:table table:name="S"><table:table-row>'
        '<table:table-cell office:value-type="string"><text:p>NIP</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>EMAIL</text:p></table:table-cell>'
        f'</table:table-row><table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}"'
        + (' office:value-type="float" office:value="1"' if typed else "")
        + "><text:p>1</text:p></table:table-cell></table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIME)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


@pytest.mark.parametrize(
    ("rows", "cols", "what"),
    [
        (MAX_XLSX_ROW_NUMBER, 1, "rows"),  # the header row + that many: past Excel's last row
        (1, MAX_CELLS_PER_ROW + 1, "cells"),
        (MAX_SHEET_CELLS // 100, 101, "sheet-cells"),
    ],
)
def test_ods_claiming_too_much_is_refused_before_it_is_loaded(
    tmp_path: Path, rows: int, cols: int, what: str
) -> None:
    for typed in (True, False):
        source = _repeated_ods(tmp_path / "big.ods", rows, cols, typed)
        assert source.stat().st_size < 2000
        with pytest.raises(TableError) as caught:
            open_table(source)
        assert (caught.value.problem, caught.value.params["what"]) == ("too-large", what)


def test_ods_over_100_columns_is_fine(tmp_path: Path) -> None:
    header = ["NIP", "EMAIL", *(f"KOLOM {i}" for i in range(150))]
    source = write_ods(tmp_path / "wide.ods", [header, ["198609262015051001", "a@b.id"]])
    with open_table(source) as table:
        assert len(table.columns.header) == 152
        assert len(table.columns.carried) == MAX_CARRIED_COLUMNS
        assert len(list(table)) == 1


def test_a_sheet_starting_in_column_c_keeps_its_column_positions(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [
        [None, None, "NIP", "EMAIL"],
        [None, None, "198609262015051001", "a@b.id"],
    ]
    source = write_ods(tmp_path / "offset.ods", rows)
    with open_table(source) as table:
        assert (table.columns.nip, table.columns.email) == (2, 3)
        assert next(iter(table)).cells[2:4] == ("198609262015051001", "a@b.id")


def test_a_damaged_xls_that_aborts_calamine_is_one_sentence(cli: CLI) -> None:
    """damaged-alloc.xls (siasn.xls with a few bytes changed) makes calamine ask for 1.3 TB
    and abort the process: the probe process takes that, this one says "damaged"."""
    source = FIXTURES / "damaged-alloc.xls"
    with pytest.raises(TableError) as caught:
        open_table(source)
    assert (caught.value.problem, caught.value.params["reason"]) == ("unreadable", "damaged")
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "cannot be read" in run.stderr


def test_an_xls_or_ods_past_the_size_cap_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sapkcheck.batch.tables import calamine_table

    monkeypatch.setattr(calamine_table, "MAX_SPREADSHEET_BYTES", 4096)
    with pytest.raises(TableError) as caught:
        open_table(XLS)  # 5.5 KB
    assert (caught.value.problem, caught.value.params["what"]) == ("too-large", "file-bytes")


def test_xlsx_odd_cells_in_nip_and_email_columns_are_findings(cli: CLI, tmp_path: Path) -> None:
    """Dates, booleans, formulas, hyperlinks and numbers where a NIP or an email should be:
    each row gets findings showing the value as a spreadsheet shows it; no traceback."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "EMAIL"])
    sheet.append([1.98609262015051e17, "a@gmail.com"])
    sheet.append([198609262015051001, "b@gmail.com"])  # an integer cell: 18 digits kept
    sheet.append(["198609262015051002", date(2020, 1, 2)])
    sheet.append(["198609262015051003", True])
    sheet.append(["198609262015051004", "=NA()"])
    sheet.append(["198609262015051005", "e@gmail.com"])
    sheet["B7"].hyperlink = "mailto:e@gmail.com"
    sheet.append([date(1986, 9, 26), "f@gmail.com"])
    source = tmp_path / "odd.xlsx"
    workbook.save(source)
    run = cli("batch", str(source), "--format", "jsonl", "--jobs", "1", "--lang", "en")
    assert "Traceback" not in run.stderr
    records = {r["row"]: r for r in map(json.loads, run.stdout.splitlines())}
    found = {row: {f["code"] for f in r["findings"]} for row, r in records.items()}
    assert records[2]["nip"]["input"] == "198609262015051000"
    assert records[3]["nip"]["input"] == "198609262015051000"  # what Excel would show
    assert "nip-excel-damaged" in found[2] and "nip-excel-damaged" in found[3]
    assert records[4]["email"]["input"] == "2020-01-02" and "email-syntax" in found[4]
    assert records[5]["email"]["input"] == "TRUE" and "email-syntax" in found[5]
    assert "email-missing" in found[6]  # a formula without a cached result: empty
    assert found[7] == set()  # a hyperlink cell is its text
    assert records[8]["nip"]["input"] == "1986-09-26" and found[8]
