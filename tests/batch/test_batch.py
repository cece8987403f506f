"""Batch mode through the real CLI: inputs, per-row and cross-row checks, every output format,
--output, --fixed, --mask, exit codes."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import Run

CLI = Callable[..., Run]

HEADER = ["NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK"]
ROWS = [
    ["1", "Eli Sari", "19860926 201505 2 001", "eli.sari@gmail.com ", "eli.sari@gmail.com"],
    ["2", "Budi", "198609262015051002", "budi@gmial.com", "budi@gmail.com"],
    ["3", "Citra", "1,98501E+17", "citra@yahoo.co.id", "citra@yahoo.co.id"],
    ["4", "Dedi", "198609262015051002", "eli.sari@gmail.com", "dedi@gmail.com"],
    ["", "", "", "", ""],
    ["6", "Eka", "131110468", "<eka@bkn.go.id>", "eka@bkn.go.id"],
    ["7", "Fajar", "199001012015031003", "fajar@gmail.com", "fajar@gmail.com"],
]


def write_csv(
    path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def staff(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "staff.csv", ROWS)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def jsonl(cli: CLI, *args: str) -> list[dict[str, object]]:
    run = cli("batch", *args, "--format", "jsonl", "--jobs", "1")
    return [json.loads(line) for line in run.stdout.splitlines()]


def codes_by_row(records: list[dict]) -> dict[int, set[str]]:  # type: ignore[type-arg]
    return {r["row"]: {f["code"] for f in r["findings"]} for r in records}


def test_jsonl_one_object_per_row_in_order(cli: CLI, staff: Path) -> None:
    records = jsonl(cli, str(staff))
    assert [r["row"] for r in records] == [2, 3, 4, 5, 6, 7, 8]
    by_row = codes_by_row(records)
    assert "email-trailing-space" in by_row[2]
    assert {"email-domain-typo", "email-mismatch"} <= by_row[3]
    assert by_row[4] >= {"nip-excel-damaged"}
    assert {"row-duplicate-nip", "row-duplicate-email", "email-mismatch"} <= by_row[5]
    assert by_row[6] == {"row-empty"}
    assert {"nip-old-format", "email-wrapper"} <= by_row[7]
    assert records[6]["status"] == "ok"
    assert records[0]["status"] == "fail"
    assert records[0]["nip"]["normalized"] == "198609262015052001"  # type: ignore[index]
    assert records[0]["email"]["normalized"] == "eli.sari@gmail.com"  # type: ignore[index]


def test_row_is_checked_exactly_like_check(cli: CLI, staff: Path) -> None:
    records = jsonl(cli, str(staff))
    single = cli(
        "check",
        "--nip",
        ROWS[1][2],
        "--email",
        ROWS[1][3],
        "--registered",
        ROWS[1][4],
        "--format",
        "json",
    ).json()
    row = next(r for r in records if r["row"] == 3)
    assert row["nip"] == single["nip"]
    assert row["email"] == single["email"]
    assert sorted(f["code"] for f in row["findings"]) == sorted(
        f["code"] for f in single["findings"]
    )


def test_exit_code_and_text_summary(cli: CLI, staff: Path) -> None:
    run = cli("batch", str(staff), "--lang", "en")
    assert run.exit_code == 1
    assert "Rows with errors" in run.stdout
    assert "7 row(s) checked: 2 fine, 0 with warnings, 5 with errors." in run.stdout
    assert "row-duplicate-nip" in run.stdout


def test_clean_file_exits_0(cli: CLI, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ok.csv", [ROWS[6]])
    run = cli("batch", str(path))
    assert run.exit_code == 0


def test_json_summary_and_records(cli: CLI, staff: Path) -> None:
    run = cli("batch", str(staff), "--format", "json")
    doc = run.json()
    assert doc["schema_version"] == 1
    assert doc["summary"]["rows"] == 7
    assert doc["summary"]["ok"] == 2  # the clean row and the empty one (info only)
    assert doc["summary"]["by_code"]["row-duplicate-nip"] == 1
    assert all(r["findings"] for r in doc["records"])
    clean = next(r for r in doc["records"] if r["row"] == 8)
    assert {f["code"] for f in clean["findings"]} == {"email-matches-registered"}


def test_csv_one_line_per_finding_with_bom(cli: CLI, staff: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    run = cli("batch", str(staff), "--format", "csv", "--output", str(out))
    assert run.exit_code == 1
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    # The input's delimiter (;): Excel in an Indonesian locale splits the columns.
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    header = ["Baris", "NAMA", "NO", "NIP", "Email", "Status", "Kode", "Tingkat", "Pesan"]
    assert lines[0] == [*header, "Cara memperbaiki", "FAQ"]
    typo = lines[next(i for i, line in enumerate(lines) if line[6] == "email-domain-typo")]
    # The NIP as a formula of its text: Excel and Calc keep its 18 digits.
    assert typo[:6] == ["3", "Budi", "2", '="198609262015051002"', "budi@gmial.com", "kesalahan"]
    assert "checked" in run.stdout or "diperiksa" in run.stdout  # only the summary
    assert "email-domain-typo" not in run.stdout


def test_output_is_atomic_and_never_the_input(cli: CLI, staff: Path) -> None:
    before = digest(staff)
    run = cli("batch", str(staff), "--output", str(staff))
    assert run.exit_code == 2
    assert digest(staff) == before
    run = cli("batch", str(staff), "--fixed", str(staff))
    assert run.exit_code == 2
    assert digest(staff) == before
    assert [p.name for p in staff.parent.iterdir()] == ["staff.csv"]  # no temp files left


def test_fixed_copy_applies_only_certain_fixes(cli: CLI, staff: Path, tmp_path: Path) -> None:
    before = digest(staff)
    fixed = tmp_path / "fixed.csv"
    run = cli("batch", str(staff), "--fixed", str(fixed), "--format", "json")
    assert run.exit_code == 1
    assert digest(staff) == before
    rows = list(csv.reader(fixed.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert rows[0] == HEADER
    # The NIP without its groups, in the form spreadsheets keep as text (="…").
    assert rows[1][2:] == ['="198609262015052001"', "eli.sari@gmail.com", "eli.sari@gmail.com"]
    assert rows[2][3] == "budi@gmial.com"  # a typo is a guess: never fixed
    assert rows[3][2] == "1,98501E+17"  # damaged digits are not invented
    assert rows[6][3] == "eka@bkn.go.id"  # wrapper removed
    assert rows[7] == ROWS[6]
    plain = tmp_path / "plain.csv"
    run = cli(
        "batch", str(staff), "--fixed", str(plain), "--fixed-nip", "plain", "--format", "json"
    )
    rows = list(csv.reader(plain.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    assert rows[1][2] == "198609262015052001"  # bare digits, for systems importing the file


def test_mask_hides_personal_data_everywhere(cli: CLI, staff: Path) -> None:
    secrets = [
        "198609262015052001",
        "198609262015051002",
        "eli.sari@gmail.com",
        "budi@gm",
        "citra@",
        "19860926 201505 2 001",
    ]
    for fmt in ("text", "json", "jsonl", "csv"):
        run = cli("batch", str(staff), "--format", fmt, "--mask", "--lang", "en")
        assert run.exit_code == 1
        for secret in secrets:
            assert secret not in run.stdout, (fmt, secret)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1252", ";")],
)
def test_encodings_and_delimiters(cli: CLI, tmp_path: Path, encoding: str, delimiter: str) -> None:
    rows = [["1", "Andréa Müller", "198609262015051001", "andrea@gmail.com", "andrea@gmail.com"]]
    path = write_csv(tmp_path / "staff.csv", rows, delimiter=delimiter, encoding=encoding)
    records = jsonl(cli, str(path))
    assert records[0]["status"] == "ok", records


def test_stdin(cli: CLI, staff: Path) -> None:
    run = cli("batch", "-", "--format", "jsonl", input=staff.read_bytes())
    assert len(run.stdout.splitlines()) == 7


def test_xlsx_numeric_nip_is_excel_damage(cli: CLI, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "E-MAIL"])
    sheet.append([198609262015051001, "eli@gmail.com"])
    sheet.append(["198609262015051001", "eli2@gmail.com"])
    sheet.append([131110468, "eka@gmail.com"])
    path = tmp_path / "staff.xlsx"
    book.save(path)
    by_row = codes_by_row(jsonl(cli, str(path)))
    assert "nip-excel-damaged" in by_row[2]
    assert "nip-excel-damaged" not in by_row[3]
    assert "nip-old-format" in by_row[4]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"NO;NAMA;JABATAN\n1;Budi;Staf\n", "staff.csv", "NO, NAMA, JABATAN"),
        (b"", "empty.csv", "empty.csv"),
        (b"\x00\x01\x02binary\xff" * 50, "x.csv", "x.csv"),
        (b"PK\x03\x04not really a zip", "fake.xlsx", "fake.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls", "old.xls"),
    ],
)
def test_unusable_files_exit_2_naming_the_problem(
    cli: CLI, tmp_path: Path, content: bytes, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    run = cli("batch", str(path), "--format", "json")
    assert run.exit_code == 2
    assert message in run.stderr
    assert run.stdout == ""
    assert "Traceback" not in run.stderr


def test_missing_file_and_column_override(cli: CLI, tmp_path: Path) -> None:
    run = cli("batch", str(tmp_path / "nope.csv"))
    assert run.exit_code == 2 and "nope.csv" in run.stderr
    path = tmp_path / "odd.csv"
    path.write_text("No Induk;Surat Elektronik\n198609262015051001;eli@gmail.com\n", "utf-8")
    assert cli("batch", str(path)).exit_code == 2
    run = cli("batch", str(path), "--nip-column", "no induk", "--email-column", "SURAT ELEKTRONIK")
    assert run.exit_code == 0, run.stderr


def test_ragged_row_is_a_warning(cli: CLI, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("NIP;EMAIL\n198609262015051001;eli@gmail.com;extra;cells\n", "utf-8")
    (record,) = jsonl(cli, str(path))
    assert {f["code"] for f in record["findings"]} == {"row-too-many-columns"}  # type: ignore[index]
    assert record["status"] == "warn"


def test_parallel_output_identical_to_serial(cli: CLI, tmp_path: Path) -> None:
    rows = [
        [
            str(i),
            "X",
            f"19860926201505{1 + i % 2}{i % 999 + 1:03d}",
            f"p{i}@gmail.com ",
            f"p{i}@gmail.com",
        ]
        for i in range(5000)
    ]
    rows[4000][2] = rows[10][2]  # a duplicate far apart
    path = write_csv(tmp_path / "big.csv", rows)
    serial = cli("batch", str(path), "--format", "jsonl", "--jobs", "1").stdout
    parallel = cli("batch", str(path), "--format", "jsonl", "--jobs", "2").stdout
    assert serial == parallel
    assert len(serial.splitlines()) == 5000
    assert "row-duplicate-nip" in serial
