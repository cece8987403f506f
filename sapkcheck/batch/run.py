"""``sapkcheck batch``: wire the table reader, the row checks, the writers and the progress bar."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple, TextIO

from sapkcheck import errors
from sapkcheck.batch.cross_rows import CrossRowChecks
from sapkcheck.batch.fixed_copy import FixedWriter
from sapkcheck.batch.fixed_log import Change
from sapkcheck.batch.masking import looks_personal, mask_piece
from sapkcheck.batch.output import check_target, check_targets, is_stdout, same_file
from sapkcheck.batch.pipeline import (
    BatchSettings,
    RowRenderer,
    Tally,
    WorkerDied,
    process_rows,
    row_output,
)
from sapkcheck.batch.report_columns import carried_columns, csv_delimiter
from sapkcheck.batch.rows import (
    RowResult,
    check_row,
    duplicate_findings,
    email_number,
    nip_key_number,
    with_findings,
)
from sapkcheck.batch.tables.model import Row, Table, TableError
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.batch.tables.used import ColumnsUsed, columns_used
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.batch import (
    TEXT_ROWS_SHOWN,
    CsvRenderer,
    CsvSink,
    FragmentSink,
    JsonRecordRenderer,
    JsonSink,
    RecordBuilder,
    ReportSettings,
    Sink,
    Summary,
    TextLayout,
    TextRecordRenderer,
    TextSink,
    name_column,
    print_columns_used,
    summary_line,
)
from sapkcheck.render.batch_show import Show
from sapkcheck.render.console import ColorMode, is_utf, make_console, visible_text
from sapkcheck.render.context import profile_context
from sapkcheck.render.formats import BatchFormat

if TYPE_CHECKING:
    from sapkcheck.batch.ranges import CsvSource, Span
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
    carry: str | None = None  # --carry: header names of the identifying columns to carry
    delimiter: str | None = None  # --delimiter of the CSV report (default: the input's)
    fixed_nip: str = "text"  # --fixed-nip: text (="…" in a CSV copy) | plain
    fixed_log: Path | None = None  # --fixed-log
    show: Show = Show.WARNINGS  # --show (text report)
    header_row: int | None = None  # --header-row: the header's row, not detected
    registered_file: Path | None = None  # the export on record, joined by NIP
    registered_sheet: str | None = None


# What a file found to be another format should be named (its contents decide).
_MISNAMED = {"xlsx": ".xlsx", "xls": ".xls", "ods": ".ods", "text": ".csv"}


def table_problem(error: TableError, text: Catalog, mask: bool = False) -> UsageProblem:
    params = dict(error.params)
    if params.get("limit", "").isdigit():  # 1.000.000 in Indonesian, 1,000,000 in English
        params["limit"] = text.number(int(params["limit"]))
    if mask and params.get("columns"):
        # With no header, the "columns found" are the first row's values: personal data.
        params["columns"] = ", ".join(
            mask_piece(cell) if looks_personal(cell) else cell
            for cell in params["columns"].split(", ")
        )
    if "columns" in params and not params["columns"]:
        # the first rows are people's values, never listed: say so, not "Columns found: ."
        params["columns"] = text.ui("table-columns-none")
    params.setdefault("path", "-")
    for key in ("columns", "detected", "reason", "column", "sheet", "sheets"):
        params.setdefault(key, "")
    key = f"error-table-{error.problem}"
    renamed = _MISNAMED.get(params.get("detected", ""))
    if error.problem == "wrong-format" and renamed and params.get("extension") != renamed:
        # a workbook or a CSV under another's name: say what it is and the name to give it
        key = "error-table-misnamed"
        params["format"] = text.ui(f"format-name-{params['detected']}")
        params["suffix"] = renamed
    elif error.problem == "too-large":
        key += f"-{params.pop('what')}"  # one sentence per limit: no phrase to translate
    elif error.problem == "unreadable" and params.get("row"):
        key += "-row"
    return UsageProblem(key, **params)


@contextlib.contextmanager
def _output_stream(options: BatchOptions) -> Iterator[TextIO]:
    if options.output is None or options.output_format is BatchFormat.XLSX:
        yield sys.stdout  # xlsx: the sink writes its own file (_xlsx_target)
        return
    from sapkcheck.batch.output import atomic_text

    newline = "" if options.output_format is BatchFormat.CSV else None
    with atomic_text(options.output, newline=newline) as stream:
        yield stream


class _XlsxTarget(NamedTuple):
    stream: BinaryIO  # the report's file, written atomically
    scratch: Path  # a private folder for xlsxwriter's row files, removed on every exit


@contextlib.contextmanager
def _xlsx_target(options: BatchOptions) -> Iterator[_XlsxTarget | None]:
    """The XLSX report's file and scratch folder; None for the other formats. xlsxwriter
    keeps the rows (personal data) in named temp files until it assembles the workbook:
    they live in a private folder (0700) that goes on any exit, Ctrl-C and SIGTERM too."""
    if options.output_format is not BatchFormat.XLSX or options.output is None:
        yield None
        return
    import tempfile

    from sapkcheck.batch.output import atomic_binary

    with (
        tempfile.TemporaryDirectory(prefix="sapkcheck-xlsx-") as scratch,
        atomic_binary(options.output) as stream,
    ):
        yield _XlsxTarget(stream, Path(scratch))


def _renderer(options: BatchOptions, records: RecordBuilder, report: ReportSettings) -> RowRenderer:
    # Files are written as UTF-8; a stdout in a legacy code page gets ASCII-only JSON.
    ascii_only = options.output is None and not is_utf(sys.stdout)
    if options.output_format is BatchFormat.JSONL:
        return JsonRecordRenderer(records, only_findings=False, ascii_only=ascii_only)
    if options.output_format is BatchFormat.JSON:
        return JsonRecordRenderer(records, only_findings=True, ascii_only=ascii_only)
    if options.output_format is BatchFormat.CSV:
        return CsvRenderer(records, report)
    if options.output_format is BatchFormat.XLSX:
        from sapkcheck.render.xlsx_report import XlsxRenderer

        return XlsxRenderer(records)
    return TextRecordRenderer(records, options.show)


@dataclass(frozen=True, slots=True)
class _Report:
    """What the spreadsheet sinks need beside the stream."""

    settings: ReportSettings
    table: Table
    profile: Profile
    today: date


def _sink(
    options: BatchOptions,
    table: Table,
    stream: TextIO,
    xlsx: _XlsxTarget | None,
    records: RecordBuilder,
    report: _Report,
    recheck: Callable[[Row], RowResult],
    used: ColumnsUsed,
) -> Sink:
    text = report.settings.text
    if options.output_format is BatchFormat.JSONL:
        return FragmentSink(stream)
    if options.output_format is BatchFormat.JSON:
        return JsonSink(stream)
    if options.output_format is BatchFormat.CSV:
        bom = is_utf(stream) and (options.output is not None or not stream.isatty())
        return CsvSink(stream, report.settings, bom=bom)
    if options.output_format is BatchFormat.XLSX and xlsx is not None:
        from sapkcheck.render.xlsx_report import XlsxSink

        return XlsxSink(
            xlsx.stream,
            report.settings,
            scratch=xlsx.scratch,
            context=records.context,
            columns_used=used.as_dict(),
            profile=report.profile.region_name,
            today=report.today,
        )
    color = options.color if options.output is None else ColorMode.NEVER
    # Every row to a file (--output, or stdout redirected); a terminal shows the first ones.
    on_terminal = options.output is None and stream.isatty()
    console = make_console(stream, color)
    print_columns_used(console, used, text)  # the report says first what it read
    return TextSink(
        console,
        records,
        text,
        recheck,
        show=options.show,
        limit=TEXT_ROWS_SHOWN if on_terminal else None,
        columns=table.columns,
        names=_names_reader(options, table),
    )


def _names_reader(options: BatchOptions, table: Table) -> Callable[[set[int]], dict[int, str]]:
    """Names of a few rows, read again from the input (the text report's duplicate pairs:
    the earlier row of a pair was listed before its duplicate was met). Stdin cannot be
    read again: no names then."""
    column = name_column(table.columns)

    def names(wanted: set[int]) -> dict[int, str]:
        if options.source is None or column is None or not wanted:
            return {}
        found: dict[int, str] = {}
        last = max(wanted)
        try:
            lines = _wanted_rows(table, wanted)
            if lines is not None:  # a CSV file of one line a record: those lines only
                return {number: _name(row, column) for number, row in lines.items()}
            with open_table(
                options.source,
                sheet=table.sheet,
                nip_column=options.nip_column,
                email_column=options.email_column,
                registered_column=options.registered_column,
                header_row=options.header_row,
            ) as again:
                for row in again:
                    if row.number > last:
                        break
                    if row.number in wanted:
                        found[row.number] = _name(row, column)
        except (TableError, OSError):
            return found  # the file changed or went away meanwhile: fewer names, no error
        return found

    return names


def _name(row: Row, column: int) -> str:
    cell = row.cells[column] if column < len(row.cells) else None
    return " ".join(str(cell).split()) if cell else ""


def _wanted_rows(table: Table, wanted: set[int]) -> dict[int, Row] | None:
    """The rows numbered ``wanted``, each read from its own line, when the file is a CSV
    file proven one line a record (``batch.ranges``); None otherwise."""
    from bisect import bisect_right

    from sapkcheck.batch.ranges import plan_spans, span_rows

    plan = plan_spans(table)
    if plan is None:
        return None
    source, spans = plan
    firsts = [span.first for span in spans]
    by_span: dict[int, list[int]] = {}
    for number in sorted(wanted):
        index = bisect_right(firsts, number) - 1
        if index >= 0 and number < spans[index].first + spans[index].lines:
            by_span.setdefault(index, []).append(number)
    rows: dict[int, Row] = {}
    for index, numbers in by_span.items():
        rows.update(span_rows(source, spans[index], numbers))
    return rows


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


def _load_registered(
    options: BatchOptions, table: Table, today: date, text: Catalog
) -> RegisteredFile | None:
    """The export's index, built before any row of the current file is checked."""
    if options.registered_file is None:
        return None
    from sapkcheck.batch.registered import load_registered

    try:
        return load_registered(options.registered_file, options.registered_sheet, today)
    except TableError as error:
        table.close()
        raise table_problem(error, text, options.mask) from None
    except BaseException:
        table.close()
        raise


