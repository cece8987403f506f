"""Tests for sapkcheck.batch.tables and the fixed copy. Every fixture is generated in tmp_path."""

from __future__ import annotations

import io
import os
import random
import re
import tracemalloc
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from sapkcheck.batch.fixed_copy import FixedWriter
from sapkcheck.batch.rows import check_row
from sapkcheck.batch.tables.headers import column_rules, normalize_header, parse_column_rules
from sapkcheck.batch.tables.model import SAMPLE_BYTES, CellValue, Columns, Row, Table, TableError
from sapkcheck.batch.tables.reader import open_table

NIP1 = "199001012015031001"
NIP2 = "200012312024211001"
HEADER = ["No", "Nama", "NIP", "Email", "Email SAPK"]
DATA = [
    ["1", "José Ñoño", NIP1, "jose@gmail.com ", "jose@gmail.com"],
    ["2", "Siti Aminah", NIP2, "siti@yahoo.co.id", "siti@yahoo.co.id"],
]


# --------------------------------------------------------------------------- helpers


def csv_text(rows: Iterable[Sequence[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    out = io.StringIO()
    import csv

    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def put(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def read_all(source: Path | str, **kwargs: Any) -> tuple[Table, list[Row]]:
    with open_table(source, **kwargs) as table:  # type: ignore[arg-type]
        rows = list(table)
    return table, rows


def error_of(source: Path | str, **kwargs: Any) -> TableError:
    with pytest.raises(TableError) as info:
        read_all(source, **kwargs)
    return info.value


def make_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    title: str = "Sheet1",
    others: Sequence[str] = (),
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for other in others:
        workbook.create_sheet(other).append(["nothing here"])
    workbook.save(path)
    return path


def columns(header: Sequence[str], **kwargs: Any) -> Columns:
    path = Path(os.environ["BATCH_TMP"]) / "h.csv"
    path.write_text(csv_text([header, ["x"] * len(header)]), encoding="utf-8")
    with open_table(path, **kwargs) as table:
        return table.columns


@pytest.fixture(autouse=True)
def _tmp_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BATCH_TMP", str(tmp_path))


# --------------------------------------------------------------------------- encodings


ENCODINGS = [
    # (file bytes prefix, codec, expected Table.encoding)
    (b"", "utf-8", "utf-8"),
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
    (b"", "cp1252", "cp1252"),
]


@pytest.mark.parametrize(("bom", "codec", "expected"), ENCODINGS)
def test_encodings(tmp_path: Path, bom: bytes, codec: str, expected: str) -> None:
    delimiter = "\t" if codec.startswith("utf-16") else ";"
    data = bom + csv_text([HEADER, *DATA], delimiter).encode(codec)
    table, rows = read_all(put(tmp_path, "staff.csv", data))
    assert table.kind == "csv"
    assert table.encoding == expected
    assert table.delimiter == delimiter
    assert table.columns.header == tuple(HEADER)
    assert [r.cells for r in rows] == [tuple(d) for d in DATA]
    assert [r.number for r in rows] == [2, 3]


def test_cp1252_smart_quotes_and_undefined_bytes(tmp_path: Path) -> None:
    # 0x92 is a right single quote in cp1252; 0x81 is undefined there but must not fail
    data = b"NIP,Email,Nama\r\n" + NIP1.encode() + b",a@b.id,Ma\x92ruf \x81\r\n"
    table, rows = read_all(put(tmp_path, "x.csv", data))
    assert table.encoding == "cp1252"
    assert rows[0].cells == (NIP1, "a@b.id", "Ma\u2019ruf \x81")


def test_utf8_decision_covers_whole_file_not_just_the_sample(tmp_path: Path) -> None:
    line = f"{NIP1},budi@gmail.com,Budi\r\n".encode()
    count = SAMPLE_BYTES // len(line) + 100
    data = b"NIP,EMAIL,NAMA\r\n" + line * count + NIP2.encode() + b",s@x.id,Andr\xe9\r\n"
    table, rows = read_all(put(tmp_path, "big.csv", data))
    assert table.encoding == "cp1252"
    assert rows[-1].cells[2] == "André"
    assert len(rows) == count + 1


def test_stdin_bad_byte_after_sample_is_one_bad_row() -> None:
    # stdin cannot be scanned ahead: a byte that is not UTF-8 past the sample is kept (as a
    # lone surrogate) in its row, which becomes row-bad-encoding; the rows after it are read
    line = f"{NIP1},budi@gmail.com\r\n".encode()
    count = SAMPLE_BYTES // len(line) + 100
    data = b"NIP,EMAIL\r\n" + line * count + b"199001012015031002,bad\xe9@x.id\r\n" + line
    with open_table("-", stdin=io.BytesIO(data)) as table:
        assert table.encoding == "utf-8"
        rows = list(table)
    assert len(rows) == count + 2
    assert rows[count].number == count + 2 and rows[count].cells[1] == "bad\udce9@x.id"
    assert rows[-1].cells == (NIP1, "budi@gmail.com")


def test_utf32_bom(tmp_path: Path) -> None:
    data = b"\xff\xfe\x00\x00" + csv_text([["NIP", "EMAIL"], [NIP1, "a@b.id"]]).encode("utf-32-le")
    table, rows = read_all(put(tmp_path, "x.csv", data))
    assert table.encoding == "utf-32-le"
    assert rows[0].cells == (NIP1, "a@b.id")


# --------------------------------------------------------------------------- delimiters


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(tmp_path: Path, delimiter: str) -> None:
    table, rows = read_all(put(tmp_path, "x.txt", csv_text([HEADER, *DATA], delimiter)))
    assert table.delimiter == delimiter
    assert rows[1].cells[2] == NIP2


def test_semicolon_file_with_commas_in_names(tmp_path: Path) -> None:
    text = (
        "NO;NAMA;NIP;EMAIL\n"
        f"1;Drs. AHMAD, M.Si;{NIP1};a@b.id\n"
        f"2;SITI, S.Pd., M.Pd;{NIP2};s@b.id\n"
        f"3;BUDI, S.E., M.M., Ak;{NIP1};b@b.id\n"
    )
    table, rows = read_all(put(tmp_path, "x.csv", text))
    assert table.delimiter == ";"
    assert rows[2].cells[1] == "BUDI, S.E., M.M., Ak"


def test_single_column_header_needs_no_delimiter(tmp_path: Path) -> None:
    table, rows = read_all(put(tmp_path, "x.csv", f"NIP\n{NIP1}\n"), require_email=False)
    assert table.columns.nip == 0
    assert table.columns.email is None
    assert rows[0].cells == (NIP1,)


def test_excel_sep_line(tmp_path: Path) -> None:
    text = "sep=;\r\n" + csv_text([HEADER, *DATA], ";")
    path = put(tmp_path, "x.csv", text)
    table, rows = read_all(path)
    assert table.delimiter == ";"
    assert table.header_row == 1
    assert rows[0].number == 2
    dest = tmp_path / "out.csv"
    with open_table(path) as table, FixedWriter(table, dest) as writer:
        for row in table:
            writer.write(row.cells)
    assert dest.read_bytes() == path.read_bytes()


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["NIP", "EMAIL"], (0, 1, None, None)),
        (["NIP BARU", "E-MAIL"], (0, 1, None, None)),
        (["nip 18", "alamat email"], (0, 1, None, None)),
        (["NIP/NI PPPK", "Email Pribadi", "Nama Lengkap"], (0, 1, None, 2)),
        (["NI PPPK", "Email Aktif", "Nama"], (0, 1, None, 2)),
        (["Nomor Induk Pegawai", "Surel"], (0, 1, None, None)),
        (["Name", "Staff Number", "Email Address", "Registered Email"], (1, 2, 3, 0)),
        (["  nip. ", "e_mail"], (0, 1, None, None)),
        (["ＮＩＰ", "Ｅｍａｉｌ"], (0, 1, None, None)),  # full-width, as pasted from some PDFs
        (["\ufeffNIP", "EMAIL\u00a0"], (0, 1, None, None)),
        (["NIP", "EMAIL", "EMAIL TERDAFTAR"], (0, 1, 2, None)),
        (["NIP", "EMAIL SIASN", "EMAIL"], (0, 2, 1, None)),
        (["NIP", "Email di SAPK", "Email"], (0, 2, 1, None)),
    ],
)
def test_header_variants(
    header: list[str], expected: tuple[int, int | None, int | None, int | None]
) -> None:
    got = columns(header)
    assert (got.nip, got.email, got.registered, got.name) == expected


def test_email_sapk_is_registered_not_email() -> None:
    got = columns(["NIP", "EMAIL SAPK", "EMAIL"])
    assert (got.email, got.registered) == (2, 1)
    # with no plain email column, EMAIL SAPK is still not taken for the typed email
    got = columns(["NIP", "EMAIL SAPK", "NAMA"], require_email=False)
    assert (got.email, got.registered, got.name) == (None, 1, 2)
    err = error_of(put(Path(os.environ["BATCH_TMP"]), "r.csv", "NIP,EMAIL SAPK\n1,a\n"))
    assert err.problem == "no-email-column"


def test_most_specific_name_wins() -> None:
    assert columns(["NIP", "NIP BARU", "EMAIL"]).nip == 1
    assert columns(["NIP LAMA", "NIP", "EMAIL"]).nip == 1
    assert columns(["EMAIL", "EMAIL AKTIF", "NIP"]).email == 1
    # duplicates of one name: the leftmost
    assert columns(["NIP", "EMAIL", "EMAIL"]).email == 1


def test_keyword_fallback() -> None:
    got = columns(["NIP ATASAN", "NIP Pegawai (18 digit)", "E-mail kantor", "Nama Jabatan"])
    assert (got.nip, got.email, got.name) == (1, 2, None)
    got = columns(["Nomor NIP", "Alamat e-mail di SIASN BKN", "Email yang dipakai login"])
    assert (got.nip, got.registered, got.email) == (0, 1, 2)
    # the old 9-digit NIP alone is not a NIP column
    err = error_of(put(Path(os.environ["BATCH_TMP"]), "o.csv", "NIP LAMA,EMAIL\n1,a\n"))
    assert err.problem == "no-nip-column"


def test_normalize_header() -> None:
    assert normalize_header(" E-Mail (SAPK) ") == "emailsapk"
    assert normalize_header("NIP/NI PPPK") == "nipnipppk"


def test_overrides() -> None:
    got = columns(
        ["Nomor Pegawai", "Kontak", "Lama", "EMAIL"],
        nip_column="nomor  pegawai",
        email_column="KONTAK",
        registered_column="lama",
    )
    assert (got.nip, got.email, got.registered) == (0, 1, 2)
    # an override can claim a column another role would have taken
    got = columns(["NIP", "EMAIL SAPK", "EMAIL"], email_column="Email-SAPK")
    assert (got.email, got.registered) == (1, None)


def test_override_not_found_lists_columns(tmp_path: Path) -> None:
    path = put(tmp_path, "x.csv", "NIP,EMAIL,NAMA\n1,a,b\n")
    err = error_of(path, email_column="surat elektronik")
    assert err.problem == "no-such-column"
    assert err.params["role"] == "email"
    assert err.params["column"] == "surat elektronik"
    assert err.params["columns"] == "NIP, EMAIL, NAMA"
    err = error_of(path, nip_column="NIK")
    assert (err.problem, err.params["role"]) == ("no-such-column", "nip")


def test_no_recognisable_column_lists_what_was_found(tmp_path: Path) -> None:
    err = error_of(put(tmp_path, "x.csv", "NO;NAMA;JABATAN\n1;Budi;Guru\n"))
    assert err.problem == "no-nip-column"
    assert err.params == {
        "path": str(tmp_path / "x.csv"),
        "columns": "NO, NAMA, JABATAN",
        "row": "1",
    }


def test_no_email_column(tmp_path: Path) -> None:
    path = put(tmp_path, "x.csv", f"NO,NIP BARU,NAMA\n1,{NIP1},Budi\n")
    err = error_of(path)
    assert err.problem == "no-email-column"
    assert err.params["nip_column"] == "NIP BARU"
    assert err.params["columns"] == "NO, NIP BARU, NAMA"
    table, rows = read_all(path, require_email=False)
    assert table.columns.email is None
    assert rows[0].cells[1] == NIP1


def test_title_rows_before_header(tmp_path: Path) -> None:
    text = f"DAFTAR PEGAWAI KABUPATEN SUMBAWA,,\r\n,,\r\nNIP,EMAIL,NAMA\r\n{NIP1},a@b.id,Budi\r\n"
    path = put(tmp_path, "x.csv", text)
    table, rows = read_all(path)
    assert table.header_row == 3
    assert table.delimiter == ","
    assert [(r.number, r.cells[0]) for r in rows] == [(4, NIP1)]
    dest = tmp_path / "y.csv"
    with open_table(path) as table, FixedWriter(table, dest) as writer:
        for row in table:
            writer.write(row.cells)
    assert dest.read_bytes() == path.read_bytes()


def test_columns_toml_is_consistent() -> None:
    rules = column_rules()
    assert set(rules) == {"nip", "registered", "email", "name"}
    seen: dict[str, str] = {}
    for role, rule in rules.items():
        for name in rule.exact:
            assert seen.setdefault(name, role) == role
    with pytest.raises(ValueError, match="listed for"):
        parse_column_rules(
            'schema = 1\n[nip]\nexact = ["EMAIL"]\n[registered]\n[email]\nexact = ["E-mail"]\n'
            "[name]\n"
        )


# --------------------------------------------------------------------------- unusable input


def test_empty_files(tmp_path: Path) -> None:
    for name, data in [
        ("zero.csv", b""),
        ("bom.csv", b"\xef\xbb\xbf"),
        ("blank.csv", b"\r\n\r\n  \r\n"),
        ("commas.csv", b",,,\r\n;;\r\n"),
        ("bom16.csv", b"\xff\xfe"),
    ]:
        err = error_of(put(tmp_path, name, data))
        assert err.problem == "empty", name


def test_header_only_file_has_no_rows(tmp_path: Path) -> None:
    table, rows = read_all(put(tmp_path, "x.csv", "NIP;EMAIL\r\n"))
    assert rows == []
    assert table.columns.nip == 0


def test_binary_garbage(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(5000)
    err = error_of(put(tmp_path, "x.csv", data))
    assert (err.problem, err.params["detected"]) == ("wrong-format", "binary")


def test_fake_xlsx_that_is_not_a_zip(tmp_path: Path) -> None:
    err = error_of(put(tmp_path, "x.xlsx", "NIP,EMAIL\n1,a\n"))
    assert (err.problem, err.params["detected"]) == ("wrong-format", "text")


def test_zip_that_is_not_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    err = error_of(path)
    assert (err.problem, err.params["detected"]) == ("wrong-format", "zip")


def test_truncated_xlsx_is_damaged(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "x.xlsx", [["NIP", "EMAIL"], [NIP1, "a@b.id"]])
    path.write_bytes(path.read_bytes()[:300])
    err = error_of(path)
    assert (err.problem, err.params["reason"]) == ("unreadable", "damaged")


def ole_file(*stream_names: str) -> bytes:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = b"".join(name.encode("utf-16-le").ljust(128, b"\x00") for name in stream_names)
    return header + directory + b"\x00" * 1024


def test_encrypted_xlsx(tmp_path: Path) -> None:
    path = put(tmp_path, "x.xlsx", ole_file("Root Entry", "EncryptionInfo", "EncryptedPackage"))
    assert error_of(path).problem == "encrypted"
    # OLE without recognisable stream names: still reported as encrypted
    assert error_of(put(tmp_path, "y.xlsx", ole_file())).problem == "encrypted"


def test_xls_renamed_to_xlsx_and_real_xls(tmp_path: Path) -> None:
    err = error_of(put(tmp_path, "x.xlsx", ole_file("Root Entry", "Workbook")))
    assert (err.problem, err.params["detected"]) == ("wrong-format", "xls")
    # an .xls is read (tests/batch/test_real_exports.py); this OLE shell holds no workbook
    err = error_of(put(tmp_path, "x.xls", ole_file("Root Entry", "Workbook")))
    assert err.params == {"path": str(tmp_path / "x.xls"), "reason": "damaged"}
    err = error_of(put(tmp_path, "html.xls", "<html><table><tr><td>NIP</td></tr></table>"))
    assert (err.problem, err.params["detected"]) == ("wrong-format", "html")
    xlsx = make_xlsx(tmp_path / "real.xlsx", [["NIP", "EMAIL"]])
    err = error_of(put(tmp_path, "renamed.csv", xlsx.read_bytes()))
    assert (err.problem, err.params["detected"]) == ("wrong-format", "xlsx")
    err = error_of(put(tmp_path, "x.ods", b"PK\x03\x04rest"))
    assert (err.problem, err.params["reason"]) == ("unreadable", "damaged")


def test_not_found_and_directory(tmp_path: Path) -> None:
    err = error_of(tmp_path / "missing.csv")
    assert err.problem == "not-found"
    assert err.params == {"path": str(tmp_path / "missing.csv")}
    (tmp_path / "dir.csv").mkdir()
    err = error_of(tmp_path / "dir.csv")
    assert (err.problem, err.params["reason"]) == ("unreadable", "directory")


def test_error_has_no_prose() -> None:
    err = TableError("empty", {"path": "x.csv"})
    assert (err.problem, err.params) == ("empty", {"path": "x.csv"})
    assert str(err) == "empty (path='x.csv')"


# --------------------------------------------------------------------------- rows


def test_ragged_rows(tmp_path: Path) -> None:
    text = (
        "NIP,EMAIL,NAMA\r\n"
        f"{NIP1},a@b.id,Budi,extra,,more\r\n"  # two non-empty extras
        f"{NIP1},a@b.id,Budi,,  ,\r\n"  # trailing empty extras: not ragged, trimmed
        f"{NIP2},s@b.id\r\n"  # short: padded with None
        f"{NIP2}\r\n"
    )
    _, rows = read_all(put(tmp_path, "x.csv", text))
    assert rows[0].cells == (NIP1, "a@b.id", "Budi", "extra", "", "more")
    assert rows[0].ragged == 2
    assert rows[1].cells == (NIP1, "a@b.id", "Budi")
    assert rows[1].ragged == 0
    assert rows[2].cells == (NIP2, "s@b.id", None)
    assert rows[3].cells == (NIP2, None, None)
    assert all(r.ragged == 0 for r in rows[1:])


def test_quoted_fields_with_newlines_and_delimiters(tmp_path: Path) -> None:
    text = (
        "NIP;EMAIL;ALAMAT\r\n"
        f'{NIP1};a@b.id;"Jl. Merdeka; No. 1\r\nSumbawa Besar"\r\n'
        f'{NIP2};"s@b.id";"""Rumah"" dinas"\r\n'
        f"{NIP1};x@b.id;Jl. Lain\r\n"
    )
    _, rows = read_all(put(tmp_path, "x.csv", text))
    assert [r.number for r in rows] == [2, 3, 4]  # a multi-line record is one row
    assert rows[0].cells[2] == "Jl. Merdeka; No. 1\r\nSumbawa Besar"
    assert rows[1].cells[2] == '"Rumah" dinas'


def test_blank_rows_inside_are_yielded_trailing_ones_not(tmp_path: Path) -> None:
    text = f"NIP,EMAIL\r\n{NIP1},a@b.id\r\n\r\n,\r\n{NIP2},s@b.id\r\n,\r\n\r\n\r\n"
    _, rows = read_all(put(tmp_path, "x.csv", text))
    assert [(r.number, r.cells) for r in rows] == [
        (2, (NIP1, "a@b.id")),
        (3, (None, None)),
        (4, (None, None)),
        (5, (NIP2, "s@b.id")),
    ]


def test_cells_are_raw(tmp_path: Path) -> None:
    text = f'NIP,EMAIL\r\n" {NIP1} ", a@b.id\u200b \r\n1.98501E+17,\r\n'
    _, rows = read_all(put(tmp_path, "x.csv", text))
    assert rows[0].cells == (f" {NIP1} ", " a@b.id\u200b ")
    assert rows[1].cells == ("1.98501E+17", "")


def test_table_iterates_once(tmp_path: Path) -> None:
    with open_table(put(tmp_path, "x.csv", f"NIP,EMAIL\n{NIP1},a\n")) as table:
        list(table)
        with pytest.raises(RuntimeError):
            iter(table)


# --------------------------------------------------------------------------- xlsx


def test_xlsx_numeric_nip_stays_a_number(tmp_path: Path) -> None:
    when = datetime(2015, 3, 1)
    path = make_xlsx(
        tmp_path / "x.xlsx",
        [
            ["NIP", "EMAIL", "TMT"],
            [NIP1, "a@b.id ", when],
            [1.98501012010011e17, "b@b.id", None],  # the Excel-damaged NIP
            [131110468, None, 5],  # an old 9-digit NIP typed as a number: an int
        ],
    )
    table, rows = read_all(path)
    assert (table.kind, table.encoding, table.delimiter, table.sheet) == (
        "xlsx",
        None,
        None,
        "Sheet1",
    )
    assert rows[0].cells == (NIP1, "a@b.id ", when)
    assert rows[1].cells[0] == 1.98501012010011e17
    assert isinstance(rows[1].cells[0], float)
    assert rows[2].cells[0] == 131110468
    assert isinstance(rows[2].cells[0], int)
    assert [r.number for r in rows] == [2, 3, 4]


def test_xlsx_sheets(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Rekap"
    workbook.active.append(["just a summary"])
    data = workbook.create_sheet("Data Pegawai")
    data.append(["NIP", "EMAIL"])
    data.append([NIP1, "a@b.id"])
    path = tmp_path / "x.xlsx"
    workbook.save(path)

    assert error_of(path).problem == "no-nip-column"  # the first sheet is used by default
    table, rows = read_all(path, sheet="Data Pegawai")
    assert table.sheet == "Data Pegawai"
    assert rows[0].cells == (NIP1, "a@b.id")
    table, _ = read_all(path, sheet=" data pegawai ")
    assert table.sheet == "Data Pegawai"
    err = error_of(path, sheet="Sheet1")
    assert err.problem == "no-such-sheet"
    assert err.params["sheets"] == "Rekap, Data Pegawai"


def test_xlsx_title_rows_gaps_and_trailing_blank_rows(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"] = "DAFTAR PEGAWAI"
    sheet["A3"], sheet["B3"], sheet["C3"] = "NIP", "EMAIL", "NAMA"
    sheet["A4"], sheet["B4"] = NIP1, "a@b.id"
    sheet["A7"], sheet["B7"], sheet["D7"] = NIP2, "s@b.id", "extra"
    sheet["A50"].number_format = "@"  # formatted but empty: not yielded
    sheet["B60"] = None
    path = tmp_path / "x.xlsx"
    workbook.save(path)
    table, rows = read_all(path)
    assert table.header_row == 3
    assert [(r.number, r.cells, r.ragged) for r in rows] == [
        (4, (NIP1, "a@b.id", None), 0),
        (5, (None, None, None), 0),
        (6, (None, None, None), 0),
        (7, (NIP2, "s@b.id", None, "extra"), 1),
    ]


def test_xlsx_stale_dimension_does_not_drop_data(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "x.xlsx", [["NIP", "EMAIL"], [NIP1, "a@b.id"], [NIP2, "s@b.id"]])
    rewritten = tmp_path / "y.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(rewritten, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(
                    rb'<dimension ref="A1:B3"\s*/>', b'<dimension ref="A1"/>', data
                )
                assert count == 1
            dst.writestr(item, data)
    _, rows = read_all(rewritten)
    assert [r.cells for r in rows] == [(NIP1, "a@b.id"), (NIP2, "s@b.id")]


def test_xlsx_empty_sheet(tmp_path: Path) -> None:
    err = error_of(make_xlsx(tmp_path / "x.xlsx", []))
    assert err.problem == "empty"
    assert err.params["sheet"] == "Sheet1"


# --------------------------------------------------------------------------- stdin


def test_stdin_csv() -> None:
    data = b"\xef\xbb\xbf" + csv_text([HEADER, *DATA], ";").encode()
    table, rows = read_all("-", stdin=io.BytesIO(data))
    assert (table.kind, table.encoding, table.delimiter, table.source) == (
        "csv",
        "utf-8-sig",
        ";",
        None,
    )
    assert [r.cells for r in rows] == [tuple(d) for d in DATA]


def test_stdin_utf16_and_cp1252() -> None:
    data = b"\xff\xfe" + csv_text([HEADER, *DATA], "\t").encode("utf-16-le")
    table, rows = read_all("-", stdin=io.BytesIO(data))
    assert table.encoding == "utf-16-le"
    assert rows[0].cells[1] == "José Ñoño"
    table, rows = read_all("-", stdin=io.BytesIO(csv_text([HEADER, *DATA]).encode("cp1252")))
    assert table.encoding == "cp1252"
    assert rows[0].cells[1] == "José Ñoño"


def test_stdin_xlsx_is_refused(tmp_path: Path) -> None:
    xlsx = make_xlsx(tmp_path / "x.xlsx", [["NIP", "EMAIL"]])
    err = error_of("-", stdin=io.BytesIO(xlsx.read_bytes()))
    assert (err.problem, err.params["detected"]) == ("stdin-xlsx", "xlsx")
    err = error_of("-", stdin=io.BytesIO(ole_file("Workbook")))
    assert (err.problem, err.params["detected"]) == ("stdin-xlsx", "xls")


class TrickleStream(io.RawIOBase):
    """A pipe that returns a few bytes per read, and is not seekable."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._data.read(min(len(buffer), 7))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_stdin_short_reads() -> None:
    stream = TrickleStream(csv_text([HEADER, *DATA]).encode())
    _, rows = read_all("-", stdin=stream)
    assert len(rows) == 2
    assert not stream.closed  # the caller's stream is not ours to close


# --------------------------------------------------------------------------- streaming


def test_streaming_memory_stays_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("NO;NAMA;NIP;EMAIL;EMAIL SAPK;UNIT KERJA\r\n")
        for i in range(200_000):
            out.write(
                f"{i};PEGAWAI NOMOR {i};{199001012015031000 + i % 999};"
                f"pegawai{i}@gmail.com;pegawai{i}@gmail.com;DINAS PENDIDIKAN\r\n"
            )
    assert path.stat().st_size > 15_000_000
    tracemalloc.start()
    try:
        count = 0
        with open_table(path) as table:
            for row in table:
                count += 1
                assert row.ragged == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_000
    assert peak < 4_000_000, peak


# --------------------------------------------------------------------------- FixedWriter


def copy_through(path: Path, dest: Path, fix: Any = None, **kwargs: Any) -> Table:
    with open_table(path, **kwargs) as table, FixedWriter(table, dest) as writer:
        for row in table:
            writer.write(fix(table, row) if fix else row.cells)
    return table


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (b"", "cp1252"),
        (b"\xef\xbb\xbf", "utf-8"),
        (b"", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ],
)
def test_fixed_csv_round_trip_is_byte_exact(tmp_path: Path, bom: bytes, codec: str) -> None:
    rows = [HEADER, *DATA, ["3", 'Ma’ruf "Ucok"', NIP1, "", ""], ["4", "a;b", "", "x", "y"]]
    path = put(tmp_path, "in.csv", bom + csv_text(rows, ";").encode(codec))
    dest = tmp_path / "out.csv"
    copy_through(path, dest)
    assert dest.read_bytes() == path.read_bytes()


def test_fixed_csv_applies_fixes_and_keeps_dialect(tmp_path: Path) -> None:
    path = put(
        tmp_path, "in.csv", b"\xff\xfe" + csv_text([HEADER, *DATA], "\t").encode("utf-16-le")
    )

    def fix(table: Table, row: Row) -> tuple[CellValue, ...]:
        cells = list(row.cells)
        email = table.columns.email
        assert email is not None
        cells[email] = str(cells[email]).strip()
        return tuple(cells)

    dest = tmp_path / "out.txt"
    copy_through(path, dest, fix)
    raw = dest.read_bytes()
    assert raw.startswith(b"\xff\xfe")
    table, rows = read_all(dest)
    assert (table.encoding, table.delimiter) == ("utf-16-le", "\t")
    assert rows[0].cells[3] == "jose@gmail.com"
    assert rows[0].cells[1] == "José Ñoño"


def test_fixed_cp1252_unencodable_character(tmp_path: Path) -> None:
    path = put(tmp_path, "in.csv", csv_text([HEADER, *DATA]).encode("cp1252"))
    dest = tmp_path / "out.csv"
    with (
        pytest.raises(TableError) as info,
        open_table(path) as table,
        FixedWriter(table, dest) as writer,
    ):
        writer.write(("1", "Ṣiti", NIP1, "a@b.id", ""))
    assert info.value.problem == "unwritable"
    assert info.value.params["character"] == "U+1E62"
    assert not dest.exists()
    assert os.listdir(tmp_path) == ["in.csv"]


def test_fixed_xlsx_changes_only_the_fixed_cells_and_writes_them_as_text(
    tmp_path: Path,
) -> None:
    path = make_xlsx(
        tmp_path / "in.xlsx",
        [
            ["NIP", "Email", "Email SAPK", "No", "TMT"],
            [1.98501012010011e17, "a@b.id", "a@b.id", 1, datetime(2015, 3, 1)],
            [NIP2, "=1+1", None, 2, None],
        ],
        title="Data",
    )

    def fix(table: Table, row: Row) -> tuple[CellValue, ...]:
        cells = list(row.cells)
        if row.number == 3:
            cells[0] = 200012312024211001  # an int handed back for the NIP: still text
        return tuple(cells)

    workbook = openpyxl.load_workbook(path)
    workbook["Data"]["B3"].data_type = "s"  # literal text that looks like a formula
    workbook.save(path)
    dest = tmp_path / "out.xlsx"
    copy_through(path, dest, fix)
    workbook = openpyxl.load_workbook(dest)
    sheet = workbook["Data"]
    assert [c.value for c in sheet[1]] == ["NIP", "Email", "Email SAPK", "No", "TMT"]
    nip, email, registered, number, tmt = sheet[2]
    # A number cell that lost its digits cannot be fixed: it is left as it was.
    assert (nip.value, nip.data_type) == (1.98501012010011e17, "n")
    assert (email.data_type, registered.data_type) == ("s", "s")
    assert number.value == 1 and number.data_type == "n"
    assert tmt.value == datetime(2015, 3, 1)
    assert sheet["A3"].value == "200012312024211001" and sheet["A3"].data_type == "s"
    assert sheet["B3"].value == "=1+1" and sheet["B3"].data_type == "s"  # not a formula
    _, rows = read_all(dest)
    assert rows[1].cells[0] == "200012312024211001"


def test_fixed_csv_to_xlsx_and_xlsx_to_csv(tmp_path: Path) -> None:
    path = put(tmp_path, "in.csv", csv_text([HEADER, *DATA], ";"))
    copy_through(path, tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx").active
    assert sheet["C2"].value == NIP1 and sheet["C2"].number_format == "@"
    assert sheet["A2"].value == "1"  # CSV text stays text
    copy_through(tmp_path / "out.xlsx", tmp_path / "back.csv")
    raw = (tmp_path / "back.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    # A new CSV keeps every NIP in the form spreadsheets keep as text (="…").
    text_rows = [[f'="{c}"' if c in (NIP1, NIP2) else c for c in row] for row in DATA]
    assert raw.decode("utf-8-sig") == csv_text([HEADER, *text_rows], ",")
    back, rows = read_all(tmp_path / "back.csv")
    today = datetime(2025, 1, 1).date()
    assert [check_row(row, back.columns, today).nip_key for row in rows] == [NIP1, NIP2]


def test_fixed_is_atomic(tmp_path: Path) -> None:
    path = put(tmp_path, "in.csv", csv_text([HEADER, *DATA]))
    dest = tmp_path / "out.csv"
    with (
        pytest.raises(ZeroDivisionError),
        open_table(path) as table,
        FixedWriter(table, dest) as writer,
    ):
        for row in table:
            writer.write(row.cells)
            1 / 0  # noqa: B018
    assert not dest.exists()
    dest.write_text("previous")
    for target in (dest, tmp_path / "out.xlsx"):
        with (
            pytest.raises(KeyError),
            open_table(path) as table,
            FixedWriter(table, target) as writer,
        ):
            writer.write(DATA[0])
            raise KeyError("boom")
    assert dest.read_text() == "previous"
    assert sorted(os.listdir(tmp_path)) == ["in.csv", "out.csv"]


def test_fixed_refuses_the_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = put(tmp_path, "in.csv", csv_text([HEADER, *DATA]))
    (tmp_path / "sub").mkdir()
    os.symlink(path, tmp_path / "link.csv")
    os.link(path, tmp_path / "hard.csv")
    monkeypatch.chdir(tmp_path / "sub")
    for dest in (path, Path("../in.csv"), tmp_path / "link.csv", tmp_path / "hard.csv"):
        with open_table(path) as table, pytest.raises(TableError) as info:
            FixedWriter(table, dest)
        assert info.value.problem == "fixed-is-input", dest
    xlsx = make_xlsx(tmp_path / "in.xlsx", [["NIP", "EMAIL"]])
    with open_table(xlsx) as table, pytest.raises(TableError) as info:
        FixedWriter(table, xlsx)
    assert info.value.problem == "fixed-is-input"


def test_fixed_bad_destinations(tmp_path: Path) -> None:
    path = put(tmp_path, "in.csv", csv_text([HEADER, *DATA]))
    with open_table(path) as table:
        for dest, reason in [
            (tmp_path / "nowhere" / "out.csv", "directory-missing"),
            (tmp_path, "directory"),
            (tmp_path / "out.xls", "extension"),
        ]:
            with pytest.raises(TableError) as info:
                FixedWriter(table, dest)
            assert (info.value.problem, info.value.params["reason"]) == ("unwritable", reason)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_read_like_stdin(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    data = csv_text([HEADER, *DATA]).encode("cp1252")
    feeder = threading.Thread(target=fifo.write_bytes, args=(data,))
    feeder.start()
    try:
        table, rows = read_all(fifo)
    finally:
        feeder.join(timeout=10)
    assert table.encoding == "cp1252"
    assert [r.cells for r in rows] == [tuple(d) for d in DATA]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_misnamed_file_is_named_for_what_it_is(tmp_path: Path, lang: str) -> None:
    from sapkcheck.knowledge.i18n import catalog
    from tests.helpers import run_cli

    text = catalog(lang)
    xlsx = make_xlsx(tmp_path / "real.xlsx", [["NIP", "EMAIL"]])
    cases = [
        (put(tmp_path, "laporan.xls", xlsx.read_bytes()), ".xls", "xlsx", ".xlsx"),
        (
            put(tmp_path, "staf.xlsx", "NIP;EMAIL\n198609262015051001;a@b.id\n"),
            ".xlsx",
            "text",
            ".csv",
        ),
    ]
    for path, extension, detected, suffix in cases:
        run = run_cli("batch", str(path), "--lang", lang)
        assert run.exit_code == 2
        expected = text.ui(
            "error-table-misnamed",
            path=str(path),
            format=text.ui(f"format-name-{detected}"),
            extension=extension,
            suffix=suffix,
        )
        assert expected in run.stderr
