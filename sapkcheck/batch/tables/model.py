"""What a table is: cells, rows, the columns found, the table object, and the problems that
make input unusable (ids and parameters, no prose).

Row numbers are the ones Excel shows: the header row keeps its own physical row number
(normally 1) and a CSV record with a quoted multi-line field counts as one row.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Literal, NamedTuple, TypeAlias, TypeVar

from sapkcheck.limits import MAX_CELL_CHARS, MAX_CELLS_PER_ROW

CellValue: TypeAlias = str | int | float | datetime | None

Problem: TypeAlias = Literal[
    "not-found",  # params: path
    # params: path, reason (permission|directory|io|damaged|encoding|csv)[, row, encoding]
    "unreadable",
    "encrypted",  # params: path  (password-protected xlsx: an OLE/CFB container)
    # params: path, extension, detected (xls|xlsx|zip|binary|html|pdf|text|empty)
    "wrong-format",
    "empty",  # params: path[, sheet]
    "no-nip-column",  # params: path, columns, row[, sheet]
    "no-email-column",  # params: path, columns, row, nip_column[, sheet]
    # params: path, row, column (the NIP's letter)[, sheet]: a person's row stands where
    # the header should: a file with no header row (person-row), or --header-row naming
    # a data row (header-row-person)
    "person-row",
    "header-row-person",
    # params: path, role (nip|email|registered), column, columns, row[, sheet]
    "no-such-column",
    "no-such-sheet",  # params: path, sheet, sheets
    "stdin-xlsx",  # params: path ("-"), detected (xlsx|xls)
    "fixed-is-input",  # params: path (the destination)
    # params: path, reason (extension|directory|directory-missing|permission|io|encoding|
    # character)[, character, encoding, row]
    "unwritable",
    # hard-batch: params: path, row, lines (a quote never closed, or closed only after
    # MAX_LINES_PER_ROW lines)
    "unclosed-quote",
    "mixed-encoding",  # params: path, row, byte (a UTF-8 file with a byte that is not)
    "too-large",  # params: path, row, what (cells|cell|line|rows|shared-strings), limit
    "header-row-out-of-range",  # params: path, row, rows[, sheet] (--header-row)
    "header-row-empty",  # params: path, row, rows[, sheet] (--header-row)
]

Role: TypeAlias = Literal["nip", "registered", "email", "name"]

ROLE_ORDER: Final[tuple[Role, ...]] = ("nip", "registered", "email", "name")

SAMPLE_BYTES: Final = 1 << 20  # read up front: BOM, magic numbers, header, delimiter
PROBE_BYTES: Final = 64 * 1024  # of the sample: binary check, header and delimiter detection
SCAN_CHUNK: Final = 256 * 1024  # UTF-8 validation of a seekable file, chunk by chunk
HEADER_SEARCH_ROWS: Final = 10  # the header is the first of this many non-empty rows naming NIP
HEADER_SEARCH_LIMIT: Final = 1000  # ... within this many physical rows
MAX_LISTED_COLUMNS: Final = 40  # "columns" error parameter: at most this many names ...
MAX_COLUMN_NAME: Final = 60  # ... each cut to this many characters

CSV_SUFFIXES: Final = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
XLS_SUFFIXES: Final = frozenset({".xls"})  # Excel 97-2003 (BIFF8), read with calamine
ODS_SUFFIXES: Final = frozenset({".ods"})  # OpenDocument spreadsheet, read with calamine
DELIMITERS: Final = (",", ";", "\t")

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BOMS: Final = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
# C0 controls that do not occur in text files (tab, LF, FF, CR and Ctrl-Z do).
_CONTROL_BYTES: Final = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 26)) + b"\x7f"
_SURROGATE: Final = re.compile("[\udc80-\udcff]")
_WORD: Final = re.compile(r"[^\W\d_]+|\d+")
_SEP_LINE: Final = re.compile(r"sep=([^\r\n\"])(\r\n|\n|\r)")
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XL_ERROR_CODES: Final = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
)


# --------------------------------------------------------------------------- errors


class TableError(Exception):
    """The input (or the fixed-copy destination) cannot be used. No prose: the CLI renders
    ``problem`` with ``params``."""

    problem: Problem
    params: dict[str, str]

    def __init__(self, problem: Problem, params: Mapping[str, str] | None = None) -> None:
        self.problem = problem
        self.params = dict(params or {})
        super().__init__(problem, self.params)

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.problem} ({details})" if details else self.problem


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Columns:
    """0-based indexes into :attr:`Row.cells`. ``email`` is ``None`` only when the table was
    opened with ``require_email=False`` and has no email column."""

    nip: int
    email: int | None
    registered: int | None
    name: int | None
    header: tuple[str, ...]  # header cells, whitespace-trimmed, "" for an empty cell
    # Identifying columns a report carries beside the findings (name, unit, ...): every
    # named column that is not NIP/email/registered, the name first, at most
    # MAX_CARRIED_COLUMNS of them.
    carried: tuple[int, ...] = ()
    # Roles with two equally good columns: (role, the column taken, the other one). The
    # reports warn, naming both and the --...-column option that decides.
    ambiguous: tuple[tuple[Role, int, int], ...] = ()


class Row(NamedTuple):
    """One row of a table. A named tuple: built for every row read, ~2x cheaper than a frozen
    dataclass, and small to pickle for the worker processes."""

    number: int  # as Excel shows it: header = row 1 (normally), first data row = 2
    cells: tuple[CellValue, ...]  # at least as wide as the header; short rows padded with None
    ragged: int  # non-empty cells beyond the header width (kept at the end of ``cells``)


# --------------------------------------------------------------------------- cells and rows


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _make_row(number: int, values: Sequence[CellValue], width: int) -> Row:
    n = len(values)
    if n == width:
        return Row(number, tuple(values), 0)
    if n < width:
        return Row(number, (*values, *((None,) * (width - n))), 0)
    end = n
    while end > width and _is_blank(values[end - 1]):
        end -= 1
    ragged = sum(1 for i in range(width, end) if not _is_blank(values[i]))
    return Row(number, tuple(values[:end]), ragged)


_PLAIN_TYPES: Final = frozenset({str, int, float, datetime, type(None)})


def _xl_value(value: object) -> CellValue:
    """openpyxl value -> CellValue (bool is an int; a date becomes midnight; a time or a
    duration becomes its ISO text)."""
    if value is None or isinstance(value, str | int | float | datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


_Sheet = TypeVar("_Sheet")


def default_sheet(sheets: Sequence[_Sheet], visible: Callable[[_Sheet], bool]) -> _Sheet | None:
    """The sheet read when none is named: the first one a person sees in Excel (a hidden
    sheet holds notes or lookups), else the first; None when there is none."""
    return next((sheet for sheet in sheets if visible(sheet)), sheets[0] if sheets else None)


def _cell_text(value: CellValue) -> str:
    """A cell as CSV text. A float NIP keeps its exponent: digits lost to Excel are never
    invented here."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if value.time() == time():
        return value.date().isoformat()
    return value.isoformat(sep=" ")