def run_batch(options: BatchOptions, text: Catalog, profile: Profile) -> int:
    # Every target is checked before the input is read: nothing is worked for nothing.
    check_targets(options.source, options.output, options.fixed)
    _check_fixed_log(options)
    _registered_usage(options)
    try:
        table = open_table(
            options.source if options.source is not None else "-",
            stdin=sys.stdin.buffer if options.source is None else None,
            sheet=options.sheet,
            nip_column=options.nip_column,
            email_column=options.email_column,
            registered_column=options.registered_column,
            header_row=options.header_row,
        )
    except TableError as error:
        raise table_problem(error, text, options.mask) from None
    # The report's own columns, decided before any row is read (an unknown name: exit 2).
    try:
        report = _Report(
            ReportSettings(
                text,
                table.columns,
                carried_columns(table.columns, options.carry),
                options.mask,
                csv_delimiter(options.delimiter, table, text.lang),
            ),
            table,
            profile,
            date.today(),
        )
    except UsageProblem:
        table.close()
        raise
    used = columns_used(table, report.settings.carried)
    registered = _load_registered(options, table, report.today, text)
    tally = Tally()
    records = RecordBuilder(text, profile_context(profile, text), options.mask)
    settings = BatchSettings(
        # With --registered-file the export's email is the one on record: a registered
        # column of the current file is neither compared nor fixed.
        columns=table.columns if registered is None else replace(table.columns, registered=None),
        today=report.today,
        render=_renderer(options, records, report.settings),
        want_fixed=options.fixed is not None,
        local_domains=profile.domains(),
        registered_emails=registered.index if registered is not None else None,
    )
    duplicates: dict[int, tuple[int | None, int | None]] = {}

    def recheck(row: Row) -> RowResult:
        """A row checked again in this process, with its findings across rows."""
        result = check_row(
            row,
            settings.columns,
            settings.today,
            settings.local_domains,
            settings.registered_emails,
        )
        found = duplicates.get(row.number)
        return with_findings(result, duplicate_findings(result, *found)) if found else result

    try:
        with (
            table,
            _output_stream(options) as stream,
            _xlsx_target(options) as xlsx,
            _fixed_writer(options, table, text) as fixed,
        ):
            sink = _sink(options, table, stream, xlsx, records, report, recheck, used)
            layout = sink.layout() if isinstance(sink, TextSink) else None
            if layout is not None:
                # a plain report: the workers print the rows they list, this process writes
                settings.render = TextRecordRenderer(records, options.show, layout)
            plan = _span_plan(options, table, sink, layout)
            if plan is not None:
                # Workers read their own byte ranges; this process keeps the order, the
                # checks across rows and the writing (sapkcheck.batch.span_run).
                from sapkcheck.batch.span_run import SpanRun

                assert isinstance(sink, (FragmentSink, JsonSink, CsvSink, TextSink))  # the plan's
                with _progress(table, text) as advance:
                    SpanRun(plan, settings, sink, tally, recheck, duplicates).run(
                        options.jobs, advance
                    )
            else:
                # closing(): on any error here (a closed stdout, Ctrl-C) the workers end
                # now, not when the suspended generator is collected at exit (that waited
                # for ever).
                chunks = contextlib.closing(process_rows(table, settings, jobs=options.jobs))  # type: ignore[type-var]
                cross = CrossRowChecks(_estimated_rows(table) or 0)
                with _progress(table, text) as advance, chunks as results:
                    for rows, outputs, chunk_tally in results:
                        tally.merge(chunk_tally)
                        found_rows = cross.found_in(
                            [output.row for output in outputs],
                            [nip_key_number(output.nip_key) for output in outputs],
                            [email_number(output.email_key) for output in outputs],
                        )
                        for row, output in zip(rows, outputs, strict=True):
                            if registered is not None:
                                registered.mark(output.nip_key)
                            found = found_rows.get(output.row)
                            if found is not None:
                                duplicates[row.number] = found
                                tally.add(output, sign=-1)
                                output = row_output(row, recheck(row), settings)
                                tally.add(output)
                                sink.add(output, row)
                                duplicates.pop(row.number)  # the sink has shown the row
                            elif output.fragment is not None:
                                sink.add(output, row)
                            # else: nothing to write, nothing to pair: no sink looks at it
                            if fixed is not None:
                                fixed.write(output.fixed or row.cells, row.cells)
                        advance(len(rows))
            summary = Summary(tally, used, _registered_report(registered, options.mask))
            sink.close(summary)
    except TableError as error:
        raise table_problem(error, text, options.mask) from None
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
    if tally.rows == 0:  # a header and nothing under it: a clean run that checked no one
        _note_no_rows(used, text)
    if tally.by_code["row-bad-encoding"] > 0:  # the file mixes encodings: say so once
        count = tally.by_code["row-bad-encoding"]
        sys.stderr.write(text.ui("batch-mixed-encoding", count=text.number(count)) + "\n")
    if options.fixed is not None and fixed is not None:
        _report_fixed(options, fixed, summary, text)
    return errors.PROBLEMS if tally.fail else errors.OK


