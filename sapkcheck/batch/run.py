"""``sapkcheck batch``: wire the table reader, the row checks, the writers and the progress bar."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sapkcheck import errors
from sapkcheck.batch.fixed_copy import FixedWriter
from sapkcheck.batch.masking import looks_personal, mask_piece
from sapkcheck.batch.output import check_targets, is_stdout
from sapkcheck.batch.pipeline import (
    BatchSettings,
    RowRenderer,
    Tally,
    WorkerDied,
    process_rows,
    row_output,
)
from sapkcheck.batch.rows import (
    CrossRowChecks,
    RowResult,
    check_row,
    duplicate_findings,
    with_findings,
)
from sapkcheck.batch.tables.model import Row, Table, TableError
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.batch import (
    CsvRenderer,
    FragmentSink,
    JsonRecordRenderer,
    JsonSink,
    NoFragment,
    RecordBuilder,
    Sink,
    Summary,
    TextSink,
    csv_header,
    summary_line,
)
from sapkcheck.render.console import ColorMode, is_utf, make_console
from sapkcheck.render.context import profile_context
from sapkcheck.render.formats import BatchFormat

if TYPE_CHECKING:
    from sapkcheck.batch.registered import RegisteredFile
    from sapkcheck.knowledge.profile import Profile
    from sapkcheck.render.registered import RegisteredReport


@dataclass(frozen=True, slots=True)
class BatchOptions:
    source: Path | None  # None: stdin
    output_format: BatchFormat
    output: Path | None
    fixed: Path | None
    sheet: str | None
    nip_column: str | None
    email_column: str | None
    registered_column: str | None
    jobs: int
    mask: bool
    color: ColorMode
    registered_file: Path | None = None  # the export on record, joined by NIP
    registered_sheet: str | None = None


def table_problem(error: TableError, mask: bool = False) -> UsageProblem:
    params = dict(error.params)
    if mask and params.get("columns"):
        # With no header, the "columns found" are the first row's values: personal data.
        params["columns"] = ", ".join(
            mask_piece(cell) if looks_personal(cell) else cell
            for cell in params["columns"].split(", ")
        )
    params.setdefault("path", "-")
    for key in ("columns", "detected", "reason", "column", "sheet", "sheets"):
        params.setdefault(key, "")
    key = f"error-table-{error.problem}"
    if error.problem == "too-large":
        key += f"-{params.pop('what')}"  # one sentence per limit: no phrase to translate
    elif error.problem == "unreadable" and params.get("row"):
        key += "-row"
    return UsageProblem(key, **params)


@contextlib.contextmanager
def _output_stream(options: BatchOptions) -> Iterator[TextIO]:
    if options.output is None:
        yield sys.stdout
        return
    from sapkcheck.batch.output import atomic_text

    newline = "" if options.output_format is BatchFormat.CSV else None
    with atomic_text(options.output, newline=newline) as stream:
        yield stream


def _renderer(options: BatchOptions, records: RecordBuilder) -> RowRenderer:
    # Files are written as UTF-8; a stdout in a legacy code page gets ASCII-only JSON.
    ascii_only = options.output is None and not is_utf(sys.stdout)
    if options.output_format is BatchFormat.JSONL:
        return JsonRecordRenderer(records, only_findings=False, ascii_only=ascii_only)
    if options.output_format is BatchFormat.JSON:
        return JsonRecordRenderer(records, only_findings=True, ascii_only=ascii_only)
    if options.output_format is BatchFormat.CSV:
        return CsvRenderer(records)
    return NoFragment()


def _sink(
    options: BatchOptions,
    stream: TextIO,
    records: RecordBuilder,
    text: Catalog,
    recheck: Callable[[Row], RowResult],
) -> Sink:
    if options.output_format is BatchFormat.JSONL:
        return FragmentSink(stream)
    if options.output_format is BatchFormat.JSON:
        return JsonSink(stream)
    if options.output_format is BatchFormat.CSV:
        return FragmentSink(
            stream,
            csv_header(bom=is_utf(stream) and (options.output is not None or not stream.isatty())),
        )
    color = options.color if options.output is None else ColorMode.NEVER
    return TextSink(make_console(stream, color), records, text, recheck)


def _estimated_rows(table: Table) -> int | None:
    """Rows to expect, for the progress bar's ETA: file size over the bytes per row of
    the first 64 KiB (CSV); unknown for XLSX and stdin."""
    source = table.source
    if table.kind != "csv" or source is None:
        return None
    try:
        size = source.stat().st_size
        with source.open("rb") as stream:
            head = stream.read(65536)
    except OSError:
        return None
    lines = head.count(b"\n")
    return max(int(size / (len(head) / lines)) - 1, 1) if lines else None


def _registered_usage(options: BatchOptions) -> None:
    if options.registered_file is None:
        if options.registered_sheet is not None:
            raise UsageProblem("error-registered-sheet-alone")
        return
    if options.registered_column is not None:
        raise UsageProblem("error-registered-file-and-column")
    from sapkcheck.batch.registered import check_registered_targets

    check_registered_targets(options.registered_file, options.source, options.output, options.fixed)


def _load_registered(options: BatchOptions, table: Table, today: date) -> RegisteredFile | None:
    """The export's index, built before any row of the current file is checked."""
    if options.registered_file is None:
        return None
    from sapkcheck.batch.registered import load_registered

    try:
        return load_registered(options.registered_file, options.registered_sheet, today)
    except TableError as error:
        table.close()
        raise table_problem(error, options.mask) from None
    except BaseException:
        table.close()
        raise


