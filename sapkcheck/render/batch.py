"""Batch outputs: jsonl (a line per row, as checked), json (summary and the rows with
findings), csv (a line per finding, for Excel and Calc), xlsx (``render/xlsx_report.py``: a
line per row, a summary and the codes) and text (rows with errors, counts, summary).

Every writer streams: nothing but the summary counts and, for text, the first rows with
errors is held in memory.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import json
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, NamedTuple, Protocol, TextIO

from rich.console import Console
from rich.text import Text

from sapkcheck.batch.inert import inert, text_cell
from sapkcheck.batch.masking import (
    Masker,
    looks_personal,
    mask_email,
    mask_name,
    mask_nip,
    mask_piece,
    masked_finding,
)
from sapkcheck.batch.pipeline import RowOutput, RowRenderer, Tally
from sapkcheck.batch.rows import CleanRow, RowResult, cell_text, clean_result
from sapkcheck.batch.tables.model import _SURROGATE, Columns, Row
from sapkcheck.batch.tables.used import ColumnsUsed
from sapkcheck.findings import Finding, Severity
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.batch_show import Show
from sapkcheck.render.console import (
    Symbols,
    is_plain_console,
    plain_lines,
    print_indented,
    print_line,
    symbols_for,
)
from sapkcheck.render.json_out import (
    SCHEMA_VERSION,
    Quote,
    clean_email_json,
    clean_nip_json,
    email_dict,
    email_json,
    finding_dict,
    finding_json,
    nip_dict,
    nip_json,
    quote_for,
)
from sapkcheck.render.text import visible, visible_plain

if TYPE_CHECKING:
    from sapkcheck.render.registered import RegisteredReport

TEXT_ROWS_SHOWN = 50  # rows listed on a terminal (a file given with --output: all of them)
DUPLICATE_PAIRS_HELD = 100_000  # pairs the text report's "Duplicates" section holds


_SHOWN_STATUSES = {
    Show.ERRORS: frozenset({"fail"}),
    Show.WARNINGS: frozenset({"fail", "warn"}),
    Show.ALL: frozenset({"fail", "warn", "ok"}),
}
_SHOWN_SEVERITIES = {
    Show.ERRORS: frozenset({Severity.ERROR}),
    Show.WARNINGS: frozenset({Severity.ERROR, Severity.WARNING}),
    Show.ALL: frozenset({Severity.ERROR, Severity.WARNING, Severity.INFO}),
}


def name_column(columns: Columns) -> int | None:
    """The column that names the person on a row: the name column, else the first carried
    identifying column."""
    if columns.name is not None:
        return columns.name
    return columns.carried[0] if columns.carried else None


def row_name(row: Row, column: int | None, mask: bool) -> str:
    """The person's name on ``row`` (masked with --mask), "" when there is none."""
    if column is None or column >= len(row.cells):
        return ""
    cell = row.cells[column]
    if cell is None:
        return ""
    text = " ".join(str(cell).split())
    return mask_name(text) if mask else text


class DuplicatePair(NamedTuple):
    code: str  # row-duplicate-nip | row-duplicate-email
    key: str  # the NIP or email they share (masked with --mask)
    first: int
    row: int
    name: str


class Summary:
    """The run's counts, as the reports show them."""

    def __init__(
        self,
        tally: Tally,
        columns: ColumnsUsed | None = None,
        registered: RegisteredReport | None = None,
    ) -> None:
        self.tally = tally
        self.columns = columns  # which sheet, header row and columns were read
        self.registered = registered  # --registered-file: summary.registered_file

    @property
    def by_code(self) -> dict[str, int]:
        return {code: count for code, count in self.tally.by_code.items() if count > 0}

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.tally.rows,
            "ok": self.tally.ok,
            "warn": self.tally.warn,
            "fail": self.tally.fail,
            "by_code": dict(sorted(self.by_code.items())),
            **({"columns": self.columns.as_dict()} if self.columns is not None else {}),
        }