def _note_no_rows(used: ColumnsUsed, text: Catalog) -> None:
    """On stderr (a JSON or CSV report on stdout stays whole): nothing was checked."""
    row = used.header_row + used.header_rows - 1
    if used.sheet is None:
        note = text.ui("batch-no-rows", row=text.number(row))
    else:
        note = text.ui("batch-no-rows-sheet", row=text.number(row), sheet=used.sheet)
    sys.stderr.write(visible_text(note) + "\n")


def _span_plan(
    options: BatchOptions, table: Table, sink: Sink, layout: TextLayout | None
) -> tuple[CsvSource, list[Span]] | None:
    """Byte ranges for the workers to read themselves (this process with ``--jobs 1``):
    a CSV file of more than one span, and a report written from the workers' fragments
    alone (not the XLSX report, not a fixed copy or a --registered-file join: those need
    every row's cells here; a text report only when the workers print its rows)."""
    if (
        table.kind != "csv"
        or options.fixed is not None
        or options.registered_file is not None
        or not isinstance(sink, (FragmentSink, JsonSink, CsvSink, TextSink))
        or (isinstance(sink, TextSink) and layout is None)
    ):
        return None
    from sapkcheck.batch.ranges import plan_spans

    plan = plan_spans(table)
    return plan if plan is not None and len(plan[1]) > 1 else None


