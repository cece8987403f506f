"""The XLSX pre-scan (issue 14): a single huge cell, a rich text of many runs, a zip bomb,
refused before any reader builds them, in bounded memory; nothing under the caps refused.

Was: one 200 MB cell, a few hundred KB once zipped, took 1.25 GB (openpyxl builds the cell,
and the shared-string count parsed it as a tree first)."""

from __future__ import annotations

import io
import os
import random
import string
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sapkcheck import limits
from sapkcheck.batch.tables.model import TableError
from sapkcheck.batch.tables.xlsx_guard import check_xlsx_bounds
from tests.batch.test_reading_bounds import HEADER_ROW, batch, data_row, xlsx
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]
SHEET = "xl/worksheets/sheet1.xml"


def inline(number: int, text: str) -> str:
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>198609262015051002</t></is>'
        f'</c><c r="B{number}" t="inlineStr"><is><t>{text}</t></is></c></row>'
    )


def refusal(source: Path | io.BytesIO | zipfile.ZipFile, member: str | None = None) -> TableError:
    with pytest.raises(TableError) as raised:
        check_xlsx_bounds(source, member, label="staff.xlsx")
    assert raised.value.problem == "too-large"
    return raised.value


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    """A cap of 1,000 characters, so the cases stay small (the code reads the cap live)."""
    monkeypatch.setattr(limits, "MAX_CELL_CHARS", 1000)
    return 1000


# --------------------------------------------------------------------------- cells


def test_an_inline_cell_past_the_cap_is_refused_naming_its_row(
    tmp_path: Path, small_cap: int
) -> None:
    rows = [HEADER_ROW, *(data_row(n) for n in range(2, 7)), inline(7, "x" * (small_cap + 1))]
    error = refusal(xlsx(tmp_path / "a.xlsx", rows))
    assert (error.params["what"], error.params["row"]) == ("cell", "7")


def test_a_cell_at_the_cap_is_read(tmp_path: Path, small_cap: int) -> None:
    source = xlsx(tmp_path / "a.xlsx", [HEADER_ROW, inline(2, "x" * small_cap)])
    check_xlsx_bounds(source)


@pytest.mark.parametrize(
    ("unit", "why"),
    [
        ("é", "two bytes, one character"),
        ("&amp;", "an entity is one character"),
        ("&#x1F600;", "a numeric entity is one character"),
        ("😀", "four bytes"),
    ],
)
def test_bytes_are_not_taken_for_characters(
    tmp_path: Path, small_cap: int, unit: str, why: str
) -> None:
    # a cell of exactly the cap in characters, far more bytes: read (no false refusal)
    source = xlsx(tmp_path / "a.xlsx", [HEADER_ROW, inline(2, unit * small_cap)])
    check_xlsx_bounds(source)


def test_a_shared_text_past_the_cap_is_refused(tmp_path: Path, small_cap: int) -> None:
    shared = ["<si><t>NIP</t></si>", f"<si><t>{'y' * (small_cap + 1)}</t></si>"]
    error = refusal(xlsx(tmp_path / "a.xlsx", [HEADER_ROW, data_row(2)], shared=shared))
    assert error.params["what"] == "shared-text"


def test_rich_text_runs_count_together(tmp_path: Path, small_cap: int) -> None:
    # each run is short; the cell (their concatenation, as a reader builds it) is not
    runs = "".join(f"<r><rPr><b/></rPr><t>{'z' * 100}</t></r>" for _ in range(11))
    error = refusal(
        xlsx(tmp_path / "a.xlsx", [HEADER_ROW, data_row(2)], shared=[f"<si>{runs}</si>"])
    )
    assert error.params["what"] == "shared-text"
    ten = "".join(f"<r><t>{'z' * 100}</t></r>" for _ in range(10))
    check_xlsx_bounds(
        xlsx(tmp_path / "b.xlsx", [HEADER_ROW, data_row(2)], shared=[f"<si>{ten}</si>"])
    )


def test_many_short_cells_are_never_added_up(tmp_path: Path, small_cap: int) -> None:
    rows = [HEADER_ROW, *(inline(n, "w" * (small_cap - 1)) for n in range(2, 400))]
    check_xlsx_bounds(xlsx(tmp_path / "a.xlsx", rows))


def test_a_real_size_cell_across_many_chunks_names_its_row(tmp_path: Path) -> None:
    # the real cap; the cell starts after thousands of rows and spans many 64 KiB chunks
    rows = [HEADER_ROW, *(data_row(n) for n in range(2, 3002))]
    error = refusal(
        xlsx(tmp_path / "a.xlsx", [*rows, inline(3002, "q" * (limits.MAX_CELL_CHARS + 1))])
    )
    assert (error.params["what"], error.params["row"]) == ("cell", "3002")
    check_xlsx_bounds(xlsx(tmp_path / "b.xlsx", [*rows, inline(3002, "q" * limits.MAX_CELL_CHARS)]))


