"""The fixed copy of a CSV file: the input's own text, record by record, with only the
changed fields rewritten.

Every other byte stays as it was: BOM, ``sep=`` line, encoding, delimiter, each field's
quoting, line endings (even mixed ones), blank and trailing lines, a final Ctrl-Z. The
records are split exactly as Python's csv module splits them (the reader the table used), so
row numbers agree; a changed record is checked against the cells the table read before any
field of it is replaced.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Final

from sapkcheck.batch.tables.model import _BOMS
from sapkcheck.batch.tables.sniff import _CP1252_ERRORS

# Fields of one record: (start, end, quoted) spans into the record's text.
Span = tuple[int, int, bool]

_START, _FIELD, _QUOTED, _QUOTE_IN_QUOTED = range(4)
NEWLINES: Final = "\r\n"


def split_record(text: str, delimiter: str) -> tuple[list[Span], bool]:
    """The field spans of ``text`` (one or more physical lines) as the csv module (default
    dialect: ``"`` quotes, doubled to escape, not strict) reads them, and whether a quoted
    field is still open at the end (the record goes on on the next line)."""
    spans: list[Span] = []
    state = _START
    start = 0
    quoted = False
    end = len(text)
    while end and text[end - 1] in NEWLINES:  # the line ending is not part of a field
        end -= 1
    i = 0
    while i < len(text):
        ch = text[i]
        if state == _START:
            start, quoted = i, False
            if i >= end:
                break
            if ch == '"':
                state, quoted = _QUOTED, True
            elif ch == delimiter:
                spans.append((i, i, False))
                start = i + 1
            else:
                state = _FIELD
        elif state == _FIELD:
            if i >= end:
                break
            if ch == delimiter:
                spans.append((start, i, quoted))
                state = _START
        elif state == _QUOTED:
            if ch == '"':
                state = _QUOTE_IN_QUOTED
        elif state == _QUOTE_IN_QUOTED:
            if i >= end:
                break
            if ch == '"':
                state = _QUOTED
            elif ch == delimiter:
                spans.append((start, i, quoted))
                state = _START
            else:
                state = _FIELD  # text after the closing quote joins the field
        i += 1
    if state == _QUOTED:
        return spans, True
    if state == _START and not spans and end == 0:
        return [], False  # an empty line: a record with no field
    spans.append((start, min(i, end) if state != _START else start, quoted))
    return spans, False


def field_value(text: str, span: Span) -> str:
    """The value the csv module gives for the field at ``span``."""
    start, end, quoted = span
    raw = text[start:end]
    if not quoted:
        return raw
    # "abc""def"xyz -> abc"defxyz
    out: list[str] = []
    i = 1
    while i < len(raw):
        ch = raw[i]
        if ch == '"':
            if i + 1 < len(raw) and raw[i + 1] == '"':
                out.append('"')
                i += 2
                continue
            out.append(raw[i + 1 :])
            break
        out.append(ch)
        i += 1
    return "".join(out)


def quote_field(value: str, delimiter: str, keep_quoted: bool) -> str:
    """``value`` as a field: quoted (quotes doubled) when it must be or the original was."""
    if keep_quoted or any(ch in value for ch in (delimiter, '"', "\r", "\n")) or value == "":
        return '"' + value.replace('"', '""') + '"' if (keep_quoted or value) else ""
    return value


def rewrite_record(
    record: str, delimiter: str, cells: Mapping[int, str], before: Mapping[int, str]
) -> str | None:
    """``record`` with the fields of ``cells`` (index -> new value) replaced, every other
    character kept. ``before`` holds the values the table read for those fields: if the
    record's fields differ (it should never happen), None."""
    spans, _ = split_record(record, delimiter)
    for index, value in before.items():
        if index >= len(spans) or field_value(record, spans[index]) != value:
            return None
    pieces: list[str] = []
    cursor = 0
    for index in sorted(cells):
        start, end, quoted = spans[index]
        pieces.append(record[cursor:start])
        pieces.append(quote_field(cells[index], delimiter, quoted))
        cursor = end
    pieces.append(record[cursor:])
    return "".join(pieces)


class RawCsvCopier:
    """Copies the source's text to the destination record by record (see module doc)."""

    def __init__(
        self, source: IO[bytes], dest: IO[bytes], encoding: str, delimiter: str, sep_line: bool
    ) -> None:
        bom = next((b for b, name, _ in _BOMS if name == encoding), b"")
        codec = next((c for _, name, c in _BOMS if name == encoding), encoding)
        if bom:
            dest.write(source.read(len(bom)))
        if codec == "cp1252":
            errors = _CP1252_ERRORS  # any byte decodes and encodes back exactly
        elif codec == "utf-8":
            errors = "surrogateescape"  # a stray byte of a mixed file goes back as it was
        else:
            errors = "strict"
        self._reader = io.TextIOWrapper(source, encoding=codec, errors=errors, newline="")
        self._writer = io.TextIOWrapper(dest, encoding=codec, errors=errors, newline="")
        self.delimiter = delimiter
        self._number = 0  # the record last read
        if sep_line:
            self._writer.write(self._reader.readline())

    def _record(self) -> str:
        text = self._reader.readline()
        if '"' not in text:
            return text  # no quote: the record is the line (the common case, fast)
        while True:
            _, open_quote = split_record(text, self.delimiter)
            if not open_quote:
                return text
            more = self._reader.readline()
            if not more:
                return text
            text += more

    def take(self, number: int) -> str:
        """Copy the records before record ``number`` as they are; return record ``number``
        (read, not written: the caller writes it with :meth:`write`)."""
        while self._number < number - 1:
            record = self._record()
            if not record:
                break
            self._writer.write(record)
            self._number += 1
        self._number = number
        return self._record()

    def write(self, text: str) -> None:
        self._writer.write(text)

    def close(self) -> None:
        """Close the source (on an abort; the destination is the caller's)."""
        self._reader.close()

    def finish(self) -> None:
        """Copy everything after the last record taken (trailing lines, Ctrl-Z)."""
        while chunk := self._reader.read(1 << 16):
            self._writer.write(chunk)
        self._writer.flush()
        self._writer.detach()  # the caller closes the destination
        self._reader.close()