def _check_fixed_log(options: BatchOptions) -> None:
    """--fixed-log: only with --fixed; writable, not the input, not another target."""
    log = options.fixed_log
    if log is None:
        return
    if options.fixed is None:
        raise UsageProblem("error-fixed-log-alone")
    check_target(log, "--fixed-log", options.source)
    if is_stdout(log):
        # stdout is taken by the report (no --output) or by the fixed copy (--fixed -)
        if options.output is None or is_stdout(options.output) or is_stdout(options.fixed):
            raise UsageProblem("error-fixed-log-target", path=str(log))
        return
    for other in (options.output, options.fixed):
        if other is not None and not is_stdout(other) and same_file(other, log):
            raise UsageProblem("error-fixed-log-target", path=str(log))


def _report_fixed(
    options: BatchOptions, fixed: FixedWriter, summary: Summary, text: Catalog
) -> None:
    """What the fixed copy changed, and what it could not, on stderr."""
    assert options.fixed is not None
    lines = [
        text.ui(
            "batch-fixed-written",
            path="stdout" if is_stdout(options.fixed) else str(options.fixed),
            changed=text.number(fixed.changed_rows),
        )
    ]
    if fixed.quoted:
        lines.append(text.ui("batch-fixed-quoted", count=fixed.quoted))
    if fixed.not_changed:
        lines.append(text.ui("batch-fixed-formula", count=text.number(fixed.not_changed)))
    damaged = summary.by_code.get("nip-excel-damaged", 0)
    if damaged:
        lines.append(text.ui("batch-fixed-damaged", count=text.number(damaged)))
    if options.fixed_log is not None:
        lines.append(text.ui("batch-fixed-log-written", path=str(options.fixed_log)))
    sys.stderr.write("".join(line + "\n" for line in lines))


def _registered_report(registered: RegisteredFile | None, mask: bool) -> RegisteredReport | None:
    if registered is None:
        return None
    from sapkcheck.render.registered import RegisteredReport

    return RegisteredReport(registered, mask)


@contextlib.contextmanager
def _fixed_writer(
    options: BatchOptions, table: Table, text: Catalog
) -> Iterator[FixedWriter | None]:
    if options.fixed is None:
        yield None
        return
    log = options.fixed_log
    on_changes = None
    if log is not None:
        from sapkcheck.batch.fixed_log import write_fixed_log

        header = tuple(
            text.ui(f"fixed-log-{part}") for part in ("row", "column", "before", "after", "note")
        )
        notes = {
            note: text.ui(f"fixed-log-note-{note}") for note in ("inert", "formula", "missing")
        }

        def on_changes(changes: Iterator[Change]) -> None:
            write_fixed_log(
                log,
                changes,
                header=header,  # type: ignore[arg-type]
                column_names=table.columns.header,
                notes=notes,
                mask=options.mask,
                delimiter=csv_delimiter(options.delimiter, table, text.lang),
            )

    with FixedWriter(
        table, options.fixed, nip_text=options.fixed_nip != "plain", on_changes=on_changes
    ) as writer:
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