def test_sources_and_the_sheet_member(tmp_path: Path, small_cap: int) -> None:
    source = xlsx(tmp_path / "a.xlsx", [HEADER_ROW, inline(2, "x" * (small_cap + 1))])
    refusal(source)
    refusal(str(source))
    with zipfile.ZipFile(source) as archive:
        refusal(archive, SHEET)
        check_xlsx_bounds(archive, "xl/worksheets/sheet2.xml")  # another sheet: not scanned
    stream = io.BytesIO(source.read_bytes())
    stream.seek(3)
    refusal(stream)
    assert stream.tell() == 3  # the reader starts where the caller left it
    good = io.BytesIO(xlsx(tmp_path / "b.xlsx", [HEADER_ROW, data_row(2)]).read_bytes())
    check_xlsx_bounds(good)
    assert good.tell() == 0
    check_xlsx_bounds(io.BytesIO(b"PK\x03\x04 not a zip"))  # damaged: left to the reader


def test_a_workbook_written_by_openpyxl_passes(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIP", "EMAIL", "NAMA"])
    for n in range(2000):
        sheet.append([f"1986092620150510{n % 100:02d}", f"user{n}@gmail.com", "Sûsanti & Co <x>"])
    book.save(tmp_path / "a.xlsx")
    check_xlsx_bounds(tmp_path / "a.xlsx")


# --------------------------------------------------------------------------- zip


def test_a_workbook_unpacking_past_the_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = xlsx(tmp_path / "a.xlsx", [HEADER_ROW, *(data_row(n) for n in range(2, 200))])
    with zipfile.ZipFile(source) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", unpacked - 1)
    assert refusal(source).params["what"] == "unpacked"
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", unpacked)
    check_xlsx_bounds(source)


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    # 12 MiB of one repeated empty cell compress about a thousand times
    bomb = '<row r="2">' + '<c r="A2"/>' * ((12 << 20) // 11) + "</row>"
    source = xlsx(tmp_path / "a.xlsx", [HEADER_ROW, bomb])
    assert refusal(source).params["what"] == "compression"
    run = batch(source)
    assert run.exit_code == 2 and "compressed more than 500 times" in run.stderr


# --------------------------------------------------------------------------- memory


def huge_cell_workbook(path: Path, megabytes: int, *, shared: bool) -> Path:
    """A workbook with one cell of ``megabytes`` MiB of random letters (they compress about
    1.3 times: under the zip-bomb ratio, so the cell itself must be caught)."""
    letters = (string.ascii_letters.encode() * 5)[:256]
    table = bytes.maketrans(bytes(range(256)), letters)
    rnd = random.Random(14)
    base = xlsx(path.with_suffix(".base.xlsx"), [HEADER_ROW], shared=[] if shared else None)
    full = zipfile.ZipFile(base)
    with full, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in full.infolist():
            if info.filename not in (SHEET, "xl/sharedStrings.xml"):
                out.writestr(info.filename, full.read(info.filename))
        if shared:
            with out.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(
                    b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                    b'spreadsheetml/2006/main"><si><t>'
                )
                for _ in range(megabytes):
                    part.write(rnd.randbytes(1 << 20).translate(table))
                part.write(b"</t></si></sst>")
            cell = b'<c r="B2" t="s"><v>0</v></c>'
        with out.open(SHEET, "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><sheetData>' + HEADER_ROW.encode()
            )
            part.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>198609262015051002</t></is></c>')
            if shared:
                part.write(cell)
            else:
                part.write(b'<c r="B2" t="inlineStr"><is><t>')
                for _ in range(megabytes):
                    part.write(rnd.randbytes(1 << 20).translate(table))
                part.write(b"</t></is></c>")
            part.write(b"</row></sheetData></worksheet>")
    return path


PEAK = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB (Linux)")
@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared"])
def test_a_huge_cell_is_refused_in_bounded_memory(tmp_path: Path, shared: bool) -> None:
    # 40 MiB in one cell: without the pre-scan the reader peaked at about 133 MB (inline)
    source = huge_cell_workbook(tmp_path / "staff.xlsx", 40, shared=shared)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAPKCHECK_")}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PEAK,
            sys.executable,
            "-m",
            "sapkcheck",
            "batch",
            str(source),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    code, peak_kib = map(int, done.stdout.split())
    assert code == 2, done.stderr
    assert peak_kib < 90 * 1024, f"peak RSS {peak_kib // 1024} MB"
    assert "characters in one cell: at most 1,000,000" in done.stderr
    assert ("row 2" in done.stderr) != shared  # a shared text's row is not known yet


@pytest.mark.parametrize("fixed", [False, True])
def test_a_corrupt_deflate_stream_is_a_damaged_file_not_an_internal_error(
    tmp_path: Path, fixed: bool
) -> None:
    # Found by the robustness property on CI: a sheet part whose compressed bytes are
    # damaged raises zlib.error (not BadZipFile) when it is read.
    source = tmp_path / "staff.xlsx"
    source.write_bytes(
        (Path(__file__).resolve().parents[1] / "fixtures" / "corrupt-deflate.xlsx").read_bytes()
    )
    extra = ["--fixed", str(tmp_path / "fixed.xlsx")] if fixed else []
    run = run_cli("batch", str(source), "--sheet", "Sheet1", "--lang", "en", *extra)
    assert run.exit_code == 2
    assert "damaged" in run.stderr or "cannot be read" in run.stderr, run.stderr
    assert "Internal error" not in run.stderr