class RecordBuilder:
    """A row's JSON object (the ``check`` shapes), masked when asked."""

    def __init__(self, text: Catalog, context: dict[str, str], mask: bool) -> None:
        self.text, self.context, self.mask = text, context, mask
        # Findings without parameters or span (``email-matches-registered`` on most rows)
        # read the same on every row: their shapes are phrased once per run.
        self._fixed_shapes: dict[tuple[str, str, str | None, str | None], dict[str, Any]] = {}
        self._fixed_json: dict[tuple[str, str, str | None, str | None, Quote], str] = {}
        self._clean_findings: dict[tuple[bool, bool], str] = {}  # a clean row's, phrased

    def finding_shape(self, finding: Finding) -> dict[str, Any]:
        """:func:`finding_dict` of ``finding``; a fresh dict (callers may change it)."""
        if finding.params or finding.span is not None:
            return finding_dict(finding, self.text, self.context)
        key = (finding.code, finding.severity, finding.detail, finding.faq)
        shape = self._fixed_shapes.get(key)
        if shape is None:
            shape = self._fixed_shapes[key] = finding_dict(finding, self.text, self.context)
        return dict(shape)

    def masker(self, result: RowResult) -> Masker | None:
        """Replaces the row's whole values wherever a sentence might still hold them (the
        pieces a message quotes are masked before it is phrased: see :meth:`findings`)."""
        if not self.mask:
            return None
        personal = [result.nip_key, result.email_key, result.fixed_registered]
        if result.nip is not None:
            personal += [result.nip.input, result.nip.normalized]
        if result.email is not None:
            personal += [result.email.input, result.email.normalized, result.email.registered]
            personal += list(result.email.suggestions)
        return Masker(personal)

    def findings(self, result: RowResult) -> list[Finding]:
        """The row's findings; with --mask, every parameter that quotes what a person typed
        (``PERSONAL_PARAMS``: NIP, email, birth date, TMT, age…) is masked before the
        sentence is built, so no substring search can miss a piece or hit a position."""
        if not self.mask:
            return list(result.findings)
        return [masked_finding(finding) for finding in result.findings]

    def record_json(self, result: RowResult, ascii_only: bool) -> str:
        """``json.dumps(self.record(result), ensure_ascii=ascii_only)``, byte for byte; without
        --mask it is written directly (no dicts, phrased-once findings), the batch's hot path."""
        if self.mask:
            return _dumps(self.record(result), ascii_only)
        quote = quote_for(ascii_only)
        nip = "null" if result.nip is None else nip_json(result.nip, quote)
        email = "null" if result.email is None else email_json(result.email, quote)
        findings = ", ".join([self._finding_json(f, quote) for f in result.findings])
        return (
            f'{{"row": {int(result.row)}, "nip": {nip}, "email": {email}, '
            f'"status": {quote(result.status)}, "findings": [{findings}]}}'
        )

    def clean_json(self, clean: CleanRow, ascii_only: bool) -> str:
        """:meth:`record_json` of a clean row, from its pieces (most rows of an export)."""
        if self.mask:
            return self.record_json(clean_result(clean), ascii_only)
        nip = clean_nip_json(clean.nip, clean.parts)
        email = clean_email_json(clean.email, clean.normalized, clean.domain, clean.registered)
        key = (clean.registered is not None, ascii_only)  # what a clean row's findings say
        findings = self._clean_findings.get(key)
        if findings is None:
            quote = quote_for(ascii_only)
            findings = ", ".join([self._finding_json(f, quote) for f in clean.findings])
            self._clean_findings[key] = findings
        return (
            f'{{"row": {int(clean.number)}, "nip": {nip}, "email": {email}, '
            f'"status": "ok", "findings": [{findings}]}}'
        )

    def _finding_json(self, finding: Finding, quote: Quote) -> str:
        if finding.params or finding.span is not None:
            return finding_json(finding, self.text, self.context, quote)
        key = (finding.code, finding.severity, finding.detail, finding.faq, quote)
        shape = self._fixed_json.get(key)
        if shape is None:
            shape = self._fixed_json[key] = finding_json(finding, self.text, self.context, quote)
        return shape

    def listing(self, result: RowResult) -> dict[str, Any]:
        """What the text report prints of a row (:func:`print_row`): the values as typed and
        each finding's code, severity and message; without --mask the rest of the record
        (remedies, the decoded NIP) is not phrased at all. With --mask, the masked record."""
        if self.mask:
            return self.record(result)
        text, context = self.text, self.context
        return {
            "row": result.row,
            "nip": {"input": result.nip.input} if result.nip is not None else None,
            "email": {"input": result.email.input} if result.email is not None else None,
            "findings": [
                {
                    "code": f.code,
                    "severity": str(f.severity),
                    "message": text.message(f, context),
                }
                for f in result.findings
            ],
        }

    def record(self, result: RowResult) -> dict[str, Any]:
        hide = self.masker(result)
        nip = nip_dict(result.nip) if result.nip is not None else None
        email = email_dict(result.email) if result.email is not None else None
        if hide is not None:
            if nip is not None:
                nip["input"] = hide(nip["input"])
                nip["normalized"] = mask_nip(nip["normalized"]) if nip["normalized"] else None
                # Digits 1-18 decoded: each would rebuild part of the NIP.
                for key in ("birth_date", "appointed", "sex", "serial", "contract"):
                    nip[key] = None
            if email is not None:
                for key in ("input", "normalized", "registered"):
                    email[key] = mask_email(email[key]) if email[key] else email[key]
                email["suggestions"] = [mask_email(s) for s in email["suggestions"]]
        findings = [self.finding_shape(f) for f in self.findings(result)]
        if hide is not None:
            for shape in findings:
                shape["message"] = hide(shape["message"])
                shape["remedy"] = hide(shape["remedy"]) if shape["remedy"] else shape["remedy"]
        return {
            "row": result.row,
            "nip": nip,
            "email": email,
            "status": result.status,
            "findings": findings,
        }


