"""An XLSX sheet's rows read by calamine in a bounded child process, streamed back in chunks.

The child loads the sheet whole (calamine cannot stream), says "go", then sends lists of
row tuples already converted to what openpyxl's reader gives for the same cells (the survey
in :mod:`xlsx_survey` routed only sheets where the two agree). If the child cannot load
the sheet (damage, a panic, an abort, its memory or time bound), :func:`calamine_rows`
returns None before any row was handed on, and the caller reads with openpyxl instead.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Generator
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Final

from sapkcheck.batch.tables.model import (
    CellValue,
    TableError,
    _xl_value,
    checked_rows,
    default_sheet,
)
from sapkcheck.batch.tables.sheet_child import PROBE_SECONDS, start_child, stop_child

CHUNK_ROWS: Final = 2_000  # rows per message: few pickles, little held at once
# Address space the child may add to its parent's: a routed sheet (at most
# CALAMINE_MAX_CELLS, ~150 MB) fits many times; a sheet that names its rows out of order
# and so passed the survey's extent ends the child (calamine's allocation fails) instead.
CHILD_MEMORY: Final = 1 << 30
_GO: Final = "go"

Source = str | bytes  # a file's path, or its bytes
Rows = Generator[tuple[CellValue, ...], None, None]


def calamine_rows(
    label: str, source: Source, sheet: str | None, *, meanwhile: Callable[[], bool]
) -> tuple[str, Rows] | None:
    """The title of the sheet chosen as openpyxl's reader would (``sheet``, else the first
    worksheet) and its rows (from row 1, from column A, trailing empty cells dropped); None
    when calamine could not load it, or the choice is an error openpyxl's reader reports
    (read with openpyxl then). ``meanwhile`` runs while the child loads (the survey's
    second pass): False stops the child, and None is returned."""
    started = start_child(_serve, source, sheet, extra_memory=CHILD_MEMORY)
    if started is None:
        return None
    process, connection = started
    if not meanwhile():
        stop_child(process, connection)
        return None
    try:
        ready = connection.poll(PROBE_SECONDS) and connection.recv()
    except (EOFError, OSError):
        ready = None
    if not isinstance(ready, tuple) or ready[0] != _GO:
        stop_child(process, connection)
        return None
    return str(ready[1]), _stream(label, process, connection)


def _stream(label: str, process: BaseProcess, connection: Connection) -> Rows:
    number = 0
    try:
        while True:
            try:
                if not connection.poll(PROBE_SECONDS):
                    raise EOFError
                data = connection.recv_bytes()
                chunk: list[tuple[CellValue, ...]] | None = pickle.loads(data)
            except (EOFError, OSError, pickle.UnpicklingError):
                # The sheet had loaded: a child ending now is past any fallback.
                raise TableError(
                    "unreadable", {"path": label, "reason": "damaged", "row": str(number + 1)}
                ) from None
            if chunk is None:
                return
            # A text of the chunk is no longer than the bytes it came in (UTF-8: a byte
            # or more a character): a bound that spares measuring every text.
            yield from checked_rows(label, number + 1, chunk, text_bound=len(data))
            number += len(chunk)
    finally:
        stop_child(process, connection)


def _serve(connection: Connection, source: Source, sheet: str | None) -> None:
    """The child: load the sheet, say "go" (and its title), send its rows."""
    from python_calamine import CalamineWorkbook

    try:
        if isinstance(source, str):
            workbook = CalamineWorkbook.from_path(source)
        else:
            import io

            workbook = CalamineWorkbook.from_filelike(io.BytesIO(source))
        title = _pick_sheet(workbook, sheet)
        if title is None:
            os._exit(1)  # no such sheet, or none: openpyxl's reader says which
        loaded = workbook.get_sheet_by_name(title)
        start = loaded.start
    except BaseException:  # a panic too: the parent reads with openpyxl
        os._exit(1)
    connection.send((_GO, title))
    if start is None:
        connection.send(None)
        return
    # iter_rows() yields rows from row 1 on, but columns from the first one used only.
    offset: tuple[CellValue, ...] = (None,) * start[1]
    chunk: list[tuple[CellValue, ...]] = []
    for values in loaded.iter_rows():
        # _value inlined for the common cells (a text, a number): a call per cell was most
        # of the child's time
        cells = [
            value
            if type(value) is str and value
            else (int(value) if value.is_integer() else value)
            if type(value) is float
            else _value(value)
            for value in values
        ]
        if cells and cells[-1] is None:  # a row shorter than the sheet's widest
            end = len(cells) - 1
            while end and cells[end - 1] is None:
                end -= 1
            del cells[end:]
        chunk.append((*offset, *cells) if offset and cells else tuple(cells))
        if len(chunk) >= CHUNK_ROWS:
            connection.send(chunk)
            chunk = []
    connection.send(chunk)
    connection.send(None)


def _pick_sheet(workbook: Any, sheet: str | None) -> str | None:
    """As ``xlsx_table._pick_sheet`` picks among openpyxl's worksheets (hidden ones only
    when named or when every one is, chart sheets not): the title, or None when that
    reports an error."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    names = [m.name for m in sheets]
    if sheet is None:
        chosen = default_sheet(sheets, lambda m: m.visible == SheetVisibleEnum.Visible)
        return None if chosen is None else str(chosen.name)
    if sheet in names:
        return sheet
    wanted = sheet.strip().casefold()
    loose = [name for name in names if name.strip().casefold() == wanted]
    return str(loose[0]) if len(loose) == 1 else None


def _value(value: object) -> CellValue:
    """calamine value -> what openpyxl's reader gives (via ``model._xl_value``): the survey
    let through only integers written without a dot, so a whole float is an int."""
    if type(value) is str:
        return value or None
    if type(value) is float:
        return int(value) if value.is_integer() else value
    return _xl_value(value)  # an int, a bool, a date, a time, a duration: as openpyxl's
