"""Excel 97-2003 (.xls) and OpenDocument (.ods) sheets, read with python-calamine (Rust).

calamine loads a whole sheet before the first row is handed out, so every input is bounded
before it is loaded: a .xls sheet cannot exceed BIFF8's own 65,536 x 256 cells; an .ods
sheet's extent (rows and columns holding a value, ``number-rows-repeated`` and
``number-columns-repeated`` counted) is measured by a streaming pre-scan of ``content.xml``.
Rows then go through the same bounded row loop as XLSX (blank rows, trailing rows, caps).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any, BinaryIO, Final, Literal

from sapkcheck.batch.tables.model import (
    _OLE_MAGIC,
    _ZIP_MAGICS,
    SAMPLE_BYTES,
    CellValue,
    Role,
    Table,
    TableError,
    _xl_value,
    checked_cells,
    default_sheet,
    too_large,
)
from sapkcheck.batch.tables.sheet_child import PROBE_SECONDS, start_child, stop_child
from sapkcheck.batch.tables.sniff import _detect_kind, _read_up_to
from sapkcheck.batch.tables.xlsx_table import sheet_table
from sapkcheck.limits import (
    MAX_CELLS_PER_ROW,
    MAX_SHEET_CELLS,
    MAX_SPREADSHEET_BYTES,
    MAX_XLSX_ROW_NUMBER,
)

ODS_MIME: Final = b"application/vnd.oasis.opendocument.spreadsheet"
_ODS_TABLE: Final = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_OFFICE: Final = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODS_TEXT: Final = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

Kind = Literal["xls", "ods"]


def _open_calamine(
    label: str,
    stream: BinaryIO,
    *,
    kind: Kind,
    sheet: str | None,
    overrides: Mapping[Role, str],
    require_email: bool,
    header_row: int | None = None,
) -> Table:
    suffix = Path(label).suffix.lower()
    head = _read_up_to(stream, SAMPLE_BYTES)
    if not head:
        raise TableError("empty", {"path": label})
    if kind == "xls":
        _check_xls(label, suffix, head)
    else:
        _check_ods(label, suffix, head, stream)
    stream.seek(0)
    data = stream.read(MAX_SPREADSHEET_BYTES + 1)  # calamine reads the whole file anyway
    if len(data) > MAX_SPREADSHEET_BYTES:
        raise too_large(label, 1, "file-bytes", MAX_SPREADSHEET_BYTES)
    _probe(label, data, sheet)

    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        with _quiet_panics():
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise TableError("encrypted", {"path": label}) from None
    except BaseException as exc:
        if not isinstance(exc, CalamineError | ValueError) and not _panic(exc):
            raise
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc
    try:
        return _open_sheet(
            label,
            stream,
            workbook,
            kind=kind,
            sheet=sheet,
            overrides=overrides,
            require_email=require_email,
            header_row=header_row,
        )
    except BaseException:
        workbook.close()
        raise


def _probe(label: str, data: bytes, sheet: str | None) -> None:
    """Load the sheet once in a bounded child process (:mod:`sheet_child`), before this
    process does. A damaged .xls or .ods can make calamine abort the whole process (a
    corrupt record asking for a terabyte ends in Rust's allocation-failure abort, which no
    exception handler sees): in the child that is one "damaged" sentence, exit 2. The
    same bytes then load the same way here."""
    started = start_child(_probe_child, data, sheet)
    if started is None:
        return  # no child process possible here: load in this process as is
    process, connection = started
    try:
        answered = connection.poll(PROBE_SECONDS)
        verdict = connection.recv() if answered else 1
    except (EOFError, OSError):
        verdict = 1  # the child died (an abort, its memory bound)
    finally:
        stop_child(process, connection)
    if verdict != 0:
        raise TableError("unreadable", {"path": label, "reason": "damaged"})


def _probe_child(connection: Connection, data: bytes, sheet: str | None) -> None:
    connection.send(probe_main(data, sheet))


def probe_main(data: bytes, sheet: str | None) -> int:
    """The probe process: 0 when the sheet loads (or the problem is one the caller
    reports itself: a password, a missing sheet), 1 when calamine fails."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        title = _pick_sheet("-", workbook, sheet)
        for _ in workbook.get_sheet_by_name(title).iter_rows():
            pass
    except (PasswordError, TableError):
        return 0
    except Exception:
        return 1
    return 0