def _dumps(document: Any, ascii_only: bool = False) -> str:
    return json.dumps(document, ensure_ascii=ascii_only)


class JsonRecordRenderer(RowRenderer):
    """A row as one JSON object (jsonl: every row; json: rows with findings only)."""

    def __init__(self, records: RecordBuilder, only_findings: bool, ascii_only: bool) -> None:
        # ascii_only: \u escapes keep the JSON valid on a stdout that is not UTF-8
        self.records, self.only_findings, self.ascii_only = records, only_findings, ascii_only

    def __call__(self, result: RowResult, row: Row) -> str | None:
        if self.only_findings and not result.findings:
            return None
        return self.records.record_json(result, self.ascii_only)

    def plain(self, row: Row, clean: CleanRow) -> str | None:
        if self.only_findings and not clean.findings:
            return None
        return self.records.clean_json(clean, self.ascii_only)


# The CSV report's columns, as catalog keys of their localized headers; the carried
# identifying columns of the input (their own headers) come after the row number.
CSV_COLUMNS = (
    "report-row",
    "report-nip",
    "report-email",
    "report-status",
    "report-code",
    "report-severity",
    "report-message",
    "report-remedy",
    "report-faq",
)


class CsvRenderer(RowRenderer):
    """A row as its CSV report lines, one per finding: the row number, the carried columns,
    then NIP, email, status and the finding, every cell a person could have typed into
    (messages quote values too) made inert (:func:`text_cell`): a spreadsheet never runs
    it and keeps every digit."""

    def __init__(self, records: RecordBuilder, settings: ReportSettings) -> None:
        self.records, self.settings = records, settings
        text = records.text
        self._status = {status: text.ui(f"status-{status}") for status in ("ok", "warn", "fail")}
        self._severity = {severity: text.ui(f"severity-{severity}") for severity in Severity}
        # The cells of findings without parameters or span, phrased once per run (as
        # RecordBuilder.finding_shape phrases their shapes).
        self._tails: dict[tuple[str, str, str | None, str | None], str] = {}

    def __call__(self, result: RowResult, row: Row) -> str | None:
        if not result.findings:
            return None
        records = self.records
        if records.mask:
            record = records.record(result)
            nip = (record["nip"] or {}).get("input") or ""
            email = (record["email"] or {}).get("input") or ""
            tails = [self._tail(finding) for finding in record["findings"]]
        else:  # the record's values without building it (most rows)
            nip = result.nip.input if result.nip is not None else ""
            email = result.email.input if result.email is not None else ""
            tails = [self._finding_tail(finding) for finding in result.findings]
        return self._lines(result.row, row, nip, email, result.status, tails)

    def plain(self, row: Row, clean: CleanRow) -> str | None:
        if not clean.findings:
            return None
        if self.records.mask:
            return super().plain(row, clean)
        tails = [self._finding_tail(finding) for finding in clean.findings]
        return self._lines(clean.number, row, clean.nip, clean.email, "ok", tails)

    def _lines(
        self, number: int, row: Row, nip: str, email: str, status: str, tails: list[str]
    ) -> str:
        start = (
            number,
            *[text_cell(value) for value in self.settings.carried_values(row)],
            text_cell(nip),
            text_cell(email),
            self._status[status],
        )
        # A line is its start's fields then its finding's: each field is quoted (or not)
        # on its own, so the two parts are written apart and the finding's kept.
        head = self._line(start)[:-2]  # without the line end
        return "".join([head + tail for tail in tails])

    def _line(self, fields: tuple[object, ...]) -> str:
        line: str = _worker_csv(self.settings.delimiter).writerow(fields)
        return line

    def _finding_tail(self, finding: Finding) -> str:
        if finding.params or finding.span is not None:
            return self._tail(self.records.finding_shape(finding))
        key = (finding.code, finding.severity, finding.detail, finding.faq)
        tail = self._tails.get(key)
        if tail is None:
            tail = self._tails[key] = self._tail(self.records.finding_shape(finding))
        return tail

    def _tail(self, finding: dict[str, Any]) -> str:
        """A finding's fields as its line ends: code, severity, message, remedy, FAQ entry
        (a delimiter before them, the line end after)."""
        cells = (
            finding["code"],
            self._severity[finding["severity"]],
            text_cell(finding["message"]),
            text_cell(finding["remedy"] or ""),
            finding["faq"] or "",
        )
        return self.settings.delimiter + self._line(cells)


