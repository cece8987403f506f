"""CSV byte ranges that worker processes read for themselves.

With ``--jobs`` > 1 the main process should not touch every row's text: a pre-scan of
the bytes (newlines, quotes, carriage returns: C-speed ``bytes`` methods) cuts the data
into spans, each starting on a record of its own with a known row number, and each
worker reads, decodes, parses and checks its spans through the very reader the serial
path uses (``csv_table._csv_rows``): same rows, same numbers, same errors.

A span boundary is only placed where one physical line is one record. The plan is
refused (the caller reads serially, as before) when that cannot be proven cheaply: an
encoding other than UTF-8/cp1252 (UTF-16/32: newline bytes are not newlines), a UTF-8
file with stray bytes (its rows are reported one by one as they are read), stdin, a
lone carriage return (a record end the bytes do not show as ``\\n``), or any line with a
quote that is not a plainly quoted field (a quoted newline, a stray quote).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sapkcheck.batch.tables.csv_table import RecordLines, _csv_rows, _Lines
from sapkcheck.batch.tables.model import Row, Table, TableError
from sapkcheck.limits import MAX_CELL_CHARS

# One span: ~2,000 rows of a typical export. Its rows' text comes back as one string.
# 192 KB against 96 KB, 1 M rows (benchmarks/batch.py): ~10 % less time in every format,
# 2-10 MB more at the peak; each span costs the main process a fixed share (its keys
# probed in one numpy call, its result received, its tally merged).
SPAN_BYTES = 192 * 1024
SCAN_BYTES = 4 << 20  # the pre-scan reads this much at a time
_BOM_BYTES = {"utf-8-sig": 3, "utf-8": 0, "cp1252": 0}
# A boundary: a newline followed by a letter or digit, so the record after it is not
# blank (blank rows are held back by the reader until a non-blank one follows).
_BOUNDARY = re.compile(rb"\n[0-9A-Za-z]")


@dataclass(frozen=True, slots=True)
class CsvSource:
    """What a worker needs to read a span (picklable: spawn sends it)."""

    path: str
    label: str
    encoding: str  # as the table reports it (the error message names it)
    codec: str  # how each span is decoded (no BOM inside a span)
    errors: str
    delimiter: str
    width: int


@dataclass(frozen=True, slots=True)
class Span:
    start: int  # byte offsets in the file
    end: int
    first: int  # row number of the span's first record
    lines: int  # records (= physical lines) in the span
    last: bool


def plan_spans(table: Table, span_bytes: int | None = None) -> tuple[CsvSource, list[Span]] | None:
    """The spans (about ``span_bytes``, default ``SPAN_BYTES``, each) of a CSV file, or
    None when they cannot be proven (see the module)."""
    encoding = table.encoding or ""
    if (
        table.kind != "csv"
        or table.source is None
        or encoding not in _BOM_BYTES
        or table.delimiter is None
        or table.decode_errors == "surrogateescape"
    ):
        return None
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    source = CsvSource(
        path=str(table.source),
        label=table.label,
        encoding=encoding,
        codec=codec,
        errors=table.decode_errors,
        delimiter=table.delimiter,
        width=len(table.columns.header),
    )
    try:
        with open(table.source, "rb") as stream:
            start = _data_start(table, stream, source)
            if start is None:
                return None
            size = span_bytes or SPAN_BYTES
            first = table.header_row + table.header_rows  # the first data row's number
            spans = _scan(stream, start, first, source.delimiter, size)
    except OSError:
        return None  # the serial reader reports it, with its row
    return (source, spans) if spans is not None else None


def _data_start(table: Table, stream: BinaryIO, source: CsvSource) -> int | None:
    """The offset of the first data record: past the BOM, a ``sep=`` line and the lines up
    to the header, each proven to be the record the table read there."""
    stream.seek(_BOM_BYTES[source.encoding])
    if table.sep_line is not None:
        line = stream.readline()
        if line.decode(source.codec, source.errors) != table.sep_line:
            return None
    for expected in table.leading:
        line = stream.readline(MAX_CELL_CHARS)
        content = line[:-2] if line.endswith(b"\r\n") else line[:-1]
        if not line.endswith(b"\n") or b"\r" in content:
            return None
        text = line.decode(source.codec, source.errors)
        records = list(csv.reader([text], delimiter=source.delimiter))
        if len(records) != 1 or tuple(records[0]) != tuple(expected):
            return None
    return stream.tell()


def _quoted_line(delimiter: str) -> re.Pattern[bytes]:
    """A line whose every quote belongs to a plainly quoted field: it cannot continue on
    the next line."""
    d = re.escape(delimiter.encode("ascii"))
    field = rb'(?:[^"\r\n' + d + rb']*|"(?:[^"]|"")*")'
    return re.compile(field + rb"(?:" + d + field + rb")*\r?")


def _scan(
    stream: BinaryIO, start: int, first: int, delimiter: str, span_bytes: int
) -> list[Span] | None:
    quoted = _quoted_line(delimiter)
    spans: list[Span] = []
    span_start, span_first = start, first
    pending = 0  # newlines of the current span in earlier blocks
    offset = start  # file offset of complete[0]
    carry = b""
    stream.seek(start)
    while True:
        block = stream.read(SCAN_BYTES)
        buf = carry + block
        cut = len(buf) if not block else buf.rfind(b"\n") + 1
        complete, carry = buf[:cut], buf[cut:]
        if not _plain(complete, quoted):
            return None
        # Boundaries inside the complete lines; the byte after the last newline is the
        # carry's first, looked at with the next block.
        segment = max(span_start - offset, 0)
        while True:
            found = _BOUNDARY.search(complete, max(span_start + span_bytes - offset, segment))
            if found is None:
                break
            boundary = found.start() + 1
            lines = pending + complete.count(b"\n", segment, boundary)
            end = offset + boundary
            spans.append(Span(span_start, end, span_first, lines, last=False))
            span_start, span_first, pending, segment = end, span_first + lines, 0, boundary
        pending += complete.count(b"\n", segment)
        offset += len(complete)
        if not block:
            break
    if offset > span_start or not spans:
        spans.append(Span(span_start, offset, span_first, pending, last=True))
    else:  # the data ends on a boundary: the previous span is the last
        spans[-1] = Span(spans[-1].start, spans[-1].end, spans[-1].first, spans[-1].lines, True)
    return spans


def _plain(data: bytes, quoted: re.Pattern[bytes]) -> bool:
    """No lone carriage return and no quote that might open a multi-line field."""
    returns = data.count(b"\r")
    if returns and returns != data.count(b"\r\n"):
        return False
    quote = data.find(b'"')
    while quote >= 0:  # the lines with a quote, each looked at once
        start = data.rfind(b"\n", 0, quote) + 1
        end = data.find(b"\n", quote)
        end = len(data) if end < 0 else end
        if not quoted.fullmatch(data, start, end):
            return False
        quote = data.find(b'"', end)
    return True


def _read(source: CsvSource, span: Span) -> bytes:
    try:
        with open(source.path, "rb") as stream:
            stream.seek(span.start)
            return stream.read(span.end - span.start)
    except OSError as exc:
        raise TableError(
            "unreadable", {"path": source.label, "reason": "io", "row": str(span.first)}
        ) from exc


def _parsed(source: CsvSource, data: bytes, first: int) -> Generator[Row, None, int]:
    """The records of ``data`` (whole lines), numbered from ``first``, through the serial
    reader's own parser; returns the number of the last row yielded."""
    csv.field_size_limit(MAX_CELL_CHARS)  # a spawned worker starts with the default
    lines: RecordLines
    if len(data) <= MAX_CELL_CHARS and not data.endswith(b"\x1a"):
        # Nothing for _Lines to catch: every record one line (the plan proved it), no line
        # past the cap, no Ctrl-Z at the end. The csv module reads the lines itself.
        text = data.decode(source.codec, source.errors)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=source.delimiter)
        lines = _ProvenLines()
    else:
        stream = io.TextIOWrapper(
            io.BytesIO(data), encoding=source.codec, errors=source.errors, newline=""
        )
        lines = _Lines(source.label, stream)
        reader = csv.reader(lines, delimiter=source.delimiter)
    return (
        yield from _csv_rows(
            source.label,
            reader,
            lines,
            first=first,
            width=source.width,
            encoding=source.encoding,
            check_surrogates=False,
        )
    )


