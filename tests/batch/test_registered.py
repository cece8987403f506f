"""``batch CURRENT --registered-file EXPORT``: the join by NIP, its codes and summary, the
export's oddities (duplicates, invalid and numeric NIPs, XLSX, ``;`` cp1252), --mask, the
usage errors, and the compact index itself."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sapkcheck.batch import registered as registered_module
from sapkcheck.batch.registered import load_registered
from tests.helpers import Run

CLI = Callable[..., Run]

# NIPs (valid PNS NIPs, distinct)
A = "198609262015052001"
B = "198609262015051002"
C = "199001012015031003"
D = "197512312000121004"  # in the export only
E = "198001012005011005"  # in the current file only
F = "198202022006022006"  # NIP with no email on record
G = "198303032007031007"  # twice in the export


def write(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.fixture
def current(tmp_path: Path) -> Path:
    return write(
        tmp_path / "current.csv",
        [
            "NAMA,NIP,EMAIL",
            f"Eli,{A},eli.sari@gmail.com",  # matches
            f"Budi,{B},budi@gmial.com",  # mismatch (domain typo)
            f"Citra,{C},Citra@Yahoo.co.id",  # case differs
            f"Eka,{E},eka@gmail.com",  # not in the export
            f"Fajar,{F},fajar@gmail.com",  # in the export without email
            f"Gita,{G},gita.dua@gmail.com",  # export duplicate: the first row's email is used
            "Hadi,12345,hadi@gmail.com",  # invalid NIP: not looked up
        ],
    )


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write(
        tmp_path / "export.csv",
        [
            "NIP;NAMA;EMAIL SAPK",
            f"'{A[:8]} {A[8:14]} {A[14]} {A[15:]};Eli;eli.sari@gmail.com",  # groups: normalized
            f"{B};Budi;budi@gmail.com",
            f"{C};Citra;citra@yahoo.co.id",
            f"{D};Dedi;dedi@gmail.com",
            f"{F};Fajar;",
            f"{G};Gita;gita.satu@gmail.com",
            f"{G};Gita;gita.dua@gmail.com",
            "1,98501E+17;Rusak;rusak@gmail.com",  # Excel damage: invalid, counted
            "9999;Pendek;pendek@gmail.com",  # too short: invalid, counted
            ";;",  # blank: no entry at all
        ],
    )


def run_json(cli: CLI, *args: str) -> dict[str, Any]:
    run = cli("batch", *args, "--format", "json", "--jobs", "1", "--lang", "en")
    assert run.exit_code in (0, 1), run.stderr
    document: dict[str, Any] = run.json()
    return document


def by_row(document: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {
        record["row"]: {f["code"]: f for f in record["findings"]} for record in document["records"]
    }


def test_rows_are_compared_with_the_export_email_of_their_nip(
    cli: CLI, current: Path, export: Path
) -> None:
    rows = by_row(run_json(cli, str(current), "--registered-file", str(export)))
    assert set(rows[2]) == {"email-matches-registered"}
    assert "email-mismatch" in rows[3]
    assert "registered domain gmail.com" in rows[3]["email-mismatch"]["message"]
    assert set(rows[4]) >= {"email-case-differs"}
    assert set(rows[5]) == {"row-not-in-registered"}
    assert rows[5]["row-not-in-registered"]["severity"] == "warning"
    assert E in rows[5]["row-not-in-registered"]["message"]
    # A NIP on record without an email: nothing to compare, and it is in the export.
    assert 6 not in rows
    # The first export row's email is the one on record.
    assert "email-mismatch" in rows[7]
    assert "gita.satu@gmail.com" in rows[7]["email-mismatch"]["message"]
    # An invalid NIP is not looked up: its own findings say why.
    assert "row-not-in-registered" not in rows[8]
    assert "nip-length" in rows[8]


def test_same_codes_as_registered_column(cli: CLI, tmp_path: Path) -> None:
    """The export's email becomes the row's registered value: the records equal those of the
    one-file run with the same emails in a registered column."""
    one = write(
        tmp_path / "one.csv",
        [
            "NIP,EMAIL,EMAIL SAPK",
            f"{A},eli.sari@gmail.com ,eli.sari@gmail.com",
            f"{B},budi@gmial.com,budi@gmail.com",
            f"{C},Citra@Yahoo.co.id,citra@yahoo.co.id",
        ],
    )
    current = write(
        tmp_path / "cur.csv",
        [
            "NIP,EMAIL",
            f"{A},eli.sari@gmail.com ",
            f"{B},budi@gmial.com",
            f"{C},Citra@Yahoo.co.id",
        ],
    )
    export = write(
        tmp_path / "exp.csv",
        [
            "NIP,EMAIL SAPK",
            f"{C},citra@yahoo.co.id",
            f"{A},eli.sari@gmail.com",
            f"{B},budi@gmail.com",
        ],
    )
    joined = run_json(cli, str(current), "--registered-file", str(export))
    alone = run_json(cli, str(one))
    assert joined["records"] == alone["records"]
    assert joined["summary"]["by_code"] == alone["summary"]["by_code"]


def test_summary_counts_and_lists(cli: CLI, current: Path, export: Path) -> None:
    summary = run_json(cli, str(current), "--registered-file", str(export))["summary"]
    assert summary["registered_file"] == {
        "rows": 9,
        "nips": 6,  # A B C D F G
        "invalid_nips": 2,
        "duplicates": 1,
        "missing": 1,
        "duplicate_nips": [G],
        "missing_nips": [D],
    }
    assert summary["by_code"]["row-not-in-registered"] == 1


def test_text_and_summary_line_give_the_counts(cli: CLI, current: Path, export: Path) -> None:
    run = cli("batch", str(current), "--registered-file", str(export), "--lang", "en")
    assert run.exit_code == 1
    line = run.stdout.strip().splitlines()[-1]
    assert line.startswith("Registered export: 9 row(s), 6 NIP(s); 1 NIP(s) of the export")
    assert "1 NIP(s) appear more than once" in line and "2 row(s) have no valid NIP" in line
    # Other formats written to a file: the same line under the summary on stdout.
    out = current.parent / "report.csv"
    run = cli(
        "batch", str(current), "--registered-file", str(export), "--format", "csv",
        "--output", str(out), "--lang", "en",
    )  # fmt: skip
    assert "Registered export: 9 row(s)" in run.stdout
    assert "row-not-in-registered" in out.read_text("utf-8-sig")


def test_mask_hides_the_nips_of_the_lists(cli: CLI, current: Path, export: Path) -> None:
    run = cli("batch", str(current), "--registered-file", str(export), "--format", "json", "--mask")
    for nip in (A, B, C, D, E, F, G):
        assert nip not in run.stdout
    registered = run.json()["summary"]["registered_file"]
    assert registered["missing_nips"] == [D[:2] + "*" * 14 + D[-2:]]
    assert registered["duplicate_nips"] == [G[:2] + "*" * 14 + G[-2:]]


def test_export_as_xlsx_with_a_sheet_and_numeric_nips(
    cli: CLI, current: Path, tmp_path: Path
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "Info"
    book.active.append(["Ekspor SIASN"])
    sheet = book.create_sheet("Pegawai")
    sheet.append(["NIP BARU", "NAMA", "EMAIL"])
    sheet.append([A, "Eli", "eli.sari@gmail.com"])
    sheet.append([int(B), "Budi", "budi@gmail.com"])  # a number cell: Excel kept 15 digits
    sheet.append([C, "Citra", "citra@yahoo.co.id"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    document = run_json(
        cli, str(current), "--registered-file", str(path), "--registered-sheet", "Pegawai"
    )
    rows = by_row(document)
    assert set(rows[2]) == {"email-matches-registered"}
    assert set(rows[3]) >= {"row-not-in-registered"}  # its export row had a damaged NIP
    assert "email-mismatch" not in rows[3]
    counts = document["summary"]["registered_file"]
    assert (counts["rows"], counts["nips"], counts["invalid_nips"]) == (3, 2, 1)
    # The first sheet has no NIP column: exit 2 naming the export.
    run = cli("batch", str(current), "--registered-file", str(path))
    assert run.exit_code == 2 and "export.xlsx" in run.stderr


def test_export_semicolon_cp1252(cli: CLI, current: Path, tmp_path: Path) -> None:
    path = write(
        tmp_path / "export.csv",
        [
            "NIP;NAMA;EMAIL TERDAFTAR",
            f"{A};Désirée Ñ;eli.sari@gmail.com",
            f"{B};Bébé;budi@gmail.com",
        ],
        encoding="cp1252",
    )
    rows = by_row(run_json(cli, str(current), "--registered-file", str(path)))
    assert set(rows[2]) == {"email-matches-registered"}
    assert "email-mismatch" in rows[3]
    assert "row-not-in-registered" in rows[4]


def test_fixed_copy_keeps_the_current_files_own_registered_column(cli: CLI, tmp_path: Path) -> None:
    current = write(tmp_path / "cur.csv", ["NIP,EMAIL,EMAIL SAPK", f"{A},eli@gmail.com, old@x.com"])
    export = write(tmp_path / "exp.csv", ["NIP,EMAIL", f"{A},eli@gmail.com"])
    fixed = tmp_path / "fixed.csv"
    run = cli("batch", str(current), "--registered-file", str(export), "--fixed", str(fixed))
    assert run.exit_code == 0, run.stdout + run.stderr
    assert fixed.read_text("utf-8").splitlines()[1] == f"{A},eli@gmail.com, old@x.com"


def test_usage_errors_before_any_work(cli: CLI, current: Path, export: Path) -> None:
    out = current.parent / "report.json"
    cases: list[tuple[list[str], str]] = [
        (["--registered-file", str(export), "--registered-column", "EMAIL"], "--registered-column"),
        (["--registered-sheet", "Pegawai"], "--registered-sheet"),
        (["--registered-file", str(current)], "--registered-file"),
        (["--registered-file", str(current.parent / "nope.csv")], "nope.csv"),
    ]
    link = current.parent / "link.csv"
    os.link(current, link)
    cases.append((["--registered-file", str(link)], "--registered-file"))
    for args, needle in cases:
        run = cli("batch", str(current), *args, "--format", "json", "--output", str(out))
        assert run.exit_code == 2, (args, run.stderr)
        assert needle in run.stderr
        assert "Traceback" not in run.stderr
        assert not out.exists()
    # The export as an output: refused, the export untouched.
    before = export.read_bytes()
    run = cli("batch", str(current), "--registered-file", str(export), "--output", str(export))
    assert run.exit_code == 2 and "--output" in run.stderr
    run = cli("batch", str(current), "--registered-file", str(export), "--fixed", str(export))
    assert run.exit_code == 2 and "--fixed" in run.stderr
    assert export.read_bytes() == before
    # An export without an email column.
    bare = write(current.parent / "bare.csv", ["NIP;NAMA", f"{A};Eli"])
    run = cli("batch", str(current), "--registered-file", str(bare), "--output", str(out))
    assert run.exit_code == 2 and "bare.csv" in run.stderr and not out.exists()


def test_jobs_1_and_2_give_identical_output(cli: CLI, tmp_path: Path) -> None:
    births = ("19860926", "19900101", "19750101", "19800505", "19921212")
    nips = [f"{born}201505{1 + i % 2}{i:03d}" for born in births for i in range(1, 999)]
    current_lines = ["NIP,EMAIL"] + [f"{nip},p{i}@gmail.com" for i, nip in enumerate(nips) if i % 7]
    export_lines = ["NIP,EMAIL"] + [
        f"{nip},p{i if i % 5 else i + 1}@gmail.com" for i, nip in enumerate(nips) if i % 11
    ]
    current = write(tmp_path / "cur.csv", current_lines)
    export = write(tmp_path / "exp.csv", export_lines)
    assert len(current_lines) > 2 * 2000  # several chunks: the worker pool is used
    outputs = [
        cli("batch", str(current), "--registered-file", str(export), "--format", fmt, "--jobs", j)
        for fmt in ("jsonl", "json")
        for j in ("1", "2")
    ]
    assert outputs[0].stdout == outputs[1].stdout
    assert outputs[2].stdout == outputs[3].stdout
    summary = json.loads(outputs[2].stdout)["summary"]
    assert summary["by_code"]["row-not-in-registered"] == sum(
        1 for i in range(len(nips)) if i % 7 and not i % 11
    )
    assert summary["registered_file"]["missing"] == sum(
        1 for i in range(len(nips)) if i % 11 and not i % 7
    )


@pytest.mark.parametrize("max_domains", [None, 1], ids=["domains", "domains-overflow"])
def test_index_equals_a_dict_across_sort_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, max_domains: int | None
) -> None:
    """Built a few rows per sorted chunk (the merge and the duplicates across chunks), the
    index answers as a plain dict of first occurrences does; past the distinct domains it
    stores once, emails are stored whole."""
    monkeypatch.setattr(registered_module, "_SORT_CHUNK", 8)
    if max_domains is not None:
        monkeypatch.setattr(registered_module, "_MAX_DOMAINS", max_domains)
    generator = random.Random(10)
    reference: dict[str, str] = {}
    lines = ["NIP,EMAIL"]
    for i in range(300):
        nip = f"19{generator.randrange(50, 99)}0101{generator.randrange(2000, 2020)}011{i % 40:03d}"
        domain = generator.choice(["gmail.com", "yahoo.co.id", "bkn.go.id", ""])
        email = f"p{i}@{domain}" if domain else ("" if i % 3 else f"tanpa-at-{i}")
        reference.setdefault(nip, email)
        lines.append(f"{nip},{email}")
    path = write(tmp_path / "export.csv", lines)
    loaded = load_registered(path, None, date(2026, 1, 1))
    assert len(loaded.index) == len(reference)
    for nip, email in reference.items():
        assert loaded.index.get(nip) == email
    assert loaded.index.get("198001012005011999") is None
    duplicates = sorted(nip for nip in reference if sum(nip in line for line in lines) > 1)
    assert list(loaded.duplicate_nips()) == duplicates
    assert list(loaded.missing_nips()) == sorted(reference)
    first = sorted(reference)[0]
    loaded.mark(first)
    assert loaded.missing == len(reference) - 1
    assert first not in list(loaded.missing_nips())


@pytest.mark.parametrize("method", ["spawn", *(["fork"] if os.name == "posix" else [])])
def test_workers_get_the_index_with_either_start_method(method: str, tmp_path: Path) -> None:
    """The index reaches the workers with the pool's settings (inherited by fork, pickled
    by spawn): the rows' outputs equal those of one process."""
    from sapkcheck.batch.pipeline import CHUNK_ROWS, BatchSettings, process_rows
    from sapkcheck.batch.tables.model import Columns, Row
    from sapkcheck.render.batch import NoFragment

    count = CHUNK_ROWS * 2 + 17
    nips = [
        f"{1960 + i % 40}0926{2000 + i % 20}05{1 + i % 2}{i % 999 + 1:03d}" for i in range(count)
    ]
    export = write(
        tmp_path / "export.csv",
        ["NIP,EMAIL"] + [f"{nip},u{i}@x.com" for i, nip in enumerate(nips) if i % 3],
    )
    loaded = load_registered(export, None, date(2025, 1, 1))
    columns = Columns(nip=0, email=1, registered=None, name=None, header=("NIP", "EMAIL"))
    settings = BatchSettings(
        columns, date(2025, 1, 1), NoFragment(), want_fixed=False, registered_emails=loaded.index
    )

    def outputs(jobs: int, method: str | None = None) -> list[object]:
        rows = (Row(i + 2, (nip, f"u{i + i % 2}@x.com"), 0) for i, nip in enumerate(nips))
        return [
            output
            for _, chunk, _ in process_rows(rows, settings, jobs=jobs, method=method)
            for output in chunk
        ]

    alone = outputs(1)
    assert outputs(2, method) == alone
    codes = [set(output.codes) for output in alone]  # type: ignore[attr-defined]
    assert sum("row-not-in-registered" in c for c in codes) == count - len(loaded.index)
    assert any("email-mismatch" in c for c in codes)
    assert any("email-matches-registered" in c for c in codes)


