"""Reading that never loses rows, and tables that cannot run away (issue 14, items 1 and 4):
each campaign case, rebuilt."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from sapkcheck.batch.tables.model import TableError
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.limits import (
    MAX_BAD_ENCODING_ROWS,
    MAX_CELLS_PER_ROW,
    MAX_LINES_PER_ROW,
    MAX_PROFILE_BYTES,
    MAX_XLSX_EMPTY_ROWS,
    MAX_XLSX_SHARED_STRINGS,
)
from tests.helpers import Run, run_cli

MEGABYTE = 1 << 20
NIP1, NIP2, NIP3 = "198609262015051002", "198609262015052002", "198609262015051003"


def batch(source: Path, *args: str) -> Run:
    return run_cli("batch", str(source), "--jobs", "1", "--lang", "en", *args)


def rows_of(run: Run) -> list[int]:
    return [json.loads(line)["row"] for line in run.stdout.splitlines()]


def read_error(source: Path) -> TableError:
    with pytest.raises(TableError) as info, open_table(source) as table:
        for _ in table:
            pass
    return info.value


# --------------------------------------------------------------------------- quotes


def test_unclosed_quote_in_header_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    """Was: "0 rows checked", exit 0, every staff member silently unchecked."""
    source = tmp_path / "staff.csv"
    source.write_text(f'NIP,"EMAIL\n{NIP1},a@b.com\n{NIP2},c@b.com\n', encoding="utf-8")
    run = batch(source)
    assert run.exit_code == 2
    assert "row 1" in run.stderr and "quote" in run.stderr
    assert "0 row(s) checked" not in run.stdout


def test_unclosed_quote_in_data_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    """Was: the rest of the file swallowed into one cell (and merged by --fixed)."""
    source = tmp_path / "staff.csv"
    lines = [f"{NIP1},a@b.com", f'{NIP2},"c@b.com'] + [f"{NIP3},d{i}@b.com" for i in range(50)]
    source.write_text("NIP,EMAIL\n" + "\n".join(lines) + "\n", encoding="utf-8")
    fixed = tmp_path / "fixed.csv"
    run = batch(source, "--format", "jsonl", "--fixed", str(fixed))
    assert run.exit_code == 2
    assert "row 3" in run.stderr
    assert 3 not in rows_of(run) and 4 not in rows_of(run)  # no row swallowed into row 3
    assert not fixed.exists()


def test_stray_quote_closed_far_below_is_an_error(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    body = [f'{NIP1},"a@b.com'] + [f"{NIP2},x{i}@b.com" for i in range(MAX_LINES_PER_ROW + 5)]
    body.append(f'{NIP3},z@b.com"')
    source.write_text("NIP,EMAIL\n" + "\n".join(body) + "\n", encoding="utf-8")
    error = read_error(source)
    assert (error.problem, error.params["row"]) == ("unclosed-quote", "2")


def test_multiline_quoted_cell_is_still_one_row(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(
        f'NIP,EMAIL,ALAMAT\n{NIP1},a@b.com,"Jl. Satu\nSumbawa\nNTB"\n{NIP2},c@b.com,x\n',
        encoding="utf-8",
    )
    run = batch(source, "--format", "jsonl")
    assert run.exit_code == 0, run.stderr
    assert rows_of(run) == [2, 3]


# --------------------------------------------------------------------------- one bad cell


def test_400_digit_number_in_a_csv_nip_cell_is_one_bad_row(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(
        f"NIP,EMAIL\n{NIP1},a@b.com\n{'1' * 400},c@b.com\n{NIP3},d@b.com\n", encoding="utf-8"
    )
    run = batch(source, "--format", "jsonl")
    assert run.exit_code == 1
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["row"] for r in records] == [2, 3, 4]
    assert [r["status"] for r in records] == ["ok", "fail", "ok"]


def test_400_digit_number_in_an_xlsx_nip_cell_is_one_bad_row(tmp_path: Path) -> None:
    """Was: OverflowError, exit 2, all rows lost (the NIP cell is a number, not text)."""
    source = xlsx(
        tmp_path / "staff.xlsx",
        [
            '<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c>'
            '<c r="B1" t="inlineStr"><is><t>EMAIL</t></is></c></row>',
            f'<row r="2"><c r="A2"><v>{"9" * 400}</v></c>'
            '<c r="B2" t="inlineStr"><is><t>a@b.com</t></is></c></row>',
            f'<row r="3"><c r="A3" t="inlineStr"><is><t>{NIP1}</t></is></c>'
            '<c r="B3" t="inlineStr"><is><t>c@b.com</t></is></c></row>',
        ],
    )
    run = batch(source, "--format", "jsonl")
    assert run.exit_code == 1, run.stderr
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [(r["row"], r["status"]) for r in records] == [(2, "fail"), (3, "ok")]
    assert records[0]["findings"][0]["code"] == "nip-excel-damaged"


# --------------------------------------------------------------------------- Ctrl-Z


@pytest.mark.parametrize(
    "ending", [b"\n\x1a", b"\x1a", b"\r\n\x1a"], ids=["own-line", "glued", "crlf"]
)
def test_ctrl_z_at_the_end_is_ignored(tmp_path: Path, ending: bytes) -> None:
    source = tmp_path / "staff.csv"
    source.write_bytes(f"NIP,EMAIL\n{NIP1},a@b.com".encode() + ending)
    run = batch(source, "--format", "jsonl")
    assert run.exit_code == 0, run.stdout
    assert rows_of(run) == [2]
    assert "\\u001a" not in run.stdout


# --------------------------------------------------------------------------- encodings


MIXED = (
    b"NIP,EMAIL,NAMA\n"
    + f"{NIP1},jos\u00e9@b.com,Jos\u00e9 \u00e0\n".encode()
    + f"{NIP2},c@b.com,Andr".encode()
    + b"\xe9\n"
    + b"199001012015031002, eli@b.com ,Fran\xc3\xa7ois\n"
)


@pytest.mark.parametrize(
    ("lang", "finding", "note"),
    [
        ("en", "Column NAMA, character 5: the byte 0xE9 is not UTF-8", "the file mixes encodings"),
        ("id", "Kolom NAMA, karakter ke-5: byte 0xE9 bukan UTF-8", "file ini mencampur pengodean"),
    ],
)
def test_one_cp1252_byte_in_a_utf8_file_is_one_bad_row(
    tmp_path: Path, lang: str, finding: str, note: str
) -> None:
    """Was: the whole file read as cp1252, false findings on josé, and --fixed deleting a
    byte inside a UTF-8 à; then: exit 2 for the whole file. Now: the file stays UTF-8, the
    row with the stray byte is one row-bad-encoding finding, every other row is checked."""
    source = tmp_path / "staff.csv"
    source.write_bytes(MIXED)
    run = run_cli("batch", str(source), "--jobs", "1", "--lang", lang, "--format", "jsonl")
    assert run.exit_code == 1, run.stderr
    rows = {doc["row"]: doc for doc in map(json.loads, run.stdout.splitlines())}
    # read as UTF-8 (not josÃ©): the accent itself is the one finding (the portals take
    # plain ASCII addresses)
    assert rows[2]["email"]["normalized"] == "jos\u00e9@b.com"
    assert [f["code"] for f in rows[2]["findings"]] == ["email-confusable"]
    assert [(f["code"], f["severity"]) for f in rows[3]["findings"]] == [
        ("row-bad-encoding", "error")
    ]
    assert finding in rows[3]["findings"][0]["message"]
    assert [f["code"] for f in rows[4]["findings"]] == [
        "email-leading-space",
        "email-trailing-space",
    ]
    assert note in run.stderr and run.stderr.count("\n") == 1


def test_the_fixed_copy_keeps_a_bad_rows_bytes_and_fixes_the_others(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_bytes(MIXED)
    fixed = tmp_path / "fixed.csv"
    run = batch(source, "--fixed", str(fixed))
    assert run.exit_code == 1, run.stderr
    assert source.read_bytes() == MIXED
    # only the certain fix (the spaces around eli@b.com) changed; 0xE9 and à, ç untouched
    assert fixed.read_bytes() == MIXED.replace(b", eli@b.com ,", b",eli@b.com,")


def test_a_bad_byte_in_the_header_is_still_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_bytes(b"NIP,EMAIL,NAMA\xe9\n" + f"{NIP1},jos\u00e9@b.com,x\n".encode())
    error = read_error(source)
    assert (error.problem, error.params["row"], error.params["byte"]) == (
        "mixed-encoding",
        "1",
        "0xE9",
    )


def test_past_the_cap_of_bad_rows_the_file_is_exit_2(tmp_path: Path) -> None:
    # a file in another encoding with a few UTF-8 letters: not "UTF-8 with a pasted cell"
    source = tmp_path / "staff.csv"
    bad = f"{NIP2},c@b.com,Andr".encode() + b"\xe9\n"
    source.write_bytes(
        b"NIP,EMAIL,NAMA\n"
        + f"{NIP1},jos\u00e9@b.com,x\n".encode()
        + bad * (MAX_BAD_ENCODING_ROWS + 1)
    )
    run = batch(source)
    assert run.exit_code == 2
    assert f"row {MAX_BAD_ENCODING_ROWS + 3}" in run.stderr and "0xE9" in run.stderr
    source.write_bytes(
        b"NIP,EMAIL,NAMA\n" + f"{NIP1},jos\u00e9@b.com,x\n".encode() + bad * MAX_BAD_ENCODING_ROWS
    )
    run = batch(source, "--format", "jsonl")
    assert run.exit_code == 1
    assert len(rows_of(run)) == MAX_BAD_ENCODING_ROWS + 1


def test_utf8_letters_read_as_utf8_when_a_stray_byte_follows_far_below(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    data = b"NIP,EMAIL\n" + f"{NIP1},jos\u00e9@b.com\n".encode() * 3 + b"1,\xe9\n"
    source.write_bytes(data)
    with open_table(source) as table:
        assert table.encoding == "utf-8"
        cells = [row.cells[1] for row in table]
    assert cells == ["jos\u00e9@b.com"] * 3 + ["\udce9"]


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_bytes(f"NIP,EMAIL,NAMA\n{NIP1},a@b.com,Andr".encode() + b"\xe9\n")
    with open_table(source) as table:
        assert table.encoding == "cp1252"
        assert [row.cells[2] for row in table] == ["Andr\u00e9"]


def test_fixed_copy_of_a_utf8_file_changes_only_what_it_fixes(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_bytes(f"NIP,EMAIL,NAMA\n{NIP1},eli@b.com ,Fran\u00e0ois\n".encode())
    fixed = tmp_path / "fixed.csv"
    run = batch(source, "--fixed", str(fixed))
    assert run.exit_code == 1
    assert fixed.read_bytes() == f"NIP,EMAIL,NAMA\n{NIP1},eli@b.com,Fran\u00e0ois\n".encode()


# --------------------------------------------------------------------------- sizes


def test_too_many_cells_in_a_row_is_an_error_naming_the_row(tmp_path: Path) -> None:
    source = tmp_path / "staff.csv"
    source.write_text(
        f"NIP,EMAIL\n{NIP1},a@b.com\n{NIP2},c@b.com" + ",x" * MAX_CELLS_PER_ROW + "\n",
        encoding="utf-8",
    )
    run = batch(source)
    assert run.exit_code == 2
    assert "row 3" in run.stderr and f"{MAX_CELLS_PER_ROW:,}" in run.stderr


def test_adversarial_cells_give_a_bounded_csv_report(tmp_path: Path) -> None:
    """Was: a 1 MB CSV yielded a 2.1 GB --format csv report (one line per finding, without
    end). Scaled down to 256 KiB. Each cell now gives at most a few findings per kind plus
    one "and N more"."""
    cells = [
        "eli@gmail.com" + "." * 900,
        "mailto:" * 120 + "eli@gmail.com",
        "e l i" * 150 + "@b.id",
    ]
    line = "".join(f"{NIP1},{cell}\n" for cell in cells)  # each cell under 1,000 characters
    source = tmp_path / "staff.csv"
    source.write_text("NIP,EMAIL\n" + line * (MEGABYTE // 4 // len(line)), encoding="utf-8")
    report = tmp_path / "report.csv"
    run = batch(source, "--format", "csv", "--output", str(report))
    assert run.exit_code == 1, run.stderr
    assert report.stat().st_size < 20 * source.stat().st_size


def test_a_huge_line_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    """The campaign's 200 MB line of 100 M cells (2.5 GB RSS), scaled down: a data line
    past the line cap is an error naming the row, read in bounded pieces."""
    source = tmp_path / "staff.csv"
    with source.open("w", encoding="utf-8") as out:
        out.write(f"NIP,EMAIL\n{NIP1},a@b.com\n")
        out.write(",".join(["a"] * 1_500_000) + "\n")
    error = read_error(source)
    assert error.problem == "too-large"
    assert (error.params["row"], error.params["what"]) == ("3", "line")


def xlsx(path: Path, rows: list[str], shared: list[str] | None = None) -> Path:
    """A minimal XLSX written by hand: the attacks need XML openpyxl would never write."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        '.org/spreadsheetml/2006/main"><sheetData>' + "".join(rows) + "</sheetData></worksheet>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
        'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
        'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/'
        'worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.worksheet+xml"/>'
        + (
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            if shared is not None
            else ""
        )
        + "</Types>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/'
        'workbook.xml"/></Relationships>'
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument'
        '/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
        'sheet1.xml"/>'
        + (
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            if shared is not None
            else ""
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared is not None:
            archive.writestr(
                "xl/sharedStrings.xml",
                '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxml'
                'formats.org/spreadsheetml/2006/main">' + "".join(shared) + "</sst>",
            )
    return path


HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>NIP</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>EMAIL</t></is></c></row>'
)


