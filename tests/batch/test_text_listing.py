"""The text report's listing: ``--show``, every row to a file, a cap on a terminal, the
name on the row line, both rows of a duplicate pair; ``--mask`` hides the names."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from rich.console import Console

from sapkcheck.batch.pipeline import BatchSettings, Tally, row_output
from sapkcheck.batch.rows import RowResult, check_row
from sapkcheck.batch.tables.model import Row
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.batch import (
    NoFragment,
    RecordBuilder,
    Summary,
    TextRecordRenderer,
    TextSink,
)
from sapkcheck.render.batch_show import Show
from tests.helpers import Run

CLI = Callable[..., Run]

LINES = [
    "NAMA;NIP;EMAIL",
    "Eli Sari;198609262015052001;eli.sari@gmail.com ",  # row 2: error
    "Budi Santoso;198609262015051002;budi@gmial.com",  # row 3: warning only
    "Fajar Nugroho;199001012015031003;fajar@gmail.com",  # row 4: fine
    "Dedi Kurniawan;198609262015051002;dedi@gmail.com",  # row 5: duplicate of row 3
]


def staff(tmp_path: Path, lines: list[str] = LINES) -> Path:
    path = tmp_path / "staff.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def flat(out: str) -> str:
    """The output with its line wrapping undone."""
    return " ".join(out.split())


def listed_rows(out: str) -> list[int]:
    return [int(m) for m in re.findall(r"^row (\d+)", out, re.M)]


def test_show_chooses_the_rows_listed(cli: CLI, tmp_path: Path) -> None:
    source = str(staff(tmp_path))
    default = cli("batch", source, "--lang", "en")
    assert default.exit_code == 1
    assert "\nRows with errors or warnings\n" in default.stdout  # after the columns read
    assert listed_rows(default.stdout) == [2, 3, 5]
    assert "! [email-domain-typo]" in default.stdout  # a warning, with its own mark
    errors = cli("batch", source, "--lang", "en", "--show", "errors")
    assert "\nRows with errors\n" in errors.stdout
    assert listed_rows(errors.stdout) == [2, 5]
    assert "[email-domain-typo]" not in errors.stdout.split("Duplicates")[0]
    every = cli("batch", source, "--lang", "en", "--show", "all")
    assert "\nAll rows\n" in every.stdout
    assert listed_rows(every.stdout) == [2, 3, 4, 5]


def test_the_row_line_names_the_person(cli: CLI, tmp_path: Path) -> None:
    run = cli("batch", str(staff(tmp_path)), "--lang", "en")
    assert "row 2  Eli Sari  198609262015052001  eli.sari@gmail.com␣" in run.stdout
    # No name column: the first identifying column the report carries.
    lines = ["JABATAN;NIP;EMAIL", "Analis Kepegawaian;198609262015052001;eli@gmail.com "]
    other = cli("batch", str(staff(tmp_path, lines)), "--lang", "en")
    assert "row 2  Analis Kepegawaian  198609262015052001" in other.stdout


def test_both_rows_of_a_duplicate_pair_are_named(cli: CLI, tmp_path: Path) -> None:
    source = staff(tmp_path)
    run = cli("batch", str(source), "--lang", "en")
    section = flat(run.stdout.split("Duplicates (both rows of each pair)\n", 1)[1])
    assert section.startswith(
        "✗ [row-duplicate-nip] NIP 198609262015051002: row 3 (Budi Santoso) and row 5 "
        "(Dedi Kurniawan). Count per code"
    )
    shared = [*LINES, "Gita;199105052019032001;fajar@gmail.com"]
    run = cli("batch", str(staff(tmp_path, shared)), "--lang", "en", "--show", "errors")
    assert "Email fajar@gmail.com on two different NIPs: row 4 (Fajar Nugroho) and row 6" in (
        flat(run.stdout)
    )
    # From stdin the earlier row cannot be read again: its number, no name.
    piped = cli("batch", "-", "--lang", "en", input=source.read_bytes())
    assert "row 3 and row 5 (Dedi Kurniawan)." in flat(piped.stdout)


def test_mask_hides_the_names(cli: CLI, tmp_path: Path) -> None:
    run = cli("batch", str(staff(tmp_path)), "--lang", "en", "--mask", "--show", "all")
    for name in ("Eli Sari", "Santoso", "Nugroho", "Kurniawan", "198609262015051002"):
        assert name not in run.stdout
    assert "row 2  ***  19**************01" in run.stdout
    assert "row 3 (***) and row 5 (***)." in flat(run.stdout)


def test_every_row_is_listed_in_a_file(cli: CLI, tmp_path: Path) -> None:
    lines = ["NAMA;NIP;EMAIL"] + [
        f"Orang {i};19860926201505{i:04d};orang{i}@gmail.com " for i in range(1, 71)
    ]
    source = str(staff(tmp_path, lines))
    report = tmp_path / "report.txt"
    run = cli("batch", source, "--lang", "en", "--output", str(report))
    assert run.exit_code == 1
    assert listed_rows(report.read_text(encoding="utf-8")) == list(range(2, 72))
    assert "more row(s)" not in report.read_text(encoding="utf-8")
    piped = cli("batch", source, "--lang", "en")  # stdout redirected (not a terminal)
    assert len(listed_rows(piped.stdout)) == 70


def test_a_terminal_shows_the_first_rows_and_says_how_to_see_the_rest(tmp_path: Path) -> None:
    lines = ["NAMA;NIP;EMAIL"] + [
        f"Orang {i};19860926201505{i:04d};orang{i}@gmail.com " for i in range(1, 8)
    ]
    text = catalog("en")
    records = RecordBuilder(text, {}, mask=False)
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, color_system=None)
    with open_table(staff(tmp_path, lines)) as table:
        settings = BatchSettings(table.columns, date(2025, 1, 1), NoFragment(), False)
        sink = TextSink(
            console,
            records,
            text,
            lambda row: check_row(row, table.columns, date(2025, 1, 1)),
            show=Show.WARNINGS,
            limit=3,
            columns=table.columns,
        )
        tally = Tally()
        for row in table:
            output = row_output(row, check_row(row, table.columns, date(2025, 1, 1)), settings)
            tally.add(output)
            sink.add(output, row)
        sink.close(Summary(tally))
    out = buffer.getvalue()
    assert listed_rows(out) == [2, 3, 4]
    assert "… and 4 more row(s) not shown here; write them all with --output FILE." in out


def test_listed_rows_are_built_in_the_workers_not_checked_again(tmp_path: Path) -> None:
    """The records of listed rows come from the workers (TextRecordRenderer): the main
    process checks a row again only for a duplicate pair."""
    text = catalog("en")
    records = RecordBuilder(text, {}, mask=False)
    buffer = io.StringIO()
    rechecked: list[int] = []
    with open_table(staff(tmp_path)) as table:
        today = date(2025, 1, 1)
        settings = BatchSettings(table.columns, today, TextRecordRenderer(records, Show.ALL), False)

        def recheck(row: Row) -> RowResult:
            rechecked.append(row.number)
            return check_row(row, table.columns, today)

        sink = TextSink(
            Console(file=buffer, width=200, color_system=None),
            records,
            text,
            recheck,
            show=Show.ALL,
            limit=None,
            columns=table.columns,
        )
        tally = Tally()
        for row in table:
            output = row_output(row, check_row(row, table.columns, today), settings)
            tally.add(output)
            sink.add(output, row)
        sink.close(Summary(tally))
    assert rechecked == []
    assert listed_rows(buffer.getvalue()) == [2, 3, 4, 5]
    assert "X [email-trailing-space]" in buffer.getvalue()  # ASCII marks: no encoding


def test_pair_names_are_read_again_from_their_own_lines_or_the_whole_file(
    cli: CLI, tmp_path: Path
) -> None:
    """The earlier row's name comes from its own line in a file of one line a record, from
    a read of the file otherwise (a quoted line break): the same names either way."""
    title = ["DAFTAR PEGAWAI;;", ";;"]
    plain = [*title, *LINES[:3], "", "", *LINES[3:]]  # title rows, blank rows between
    broken = [*plain, 'Sari;"199201012019032001";"sari@gmail.com\r\nx"']
    from sapkcheck.batch import run as batch_run

    for lines, by_lines in ((plain, True), (broken, False)):
        source = staff(tmp_path, lines)
        with open_table(source) as table:
            wanted = batch_run._wanted_rows(table, {5, 9})
        assert (wanted is not None) == by_lines
        if wanted is not None:
            assert {n: row.cells[0] for n, row in wanted.items()} == {
                5: "Budi Santoso",
                9: "Dedi Kurniawan",
            }
        section = flat(cli("batch", str(source), "--lang", "en").stdout.split("Duplicates")[1])
        assert "row 5 (Budi Santoso) and row 9 (Dedi Kurniawan)" in section