class _LineOut:
    """A "file" whose ``write`` hands the line back: the csv module's ``writerow``
    returns what ``write`` returns, so a row becomes its line with no buffer to reset."""

    write = str  # str() of a str is that very str, at C speed


@functools.cache
def _worker_csv(delimiter: str) -> Any:
    """A CSV writer whose ``writerow`` returns the line: one per process (a spawned
    worker makes its own), reused row after row."""
    return csv.writer(_LineOut(), delimiter=delimiter, lineterminator="\r\n")


class CsvSink:
    """The CSV report: UTF-8 with a BOM (Excel reads UTF-8 only with one), the delimiter of
    the input (or ``--delimiter``), headers in the report's language, the carried columns
    of each row after its row number."""

    def __init__(self, stream: TextIO, settings: ReportSettings, bom: bool) -> None:
        self.stream, self.settings = stream, settings
        self.utf8 = takes_utf8(stream)
        self.writer = csv.writer(stream, delimiter=settings.delimiter, lineterminator="\r\n")
        text, columns = settings.text, settings.columns
        headers = [text.ui(key) for key in CSV_COLUMNS]
        carried = [columns.header[index] for index in settings.carried]
        stream.write("\ufeff" if bom else "")
        self.writer.writerow([inert(h) for h in (headers[0], *carried, *headers[1:])])

    def add(self, output: RowOutput, row: Row) -> None:
        if output.fragment is not None:  # the lines, written by the worker (CsvRenderer)
            self.stream.write(output.fragment)

    PIECE = ("", "")

    def add_pieces(self, text: str | memoryview, count: int) -> None:
        write_slices(self.stream, text)

    def close(self, summary: Summary) -> None:
        self.stream.flush()


@dataclasses.dataclass(frozen=True, slots=True)
class ReportSettings:
    """What the spreadsheet reports (CSV, XLSX) need beside the rows."""

    text: Catalog
    columns: Columns
    carried: tuple[int, ...]
    mask: bool
    delimiter: str = ","

    def cell(self, row: Row, index: int | None) -> str:
        """A cell as a spreadsheet report writes it: text, a byte that was not UTF-8 (a
        ``row-bad-encoding`` row keeps it as a lone surrogate) as U+FFFD, which any file
        can hold."""
        if index is None or index >= len(row.cells):
            return ""
        cell = row.cells[index]
        if type(cell) is str and cell.isascii():  # a CSV cell, most often: as it is
            return cell
        return _SURROGATE.sub("\ufffd", cell_text(cell) or "")

    def carried_values(self, row: Row) -> list[str]:
        """The row's carried cells as text; with ``--mask`` the name, and any cell that
        looks like a NIP or an email, masked (a unit or a position stays: it finds no one)."""
        values: list[str] = []
        for index in self.carried:
            value = self.cell(row, index)
            if self.mask and value:
                if index == name_column(self.columns):
                    value = mask_name(value)  # as every other output masks a name
                elif looks_personal(value):
                    value = mask_piece(value)
            values.append(value)
        return values


