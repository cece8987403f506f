"""Files shaped like real SIASN/BKPSDM exports, made by the tests: title rows, a two-row
header (a parent label over sub-labels: merged in XLSX, repeated or blank in CSV), spacer
columns, numeric NIPs, `;` cp1252 CSV. The header rows are never data; the current email is
checked against the one on record; every report says what it read."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck.batch.tables.headers import _find_header, _two_row_labels
from sapkcheck.batch.tables.model import TableError
from sapkcheck.batch.tables.reader import open_table
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
        nip = f"1986092620150510{i:02d}"
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
        assert head[0] == "Header: rows 4-5 (labels over sub-labels)"
        assert head[1] == "NIP column: NIP / NIP BARU"
        assert head[2] == "Email column checked: Email / EMAIL AKTIF"
        assert head[3] == "Registered email column (compared): Email / EMAIL SAPK"
    else:
        assert head[0] == "Judul kolom: baris 4-5 (judul di atas sub-judul)"
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