# --------------------------------------------------------------------------- the table


class Table:
    """An open table: use it as a context manager and iterate it (once) for its data rows.

    Rows before the header (title rows, up to HEADER_SEARCH_ROWS non-empty ones) and the
    header itself are not yielded. Blank rows between data rows are yielded with all cells
    ``None``; blank rows after the last data row are not yielded at all (sheets often carry
    thousands of formatted but empty rows). Mid-stream failures (a damaged XLSX part, a
    malformed CSV record, a bad byte on stdin) raise :class:`TableError` with a ``row``.
    """

    kind: Literal["csv", "xlsx", "xls", "ods"]
    encoding: str | None  # utf-8 | utf-8-sig | utf-16-le | utf-16-be | utf-32-le | utf-32-be |
    #                       cp1252 (the -sig/-16/-32 ones had a BOM); None for xlsx
    delimiter: str | None  # None for xlsx
    columns: Columns
    sheet: str | None  # worksheet title for xlsx
    header_row: int  # Excel row number of the header (1 unless title rows precede it); the
    #                  first of its rows when it has two (a parent row over sub-labels)
    header_rows: int  # rows the header takes: 1 to 3 (parent labels, sub-labels, column numbers)
    source: Path | None  # None for stdin

    def __init__(
        self,
        *,
        kind: Literal["csv", "xlsx", "xls", "ods"],
        label: str,
        source: Path | None,
        columns: Columns,
        header_row: int,
        rows: Iterator[Row],
        header_rows: int = 1,
        leading: tuple[tuple[CellValue, ...], ...],
        closers: Sequence[Any],
        encoding: str | None = None,
        delimiter: str | None = None,
        sheet: str | None = None,
        lineterminator: str = "\r\n",
        sep_line: str | None = None,
        decode_errors: str = "strict",
    ) -> None:
        self.kind = kind
        self.encoding = encoding
        self.delimiter = delimiter
        self.columns = columns
        self.sheet = sheet
        self.header_row = header_row
        self.header_rows = header_rows
        self.source = source
        self._label = label
        self._rows = rows
        self._leading = leading  # raw rows up to and including the header
        self._closers = list(closers)
        self._lineterminator = lineterminator
        self._sep_line = sep_line
        # CSV: the decoder's error handler ("surrogateescape": a byte that is not UTF-8 is
        # reported with its row as it is read)
        self.decode_errors = decode_errors
        self._iterated = False

    @property
    def label(self) -> str:
        return self._label

    @property
    def leading(self) -> tuple[tuple[CellValue, ...], ...]:
        """The raw rows up to and including the header."""
        return self._leading

    @property
    def sep_line(self) -> str | None:
        """Excel's ``sep=`` first line of a CSV, as read (not a row)."""
        return self._sep_line

    def __iter__(self) -> Iterator[Row]:
        if self._iterated:
            raise RuntimeError("a Table can be iterated only once")
        self._iterated = True
        return self._rows

    def close(self) -> None:
        closers, self._closers = self._closers, []
        close_rows = getattr(self._rows, "close", None)
        if close_rows is not None:
            close_rows()
        for closer in reversed(closers):
            closer.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def check_xml_text(label: str, row: int, text: str) -> str:
    """``text`` as an XLSX cell may hold it; a control character no XML can carry is
    exit 2 (``unwritable``, naming it and the row)."""
    bad = _XML_ILLEGAL.search(text)
    if bad:
        raise TableError(
            "unwritable",
            {
                "path": label,
                "reason": "character",
                "character": f"U+{ord(bad.group(0)):04X}",
                "row": str(row),
            },
        )
    return text


