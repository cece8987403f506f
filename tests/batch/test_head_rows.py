"""The rows above the data as government exports have them: titles that name NIP in
passing, a row numbering the columns under the header, hidden sheets before the data, and
files with no header row at all (a person's row must never be taken for column names)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck.batch.tables import xlsx_survey
from sapkcheck.batch.tables.headers import holds_nip
from sapkcheck.batch.tables.model import TableError, default_sheet
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.knowledge.i18n import catalog
from tests.helpers import Run

CLI = Callable[..., Run]
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NIP = "198609262015051001"
PERSON = f"{NIP};ELI SARI;eli.sari@gmail.com\r\n198609262015051002;BUDI;budi@gmail.com\r\n"


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


def _table(path: Path, rows: list[list[str]]) -> Path:
    """``rows`` as a `;` CSV or a workbook, by the path's suffix."""
    if path.suffix == ".csv":
        return _csv(path, "".join(";".join(row) + "\r\n" for row in rows))
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _read(path: Path, **options: object) -> tuple[int, int, tuple[str, ...], list[int]]:
    """The header's first row, its row count, its labels and the data rows' numbers."""
    with open_table(path, **options) as table:  # type: ignore[arg-type]
        numbers = [row.number for row in table]
        return table.header_row, table.header_rows, table.columns.header, numbers


@pytest.mark.parametrize(
    "cell",
    [NIP, f"'{NIP}", f'="{NIP}"', "19860926 201505 1 001", "19860926.201505.1.001",
     "1.98609262015051e+17", "1,98609E+17", "198609262015051000.0",
     "19860926-201505-1-001", "19860926/201505/1/001"],
)  # fmt: skip
def test_a_cell_holding_a_nip_is_never_a_header(cell: str) -> None:
    assert holds_nip(["1", cell, "eli"])


@pytest.mark.parametrize(
    "cell",
    ["NIP", "NIP. 196501011990031001", "TAHUN 2024", "No.", "12345678901234", "",
     "01/01/2024 - 31/12/2024", "00.123.456.7-890.000", "01.234.567.8-901.000 / 2024",
     "2024.0", "0812-3456-7890", "198609262015051", "123456789012345.0"],
)  # fmt: skip
def test_labels_and_titles_are_not_a_nip(cell: str) -> None:
    assert not holds_nip([cell])


# ----------------------------------------------------------------- no header row at all


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ((), "error-table-person-row"),
        (("--nip-column", "A", "--email-column", "C"), "error-table-person-row"),
        (("--header-row", "1"), "error-table-header-row-person"),
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_file_without_a_header_row_is_refused_naming_the_row_not_the_person(
    cli: CLI, tmp_path: Path, options: tuple[str, ...], key: str, lang: str
) -> None:
    source = _csv(tmp_path / "tanpa-judul.csv", PERSON)
    for fmt in ("text", "json", "csv"):
        run = cli("batch", str(source), "--mask", "--lang", lang, "--format", fmt, *options)
        assert run.exit_code == 2, run.stdout
        assert run.stdout == ""
        expected = catalog(lang).ui(key, path=str(source), row=1, column="A")
        assert expected in run.stderr
        for value in ("1986", "ELI", "eli.sari", "BUDI"):
            assert value not in run.stderr


def test_title_rows_before_a_headerless_table_name_the_first_person_row(
    cli: CLI, tmp_path: Path
) -> None:
    source = _csv(tmp_path / "t.csv", "DAFTAR PEGAWAI\r\n\r\n" + PERSON.replace(NIP, f"'{NIP}"))
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2
    assert "Row 3 of" in run.stderr and "(a NIP in column A)" in run.stderr


