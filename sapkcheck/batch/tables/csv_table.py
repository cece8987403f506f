"""CSV/TXT tables: UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows cp1252;
comma, semicolon or tab."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Generator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, BinaryIO, Protocol

from sapkcheck.batch.tables.headers import _find_header, choose_columns
from sapkcheck.batch.tables.model import (
    _OLE_MAGIC,
    _SEP_LINE,
    _SURROGATE,
    _ZIP_MAGICS,
    HEADER_SEARCH_LIMIT,
    PROBE_BYTES,
    SAMPLE_BYTES,
    CellValue,
    Role,
    Row,
    Table,
    TableError,
    _make_row,
    too_large,
)
from sapkcheck.batch.tables.sniff import (
    _CP1252_ERRORS,
    Replay,
    _bom,
    _choose_dialect,
    _detect_kind,
    _has_utf8_multibyte,
    _head_records,
    _looks_binary,
    _read_up_to,
    _valid_utf8,
)
from sapkcheck.limits import (
    MAX_BAD_ENCODING_ROWS,
    MAX_CELL_CHARS,
    MAX_CELLS_PER_ROW,
    MAX_LINES_PER_ROW,
)

# --------------------------------------------------------------------------- CSV


def _open_csv(
    label: str,
    path: Path | None,
    stream: BinaryIO,
    *,
    overrides: Mapping[Role, str],
    require_email: bool,
    header_row: int | None = None,
) -> Table:
    seekable = path is not None and stream.seekable()  # a named pipe is not
    suffix = path.suffix.lower() if path is not None else ""
    head = _read_up_to(stream, SAMPLE_BYTES)
    at_eof = len(head) < SAMPLE_BYTES
    if head.startswith((_OLE_MAGIC, *_ZIP_MAGICS)):
        if path is None:
            raise TableError("stdin-xlsx", {"path": label, "detected": _detect_kind(head)})
        detected = _detect_kind(head, stream if seekable else None)
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    if head.startswith(b"%PDF"):
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "pdf"})

    mixed = False
    found = _bom(head)
    if found is not None:
        bom, encoding, codec = found
        errors = "strict"
    else:
        bom = b""
        if _looks_binary(head[:PROBE_BYTES]):
            raise TableError(
                "wrong-format", {"path": label, "extension": suffix, "detected": "binary"}
            )
        if _valid_utf8(head, stream if seekable else None):
            encoding = codec = "utf-8"
            # stdin is checked on the sample only; a bad byte later is reported with its row
            errors = "strict" if seekable else "surrogateescape"
        elif _has_utf8_multibyte(head, stream if seekable else None):
            # UTF-8 with a stray byte (one cell pasted from a cp1252 file): reading it all
            # as cp1252 would garble every UTF-8 letter (josé), and --fixed would then
            # rewrite bytes it never meant to. The row with the stray byte is reported.
            encoding = codec = "utf-8"
            errors = "surrogateescape"
            mixed = True
        else:
            encoding = codec = "cp1252"
            errors = _CP1252_ERRORS

    probe = head[len(bom) : len(bom) + PROBE_BYTES]
    probe_is_all = at_eof and len(bom) + PROBE_BYTES >= len(head)
    decoder = codecs.getincrementaldecoder(codec)(
        errors=_CP1252_ERRORS if codec == "cp1252" else "replace"
    )
    text = decoder.decode(probe, final=probe_is_all)

    if probe_is_all and not text.strip(' \t\r\n,;"'):
        raise TableError("empty", {"path": label})

    sep_line: str | None = None
    match = _SEP_LINE.match(text)
    if match:  # Excel's "sep=;" first line: fixes the delimiter and is not shown as a row
        sep_line = match.group(0)
        text = text[match.end() :]
        delimiter = match.group(1)
        records = _head_records(text, delimiter, HEADER_SEARCH_LIMIT)
        choice = _find_header(records, overrides)
    else:
        delimiter, records, choice = _choose_dialect(text, overrides)
    if not any(any(c.strip() for c in record) for record in records):
        raise TableError("empty", {"path": label})
    del choice  # the dialect's guess; the header is chosen below (--header-row may name it)
    choice, columns = choose_columns(
        label, records, overrides, header_row=header_row, require_email=require_email, sheet=None
    )
    newline = re.search(r"\r\n|\n|\r", text)
    lineterminator = newline.group(0) if newline else "\r\n"

    # Stream from the start again: a file seeks back, stdin replays the bytes already read.
    if seekable:
        stream.seek(len(bom))
        raw: IO[bytes] = stream
    else:
        raw = io.BufferedReader(Replay(head[len(bom) :], stream))
    del head, probe, text, records
    reader_stream = io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")
    try:
        if sep_line is not None:
            reader_stream.readline()
        # A pasted cell can be long; it is a value to check (one finding), not an
        # unreadable file, up to MAX_CELL_CHARS.
        csv.field_size_limit(MAX_CELL_CHARS)
        lines = _Lines(label, reader_stream)
        reader = csv.reader(lines, delimiter=delimiter)
        leading_rows: list[tuple[CellValue, ...]] = []
        for number in range(1, choice.index + 2):
            lines.start_record(number)
            leading_rows.append(tuple(next(reader)))
            lines.end_record(number)
        leading = tuple(leading_rows)
    except (UnicodeDecodeError, csv.Error, StopIteration, TableError) as exc:
        reader_stream.close()
        if isinstance(exc, TableError):
            raise
        if isinstance(exc, csv.Error) and lines.too_long(exc):
            raise too_large(label, len(leading_rows) + 1, "cell", MAX_CELL_CHARS) from exc
        reason = "encoding" if isinstance(exc, UnicodeDecodeError) else "csv"
        raise TableError("unreadable", {"path": label, "reason": reason}) from exc
    if mixed:
        for number, record in enumerate(leading, 1):
            _check_surrogates(label, record, number)
    rows = _csv_rows(
        label,
        reader,
        lines,
        first=choice.index + 2,
        width=len(columns.header),
        encoding=encoding,
        check_surrogates=errors == "surrogateescape",
    )
    return Table(
        kind="csv",
        label=label,
        source=path,
        columns=columns,
        header_row=choice.first + 1,
        header_rows=choice.index - choice.first + 1,
        rows=rows,
        leading=leading,
        closers=[reader_stream] if path is None else [stream, reader_stream],
        encoding=encoding,
        delimiter=delimiter,
        lineterminator=lineterminator,
        sep_line=sep_line,
        decode_errors=errors,
    )


def _has_surrogate(record: Sequence[str]) -> bool:
    return any(not cell.isascii() and _SURROGATE.search(cell) for cell in record)


def _check_surrogates(label: str, record: Sequence[object], number: int) -> None:
    """A byte that is not UTF-8 in a UTF-8 input (read with surrogateescape) where a row
    finding cannot stand for it (the header, or past MAX_BAD_ENCODING_ROWS): exit 2."""
    for cell in record:
        if isinstance(cell, str) and not cell.isascii():
            found = _SURROGATE.search(cell)
            if found:
                byte = f"0x{ord(found.group()) - 0xDC00:02X}"
                raise TableError(
                    "mixed-encoding", {"path": label, "row": str(number), "byte": byte}
                )


class _Lines:
    """The physical lines the csv module reads, bounded, with what it cannot tell us:
    a quote still open at the end of the file (the csv module silently returns the rest
    of the file as one cell), a row running over ``MAX_LINES_PER_ROW`` lines (a stray
    quote swallowing the rows after it), a line longer than ``MAX_CELL_CHARS`` (read in
    bounded pieces, never whole), and Excel/DOS's Ctrl-Z end-of-file byte (ignored)."""

    def __init__(self, label: str, stream: IO[str]) -> None:
        self._label = label
        self._stream = stream
        self._next: str | None = None
        self._overlong = False  # the line in self._next is past the cap
        self._started = False
        self.exhausted = False
        self._record = 0  # the row being read
        self._lines = 0  # physical lines of that row so far

    def __iter__(self) -> _Lines:
        return self

    def _read(self) -> str:
        line = self._stream.readline(MAX_CELL_CHARS + 2)
        if len(line) > MAX_CELL_CHARS and not line.endswith(("\n", "\r")):
            self._overlong = True  # reported when the csv module asks for this line
        return line

    def __next__(self) -> str:
        if not self._started:
            self._started = True
            self._next = self._read()
        line = self._next
        if not line:
            self.exhausted = True
            raise StopIteration
        if self._overlong:
            raise too_large(self._label, self._record, "line", MAX_CELL_CHARS)
        self._next = self._read()
        if not self._next and line.endswith("\x1a"):
            line = line[:-1]  # Ctrl-Z at the end of the file: not data
            if not line:
                self.exhausted = True
                raise StopIteration
        self._lines += 1
        if self._lines > MAX_LINES_PER_ROW:
            raise TableError(
                "unclosed-quote",
                {"path": self._label, "row": str(self._record), "lines": str(MAX_LINES_PER_ROW)},
            )
        return line

    def start_record(self, number: int) -> None:
        self._record = number
        self._lines = 0

    def end_record(self, number: int) -> None:
        """After the csv module returned row ``number``: had it to read past the end?"""
        if self.exhausted:
            raise TableError(
                "unclosed-quote",
                {"path": self._label, "row": str(number), "lines": str(self._lines)},
            )

    @staticmethod
    def too_long(error: csv.Error) -> bool:
        return "field larger than field limit" in str(error)


