"""XLSX tables (first or named worksheet), read row by row in openpyxl's read-only mode."""

from __future__ import annotations

import functools
import os
import warnings
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Literal

from sapkcheck.batch.tables.headers import ROWS_UNDER_HEADER, choose_columns, head_row
from sapkcheck.batch.tables.model import (
    _OLE_MAGIC,
    _PLAIN_TYPES,
    _ZIP_MAGICS,
    HEADER_SEARCH_LIMIT,
    HEADER_SEARCH_ROWS,
    SAMPLE_BYTES,
    CellValue,
    Role,
    Row,
    Table,
    TableError,
    _is_blank,
    _make_row,
    _xl_value,
    checked_cells,
    default_sheet,
    too_large,
)
from sapkcheck.batch.tables.sniff import _detect_kind, _ole_is_encrypted_ooxml, _read_up_to
from sapkcheck.batch.tables.xlsx_calamine import Source, calamine_rows
from sapkcheck.batch.tables.xlsx_guard import check_xlsx_bounds
from sapkcheck.batch.tables.xlsx_survey import inspect_workbook
from sapkcheck.limits import (
    MAX_CELLS_PER_ROW,
    MAX_XLSX_EMPTY_ROWS,
    MAX_XLSX_ROW_NUMBER,
)

# --------------------------------------------------------------------------- XLSX


def _open_xlsx(
    label: str,
    stream: BinaryIO,
    *,
    sheet: str | None,
    overrides: Mapping[Role, str],
    require_email: bool,
    header_row: int | None = None,
) -> Table:
    suffix = Path(label).suffix.lower()
    head = _read_up_to(stream, 8)
    if not head:
        raise TableError("empty", {"path": label})
    if head.startswith(_OLE_MAGIC):
        if _ole_is_encrypted_ooxml(stream):
            raise TableError("encrypted", {"path": label})
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "xls"})
    if not head.startswith(_ZIP_MAGICS):
        stream.seek(0)
        detected = _detect_kind(_read_up_to(stream, SAMPLE_BYTES))
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "zip"})
    # The one place for the XLSX pre-scan guard: every check on the zip's parts (sizes,
    # shared strings, cell lengths) runs here, before any reader builds a cell.
    survey = check_xlsx_bounds(stream, label=label)
    stream.seek(0)
    if survey is not None and survey.calamine_safe():
        loaded = calamine_rows(
            label,
            _calamine_source(stream),
            sheet,
            meanwhile=functools.partial(inspect_workbook, stream, survey),
        )
        if loaded is not None:
            try:
                return _calamine_table(
                    label,
                    *loaded,
                    overrides=overrides,
                    header_row=header_row,
                    require_email=require_email,
                    closers=[stream],
                )
            except BaseException:
                loaded[1].close()  # ends the child now
                raise

    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's "unsupported extension" chatter
            workbook = openpyxl.load_workbook(
                stream, read_only=True, data_only=True, keep_links=False
            )
    except OSError:
        raise
    except Exception as exc:
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc
    try:
        return _open_worksheet(
            label,
            stream,
            workbook,
            sheet=sheet,
            overrides=overrides,
            require_email=require_email,
            header_row=header_row,
        )
    except BaseException:
        workbook.close()
        raise


def _pick_sheet(label: str, workbook: Any, sheet: str | None) -> Any:
    worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if sheet is None:
        chosen = default_sheet(worksheets, lambda ws: ws.sheet_state == "visible")
        if chosen is None:
            raise TableError("empty", {"path": label})
        return chosen
    by_title = {ws.title: ws for ws in worksheets}
    if sheet in by_title:
        return by_title[sheet]
    wanted = sheet.strip().casefold()
    loose = [ws for title, ws in by_title.items() if title.strip().casefold() == wanted]
    if len(loose) == 1:
        return loose[0]
    raise TableError(
        "no-such-sheet",
        {"path": label, "sheet": sheet, "sheets": ", ".join(workbook.sheetnames)},
    )


def _open_worksheet(
    label: str,
    stream: BinaryIO,
    workbook: Any,
    *,
    sheet: str | None,
    overrides: Mapping[Role, str],
    require_email: bool,
    header_row: int | None,
) -> Table:
    worksheet = _pick_sheet(label, workbook, sheet)
    title = str(worksheet.title)
    # A stale <dimension> would make openpyxl drop rows and columns beyond it: ignore it.
    worksheet.reset_dimensions()
    source = worksheet.iter_rows(values_only=True)

    def pull(number: int) -> tuple[CellValue, ...] | None:
        try:
            values = next(source)
        except StopIteration:
            return None
        except Exception as exc:  # anything from a damaged part of the zip/XML
            raise TableError(
                "unreadable", {"path": label, "reason": "damaged", "row": str(number)}
            ) from exc
        if len(values) > MAX_CELLS_PER_ROW:  # before a copy of them is made
            raise too_large(label, number, "cells", MAX_CELLS_PER_ROW)
        if _PLAIN_TYPES.issuperset(map(type, values)):
            cells = tuple(values)
        else:
            cells = tuple(map(_xl_value, values))
        return checked_cells(label, number, cells)

    return sheet_table(
        label,
        "xlsx",
        title,
        pull,
        overrides=overrides,
        header_row=header_row,
        require_email=require_email,
        closers=[stream, workbook, source],
    )