class NoFragment(RowRenderer):
    """No row text from the workers: the sink builds what it shows from the row itself
    (checked again in the main process)."""

    def __call__(self, result: RowResult, row: Row) -> str | None:
        return None

    def plain(self, row: Row, clean: CleanRow) -> str | None:
        return None


@dataclasses.dataclass(frozen=True, slots=True)
class TextLayout:
    """What a worker needs to print the text report's rows as the main process would: a
    plain console's width and marks, the column naming the person."""

    columns: int
    marks: Symbols
    name_column: int | None


class TextRecordRenderer(RowRenderer):
    """The text report's rows, built in the worker (checks and sentences in parallel):
    with a ``layout`` (a plain console: a file, a pipe) each listed row as its printed
    lines, the main process only writes them; else as its JSON record."""

    def __init__(
        self, records: RecordBuilder, show: Show, layout: TextLayout | None = None
    ) -> None:
        self.records, self.statuses = records, _SHOWN_STATUSES[show]
        self.severities, self.layout = _SHOWN_SEVERITIES[show], layout

    def plain(self, row: Row, clean: CleanRow) -> str | None:
        return super().plain(row, clean) if "ok" in self.statuses else None

    def __call__(self, result: RowResult, row: Row) -> str | None:
        if result.status not in self.statuses:
            return None
        record = self.records.listing(result)
        layout = self.layout
        if layout is None:
            return _dumps(record)
        console, buffer = _worker_console(layout.columns)
        buffer.seek(0)
        buffer.truncate()
        name = row_name(row, layout.name_column, self.records.mask)
        print_row(
            console, layout.columns, record, name, layout.marks, self.records.text, self.severities
        )
        return buffer.getvalue()


@functools.cache
def _worker_console(columns: int) -> tuple[Console, io.StringIO]:
    """A console like the main process's plain one (no styles, nothing converted), writing
    to a buffer: one per process, reused row after row."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=columns,
        color_system=None,
        force_terminal=False,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    return console, buffer


def print_row(
    console: Console,
    columns: int,
    record: dict[str, Any],
    name: str,
    marks: Symbols,
    text: Catalog,
    severities: frozenset[Severity],
) -> None:
    """A listed row: its number, the person's name, NIP and email as typed (anything
    invisible made visible), then each finding shown, wrapped under it."""
    findings = [f for f in record["findings"] if f["severity"] in severities]
    values = [(record[part] or {}).get("input") for part in ("nip", "email")]
    row = text.ui("batch-row", row=record["row"])
    if is_plain_console(console):  # the same lines, without styles: built as strings
        label = row
        if name:
            label += "  " + " ".join([visible_plain(word, marks) for word in name.split(" ")])
        for value in values:
            if value:
                label += "  " + visible_plain(value, marks)
        lines = plain_lines(label, columns, strip=False)
        if lines is not None:
            console.file.write("".join(line + "\n" for line in lines))
        else:
            print_line(console, Text(label), columns)
        for finding in findings:
            mark = _MARKS[finding["severity"]][0](marks)
            line = f"{mark} [{finding['code']}] {finding['message']}"
            print_indented(console, line, 2, columns)
        return
    label_text = Text(row, "bold")
    if name:  # words as they are (spaces plain), anything invisible made visible
        label_text.append("  ")
        for i, word in enumerate(name.split(" ")):
            if i:
                label_text.append(" ")
            label_text.append_text(visible(word, [], marks).as_text())
    for value in values:
        if value:
            label_text.append("  ")
            label_text.append_text(visible(value, [], marks).as_text())
    print_line(console, label_text, columns)
    for finding in findings:
        mark_of, style = _MARKS[finding["severity"]]
        line_text = Text(f"{mark_of(marks)} [{finding['code']}] ", style)
        line_text.append(finding["message"])
        print_indented(console, line_text, 2, columns)


# A finding's mark and colour in a listed row, by severity.
_MARKS: dict[str, tuple[Callable[[Symbols], str], str]] = {
    Severity.ERROR: (lambda marks: marks.error, "red"),
    Severity.WARNING: (lambda marks: marks.warning, "yellow"),
    Severity.INFO: (lambda marks: marks.info, "cyan"),
}


Recheck = Callable[[Row], RowResult]


class Sink(Protocol):
    def add(self, output: RowOutput, row: Row) -> None: ...
    def close(self, summary: Summary) -> None: ...


class FragmentsSink(Sink, Protocol):
    """A sink that writes a run of rows from their fragments alone: each is what
    :meth:`add` writes of a row whose output holds that fragment (and no duplicate).
    The workers string each row's fragment as ``PIECE`` says (before, after) and join a
    span's: :meth:`add_pieces` writes such a run, ``count`` rows of it."""

    PIECE: tuple[str, str]
    utf8: bool  # takes the runs as UTF-8 bytes (:func:`takes_utf8`)

    def add_pieces(self, text: str | memoryview, count: int) -> None: ...


