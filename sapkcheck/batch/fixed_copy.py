"""The fixed copy (``--fixed``): the input with only the certain fixes applied, written
atomically beside the target, never a cell made worse.

- CSV to CSV (a file, not stdin): the input's own bytes, only the changed fields rewritten
  (``batch/fixed_csv.py``); a changed NIP written ``="…"`` so a spreadsheet keeps it as
  text (``batch/excel_text.py``; ``nip_text=False``: bare digits).
- XLSX to XLSX: the original workbook, only the changed cells rewritten as text
  (``batch/fixed_xlsx.py``).
- Anything else (stdin, CSV to XLSX, XLSX to CSV, ``.xls``/``.ods``/``.xlsm`` inputs): a new
  file of the rows (XLSX: NIP and email cells as text; CSV: NIPs in the text form).

Every change (row, column, before, after) is kept in a :class:`ChangeSpool` on disk and
handed to ``on_changes`` once the copy is written (``--fixed-log``)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from sapkcheck.batch.excel_text import needs_text_form, text_form
from sapkcheck.batch.fixed_csv import RawCsvCopier, field_value, rewrite_record, split_record
from sapkcheck.batch.fixed_log import Change, ChangeSpool, Note
from sapkcheck.batch.fixed_xlsx import PatchProblem, patch_workbook
from sapkcheck.batch.inert import needs_quote
from sapkcheck.batch.output import AtomicFile, is_stdout, same_file, write_reason
from sapkcheck.batch.tables.model import (
    _BOMS,
    _XL_ERROR_CODES,
    CSV_SUFFIXES,
    CellValue,
    Table,
    TableError,
    _cell_text,
    check_xml_text,
)
from sapkcheck.batch.tables.sniff import _CP1252_ERRORS

# --------------------------------------------------------------------------- fixed copy


ChangesHandler = Callable[[Iterator[Change]], None]
Mode = Literal["csv-raw", "csv", "xlsx-patch", "xlsx"]


class FixedWriter:
    """Writes a corrected copy of ``table`` to ``dest``, atomically.

    The format follows ``dest``'s extension (``.csv``/``.txt``/``.tsv`` or ``.xlsx``; ``-``
    or another extension: the input's format, ``.xlsx`` for an input that is neither CSV
    nor XLSX, whose other extensions are refused). See the module doc for what each copy
    keeps. The rows before the data (title rows, header) are handled on entry; then call
    :meth:`write` once per row, in order. Nothing appears at ``dest`` unless the ``with``
    block ends without an exception (temp file in the same directory, then
    ``os.replace``).
    """

    def __init__(
        self,
        table: Table,
        dest: Path,
        *,
        nip_text: bool = True,
        on_changes: ChangesHandler | None = None,
    ) -> None:
        self._table = table
        self._dest = Path(dest)
        label = str(self._dest)
        self._label = label
        suffix = "" if is_stdout(self._dest) else self._dest.suffix.lower()
        own_kind = table.kind in ("csv", "xlsx")
        if not own_kind and suffix not in ("", ".xlsx"):
            # .xls/.ods cannot be written: their fixed copy is an .xlsx workbook
            raise TableError("unwritable", {"path": label, "reason": "extension-xlsx"})
        if suffix in CSV_SUFFIXES:
            self.kind: Literal["csv", "xlsx"] = "csv"
        elif suffix == ".xlsx" or not own_kind:
            self.kind = "xlsx"
        elif suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
            raise TableError("unwritable", {"path": label, "reason": "extension"})
        else:  # no known extension: the input's own kind (an .xls/.ods input: an XLSX copy)
            self.kind = "csv" if table.kind == "csv" else "xlsx"
        if table.source is not None and same_file(table.source, self._dest):
            raise TableError("fixed-is-input", {"path": label})
        if self._dest.is_dir():
            raise TableError("unwritable", {"path": label, "reason": "directory"})
        if not self._dest.parent.is_dir():
            raise TableError("unwritable", {"path": label, "reason": "directory-missing"})
        source = table.source
        regular = source is not None and source.is_file()
        if self.kind == "csv":
            raw = table.kind == "csv" and regular
            self.mode: Mode = "csv-raw" if raw else "csv"
        else:
            patch = table.kind == "xlsx" and regular and source is not None
            patch = patch and source.suffix.lower() == ".xlsx"  # type: ignore[union-attr]
            self.mode = "xlsx-patch" if patch else "xlsx"
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
        self._nip = columns.nip
        self._nip_text = nip_text
        self._text_columns = frozenset(
            i for i in (columns.nip, columns.email, columns.registered) if i is not None
        )
        self._on_changes = on_changes
        self._tmp: AtomicFile | None = None
        self._file: IO[str] | None = None
        self._csv: Any = None
        self._raw: RawCsvCopier | None = None
        self._binary: IO[bytes] | None = None
        self._workbook: Any = None
        self._sheet: Any = None
        self._spool: ChangeSpool | None = None
        self._row = 0  # row number of the last row written (the leading rows count too)
        self.quoted = 0  # cells given a leading apostrophe (CSV copies only)
        self.changed_rows = 0
        self.changed_cells = 0
        self.not_changed = 0  # changes that could not be made (a formula cell)

    # -- context

    def __enter__(self) -> FixedWriter:
        try:
            self._tmp = AtomicFile(self._dest)
        except OSError as exc:
            raise self._error(exc) from exc
        try:
            folder = None if self._tmp.through else self._dest.resolve().parent
            self._spool = ChangeSpool(folder)
            if self.mode == "csv-raw":
                assert self._table.source is not None
                self._binary = self._tmp.binary()
                source = self._table.source.open("rb")
                self._raw = RawCsvCopier(
                    source,
                    self._binary,
                    self.encoding,
                    self.delimiter,
                    sep_line=self._sep_line is not None,
                )
            elif self.mode == "csv":
                self._start_csv(self._tmp.binary())
            elif not self._tmp.through:
                os.close(self._tmp.fd)  # the workbook is saved to the temp file by name
            if self.mode == "xlsx":
                self._start_xlsx()
            for cells in self._table._leading:
                self._row += 1
                self._write(cells, cells)
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
        finally:
            if self._spool is not None:
                self._spool.close()
                self._spool = None

    def write(
        self, cells: Sequence[CellValue], original: Sequence[CellValue] | None = None
    ) -> None:
        """Write the next row: ``cells`` (normally the corrected cells of the next input
        row), ``original`` the cells as read (None: compare with the input's own fields)."""
        if self._tmp is None:
            raise RuntimeError("FixedWriter.write() outside its with-block")
        self._row += 1
        self._write(cells, original)

    # -- internals

    def _error(self, exc: OSError) -> TableError:
        return TableError("unwritable", {"path": self._label, "reason": write_reason(exc)})

    def _changes(
        self, cells: Sequence[CellValue], original: Sequence[CellValue]
    ) -> dict[int, tuple[str, str, Note]]:
        """column -> (before, after as written, note) for this row."""
        found: dict[int, tuple[str, str, Note]] = {}
        csv_copy = self.kind == "csv"
        for index, value in enumerate(cells):
            before = original[index] if index < len(original) else None
            if value is None:
                continue
            text = value if isinstance(value, str) else _cell_text(value)
            changed = value != before
            note: Note = ""
            if csv_copy:
                if changed and index == self._nip and self._nip_text and needs_text_form(text):
                    text = text_form(text)
                elif needs_quote(text):  # a spreadsheet must never run it: see batch/inert.py
                    text = "'" + text
                    self.quoted += 1
                    note = "" if changed else "inert"
                    changed = True
            if changed and text != before:
                found[index] = (_cell_text(before), text, note)
        return found

    def _write(self, cells: Sequence[CellValue], original: Sequence[CellValue] | None) -> None:
        if self.mode == "csv-raw":
            self._write_raw(cells, original)
            return
        changes = self._changes(cells, original if original is not None else cells)
        self._log(changes)
        if self.mode == "csv":
            self._write_csv(cells)
        elif self.mode == "xlsx":
            self._write_xlsx(cells)

    def _log(self, changes: dict[int, tuple[str, str, Note]]) -> None:
        if not changes:
            return
        assert self._spool is not None
        if any(note != "inert" for _, _, note in changes.values()):
            self.changed_rows += 1
        for index in sorted(changes):
            before, after, note = changes[index]
            self._spool.add(Change(self._row, index, before, after, note))
            self.changed_cells += note != "inert"

    def _write_raw(self, cells: Sequence[CellValue], original: Sequence[CellValue] | None) -> None:
        assert self._raw is not None
        record = self._raw.take(self._row)
        if original is None:  # compare with the record's own fields
            spans, _ = split_record(record, self.delimiter)
            original = [field_value(record, span) for span in spans]
            original += [None] * (len(cells) - len(original))
        changes = self._changes(cells, original)
        if not changes:
            self._raw.write(record)
            return
        self._log(changes)
        new = rewrite_record(
            record,
            self.delimiter,
            {index: after for index, (_, after, _) in changes.items()},
            {index: before for index, (before, _, _) in changes.items()},
        )
        if new is None:  # the record is not what the table read (never expected): rebuild it
            new = self._csv_line(cells, changes)
        try:
            self._raw.write(new)
        except UnicodeEncodeError as exc:
            raise self._encoding_error(exc) from exc

    def _csv_line(
        self, cells: Sequence[CellValue], changes: dict[int, tuple[str, str, Note]]
    ) -> str:
        buffer = io.StringIO()
        texts = [_cell_text(cell) for cell in cells]
        for index, (_, after, _) in changes.items():
            texts[index] = after
        end = len(texts)
        while end and cells[end - 1] is None:
            end -= 1
        csv.writer(buffer, delimiter=self.delimiter, lineterminator=self._lineterminator).writerow(
            texts[:end]
        )
        return buffer.getvalue()

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
        self._sheet = self._workbook.create_sheet(title=self._table.sheet or "Sheet1")
        for index in self._text_columns:
            width = 24 if index == self._table.columns.nip else 36
            self._sheet.column_dimensions[get_column_letter(index + 1)].width = width

    def _write_csv(self, cells: Sequence[CellValue]) -> None:
        end = len(cells)
        while end and cells[end - 1] is None:  # padding added when reading
            end -= 1
        texts = [_cell_text(cells[i]) for i in range(end)]
        for i, text in enumerate(texts):
            if i == self._nip and self._nip_text and needs_text_form(text):
                texts[i] = text_form(text)  # a new file: every NIP kept as text
            elif needs_quote(text):
                texts[i] = "'" + text
        try:
            self._csv.writerow(texts)
        except UnicodeEncodeError as exc:
            raise self._encoding_error(exc) from exc

    def _encoding_error(self, exc: UnicodeEncodeError) -> TableError:
        character = exc.object[exc.start : exc.start + 1]
        return TableError(
            "unwritable",
            {
                "path": self._label,
                "reason": "encoding",
                "encoding": self.encoding,
                "character": f"U+{ord(character):04X}",
                "row": str(self._row),
            },
        )

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
                check_xml_text(self._label, self._row, text)
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
        if self._raw is not None:
            self._raw.finish()
            self._raw = None
        if self._binary is not None:
            self._binary.close()
            self._binary = None
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
        formulas: set[tuple[int, int]] = set()
        missing: set[tuple[int, int]] = set()
        if self.mode == "xlsx-patch":
            formulas, missing = self._patch()
        self._restore_tempdir()
        self._tmp.commit()
        self._tmp = None
        if self._on_changes is not None and self._spool is not None:
            self._on_changes(self._final_changes(formulas, missing))

    def _patch(self) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
        assert self._tmp is not None and self._spool is not None
        assert self._table.source is not None
        changes = ((c.row, c.column, c.after) for c in self._spool)
        try:
            path = self._tmp.path
            with open(path, "wb") if path is not None else self._tmp.binary() as stream:
                patcher = patch_workbook(
                    self._table.source, stream, self._table.sheet, changes, self._label
                )
        except PatchProblem as exc:
            raise TableError("unwritable", {"path": self._label, "reason": "workbook"}) from exc
        skipped = patcher.formulas | patcher.missing
        self.not_changed = len(skipped)
        if skipped:
            rows = {row for row, _ in skipped}
            self.changed_cells -= len(skipped)
            # rows whose every change was skipped are not changed rows
            changed = {c.row for c in self._spool if (c.row, c.column) not in skipped}
            self.changed_rows -= len(rows - changed)
        return patcher.formulas, patcher.missing

    def _final_changes(
        self, formulas: set[tuple[int, int]], missing: set[tuple[int, int]]
    ) -> Iterator[Change]:
        assert self._spool is not None
        for change in self._spool:
            key = (change.row, change.column)
            if key in formulas:
                yield change._replace(after=change.before, note="formula")
            elif key in missing:
                yield change._replace(after=change.before, note="missing")
            else:
                yield change

    def _abort(self) -> None:
        self._restore_tempdir()
        if self._raw is not None:
            with contextlib.suppress(Exception):
                self._raw.close()
            self._raw = None
        if self._binary is not None:
            with contextlib.suppress(Exception):
                self._binary.close()
            self._binary = None
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