@contextlib.contextmanager
def _quiet_panics() -> Iterator[None]:
    """Rust's panic hook writes the panic (and a backtrace) straight to file descriptor 2:
    a damaged file is one sentence, never that. fd 2 points to /dev/null while calamine
    parses; the panic itself still arrives as an exception."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 2)
        finally:
            os.close(null)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _panic(exc: BaseException) -> bool:
    """A Rust panic inside calamine reaches Python as pyo3's PanicException, a
    BaseException: a damaged file, never a traceback."""
    return type(exc).__name__ == "PanicException"


def _check_xls(label: str, suffix: str, head: bytes) -> None:
    """An Excel 97-2003 workbook is an OLE container with a Workbook (or Book) stream; an
    OLE container with EncryptionInfo is a password-protected .xlsx."""
    if not head.startswith(_OLE_MAGIC):
        detected = _detect_kind(head)
        if head.startswith(_ZIP_MAGICS) and ODS_MIME in head[:200]:
            detected = "ods"
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    if "EncryptionInfo".encode("utf-16-le") in head:
        raise TableError("encrypted", {"path": label})


def _check_ods(label: str, suffix: str, head: bytes, stream: BinaryIO) -> None:
    if head.startswith(_OLE_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in head:
            raise TableError("encrypted", {"path": label})
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "xls"})
    if not head.startswith(_ZIP_MAGICS):
        detected = _detect_kind(head)
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            mime = archive.read("mimetype").strip() if "mimetype" in names else b""
            if mime != ODS_MIME or "content.xml" not in names:
                detected = "xlsx" if "xl/workbook.xml" in names else "zip"
                raise TableError(
                    "wrong-format", {"path": label, "extension": suffix, "detected": detected}
                )
            if "META-INF/manifest.xml" in names:
                with archive.open("META-INF/manifest.xml") as manifest:
                    if b"encryption-data" in manifest.read(1 << 20):
                        raise TableError("encrypted", {"path": label})
            with archive.open("content.xml") as content:
                _check_ods_extent(label, content)
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        ValueError,
        KeyError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an entry encrypted with a zip password
    ) as exc:
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc


def _check_ods_extent(label: str, content: IO[bytes]) -> None:
    """The area calamine would load for each sheet, before it is loaded: rows and columns
    up to the last cell holding something, repeats counted. Streaming with expat's
    callbacks, no tree built (an ODS cell can claim to repeat 16,384 times, a row
    1,048,576 times: a few bytes)."""
    from xml.parsers import expat

    sep = "}"
    row_tag = f"{_ODS_TABLE}{sep}table-row"
    cell_tags = (f"{_ODS_TABLE}{sep}table-cell", f"{_ODS_TABLE}{sep}covered-table-cell")
    table_tag = f"{_ODS_TABLE}{sep}table"
    rows_repeated = f"{_ODS_TABLE}{sep}number-rows-repeated"
    cols_repeated = f"{_ODS_TABLE}{sep}number-columns-repeated"
    value_type = f"{_ODS_OFFICE}{sep}value-type"
    state = {"row": 0, "last_row": 0, "width": 0, "col": 0, "row_width": 0, "depth": 0}
    cell: dict[str, int] = {}  # the open cell: its repeat, whether it holds something
    row_repeat = [1]

    def start(tag: str, attrs: dict[str, str]) -> None:
        if cell:
            cell["filled"] = 1  # a paragraph, a link, ... inside the cell
        if tag in cell_tags:
            cell["repeat"] = _count(attrs.get(cols_repeated))
            cell["filled"] = int(value_type in attrs)
        elif tag == row_tag:
            state["col"] = state["row_width"] = 0
            row_repeat[0] = _count(attrs.get(rows_repeated))
        elif tag == table_tag:
            state["row"] = state["last_row"] = state["width"] = 0
        if cell:
            state["depth"] += 1

    def end(tag: str) -> None:
        if not cell:
            if tag == row_tag:
                row_end()
            return
        state["depth"] -= 1
        if state["depth"]:
            return
        state["col"] += cell["repeat"]
        if cell["filled"]:
            state["row_width"] = state["col"]
        if state["col"] > MAX_CELLS_PER_ROW and state["row_width"] > MAX_CELLS_PER_ROW:
            raise too_large(label, state["row"] + 1, "cells", MAX_CELLS_PER_ROW)
        cell.clear()

    def row_end() -> None:
        state["row"] += row_repeat[0]
        if state["row_width"]:
            last_row = state["last_row"] = state["row"]
            width = state["width"] = max(state["width"], state["row_width"])
            if last_row > MAX_XLSX_ROW_NUMBER:
                raise too_large(label, last_row, "rows", MAX_XLSX_ROW_NUMBER)
            if last_row * width > MAX_SHEET_CELLS:
                raise too_large(label, last_row, "sheet-cells", MAX_SHEET_CELLS)

    parser = expat.ParserCreate(namespace_separator=sep)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        while chunk := content.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc


def _count(value: str | None) -> int:
    if value is None:
        return 1
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


def _pick_sheet(label: str, workbook: Any, sheet: str | None) -> str:
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = [m for m in workbook.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    names = [m.name for m in sheets]
    if sheet is None:
        chosen = default_sheet(sheets, lambda m: m.visible == SheetVisibleEnum.Visible)
        if chosen is None:
            raise TableError("empty", {"path": label})
        return str(chosen.name)
    if sheet in names:
        return sheet
    wanted = sheet.strip().casefold()
    loose = [name for name in names if name.strip().casefold() == wanted]
    if len(loose) == 1:
        return str(loose[0])
    raise TableError(
        "no-such-sheet",
        {"path": label, "sheet": sheet, "sheets": ", ".join(workbook.sheet_names)},
    )


def _value(value: object) -> CellValue:
    """calamine value -> CellValue: "" is an empty cell; a date becomes midnight; a time or
    a duration its ISO text; a bool stays a bool (an int); a whole float stays a float
    (a number cell in the NIP column is Excel damage, reported as such)."""
    if value == "" or value is None:
        return None
    return _xl_value(value)  # as openpyxl's values are converted


def _open_sheet(
    label: str,
    stream: BinaryIO,
    workbook: Any,
    *,
    kind: Kind,
    sheet: str | None,
    overrides: Mapping[Role, str],
    require_email: bool,
    header_row: int | None,
) -> Table:
    from python_calamine import CalamineError, PasswordError

    title = _pick_sheet(label, workbook, sheet)
    try:
        with _quiet_panics():
            loaded = workbook.get_sheet_by_name(title)  # the whole sheet, bounded before
    except PasswordError:
        raise TableError("encrypted", {"path": label}) from None
    except BaseException as exc:
        if not isinstance(exc, CalamineError | ValueError) and not _panic(exc):
            raise
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc
    start = loaded.start
    # iter_rows() yields rows from row 1 on, but columns from the first one used only.
    offset: tuple[CellValue, ...] = (None,) * (start[1] if start is not None else 0)
    source = loaded.iter_rows() if start is not None else iter(())

    def pull(number: int) -> tuple[CellValue, ...] | None:
        try:
            values = next(source)
        except StopIteration:
            return None
        except BaseException as exc:  # anything calamine raises on a damaged part
            if not isinstance(exc, Exception) and not _panic(exc):
                raise  # Ctrl-C, a stop signal
            raise TableError(
                "unreadable", {"path": label, "reason": "damaged", "row": str(number)}
            ) from exc
        return checked_cells(label, number, (*offset, *map(_value, values)))

    return sheet_table(
        label,
        kind,
        title,
        pull,
        overrides=overrides,
        header_row=header_row,
        require_email=require_email,
        closers=[stream, workbook],
    )