def _calamine_source(stream: BinaryIO) -> Source:
    """What the calamine child reads: the file by its path, else its bytes."""
    name = getattr(stream, "name", None)
    if isinstance(name, str) and os.path.isfile(name):
        return name
    stream.seek(0)
    data = stream.read()
    stream.seek(0)
    return data


def _calamine_table(
    label: str,
    title: str,
    source: Iterator[tuple[CellValue, ...]],
    *,
    overrides: Mapping[Role, str],
    header_row: int | None,
    require_email: bool,
    closers: Sequence[Any],
) -> Table:
    """A sheet calamine loaded (in its child): the same row loop as openpyxl's."""

    def pull(number: int) -> tuple[CellValue, ...] | None:
        return next(source, None)  # checked by the stream (``checked_rows``)

    return sheet_table(
        label,
        "xlsx",
        title,
        pull,
        overrides=overrides,
        header_row=header_row,
        require_email=require_email,
        closers=[*closers, source],
    )


def sheet_table(
    label: str,
    kind: Literal["xlsx", "xls", "ods"],
    title: str,
    pull: Callable[[int], tuple[CellValue, ...] | None],
    *,
    overrides: Mapping[Role, str],
    header_row: int | None,
    require_email: bool,
    closers: Sequence[Any],
) -> Table:
    """A worksheet of any reader as a :class:`Table`: its header found in the first rows
    ``pull`` gives (numbered from 1), the rest streamed."""
    buffered, exhausted = buffer_head(pull, overrides, header_row)
    if exhausted and not any(any(not _is_blank(c) for c in cells) for cells in buffered):
        raise TableError("empty", {"path": label, "sheet": title})
    choice, columns = choose_columns(
        label, buffered, overrides, header_row=header_row, require_email=require_email, sheet=title
    )
    rows = _xlsx_rows(
        label,
        pending=buffered[choice.index + 1 :],
        pull=pull,
        first=choice.index + 2,
        width=len(columns.header),
    )
    return Table(
        kind=kind,
        label=label,
        source=Path(label),
        columns=columns,
        header_row=choice.first + 1,
        header_rows=choice.index - choice.first + 1,
        rows=rows,
        leading=tuple(buffered[: choice.index + 1]),
        closers=closers,
        sheet=title,
    )


def buffer_head(
    pull: Callable[[int], tuple[CellValue, ...] | None],
    overrides: Mapping[Role, str],
    header_row: int | None,
) -> tuple[list[tuple[CellValue, ...]], bool]:
    """The first rows of a sheet, where the header is: up to the first of
    HEADER_SEARCH_ROWS non-empty rows naming a NIP column (or row ``header_row``) and the
    rows a header may take under it (sub-labels, column numbers), or up to the first
    person's row, within HEADER_SEARCH_LIMIT rows (:func:`headers.head_row`). Returns
    (rows, whether the sheet ended)."""
    buffered: list[tuple[CellValue, ...]] = []
    nonempty = 0
    stop: int | None = None  # rows to read in all
    if header_row is not None:
        stop = min(max(header_row, 0) + ROWS_UNDER_HEADER, HEADER_SEARCH_LIMIT)
    while len(buffered) < (stop if stop is not None else HEADER_SEARCH_LIMIT):
        cells = pull(len(buffered) + 1)
        if cells is None:
            return buffered, True
        buffered.append(cells)
        if stop is None and any(not _is_blank(c) for c in cells):
            nonempty += 1
            kind = head_row(cells, overrides)
            if kind == "header":
                stop = len(buffered) + ROWS_UNDER_HEADER
            elif kind == "person" or nonempty >= HEADER_SEARCH_ROWS:
                # a title row naming NIP is the header then: its rows under it are here
                break
    return buffered, False


def _xlsx_rows(
    label: str,
    *,
    pending: list[tuple[CellValue, ...]],
    pull: Any,
    first: int,
    width: int,
) -> Iterator[Row]:
    number = first - 1
    blank_run = 0  # trailing blank (e.g. formatted but empty) rows are never yielded
    blank = (None,) * width
    pending.reverse()
    while True:
        cells: tuple[CellValue, ...] | None = pending.pop() if pending else pull(number + 1)
        if cells is None:
            return
        number += 1
        if number > MAX_XLSX_ROW_NUMBER:
            raise too_large(label, number, "rows", MAX_XLSX_ROW_NUMBER)
        # blank: every cell empty or blank (most rows answer at their first cell)
        if (not cells or _is_blank(cells[0])) and all(_is_blank(c) for c in cells):
            blank_run += 1
            if blank_run > MAX_XLSX_EMPTY_ROWS:
                # A sheet claiming millions of empty rows (a 4.9 KB file numbering one row
                # 10,000,000 would otherwise report millions of empty rows).
                raise too_large(label, number, "empty-rows", MAX_XLSX_EMPTY_ROWS)
            continue
        if blank_run:
            for blank_number in range(number - blank_run, number):
                yield Row(blank_number, blank, 0)
            blank_run = 0
        if len(cells) == width:  # most rows: no call to pad or trim
            yield Row(number, tuple(cells), 0)
        else:
            yield _make_row(number, cells, width)
