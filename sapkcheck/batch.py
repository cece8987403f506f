"""Batch mode: check every row of a staff export exactly as ``check`` checks one person.

Rows stream from ``batch_input``; each is checked by a pure function (in worker
processes with ``--jobs``), then the checks across rows (duplicate NIPs and emails) run
in input order in the main process. Nothing holds the whole file: duplicate detection
keeps one small key per row.
"""

from __future__ import annotations

import dataclasses
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice
from typing import NamedTuple, Protocol

from sapkcheck.batch_input import CellValue, Columns, Row
from sapkcheck.checks.email import EmailInfo, EmailResult, check_email
from sapkcheck.checks.email_clean import clean_address, is_plain
from sapkcheck.checks.nip import NipInfo, check_nip
from sapkcheck.codes import make_finding
from sapkcheck.findings import Finding, Severity, sort_findings

CHUNK_ROWS = 2000
# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
CHUNKS_IN_FLIGHT_PER_JOB = 3
_EXCEL_EXACT_DIGITS = 15  # Excel keeps 15 significant digits in a number cell


@dataclass(slots=True)
class RowResult:
    row: int
    nip: NipInfo | None
    email: EmailInfo | None
    findings: tuple[Finding, ...]
    # What the checks across rows compare, and the certain fixes for --fixed:
    nip_key: str | None = None
    email_key: str | None = None
    fixed_nip: str | None = None
    fixed_email: str | None = None
    fixed_registered: str | None = None

    @property
    def status(self) -> str:
        severities = {f.severity for f in self.findings}
        if Severity.ERROR in severities:
            return "fail"
        return "warn" if Severity.WARNING in severities else "ok"