def takes_utf8(stream: IO[str]) -> bool:
    """Whether UTF-8 bytes written to the binary stream under ``stream`` are what its own
    ``write`` would write of their text: a UTF-8 text wrapper (no BOM codec) whose line
    ends go out as they are. The workers then send a span's text as those bytes, encoded
    once, and the main process writes them without decoding and encoding them again.
    Line ends: a wrapper opened with newline=None writes ``os.linesep`` for each; the
    program opens none with "\r" or "\r\n", so "\n" as the line separator is enough."""
    import codecs
    import os

    if not isinstance(stream, io.TextIOWrapper) or os.linesep != "\n":
        return False
    try:
        return codecs.lookup(stream.encoding).name == "utf-8"
    except LookupError:
        return False


WRITE_SLICE = 1 << 16  # characters


def write_slices(stream: IO[str], text: str | memoryview, start: int = 0) -> None:
    """``stream.write(text[start:])`` a slice at a time: a span's text is megabytes, and
    encoding it whole takes fresh memory each time (measured: twice the time a span).
    UTF-8 bytes (a view, for a stream that :func:`takes_utf8`) go to its binary stream
    whole, after the text written before them."""
    if isinstance(text, memoryview):
        stream.flush()
        _write_all(stream.buffer, text[start:])  # type: ignore[attr-defined]
        return
    for at in range(start, len(text), WRITE_SLICE):
        stream.write(text[at : at + WRITE_SLICE])


def _write_all(binary: IO[bytes], data: memoryview) -> None:
    """Every byte of ``data``: the binary stream under a text one is unbuffered with
    ``python -u`` or PYTHONUNBUFFERED, and a raw write may take part of it (a signal during
    a write to a pipe) or, on a non-blocking descriptor, nothing for now (None)."""
    while data:
        written: int | None = binary.write(data)
        if written is None:  # full for now: wait until it takes more
            import select

            select.select([], [binary], [])
            continue
        data = data[written:]


class FragmentSink:
    """jsonl: the lines as they come (a record's JSON text holds no line break: json
    escapes it)."""

    def __init__(self, stream: TextIO, header: str = "") -> None:
        self.stream = stream
        self.utf8 = takes_utf8(stream)
        stream.write(header)

    PIECE = ("", "\n")

    def add(self, output: RowOutput, row: Row) -> None:
        if output.fragment is not None:
            self.add_pieces(output.fragment + "\n", 1)

    def add_pieces(self, text: str | memoryview, count: int) -> None:
        write_slices(self.stream, text)

    def close(self, summary: Summary) -> None:
        self.stream.flush()