def data_row(number: int, nip: str = NIP1) -> str:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{nip}</t></is></c>'
        f'<c r="B{number}" t="inlineStr"><is><t>a@b.com</t></is></c></row>'
    )


def test_xlsx_row_numbered_ten_million_is_an_error_not_millions_of_rows(tmp_path: Path) -> None:
    """Was: a 4.9 KB file gave a 2.46 GB JSON report of empty rows."""
    source = xlsx(tmp_path / "staff.xlsx", [HEADER_ROW, data_row(2), data_row(10_000_000)])
    run = batch(source, "--format", "json")
    assert run.exit_code == 2
    assert f"{MAX_XLSX_EMPTY_ROWS:,}" in run.stderr
    assert len(run.stdout) < 10_000


def test_xlsx_millions_of_empty_rows_stop_at_the_cap(tmp_path: Path) -> None:
    """Was: 30 M empty <row/> in 267 KB took 2.9 GB."""
    empty = "".join(f'<row r="{n}"/>' for n in range(3, MAX_XLSX_EMPTY_ROWS + 10))
    source = xlsx(tmp_path / "staff.xlsx", [HEADER_ROW, data_row(2), empty])
    error = read_error(source)
    assert (error.problem, error.params["what"]) == ("too-large", "empty-rows")


def test_xlsx_shared_string_bomb_is_refused_before_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Was: 10 M shared strings in 417 KB took 983 MB for one data row. (Such a file is
    also compressed past the zip-bomb ratio; that cap is lifted here to test the count.)"""
    from sapkcheck import limits

    monkeypatch.setattr(limits, "MAX_XLSX_COMPRESSION_RATIO", 10**9)
    shared = ["<si><t/></si>"] * (MAX_XLSX_SHARED_STRINGS + 1)
    source = xlsx(tmp_path / "staff.xlsx", [HEADER_ROW, data_row(2)], shared=shared)
    run = batch(source)
    assert run.exit_code == 2
    assert f"{MAX_XLSX_SHARED_STRINGS:,}" in run.stderr


def test_xlsx_within_the_caps_is_read(tmp_path: Path) -> None:
    source = xlsx(
        tmp_path / "staff.xlsx",
        [HEADER_ROW, data_row(2), data_row(500, NIP2)],
        shared=["<si><t/></si>"],
    )
    run = batch(source, "--format", "jsonl")
    assert run.exit_code == 0, run.stderr
    assert rows_of(run)[0] == 2 and rows_of(run)[-1] == 500


# --------------------------------------------------------------------------- profile


def test_profile_from_dev_zero_is_refused_at_the_cap() -> None:
    """Was: --profile /dev/zero read 3.8 GB."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    run = run_cli("profile", "--profile", "/dev/zero", "--lang", "en")
    assert run.exit_code == 2
    # Not a regular file: refused before a byte is read (and its name is not repeated).
    assert "not a readable file" in run.stderr