def _text(cell: CellValue) -> str | None:
    """A cell as the text a person would have typed; None when empty."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell) if not isinstance(cell, str) else (cell if cell != "" else None)


def _nip_cell(cell: CellValue, today: date) -> tuple[NipInfo, tuple[Finding, ...]]:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        digits = len(str(int(abs(cell)))) if abs(cell) < 1e300 else 999
        if digits > _EXCEL_EXACT_DIGITS or not float(cell).is_integer():
            # A number cell cannot hold an 18-digit NIP: its last digits are gone.
            shown = f"{float(cell):.5E}"
            finding = make_finding("nip-excel-damaged", value=shown)
            return NipInfo(shown), (finding,)
    result = check_nip(_text(cell) or "", today=today)
    return result.info, result.findings


def _is_empty(cells: tuple[CellValue, ...]) -> bool:
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def check_row(row: Row, columns: Columns, today: date) -> RowResult:
    """One row, checked as ``sapkcheck check --nip … --email … --registered …`` would."""
    cells = row.cells
    if _is_empty(cells):
        return RowResult(row.number, None, None, (make_finding("row-empty"),))
    findings: list[Finding] = []
    if row.ragged:
        findings.append(make_finding("row-too-many-columns", cells=row.ragged))

    nip_info, nip_findings = _nip_cell(cells[columns.nip], today)
    findings.extend(nip_findings)

    registered = _text(cells[columns.registered]) if columns.registered is not None else None
    email_result: EmailResult | None = None
    email_key = fixed_email = None
    if columns.email is not None:
        email_result = check_email(_text(cells[columns.email]) or "", registered=registered)
        findings.extend(email_result.findings)
        if email_result.cleaned:
            fixed_email = email_result.cleaned
            email_key = (email_result.info.normalized or email_result.cleaned).casefold()
    fixed_registered = None
    if registered is not None:
        fixed_registered = registered if is_plain(registered) else clean_address(registered).address
    return RowResult(
        row=row.number,
        nip=nip_info,
        email=email_result.info if email_result else None,
        findings=tuple(findings),
        nip_key=nip_info.normalized if nip_info.kind in ("pns", "pppk") else None,
        email_key=email_key,
        fixed_nip=_certain_nip(nip_info, nip_findings),
        fixed_email=fixed_email,
        fixed_registered=fixed_registered,
    )


def _certain_nip(info: NipInfo, findings: Iterable[Finding]) -> str | None:
    """The NIP with display groups and labels removed; None when that is not certain
    (digits of another script are a guess at what was meant)."""
    if info.normalized is None or any(f.code == "nip-lookalike-digits" for f in findings):
        return None
    return info.normalized


class CrossRowChecks:
    """Duplicate NIPs (error) and emails shared by different NIPs (warning), in input order.

    Keys are kept compactly: NIPs as integers, emails as 64-bit hashes taken in this
    process (a false duplicate needs a hash collision: about 1e-6 for 6 million rows)."""

    _ROW_BITS = 32

    def __init__(self) -> None:
        self._nips: dict[int, int] = {}
        # email hash -> (NIP << 32) | first row: one int, not a tuple (a third of the memory)
        self._emails: dict[int, int] = {}

    def duplicates(
        self, row: int, nip_key: str | None, email_key: str | None
    ) -> tuple[int | None, int | None]:
        """(first row with the same NIP, first row with the same email and another NIP)."""
        nip_first = email_first = None
        nip_number = int(nip_key) if nip_key else None
        email_hash = hash(email_key) if email_key else None
        if nip_number is not None:
            first = self._nips.setdefault(nip_number, row)
            if first != row:
                nip_first = first
        if email_hash is not None:
            packed = self._emails.setdefault(email_hash, (nip_number or 0) << self._ROW_BITS | row)
            first_row = packed & ((1 << self._ROW_BITS) - 1)
            if first_row != row and packed >> self._ROW_BITS != (nip_number or 0):
                email_first = first_row
        return nip_first, email_first


def duplicate_findings(
    result: RowResult, nip_first: int | None, email_first: int | None
) -> list[Finding]:
    found: list[Finding] = []
    if nip_first is not None:
        found.append(make_finding("row-duplicate-nip", nip=result.nip_key, first_row=nip_first))
    if email_first is not None:
        found.append(
            make_finding("row-duplicate-email", email=result.email_key, first_row=email_first)
        )
    return found


def with_findings(result: RowResult, extra: Iterable[Finding]) -> RowResult:
    return replace(result, findings=tuple(sort_findings((*result.findings, *extra))))


class RowOutput(NamedTuple):
    """What a worker sends back for one row: primitives only, cheap to pickle."""

    row: int
    status: str
    codes: tuple[str, ...]
    nip_key: str | None  # the keys the checks across rows compare
    email_key: str | None
    fragment: str | None  # the row as the chosen output format writes it
    fixed: tuple[CellValue, ...] | None  # the row with certain fixes, if any changed


@dataclass(slots=True)
class Tally:
    """Counts per status and per code; workers tally their chunks, the main process adds."""

    ok: int = 0
    warn: int = 0
    fail: int = 0
    by_code: Counter[str] = dataclasses.field(default_factory=Counter)

    def add(self, output: RowOutput, sign: int = 1) -> None:
        if output.status == "ok":
            self.ok += sign
        elif output.status == "warn":
            self.warn += sign
        else:
            self.fail += sign
        if sign > 0:
            self.by_code.update(output.codes)
        else:
            self.by_code.subtract(output.codes)

    def merge(self, other: Tally) -> None:
        self.ok += other.ok
        self.warn += other.warn
        self.fail += other.fail
        self.by_code.update(other.by_code)

    @property
    def rows(self) -> int:
        return self.ok + self.warn + self.fail


class RowRenderer(Protocol):
    def __call__(self, result: RowResult) -> str | None: ...


@dataclass(slots=True)
class BatchSettings:
    columns: Columns
    today: date
    render: RowRenderer
    want_fixed: bool


def fixed_cells(row: Row, result: RowResult, columns: Columns) -> tuple[CellValue, ...] | None:
    """The row with the certain fixes applied; None when nothing changes."""
    cells = list(row.cells)
    for index, value in (
        (columns.nip, result.fixed_nip),
        (columns.email, result.fixed_email),
        (columns.registered, result.fixed_registered),
    ):
        if index is not None and value is not None and isinstance(cells[index], str):
            cells[index] = value
    fixed = tuple(cells)
    return fixed if fixed != row.cells else None


def row_output(row: Row, result: RowResult, settings: BatchSettings) -> RowOutput:
    return RowOutput(
        row=result.row,
        status=result.status,
        codes=tuple(f.code for f in result.findings),
        nip_key=result.nip_key,
        email_key=result.email_key,
        fragment=settings.render(result),
        fixed=fixed_cells(row, result, settings.columns) if settings.want_fixed else None,
    )


Chunk = tuple[list[RowOutput], Tally]


def process_chunk(chunk: list[Row], settings: BatchSettings) -> Chunk:
    columns, today = settings.columns, settings.today
    outputs = [row_output(row, check_row(row, columns, today), settings) for row in chunk]
    tally = Tally()
    for output in outputs:
        tally.add(output)
    return outputs, tally


_worker_settings: BatchSettings | None = None


def _init_worker(settings: BatchSettings) -> None:
    global _worker_settings
    _worker_settings = settings


def _worker_chunk(chunk: list[Row]) -> Chunk:
    assert _worker_settings is not None
    return process_chunk(chunk, _worker_settings)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def process_rows(
    rows: Iterable[Row], settings: BatchSettings, *, jobs: int = 1
) -> Iterator[tuple[list[Row], list[RowOutput], Tally]]:
    """Chunks of rows with their outputs and tallies, in input order. The checks across
    rows are the caller's (they need every earlier row); rows are handed back for
    re-checking the few that need it (duplicates, the rows a text report shows)."""
    chunks = _chunks(rows, CHUNK_ROWS)
    first = next(chunks, [])
    if jobs <= 1 or len(first) < CHUNK_ROWS:
        for chunk in _prepend(first, chunks):
            yield (chunk, *process_chunk(chunk, settings))
        return
    import multiprocessing
    from collections import deque
    from multiprocessing.pool import AsyncResult

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    window = jobs * CHUNKS_IN_FLIGHT_PER_JOB
    with context.Pool(jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        # Pool.imap would read the whole file ahead into its task queue; a bounded
        # window of chunks in flight keeps memory flat and the order intact.
        pending: deque[tuple[list[Row], AsyncResult[Chunk]]] = deque()
        for chunk in _prepend(first, chunks):
            pending.append((chunk, pool.apply_async(_worker_chunk, (chunk,))))
            if len(pending) >= window:
                done, result = pending.popleft()
                yield (done, *result.get())
        while pending:
            done, result = pending.popleft()
            yield (done, *result.get())


def _prepend(first: list[Row], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    if first:
        yield first
    yield from rest
