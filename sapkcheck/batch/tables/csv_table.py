"""CSV/TXT tables: UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows cp1252;
comma, semicolon or tab."""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, BinaryIO

from sapkcheck.batch.tables.headers import _check_choice, _find_header, _no_header_error
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
)
from sapkcheck.batch.tables.sniff import (
    _CP1252_ERRORS,
    Replay,
    _bom,
    _choose_dialect,
    _detect_kind,
    _head_records,
    _looks_binary,
    _read_up_to,
    _valid_utf8,
)

# --------------------------------------------------------------------------- CSV


def _open_csv(
    label: str,
    path: Path | None,
    stream: BinaryIO,
    *,
    overrides: Mapping[Role, str],
    require_email: bool,
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
    if choice is None:
        raise _no_header_error(label, records, overrides, 1, None)
    columns = _check_choice(
        label, choice, choice.index + 1, require_email=require_email, sheet=None
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
        # A pasted cell can be huge; it is a value to check, not an unreadable file.
        csv.field_size_limit(sys.maxsize)
        reader = csv.reader(reader_stream, delimiter=delimiter)
        leading = tuple(tuple[CellValue, ...](next(reader)) for _ in range(choice.index + 1))
    except (UnicodeDecodeError, csv.Error, StopIteration) as exc:
        reader_stream.close()
        reason = "encoding" if isinstance(exc, UnicodeDecodeError) else "csv"
        raise TableError("unreadable", {"path": label, "reason": reason}) from exc
    rows = _csv_rows(
        label,
        reader,
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
        header_row=choice.index + 1,
        rows=rows,
        leading=leading,
        closers=[reader_stream] if path is None else [stream, reader_stream],
        encoding=encoding,
        delimiter=delimiter,
        lineterminator=lineterminator,
        sep_line=sep_line,
    )


def _csv_rows(
    label: str,
    reader: Iterator[list[str]],
    *,
    first: int,
    width: int,
    encoding: str,
    check_surrogates: bool,
) -> Iterator[Row]:
    number = first - 1
    blank_run = 0  # blank rows are held back (as a count) until a non-blank row follows
    blank = (None,) * width
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise TableError(
                "unreadable",
                {"path": label, "reason": "encoding", "encoding": encoding, "row": str(number + 1)},
            ) from exc
        except csv.Error as exc:
            raise TableError(
                "unreadable", {"path": label, "reason": "csv", "row": str(number + 1)}
            ) from exc
        except OSError as exc:
            raise TableError(
                "unreadable", {"path": label, "reason": "io", "row": str(number + 1)}
            ) from exc
        number += 1
        if not any(cell and not cell.isspace() for cell in record):
            blank_run += 1
            continue
        if (
            check_surrogates
            and not all(cell.isascii() for cell in record)
            and any(_SURROGATE.search(cell) for cell in record)
        ):
            raise TableError(
                "unreadable",
                {"path": label, "reason": "encoding", "encoding": encoding, "row": str(number)},
            )
        for blank_number in range(number - blank_run, number):
            yield Row(blank_number, blank, 0)
        blank_run = 0
        yield _make_row(number, record, width)
