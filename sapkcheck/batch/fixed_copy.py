"""The fixed copy (``--fixed``): the input with only the certain fixes applied, written
atomically beside the target."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from sapkcheck.batch.inert import needs_quote
from sapkcheck.batch.output import AtomicFile, same_file, write_reason
from sapkcheck.batch.tables.model import (
    _BOMS,
    _XL_ERROR_CODES,
    _XML_ILLEGAL,
    CSV_SUFFIXES,
    CellValue,
    Table,
    TableError,
    _cell_text,
)
from sapkcheck.batch.tables.sniff import _CP1252_ERRORS

# --------------------------------------------------------------------------- fixed copy


class FixedWriter:
    """Writes a corrected copy of ``table`` to ``dest``, atomically.

    The format follows ``dest``'s extension (``.csv``/``.txt``/``.tsv`` or ``.xlsx``; any
    other extension: the input's format). A CSV copy of a CSV keeps its encoding (and BOM),
    delimiter, line ending and ``sep=`` line; a CSV copy of a workbook is UTF-8 with BOM,
    comma-separated (tab for ``.tsv``). An XLSX copy is a new workbook whose NIP and email
    cells are text formatted as Text (``@``), never numbers; other cells keep their type.
    The rows before the data (title rows, header) are written on entry; then call
    :meth:`write` once per row. Nothing appears at ``dest`` unless the ``with`` block ends
    without an exception (temp file in the same directory, then ``os.replace``).
    """

    def __init__(self, table: Table, dest: Path) -> None:
        self._table = table
        self._dest = Path(dest)
        label = str(self._dest)
        self._label = label
        suffix = self._dest.suffix.lower()
        if suffix in CSV_SUFFIXES:
            self.kind: Literal["csv", "xlsx"] = "csv"
        elif suffix == ".xlsx":
            self.kind = "xlsx"
        elif suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
            raise TableError("unwritable", {"path": label, "reason": "extension"})
        else:
            self.kind = table.kind
        if table.source is not None and same_file(table.source, self._dest):
            raise TableError("fixed-is-input", {"path": label})
        if self._dest.is_dir():
            raise TableError("unwritable", {"path": label, "reason": "directory"})
        if not self._dest.parent.is_dir():
            raise TableError("unwritable", {"path": label, "reason": "directory-missing"})
        if table.kind == "csv" and self.kind == "csv":
            self.encoding = table.encoding or "utf-8-sig"
            self.delimiter = table.delimiter or ","
            self._lineterminator = table._lineterminator
            self._sep_line = table._sep_line
        else:
            self.encoding = "utf-8-sig"
            self.delimiter = "\t" if suffix == ".tsv" else ","
            self._lineterminator = "\r\n"
            self._sep_line = None
        columns = table.columns
        self._text_columns = frozenset(
            i for i in (columns.nip, columns.email, columns.registered) if i is not None
        )
        self._tmp: AtomicFile | None = None
        self._file: IO[str] | None = None
        self._csv: Any = None
        self._workbook: Any = None
        self._sheet: Any = None
        self._row = table.header_row  # output row number of the last row written
        self.quoted = 0  # cells given a leading apostrophe (CSV copies only)

    # -- context

    def __enter__(self) -> FixedWriter:
        try:
            self._tmp = AtomicFile(self._dest)
        except OSError as exc:
            raise self._error(exc) from exc
        try:
            if self.kind == "csv":
                self._start_csv(self._tmp.binary())
            else:
                if not self._tmp.through:
                    os.close(self._tmp.fd)  # openpyxl saves to the temp file by name
                self._start_xlsx()
            for cells in self._table._leading:
                self._write(cells)
        except BaseException:
            self._abort()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._abort()
            return
        try:
            self._finish()
        except BaseException as error:
            self._abort()
            if isinstance(error, OSError):
                raise self._error(error) from error
            raise

    def write(self, cells: Sequence[CellValue]) -> None:
        """Write one row (normally the corrected cells of the next input row)."""
        if self._tmp is None:
            raise RuntimeError("FixedWriter.write() outside its with-block")
        self._row += 1
        self._write(cells)

    # -- internals

    def _error(self, exc: OSError) -> TableError:
        return TableError("unwritable", {"path": self._label, "reason": write_reason(exc)})

    def _start_csv(self, binary: IO[bytes]) -> None:
        bom = next((b for b, name, _ in _BOMS if name == self.encoding), b"")
        codec = next((c for _, name, c in _BOMS if name == self.encoding), self.encoding)
        binary.write(bom)
        # utf-8: a byte that is not UTF-8 (a row-bad-encoding row) goes back out unchanged
        errors = {"cp1252": _CP1252_ERRORS, "utf-8": "surrogateescape"}.get(codec, "strict")
        self._file = io.TextIOWrapper(binary, encoding=codec, errors=errors, newline="")
        if self._sep_line is not None:
            self._file.write(self._sep_line)
        self._csv = csv.writer(
            self._file, delimiter=self.delimiter, lineterminator=self._lineterminator
        )

    def _start_xlsx(self) -> None:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

        # openpyxl streams the rows (personal data) to a temp file of its own; keep it in
        # the target's directory, like our own temp file, not in the system temp folder
        # (a device or stdout has no directory of its own: the system temp folder then).
        assert self._tmp is not None
        if not self._tmp.through:
            self._old_tempdir = tempfile.tempdir
            tempfile.tempdir = str(self._dest.resolve().parent)
        self._workbook = openpyxl.Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(
            title=self._table.sheet if self._table.kind == "xlsx" else "Sheet1"
        )
        for index in self._text_columns:
            width = 24 if index == self._table.columns.nip else 36
            self._sheet.column_dimensions[get_column_letter(index + 1)].width = width

    def _write(self, cells: Sequence[CellValue]) -> None:
        if self.kind == "csv":
            self._write_csv(cells)
        else:
            self._write_xlsx(cells)

    def _write_csv(self, cells: Sequence[CellValue]) -> None:
        end = len(cells)
        while end and cells[end - 1] is None:  # padding added when reading
            end -= 1
        texts = [_cell_text(cells[i]) for i in range(end)]
        for i, text in enumerate(texts):
            if needs_quote(text):  # a spreadsheet must never run it: see batch/inert.py
                texts[i] = "'" + text
                self.quoted += 1
        try:
            self._csv.writerow(texts)
        except UnicodeEncodeError as exc:
            character = exc.object[exc.start : exc.start + 1]
            raise TableError(
                "unwritable",
                {
                    "path": self._label,
                    "reason": "encoding",
                    "encoding": self.encoding,
                    "character": f"U+{ord(character):04X}",
                    "row": str(self._row),
                },
            ) from exc

    def _write_xlsx(self, cells: Sequence[CellValue]) -> None:
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]

        out: list[Any] = []
        for index, value in enumerate(cells):
            if value is None:
                out.append(None)
                continue
            as_text = index in self._text_columns
            if isinstance(value, str) or as_text:
                text = value if isinstance(value, str) else _cell_text(value)
                bad = _XML_ILLEGAL.search(text)
                if bad:
                    raise TableError(
                        "unwritable",
                        {
                            "path": self._label,
                            "reason": "character",
                            "character": f"U+{ord(bad.group(0)):04X}",
                            "row": str(self._row),
                        },
                    )
                literal = (len(text) > 1 and text.startswith("=")) or text in _XL_ERROR_CODES
                if as_text or literal:
                    cell = WriteOnlyCell(self._sheet, value=text)
                    cell.data_type = "s"  # never a formula or an error value
                    if as_text:
                        cell.number_format = "@"
                    out.append(cell)
                else:
                    out.append(text)
            else:
                out.append(value)
        self._sheet.append(out)

    def _restore_tempdir(self) -> None:
        if hasattr(self, "_old_tempdir"):
            tempfile.tempdir = self._old_tempdir
            del self._old_tempdir

    def _finish(self) -> None:
        assert self._tmp is not None
        if self._file is not None:
            self._file.close()  # flushed; commit() syncs it to disk
            self._file = None
        if self._workbook is not None:
            if self._tmp.path is not None:
                self._workbook.save(self._tmp.path)
            else:
                with self._tmp.binary() as stream:
                    self._workbook.save(stream)
            self._workbook = None
        self._restore_tempdir()
        self._tmp.commit()
        self._tmp = None

    def _abort(self) -> None:
        self._restore_tempdir()
        if self._file is not None:
            with contextlib.suppress(Exception):  # a full disk fails the close too
                self._file.close()
            self._file = None
        if self._sheet is not None:
            writer = getattr(self._sheet, "_writer", None)
            if writer is not None:
                # best effort: finish and delete openpyxl's own temp file of streamed rows
                with contextlib.suppress(Exception):
                    self._sheet.close()
                with contextlib.suppress(Exception):
                    writer.cleanup()
            self._sheet = None
            self._workbook = None
        if self._tmp is not None:
            self._tmp.discard()
            self._tmp = None