class RecordLines(Protocol):
    """What :func:`_csv_rows` asks of the lines under its csv reader (:class:`_Lines`)."""

    def start_record(self, number: int) -> None: ...
    def end_record(self, number: int) -> None: ...
    def too_long(self, error: csv.Error) -> bool: ...


def _csv_rows(
    label: str,
    reader: Iterator[list[str]],
    lines: RecordLines,
    *,
    first: int,
    width: int,
    encoding: str,
    check_surrogates: bool,
) -> Generator[Row, None, int]:
    """The rows, numbered from ``first``; returns the number of the last row yielded
    (``first - 1`` for none): blank rows at the end are never yielded."""
    number = first - 1
    blank_run = 0  # blank rows are held back (as a count) until a non-blank row follows
    blank = (None,) * width
    bad_rows = 0  # rows holding a byte that is not UTF-8
    start_record, end_record = lines.start_record, lines.end_record  # every row's
    while True:
        start_record(number + 1)
        try:
            record = next(reader)
        except StopIteration:
            return number - blank_run
        except UnicodeDecodeError as exc:
            raise TableError(
                "unreadable",
                {"path": label, "reason": "encoding", "encoding": encoding, "row": str(number + 1)},
            ) from exc
        except csv.Error as exc:
            if lines.too_long(exc):
                raise too_large(label, number + 1, "cell", MAX_CELL_CHARS) from exc
            raise TableError(
                "unreadable", {"path": label, "reason": "csv", "row": str(number + 1)}
            ) from exc
        except OSError as exc:
            raise TableError(
                "unreadable", {"path": label, "reason": "io", "row": str(number + 1)}
            ) from exc
        number += 1
        end_record(number)
        cells = len(record)
        if cells > MAX_CELLS_PER_ROW:
            raise too_large(label, number, "cells", MAX_CELLS_PER_ROW)
        # blank: every cell empty or blank (most rows answer at their first cell)
        head = record[0] if record else ""
        if (not head or head.isspace()) and not any(cell and not cell.isspace() for cell in record):
            blank_run += 1
            continue
        if (
            check_surrogates
            and not all(cell.isascii() for cell in record)
            and _has_surrogate(record)
        ):
            # one bad cell is one bad row (row-bad-encoding, batch/rows.py), up to a cap: past
            # it the file is in another encoding, not UTF-8 with a few pasted cells (exit 2)
            bad_rows += 1
            if bad_rows > MAX_BAD_ENCODING_ROWS:
                _check_surrogates(label, record, number)
        if blank_run:
            for blank_number in range(number - blank_run, number):
                yield Row(blank_number, blank, 0)
            blank_run = 0
        if cells == width:  # tuple.__new__: Row without its Python-level __new__ (hot path)
            yield tuple.__new__(Row, (number, tuple(record), 0))
        else:
            yield _make_row(number, record, width)