def test_profile_just_over_the_byte_cap(tmp_path: Path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text("# " + "x" * MAX_PROFILE_BYTES + "\n", encoding="utf-8")
    assert "far larger" in run_cli("profile", "--profile", str(profile), "--lang", "en").stderr


@pytest.mark.parametrize("depth", [20, 20_000])
def test_deep_toml_is_a_usage_error_not_an_internal_error(tmp_path: Path, depth: int) -> None:
    """Was: "Internal error (RecursionError)" for a 100k-deep array."""
    profile = tmp_path / "p.toml"
    profile.write_text("a = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    run = run_cli("profile", "--profile", str(profile), "--lang", "en")
    assert run.exit_code == 2
    assert "nested too deep" in run.stderr


@pytest.mark.parametrize(("lang", "shown"), [("id", "1.000.000"), ("en", "1,000,000")])
def test_a_limit_is_written_as_the_language_writes_numbers(lang: str, shown: str) -> None:
    from sapkcheck.batch.run import table_problem
    from sapkcheck.batch.tables.model import too_large
    from sapkcheck.knowledge.i18n import catalog

    problem = table_problem(too_large("staf.csv", 7, "cell", 1_000_000), catalog(lang))
    assert problem.params["limit"] == shown
    sentence = catalog(lang).ui(problem.key, **problem.params)
    assert shown in sentence and "staf.csv" in sentence