class _ProvenLines:
    """The lines of a span proven one record a line, within the caps (see :func:`_parsed`)."""

    def start_record(self, number: int) -> None:
        pass

    def end_record(self, number: int) -> None:
        pass

    too_long = staticmethod(_Lines.too_long)


def read_span(source: CsvSource, span: Span) -> Iterator[Row]:
    """The span's rows, exactly as the serial reader yields them there: blank rows held
    back at a span's end are yielded (the next span starts with a non-blank record)."""
    last = yield from _parsed(source, _read(source, span), span.first)
    if not span.last:
        blank = (None,) * source.width
        for number in range(last + 1, span.first + span.lines):
            yield Row(number, blank, 0)


def span_rows(source: CsvSource, span: Span, wanted: Iterable[int]) -> dict[int, Row]:
    """The rows numbered ``wanted`` (none blank), each parsed from its own line: a span
    holds one record a line. For the few rows the main process needs again."""
    lines = _read(source, span).split(b"\n")
    found: dict[int, Row] = {}
    for number in wanted:
        index = number - span.first
        line = lines[index] + b"\n" if index < len(lines) else b""
        for row in _parsed(source, line, number):
            found[row.number] = row
        if number not in found:  # the line a worker read is gone or blank now
            raise TableError(
                "unreadable", {"path": source.label, "reason": "changed", "row": str(number)}
            )
    return found