@pytest.mark.skipif(os.name != "posix", reason="stdin redirected from a file")
def test_export_that_stdin_reads_is_refused(export: Path) -> None:
    import subprocess
    import sys

    with export.open("rb") as stdin:
        done = subprocess.run(
            [sys.executable, "-m", "sapkcheck", "batch", "-", "--registered-file", str(export)],
            stdin=stdin,
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 2
    assert "--registered-file" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("mask", [False, True])
def test_the_xlsx_report_carries_the_export_counts_and_lists(
    cli: CLI, current: Path, export: Path, mask: bool
) -> None:
    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    masked = ("--mask",) if mask else ()
    summary = run_json(cli, str(current), "--registered-file", str(export), *masked)["summary"]
    out = current.parent / "report.xlsx"
    run = cli("batch", str(current), "--registered-file", str(export), "--output", str(out),
              "--lang", "en", *masked)  # fmt: skip
    assert run.exit_code == 1, run.stderr
    sheet = openpyxl.load_workbook(out, read_only=True)["Registered export"]
    lines = [row for row in sheet.iter_rows(values_only=True)]
    counts = [line[1] for line in lines[1:6]]
    expected = summary["registered_file"]
    assert counts == [
        expected[key] for key in ("rows", "nips", "invalid_nips", "duplicates", "missing")
    ]
    listed = [line for line in lines[8:] if line[0]]
    assert [line[0] for line in listed] == expected["missing_nips"] + expected["duplicate_nips"]
    assert all(isinstance(line[0], str) for line in listed)  # text cells: 18 digits kept
    if mask:
        assert D not in {line[0] for line in listed} and G not in {line[0] for line in listed}