def test_a_headerless_xlsx_with_number_nips_is_refused(cli: CLI, tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Eli", 198609262015051001, "eli@gmail.com"])
    workbook.active.append(["Budi", 198609262015051002, "budi@gmail.com"])
    workbook.save(tmp_path / "n.xlsx")
    run = cli("batch", str(tmp_path / "n.xlsx"), "--lang", "en", "--nip-column", "B")
    assert run.exit_code == 2
    assert "Row 1 of" in run.stderr and "(a NIP in column B)" in run.stderr


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_header_naming_no_nip_column_is_not_a_missing_header(
    cli: CLI, tmp_path: Path, fmt: str
) -> None:
    """ "ID Pegawai" is column names all the same: the error is the missing NIP column,
    listing the header's names (never the person's values below it)."""
    rows = [["ID Pegawai", "Nama", "Email"], [NIP, "ELI SARI", "eli.sari@gmail.com"]]
    source = _table(tmp_path / f"id.{fmt}", rows)
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2
    expected = catalog("en").ui(
        "error-table-no-nip-column", path=str(source), columns="ID Pegawai, Nama, Email", row=1
    )
    assert expected in run.stderr
    assert "ELI" not in run.stderr


@pytest.mark.parametrize(
    "first",
    [
        "BUDI SANTOSO;budi.santoso@gmail.com;Guru",  # a person without a NIP: not labels
        "Instansi;Pemerintah Kabupaten Sumbawa",  # a title of two cells: no known column
        "Kepala Dinas: Dr. Budi Santoso, NIP. 19650101 199003 1 001",  # a letterhead
    ],
)
def test_a_row_that_is_not_column_names_before_the_first_nip_is_still_no_header(
    cli: CLI, tmp_path: Path, first: str
) -> None:
    source = _csv(tmp_path / "h.csv", f"{first}\r\n{NIP};ELI;eli.sari@gmail.com\r\n")
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2
    expected = catalog("en").ui("error-table-person-row", path=str(source), row=2, column="A")
    assert expected in run.stderr
    for value in ("santoso", "Santoso", "eli.sari", "ELI", "19650101"):
        assert value not in run.stderr


def test_the_columns_found_never_list_a_person(cli: CLI, tmp_path: Path) -> None:
    """No header and no NIP: the guess at the columns never lists a person's values."""
    rows = "".join(
        f"{n};BUDI SANTOSO {n};budi{n}.santoso@gmail.com;Guru;Dinas;Staf\r\n" for n in range(3)
    )
    rows += "Siti Aminah;Guru Ahli Pertama;Dinkes\r\n"  # names only: nothing to tell them by
    source = _csv(tmp_path / "tanpa-nip.csv", rows)
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2
    assert "santoso" not in run.stderr.casefold() and "Siti" not in run.stderr
    assert catalog("en").ui("table-columns-none") in run.stderr


def test_a_signatory_s_nip_above_the_header_is_not_a_person(tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "pejabat.csv",
        f"Nama Pejabat;Dr. Budi Santoso\r\nNIP;198001012005011001\r\n\r\n"
        f"No;Nama;NIP;Email\r\n1;A;{NIP};a@gmail.com\r\n",
    )
    assert _read(source) == (4, 1, ("No", "Nama", "NIP", "Email"), [5])


def test_a_code_of_fifteen_digits_above_the_header_is_a_title(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    for row in (
        ["REKAP EMAIL ASN"],
        ["Kode Unit", "4.01.01.01.001.000"],
        ["Telp", "(0370) 21234"],
        ["Kode Satker", 123456789012345],
        ["No", "NIP", "Nama", "Email"],
        [1, NIP, "A", "a@gmail.com"],
    ):
        workbook.active.append(row)
    workbook.save(tmp_path / "rekap.xlsx")
    assert _read(tmp_path / "rekap.xlsx") == (5, 1, ("No", "NIP", "Nama", "Email"), [6])


@pytest.mark.parametrize(
    "above",
    [["Periode", "01/01/2024 - 31/12/2024"], ["NPWP Instansi", "00.123.456.7-890.000"]],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_period_or_an_npwp_above_the_header_is_a_title(
    tmp_path: Path, above: list[str], fmt: str
) -> None:
    rows = [above, ["No", "Nama", "NIP", "Email"], ["1", "A", NIP, "a@gmail.com"]]
    source = _table(tmp_path / f"periode.{fmt}", rows)
    assert _read(source) == (2, 1, ("No", "Nama", "NIP", "Email"), [3])


# ------------------------------------------------------------- titles that name NIP


def test_a_title_naming_nip_gives_way_to_the_header_below(tmp_path: Path) -> None:
    source = _csv(
        tmp_path / "judul.csv",
        "DAFTAR NIP PEGAWAI;;;\r\nUNIT KERJA: DINKES;;;\r\n;;;\r\n"
        f"No;Nama;NIP;Email\r\n1;A;{NIP};a@gmail.com\r\n",
    )
    assert _read(source) == (4, 1, ("No", "Nama", "NIP", "Email"), [5])


def test_a_title_right_above_the_header_is_not_its_parent_row(tmp_path: Path) -> None:
    source = _csv(tmp_path / "rekap.csv", f"REKAP NIP\r\nNo;Nama;NIP;Email\r\n1;A;{NIP};a@x.id\r\n")
    assert _read(source) == (2, 1, ("No", "Nama", "NIP", "Email"), [3])


def test_a_merged_xlsx_title_naming_nip_gives_way_to_the_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "DAFTAR NAMA DAN NIP PEGAWAI NEGERI SIPIL"
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "DINAS PENDIDIKAN KABUPATEN SUMBAWA"
    sheet.merge_cells("A2:D2")
    sheet.append([])
    sheet.append(["No", "Nama", "NIP", "Email"])
    sheet.append([1, "A", NIP, "a@gmail.com"])
    workbook.save(tmp_path / "judul.xlsx")
    expected = (4, 1, ("No", "Nama", "NIP", "Email"), [5])
    assert _read(tmp_path / "judul.xlsx") == expected
    monkeypatch.setattr(xlsx_survey, "CALAMINE_MAX_CELLS", 0)  # openpyxl's reading too
    assert _read(tmp_path / "judul.xlsx") == expected


def test_a_lone_nip_title_is_the_header_when_no_fuller_row_names_nip(tmp_path: Path) -> None:
    source = _csv(tmp_path / "nip-saja.csv", f"Daftar NIP yang dicek\r\n{NIP}\r\n")
    assert _read(source, require_email=False) == (1, 1, ("Daftar NIP yang dicek",), [2])


def test_an_exact_nip_header_of_one_column_beats_a_title_above_it(tmp_path: Path) -> None:
    source = _csv(tmp_path / "satu.csv", f"DAFTAR NIP PEGAWAI\r\nNIP\r\n{NIP}\r\n")
    assert _read(source, require_email=False) == (2, 1, ("NIP",), [3])


# ------------------------------------------------------ a row numbering the columns


@pytest.mark.parametrize("numbers", ["(1);(2);(3);(4)", "1;2;3;4", "1.;2.;3.;4.", "0;1;2;3"])
def test_a_column_number_row_under_the_header_is_part_of_it(tmp_path: Path, numbers: str) -> None:
    source = _csv(
        tmp_path / "nomor.csv", f"No;Nama;NIP;Email\r\n{numbers}\r\n1;A;{NIP};a@gmail.com\r\n"
    )
    assert _read(source) == (1, 2, ("No", "Nama", "NIP", "Email"), [3])


@pytest.mark.parametrize("row", ["1;3;5;7", "2;3;4;5", "(1);A;(3);(4)", f"1;2;{NIP};x@y.id"])
def test_rows_that_do_not_number_the_columns_stay_data(tmp_path: Path, row: str) -> None:
    source = _csv(tmp_path / "data.csv", f"No;Nama;NIP;Email\r\n{row}\r\n")
    assert _read(source) == (1, 1, ("No", "Nama", "NIP", "Email"), [2])


def test_column_numbers_under_a_two_row_xlsx_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR PEGAWAI"])
    sheet.append(["NO", "NAMA", "NIP", None, "EMAIL"])
    sheet.append([None, None, "BARU", "LAMA", None])
    sheet.merge_cells("C2:D2")
    sheet.append([1, 2, 3, 4, 5])
    sheet.append([1, "A", NIP, "123456789", "a@gmail.com"])
    workbook.save(tmp_path / "dua.xlsx")
    header = ("NO", "NAMA", "NIP / BARU", "NIP / LAMA", "EMAIL")
    assert _read(tmp_path / "dua.xlsx") == (2, 3, header, [5])
    assert _read(tmp_path / "dua.xlsx", header_row=2) == (2, 3, header, [5])
    monkeypatch.setattr(xlsx_survey, "CALAMINE_MAX_CELLS", 0)
    assert _read(tmp_path / "dua.xlsx") == (2, 3, header, [5])


def test_a_numbered_header_reads_alike_in_one_process_and_in_workers(
    cli: CLI, tmp_path: Path
) -> None:
    lines = ["DAFTAR PEGAWAI;;;", "No;Nama;NIP;Email", "(1);(2);(3);(4)"]
    for i in range(4500):
        domain = "gmial.com" if i % 700 == 0 else "gmail.com"
        lines.append(f"{i + 1};P{i};198609{1 + i % 28:02d}2015051{1 + i // 28:03d};p{i}@{domain}")
    source = _csv(tmp_path / "banyak.csv", "\r\n".join(lines) + "\r\n")
    runs = [cli("batch", str(source), "--format", "json", "--jobs", jobs) for jobs in "12"]
    assert runs[0].stdout == runs[1].stdout and runs[0].exit_code == runs[1].exit_code
    document = json.loads(runs[0].stdout)
    assert document["summary"]["rows"] == 4500
    assert document["summary"]["columns"]["header_rows"] == 2
    assert [r["row"] for r in document["records"]] == [4 + i for i in range(0, 4500, 700)]


# ------------------------------------------------------------------ hidden sheets


def _hidden_first(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Rekap"
    notes["A1"] = "catatan"
    notes.sheet_state = "hidden"
    data = workbook.create_sheet("Data")
    data.append(["No", "Nama", "NIP", "Email"])
    data.append([1, "A", NIP, "a@gmail.com"])
    workbook.save(path)
    return path


def test_the_first_sheet_is_read_when_every_sheet_is_hidden() -> None:
    assert default_sheet(["Rekap", "Data"], lambda sheet: False) == "Rekap"
    assert default_sheet(["Rekap", "Data"], lambda sheet: sheet == "Data") == "Data"
    assert default_sheet([], lambda sheet: True) is None


def _sheet(path: Path, **options: object) -> str | None:
    try:
        with open_table(path, **options) as table:  # type: ignore[arg-type]
            return table.sheet
    except TableError as error:
        return f"error {error.problem}"


@pytest.mark.parametrize("openpyxl_only", [False, True])
def test_a_hidden_first_sheet_is_passed_over_unless_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, openpyxl_only: bool
) -> None:
    if openpyxl_only:
        monkeypatch.setattr(xlsx_survey, "CALAMINE_MAX_CELLS", 0)
    path = _hidden_first(tmp_path / "tersembunyi.xlsx")
    assert _sheet(path) == "Data"
    assert _sheet(path, sheet="Rekap") == "error no-nip-column"  # named: read all the same


@pytest.mark.parametrize("name", ["hidden-first.xls", "hidden-first.ods"])
def test_a_hidden_first_sheet_of_xls_and_ods_is_passed_over(name: str) -> None:
    # Saved by LibreOffice Calc from the workbook _hidden_first writes.
    assert _sheet(FIXTURES / name) == "Data"
    assert _sheet(FIXTURES / name, sheet="Rekap") == "error no-nip-column"


# ------------------------------------------------------------- a header and no one under it


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_header_with_no_rows_under_it_says_nothing_was_checked(
    cli: CLI, tmp_path: Path, lang: str
) -> None:
    source = _csv(tmp_path / "kosong.csv", "DAFTAR PEGAWAI\r\nNIP;NAMA;EMAIL\r\n;;\r\n")
    run = cli("batch", str(source), "--format", "json", "--lang", lang)
    assert run.exit_code == 0
    assert json.loads(run.stdout)["summary"]["rows"] == 0
    assert catalog(lang).ui("batch-no-rows", row=2) in run.stderr

    workbook = openpyxl.Workbook()
    workbook.active.title = "Rekap"
    workbook.active.append(["NIP", "NAMA", "EMAIL"])
    workbook.save(tmp_path / "kosong.xlsx")
    run = cli("batch", str(tmp_path / "kosong.xlsx"), "--lang", lang)
    assert run.exit_code == 0
    assert catalog(lang).ui("batch-no-rows-sheet", row=1, sheet="Rekap") in run.stderr


def test_rows_under_the_header_need_no_note(cli: CLI, tmp_path: Path) -> None:
    source = _csv(tmp_path / "ada.csv", "NIP;NAMA;EMAIL\r\n" + PERSON)
    run = cli("batch", str(source), "--lang", "en")
    assert "no data rows" not in run.stderr


def test_a_letterhead_naming_a_nip_above_a_comma_table_is_not_its_header(
    tmp_path: Path,
) -> None:
    """Split on its comma, the letterhead looked like two labels, one of them NIP's."""
    source = tmp_path / "kop.csv"
    source.write_text(
        "Kepala Dinas: Dr. Budi Santoso, NIP. 19650101 199003 1 001\r\n"
        f"No,Nama,NIP,Email\r\n1,A,{NIP},a@gmail.com\r\n",
        encoding="utf-8",
    )
    assert _read(source) == (2, 1, ("No", "Nama", "NIP", "Email"), [3])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_parent_row_above_the_row_naming_nip_gives_the_columns_merged_down(
    tmp_path: Path, fmt: str
) -> None:
    """The NIP is named only in the sub-labels; Email, merged down over both rows, is named
    only in the parent row: the two rows are the header (the sub-row alone had no email)."""
    rows = [
        ["No", "Data Pegawai", "", "Email"],
        ["", "NIP", "Nama", ""],
        ["1", NIP, "ELI", "eli@gmail.com"],
    ]
    source = _table(tmp_path / f"turun.{fmt}", rows)
    header = ("No", "Data Pegawai / NIP", "Data Pegawai / Nama", "Email")
    assert _read(source) == (1, 2, header, [3])


def test_a_title_above_a_full_header_stays_out_of_it(tmp_path: Path) -> None:
    rows = [["Data Pegawai", "", ""], ["NIP", "Nama", "Email"], [NIP, "ELI", "eli@gmail.com"]]
    source = _table(tmp_path / "judul.csv", rows)
    assert _read(source) == (2, 1, ("NIP", "Nama", "Email"), [3])


def test_header_row_naming_the_sub_labels_reads_them_alone(tmp_path: Path) -> None:
    rows = [
        ["No", "Data Pegawai", "", "Email"],
        ["", "NIP", "Nama", ""],
        ["1", NIP, "ELI", "eli@gmail.com"],
    ]
    source = _table(tmp_path / "turun.csv", rows)
    with open_table(source, header_row=2, require_email=False) as table:
        assert (table.header_row, table.header_rows) == (2, 1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "title", ["DAFTAR EMAIL SIASN PNS DINAS KESEHATAN", "REKAP EMAIL MYASN TERDAFTAR DI BKN"]
)
def test_a_title_naming_email_right_above_the_header_gives_no_column(
    cli: CLI, tmp_path: Path, fmt: str, title: str
) -> None:
    """The title's words over "No" made it the (registered) email column: every row failed."""
    rows = [
        [title, "", "", ""],
        ["No", "Nama", "NIP", "Email"],
        ["1", "Budi Santoso", NIP, "budi.santoso@gmail.com"],
    ]
    source = _table(tmp_path / f"judul.{fmt}", rows)
    assert _read(source) == (2, 1, ("No", "Nama", "NIP", "Email"), [3])
    run = cli("batch", str(source), "--format", "json")
    assert run.exit_code == 0
    assert run.json()["summary"]["columns"]["registered"] is None


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "label", ["NIP (contoh: 199001012015031001)", "NIP (18 digit, cth 19900101 201503 1 001)"]
)
def test_a_nip_label_showing_an_example_is_still_the_header(
    tmp_path: Path, fmt: str, label: str
) -> None:
    rows = [["No", "Nama", label, "Email"], ["1", "Budi", NIP, "budi@gmail.com"]]
    source = _table(tmp_path / f"contoh.{fmt}", rows)
    assert _read(source) == (1, 1, ("No", "Nama", label, "Email"), [2])


def test_a_signatory_s_nip_line_with_a_colon_cell_is_not_a_person(tmp_path: Path) -> None:
    rows = [["Pejabat", "Budi"], ["NIP", ":", NIP], [], ["No", "Nama", "NIP", "Email"]]
    rows.append(["1", "A", NIP, "a@gmail.com"])
    source = _table(tmp_path / "ttd.csv", rows)
    assert _read(source) == (4, 1, ("No", "Nama", "NIP", "Email"), [5])


def test_a_preparer_s_line_above_the_header_is_not_its_parent_row(cli: CLI, tmp_path: Path) -> None:
    """Two cells, a label and its value each: made the header "Dibuat oleh: Budi Santoso /
    NIP" and the email column "Email: budi.santoso@gmail.com", shown under --mask."""
    source = _csv(
        tmp_path / "dibuat.csv",
        f"Dibuat oleh: Budi Santoso;;;Email: budi.santoso@gmail.com\r\nNo;NIP;Nama\r\n"
        f"1;{NIP};Siti Aminah\r\n",
    )
    run = cli("batch", str(source), "--lang", "en", "--mask")
    assert run.exit_code == 2
    expected = catalog("en").ui(
        "error-table-no-email-column", path=str(source), columns="No, NIP, Nama", row=2
    )
    assert expected in run.stderr
    assert "Budi" not in run.stdout + run.stderr


def test_a_label_beside_its_value_is_not_listed_as_columns(cli: CLI, tmp_path: Path) -> None:
    source = _csv(tmp_path / "biodata.csv", "Nama;Budi Santoso\r\nUnit;Dinas Kesehatan\r\n")
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2
    assert "Budi" not in run.stderr


@pytest.mark.parametrize(
    ("header", "columns"),
    [
        ("No;;Email", "No, Email"),
        ("No;Email", "No, Email"),
        ("Identitas;Email", "Identitas, Email"),
    ],
)
def test_a_header_without_a_nip_label_lists_its_columns(
    cli: CLI, tmp_path: Path, header: str, columns: str
) -> None:
    """Above the NIPs, a header whose NIP cell is blank: the missing NIP column, not "insert
    a header row" (the header is there)."""
    width = header.count(";") + 1
    row = ";".join(["1", NIP, "a@gmail.com"][:width]) if width == 3 else f"{NIP};a@gmail.com"
    source = _csv(tmp_path / "tanpa-label.csv", f"{header}\r\n{row}\r\n")
    run = cli("batch", str(source), "--lang", "en")
    assert run.exit_code == 2
    expected = catalog("en").ui(
        "error-table-no-nip-column", path=str(source), columns=columns, row=1
    )
    assert expected in run.stderr


def test_a_signatory_s_nip_with_its_colon_glued_is_not_a_header(tmp_path: Path) -> None:
    rows = [["Kepala", "Dr. Budi"], ["", "NIP", ": 196801011993031005"], []]
    rows += [["No", "NIP", "Email"], ["1", NIP, "a@gmail.com"]]
    source = _table(tmp_path / "ttd.csv", rows)
    assert _read(source) == (4, 1, ("No", "NIP", "Email"), [5])