def run_batch(options: BatchOptions, text: Catalog, profile: Profile) -> int:
    # Every target is checked before the input is read: nothing is worked for nothing.
    check_targets(options.source, options.output, options.fixed)
    _registered_usage(options)
    try:
        table = open_table(
            options.source if options.source is not None else "-",
            stdin=sys.stdin.buffer if options.source is None else None,
            sheet=options.sheet,
            nip_column=options.nip_column,
            email_column=options.email_column,
            registered_column=options.registered_column,
        )
    except TableError as error:
        raise table_problem(error, options.mask) from None
    today = date.today()
    registered = _load_registered(options, table, today)
    tally = Tally()
    records = RecordBuilder(text, profile_context(profile, text), options.mask)
    settings = BatchSettings(
        # With --registered-file the export's email is the one on record: a registered
        # column of the current file is neither compared nor fixed.
        columns=table.columns if registered is None else replace(table.columns, registered=None),
        today=today,
        render=_renderer(options, records),
        want_fixed=options.fixed is not None,
        registered_emails=registered.index if registered is not None else None,
    )
    cross = CrossRowChecks()
    duplicates: dict[int, tuple[int | None, int | None]] = {}

    def recheck(row: Row) -> RowResult:
        """A row checked again in this process, with its findings across rows."""
        result = check_row(row, settings.columns, settings.today, settings.registered_emails)
        found = duplicates.get(row.number)
        return with_findings(result, duplicate_findings(result, *found)) if found else result

    changed = 0
    try:
        with table, _output_stream(options) as stream, _fixed_writer(options, table) as fixed:
            sink = _sink(options, stream, records, text, recheck)
            # closing(): on any error here (a closed stdout, Ctrl-C) the workers end now,
            # not when the suspended generator is collected at exit (that waited for ever).
            chunks = contextlib.closing(process_rows(table, settings, jobs=options.jobs))  # type: ignore[type-var]
            with _progress(table, text) as advance, chunks as results:
                for rows, outputs, chunk_tally in results:
                    tally.merge(chunk_tally)
                    for row, output in zip(rows, outputs, strict=True):
                        if registered is not None:
                            registered.mark(output.nip_key)
                        found = cross.duplicates(output.row, output.nip_key, output.email_key)
                        if found != (None, None):
                            duplicates[row.number] = found
                            tally.add(output, sign=-1)
                            output = row_output(row, recheck(row), settings)
                            tally.add(output)
                        sink.add(output, row)
                        if fixed is not None:
                            changed += output.fixed is not None
                            fixed.write(output.fixed or row.cells)
                        duplicates.pop(row.number, None)  # the sink has shown the row by now
                    advance(len(rows))
            summary = Summary(tally, _registered_report(registered, options.mask))
            sink.close(summary)
    except TableError as error:
        raise table_problem(error, options.mask) from None
    except WorkerDied:
        raise UsageProblem("error-batch-worker-died") from None
    # With --output, stdout carries the summary only; json/jsonl/csv on stdout stay pure,
    # and so does a fixed copy written to stdout (--fixed -): the summary goes to stderr.
    if options.output is not None or options.output_format is BatchFormat.TEXT:
        fixed_on_stdout = options.fixed is not None and is_stdout(options.fixed)
        summary_stream = sys.stderr if fixed_on_stdout else sys.stdout
        summary_stream.write(summary_line(summary, text) + "\n")
        if summary.registered is not None:
            summary_stream.write(summary.registered.line(text) + "\n")
        if options.output is not None:
            summary_stream.write(text.ui("batch-written", path=str(options.output)) + "\n")
    if options.fixed is not None:
        sys.stderr.write(
            text.ui(
                "batch-fixed-written",
                path="stdout" if is_stdout(options.fixed) else str(options.fixed),
                changed=text.number(changed),
            )
            + "\n"
        )
        if fixed is not None and fixed.quoted:
            sys.stderr.write(text.ui("batch-fixed-quoted", count=fixed.quoted) + "\n")
    return errors.PROBLEMS if tally.fail else errors.OK


def _registered_report(registered: RegisteredFile | None, mask: bool) -> RegisteredReport | None:
    if registered is None:
        return None
    from sapkcheck.render.registered import RegisteredReport

    return RegisteredReport(registered, mask)


@contextlib.contextmanager
def _fixed_writer(options: BatchOptions, table: Table) -> Iterator[FixedWriter | None]:
    if options.fixed is None:
        yield None
        return
    with FixedWriter(table, options.fixed) as writer:
        yield writer


@contextlib.contextmanager
def _progress(table: Table, text: Catalog) -> Iterator[Callable[[int], None]]:
    """A progress bar with rate and ETA on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda rows: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Task) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "", "cyan")

    progress = Progress(
        TextColumn(text.ui("batch-progress")),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        redirect_stdout=False,
        redirect_stderr=False,
        transient=True,
    )
    task = progress.add_task("rows", total=_estimated_rows(table))
    with progress:
        yield lambda rows: progress.advance(task, rows)