def too_large(label: str, row: int, what: str, limit: int) -> TableError:
    """Past one of the caps of ``sapkcheck.limits`` (``what``: cells, cell, line, rows,
    empty-rows, shared-strings): exit 2 naming the row, never a runaway."""
    return TableError(
        "too-large", {"path": label, "row": str(row), "what": what, "limit": str(limit)}
    )


def checked_cells(label: str, number: int, cells: tuple[CellValue, ...]) -> tuple[CellValue, ...]:
    """A sheet row's cells, refused (exit 2, naming the row) past MAX_CELLS_PER_ROW cells or
    past MAX_CELL_CHARS characters in one cell."""
    if len(cells) > MAX_CELLS_PER_ROW:
        raise too_large(label, number, "cells", MAX_CELLS_PER_ROW)
    for cell in cells:
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise too_large(label, number, "cell", MAX_CELL_CHARS)
    return cells


def checked_rows(
    label: str, first: int, rows: list[tuple[CellValue, ...]], *, text_bound: int | None = None
) -> Iterator[tuple[CellValue, ...]]:
    """Sheet rows numbered from ``first``, each as :func:`checked_cells` would let it through:
    the widest row and the longest text of the batch are measured first (at C speed), and
    the rows are checked one by one only when one of them is refused (the rows before it
    are still handed on, as a row-by-row reading would). ``text_bound``: a length no text
    of the rows can exceed, when the caller knows one (then the texts are not measured)."""
    widest = max(map(len, rows), default=0)
    if text_bound is not None and text_bound <= MAX_CELL_CHARS:
        longest = text_bound
    else:
        texts = [cell for cells in rows for cell in cells if isinstance(cell, str)]
        longest = max(map(len, texts), default=0)
    if widest <= MAX_CELLS_PER_ROW and longest <= MAX_CELL_CHARS:
        yield from rows
        return
    for number, cells in enumerate(rows, first):
        yield checked_cells(label, number, cells)


def _os_error(label: str, exc: OSError, path: Path | None = None) -> TableError:
    if isinstance(exc, IsADirectoryError) or (path is not None and path.is_dir()):
        reason = "directory"
    elif isinstance(exc, PermissionError):
        reason = "permission"
    else:
        reason = "io"
    return TableError("unreadable", {"path": label, "reason": reason})
