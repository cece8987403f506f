"""``open_table``: one entry point for every input kind (CSV/TXT, XLSX, XLS, ODS, CSV on
stdin), one row at a time (XLS and ODS sheets are loaded whole, bounded first).

Nothing here holds prose. Unusable input raises :class:`TableError`. Cell values are
passed on raw: no stripping, no number conversion (an XLSX number cell in the NIP column
is Excel damage the caller must report, so it stays an ``int``/``float``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO, Literal

from sapkcheck.batch.tables.csv_table import _open_csv
from sapkcheck.batch.tables.model import (
    CSV_SUFFIXES,
    ODS_SUFFIXES,
    SAMPLE_BYTES,
    XLS_SUFFIXES,
    XLSX_SUFFIXES,
    Role,
    Table,
    TableError,
    _os_error,
)
from sapkcheck.batch.tables.sniff import _detect_kind, _read_up_to
from sapkcheck.batch.tables.xlsx_table import _open_xlsx


def open_table(
    source: Path | Literal["-"],
    *,
    stdin: BinaryIO | None = None,
    sheet: str | None = None,
    nip_column: str | None = None,
    email_column: str | None = None,
    registered_column: str | None = None,
    require_email: bool = True,
    header_row: int | None = None,
) -> Table:
    """Open a staff table for streaming.

    ``"-"`` reads CSV bytes from ``stdin`` (default ``sys.stdin.buffer``). ``sheet`` picks an
    XLSX worksheet by title (ignored for CSV). The ``*_column`` overrides are header names,
    matched like the built-in ones (case, spaces and punctuation ignored). With
    ``require_email=False`` a table without an email column is accepted
    (``columns.email is None``). ``header_row`` (1-based) names the header row instead of
    finding it; a row of sub-labels under it still joins it. Raises :class:`TableError`.
    """
    overrides: dict[Role, str] = {}
    if nip_column is not None:
        overrides["nip"] = nip_column
    if email_column is not None:
        overrides["email"] = email_column
    if registered_column is not None:
        overrides["registered"] = registered_column

    if isinstance(source, str) and source == "-":
        if stdin is None:
            stdin = sys.stdin.buffer
        try:
            return _open_csv(
                "-",
                None,
                stdin,
                overrides=overrides,
                require_email=require_email,
                header_row=header_row,
            )
        except OSError as exc:
            raise _os_error("-", exc) from exc

    path = Path(source)
    label = str(path)
    suffix = path.suffix.lower()
    try:
        stream: BinaryIO = open(path, "rb")  # noqa: SIM115 - owned by the Table
    except FileNotFoundError:
        raise TableError("not-found", {"path": label}) from None
    except OSError as exc:
        raise _os_error(label, exc, path) from None
    try:
        if suffix in CSV_SUFFIXES:
            return _open_csv(
                label,
                path,
                stream,
                overrides=overrides,
                require_email=require_email,
                header_row=header_row,
            )
        if suffix in XLSX_SUFFIXES:
            return _open_xlsx(
                label,
                stream,
                sheet=sheet,
                overrides=overrides,
                require_email=require_email,
                header_row=header_row,
            )
        if suffix in XLS_SUFFIXES or suffix in ODS_SUFFIXES:
            from sapkcheck.batch.tables.calamine_table import _open_calamine

            return _open_calamine(
                label,
                stream,
                kind="xls" if suffix in XLS_SUFFIXES else "ods",
                sheet=sheet,
                overrides=overrides,
                require_email=require_email,
                header_row=header_row,
            )
        head = _read_up_to(stream, SAMPLE_BYTES)
        detected = _detect_kind(head, stream) if head else "empty"
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    except OSError as exc:
        stream.close()
        raise _os_error(label, exc, path) from exc
    except BaseException:
        stream.close()
        raise