class JsonSink:
    """One document; records stream out as they come, the summary follows them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.utf8 = takes_utf8(stream)
        self.count = 0
        stream.write(f'{{"schema_version": {SCHEMA_VERSION}, "records": [')

    PIECE = (",\n  ", "")

    def add(self, output: RowOutput, row: Row) -> None:
        if output.fragment is not None:
            self.add_pieces(",\n  " + output.fragment, 1)

    def add_pieces(self, text: str | memoryview, count: int) -> None:
        if count:
            write_slices(self.stream, text, 0 if self.count else 1)  # no comma before the first
            self.count += count

    def close(self, summary: Summary) -> None:
        end = "\n" if self.count else ""
        document = _dumps(summary.as_dict(), True)
        if summary.registered is None:
            self.stream.write(f'{end}], "summary": {document}}}\n')
        else:
            self.stream.write(f'{end}], "summary": {document[:-1]}, "registered_file": ')
            summary.registered.write_json(self.stream)
            self.stream.write("}}\n")
        self.stream.flush()


Names = Callable[[set[int]], dict[int, str]]


class TextSink:
    """The rows to show (``--show``; at most ``limit`` of them, None: all), a section
    naming both rows of each duplicate pair, a count per code. Memory: the duplicate pairs
    (at most ``DUPLICATE_PAIRS_HELD``), nothing per row."""

    def __init__(
        self,
        console: Console,
        records: RecordBuilder,
        text: Catalog,
        recheck: Recheck,
        *,
        show: Show = Show.WARNINGS,
        limit: int | None = TEXT_ROWS_SHOWN,
        columns: Columns | None = None,
        names: Names | None = None,
    ) -> None:
        self.console, self.records, self.text, self.recheck = console, records, text, recheck
        self.utf8 = takes_utf8(console.file)
        self.show, self.limit, self.names = show, limit, names
        self._statuses = _SHOWN_STATUSES[show]
        self._severities = _SHOWN_SEVERITIES[show]
        self._name_column = name_column(columns) if columns is not None else None
        self._columns = console.width
        self._layout: TextLayout | None = None  # set by layout(): workers print the rows
        self.shown = 0
        self.more = 0
        self.pairs: list[DuplicatePair] = []
        self.pairs_more = 0

    def add(self, output: RowOutput, row: Row) -> None:
        duplicate = "row-duplicate-nip" in output.codes or "row-duplicate-email" in output.codes
        listed = output.status in self._statuses
        if not listed and not duplicate:
            return
        name = row_name(row, self._name_column, self.records.mask)
        if duplicate:
            self._pair(self.recheck(row), output.row, name)
        if not listed:
            return
        if self.limit is not None and self.shown >= self.limit:
            self.more += 1
            return
        if self.shown == 0:
            self.console.print(Text(self._title(), "bold"))
        self.shown += 1
        if self._layout is not None and output.fragment is not None:
            self.console.file.write(output.fragment)  # printed by the worker (TextLayout)
            return
        if output.fragment is not None:  # the record, built by the worker
            record = json.loads(output.fragment)
        else:
            record = self.records.listing(self.recheck(row))
        marks = symbols_for(self.console.file)  # type: ignore[arg-type]
        print_row(self.console, self._columns, record, name, marks, self.text, self._severities)

    PIECE = ("", "")

    def add_pieces(self, text: str | memoryview, count: int) -> None:
        """Listed rows the workers printed (a plain report, every row: :meth:`layout`)."""
        assert self._layout is not None and self.limit is None
        if count:
            if self.shown == 0:
                self.console.print(Text(self._title(), "bold"))
            self.shown += count
            write_slices(self.console.file, text)

    def layout(self) -> TextLayout | None:
        """The layout for the workers to print rows in: a plain console showing every row
        (a file, a pipe); None where the rows are printed here (a terminal: colours, and
        only the first ``limit`` rows)."""
        if self.limit is not None or not is_plain_console(self.console):
            return None
        marks = symbols_for(self.console.file)  # type: ignore[arg-type]
        self._layout = TextLayout(self._columns, marks, self._name_column)
        return self._layout

    def _title(self) -> str:
        if self.show is Show.ERRORS:
            return self.text.ui("batch-title")
        return self.text.ui(f"batch-title-{self.show.value}")

    def _pair(self, result: RowResult, row: int, name: str) -> None:
        for finding in result.findings:
            if finding.code not in ("row-duplicate-nip", "row-duplicate-email"):
                continue
            if len(self.pairs) >= DUPLICATE_PAIRS_HELD:
                self.pairs_more += 1
                continue
            key = str(finding.params.get("nip") or finding.params.get("email") or "")
            if self.records.mask:
                key = mask_email(key) if "@" in key else mask_nip(key)
            first = int(str(finding.params["first_row"]))
            self.pairs.append(DuplicatePair(finding.code, key, first, row, name))

    def close(self, summary: Summary) -> None:
        if self.more:
            key = "batch-more"  # only with a limit (a terminal)
            self.console.print(Text(self.text.ui(key, count=self.text.number(self.more)), "dim"))
        if self.pairs:
            self._duplicates()
        if summary.by_code:
            self.console.print()
            self.console.print(Text(self.text.ui("batch-by-code"), "bold"))
            width = max(len(code) for code in summary.by_code)
            ranked = sorted(summary.by_code.items(), key=lambda item: (-item[1], item[0]))
            for code, count in ranked:
                self.console.print(Text(f"  {code.ljust(width)}  {self.text.number(count):>8}"))
            self.console.print()

    def _duplicates(self) -> None:
        """Both rows of each pair, with their names (the first row's name looked up once
        for all pairs, when the input can be read again)."""
        shown = self.pairs if self.limit is None else self.pairs[: self.limit]
        firsts: dict[int, str] = {}
        if self.names is not None and self._name_column is not None:
            found = self.names({pair.first for pair in shown})
            firsts = {
                number: (mask_name(name) if self.records.mask else name)
                for number, name in found.items()
            }
        marks = symbols_for(self.console.file)  # type: ignore[arg-type]
        self.console.print()
        self.console.print(Text(self.text.ui("batch-duplicates-title"), "bold"))
        for pair in shown:
            what = "nip" if pair.code == "row-duplicate-nip" else "email"
            line = Text(f"{marks.error} [{pair.code}] ", "red")
            line.append(
                self.text.ui(
                    f"batch-duplicate-{what}-pair",
                    value=pair.key,
                    first=pair.first,
                    first_name=_named(firsts.get(pair.first, "")),
                    row=pair.row,
                    name=_named(pair.name),
                )
            )
            print_indented(self.console, line, 2)
        rest = len(self.pairs) - len(shown) + self.pairs_more
        if rest:
            self.console.print(
                Text(self.text.ui("batch-duplicates-more", count=self.text.number(rest)), "dim")
            )


def _named(name: str) -> str:
    return f" ({name})" if name else ""


def columns_lines(used: ColumnsUsed, text: Catalog) -> list[str]:
    """The text report's first lines: the sheet, header row and columns read, and a warning
    for each role with two equally good columns."""
    lines = []
    if used.sheet is not None:
        lines.append(text.ui("batch-used-sheet", sheet=used.sheet))
    if used.header_rows > 1:
        last = used.header_row + used.header_rows - 1
        lines.append(text.ui("batch-used-header-rows", row=used.header_row, last=last))
    else:
        lines.append(text.ui("batch-used-header-row", row=used.header_row))
    lines.append(text.ui("batch-used-nip", column=used.nip))
    if used.email is not None:
        lines.append(text.ui("batch-used-email", column=used.email))
    if used.registered is not None:
        lines.append(text.ui("batch-used-registered", column=used.registered))
    if used.carried:
        lines.append(text.ui("batch-used-carried", columns=", ".join(used.carried)))
    for ambiguity in used.ambiguous:
        lines.append(
            text.ui(
                "batch-used-ambiguous",
                role=text.ui(f"batch-role-{ambiguity.role}"),
                chosen=ambiguity.chosen,
                other=ambiguity.other,
                option=ambiguity.option,
                chosen_column=ambiguity.chosen_column,
                other_column=ambiguity.other_column,
            )
        )
    return lines


def print_columns_used(console: Console, used: ColumnsUsed, text: Catalog) -> None:
    for line in columns_lines(used, text):
        console.print(Text(line, "dim"))
    console.print()


def summary_line(summary: Summary, text: Catalog) -> str:
    tally = summary.tally
    counts = {"rows": tally.rows, "ok": tally.ok, "warn": tally.warn, "fail": tally.fail}
    return text.ui("batch-summary", **{name: text.number(n) for name, n in counts.items()})
