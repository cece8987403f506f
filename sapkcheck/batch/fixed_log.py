"""Every change of a fixed copy (row, column, before -> after), held on disk while the run
goes on (bounded memory), and ``--fixed-log FILE``: the list as an Excel-safe CSV (UTF-8 with
BOM, every cell inert, personal values masked with ``--mask``)."""

from __future__ import annotations

import csv
import json
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal, NamedTuple, TypeAlias

from sapkcheck.batch.excel_text import unwrap
from sapkcheck.batch.inert import inert, text_cell
from sapkcheck.batch.masking import mask_piece
from sapkcheck.batch.output import atomic_text

# "": applied; "inert": a leading ' so a spreadsheet keeps it as text; "formula": not
# changed, the cell holds a formula; "missing": not changed, the cell was not found.
Note: TypeAlias = Literal["", "inert", "formula", "missing"]


class Change(NamedTuple):
    row: int
    column: int  # 0-based
    before: str
    after: str
    note: Note = ""


class ChangeSpool:
    """The changes in the order they were made, in an anonymous temp file (in ``folder``:
    the fixed copy's own folder, never the system's)."""

    def __init__(self, folder: Path | None) -> None:
        self._file: IO[str] = tempfile.TemporaryFile(  # noqa: SIM115 (closed by close())
            "w+", encoding="utf-8", errors="surrogateescape", dir=folder
        )
        self.count = 0

    def add(self, change: Change) -> None:
        self._file.write(json.dumps(tuple(change), ensure_ascii=False) + "\n")
        self.count += 1

    def __iter__(self) -> Iterator[Change]:
        self._file.flush()
        self._file.seek(0)
        for line in self._file:
            row, column, before, after, note = json.loads(line)
            yield Change(row, column, before, after, note)

    def close(self) -> None:
        self._file.close()


def shown(text: str) -> str:
    """``text`` with every invisible or unusual space character named (``[U+200B]``), so
    the log shows what was removed; a plain space stays."""
    out: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch != " " and (category in ("Cc", "Cf", "Zs", "Zl", "Zp", "Co", "Cn")):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    return "".join(out)


def write_fixed_log(
    path: Path,
    changes: Iterator[Change],
    *,
    header: tuple[str, str, str, str, str],
    column_names: tuple[str, ...],
    notes: dict[str, str],
    mask: bool,
    delimiter: str = ",",
) -> None:
    """The changes as CSV at ``path`` (atomically): ``header`` names row, column, before,
    after, note; ``column_names`` the input's header cells; ``notes`` the sentence of each
    note. With ``mask`` every value is masked (a NIP or email keeps its fixed-shape mask)."""
    with atomic_text(path, encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for change in changes:
            # the value a spreadsheet shows: a NIP written ="…" is its digits
            before, after = change.before, unwrap(change.after)
            if mask:
                before, after = mask_piece(before), mask_piece(after)
            name = column_names[change.column] if change.column < len(column_names) else ""
            writer.writerow(
                (
                    change.row,
                    inert(_column_label(change.column, name)),
                    # a long number (a NIP) as ="…": a spreadsheet keeps every digit
                    text_cell(shown(before)),
                    text_cell(shown(after)),
                    notes.get(change.note, ""),
                )
            )


def _column_label(column: int, name: str) -> str:
    letters = ""
    number = column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters} ({name})" if name else letters
