"""The batch progress bar, in process: on a terminal's stderr only, with an estimate of the
rows from the file's size (the pty tests in tests/cli/test_terminals.py run it for real)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sapkcheck.batch import run
from sapkcheck.batch.tables.calamine_table import probe_main
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.knowledge.i18n import catalog

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def staff(path: Path, rows: int) -> Path:
    lines = ["NIP,EMAIL"] + [
        f"1986092620150510{i % 100:02d},user{i}@gmail.com" for i in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_estimate_is_near_the_real_row_count(tmp_path: Path) -> None:
    source = staff(tmp_path / "staff.csv", 20_000)
    with open_table(source) as table:
        estimate = run._estimated_rows(table)
    assert estimate is not None and abs(estimate - 20_000) < 1_000  # within 5 %: an ETA


def test_no_estimate_for_stdin_or_a_vanished_file(tmp_path: Path) -> None:
    source = staff(tmp_path / "staff.csv", 10)
    with open_table("-", stdin=io.BytesIO(source.read_bytes())) as table:
        assert run._estimated_rows(table) is None
    with open_table(source) as table:
        source.unlink()
        assert run._estimated_rows(table) is None


def test_the_bar_is_drawn_on_a_terminal_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = staff(tmp_path / "staff.csv", 500)
    text = catalog("en")
    piped = io.StringIO()
    monkeypatch.setattr("sys.stderr", piped)
    with open_table(source) as table, run._progress(table, text) as advance:
        advance(500)
    assert piped.getvalue() == ""
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with open_table(source) as table, run._progress(table, text) as advance:
        advance(250)
        advance(250)
    assert "Checking" in terminal.getvalue() or "\x1b" in terminal.getvalue()


def test_the_load_probe_says_whether_calamine_can_read_the_sheet() -> None:
    # Run in a child process by the reader (a damaged file can abort the interpreter);
    # here, in process, on a sound file and on bytes that are no workbook at all.
    assert probe_main((FIXTURES / "siasn.xls").read_bytes(), None) == 0
    assert probe_main(b"PK\x03\x04 not a workbook at all", None) == 1
