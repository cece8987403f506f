"""Batch mode: check every row of a staff export exactly as ``check`` checks one person.

Rows stream from ``batch_input``; each is checked by a pure function (in worker
processes with ``--jobs``), then the checks across rows (duplicate NIPs and emails) run
in input order in the main process. Nothing holds the whole file: duplicate detection
keeps one small key per row.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice

from sapkcheck.batch_input import CellValue, Columns, Row
from sapkcheck.checks.email import EmailInfo, EmailResult, check_email
from sapkcheck.checks.nip import NipInfo, check_nip
from sapkcheck.codes import make_finding
from sapkcheck.findings import Finding, Severity, sort_findings

CHUNK_ROWS = 2000
# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
CHUNKS_IN_FLIGHT_PER_JOB = 3
_EXCEL_EXACT_DIGITS = 15  # Excel keeps 15 significant digits in a number cell


@dataclass(frozen=True, slots=True)
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


def check_row(row: Row, columns: Columns, today: date) -> RowResult:
    """One row, checked as ``sapkcheck check --nip … --email … --registered …`` would."""
    cells = row.cells
    if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
        return RowResult(row.number, None, None, (make_finding("row-empty"),))
    findings: list[Finding] = []
    if row.ragged:
        findings.append(make_finding("row-too-many-columns", cells=row.ragged))

    nip_info, nip_findings = _nip_cell(cells[columns.nip], today)
    findings.extend(nip_findings)

    email_result: EmailResult | None = None
    registered: str | None = None
    if columns.registered is not None:
        registered = _text(cells[columns.registered])
    if columns.email is not None:
        typed = _text(cells[columns.email]) or ""
        email_result = check_email(typed, registered=registered)
        findings.extend(email_result.findings)

    fixed_registered = None
    if registered is not None:
        from sapkcheck.checks.email_clean import clean_address

        fixed_registered = clean_address(registered).address
    email_key = fixed_email = None
    if email_result is not None and email_result.cleaned:
        fixed_email = email_result.cleaned
        email_key = (email_result.info.normalized or email_result.cleaned).casefold()
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

    Keys are kept compactly: NIPs as integers, emails as 64-bit hashes (a false
    duplicate needs a hash collision: about 1e-6 for 6 million rows)."""

    def __init__(self) -> None:
        self._nips: dict[int, int] = {}
        self._emails: dict[int, tuple[int, int | None]] = {}

    def apply(self, result: RowResult) -> RowResult:
        extra: list[Finding] = []
        nip_number = int(result.nip_key) if result.nip_key else None
        if nip_number is not None:
            first = self._nips.setdefault(nip_number, result.row)
            if first != result.row:
                extra.append(make_finding("row-duplicate-nip", nip=result.nip_key, first_row=first))
        if result.email_key:
            key = hash(result.email_key)
            first_row, first_nip = self._emails.setdefault(key, (result.row, nip_number))
            if first_row != result.row and first_nip != nip_number:
                extra.append(
                    make_finding("row-duplicate-email", email=result.email_key, first_row=first_row)
                )
        if not extra:
            return result
        return replace(result, findings=tuple(sort_findings((*result.findings, *extra))))


def _check_chunk(chunk: list[Row], columns: Columns, today: date) -> list[RowResult]:
    return [check_row(row, columns, today) for row in chunk]


_worker_columns: Columns | None = None
_worker_today: date | None = None


def _init_worker(columns: Columns, today: date) -> None:
    global _worker_columns, _worker_today
    _worker_columns, _worker_today = columns, today


def _worker_chunk(chunk: list[Row]) -> list[RowResult]:
    assert _worker_columns is not None and _worker_today is not None
    return _check_chunk(chunk, _worker_columns, _worker_today)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def check_rows(
    rows: Iterable[Row], columns: Columns, *, jobs: int = 1, today: date | None = None
) -> Iterator[RowResult]:
    """Every row's result, in input order, with the checks across rows applied."""
    today = today or date.today()
    cross = CrossRowChecks()
    chunks = _chunks(rows, CHUNK_ROWS)
    first = next(chunks, [])
    if jobs <= 1 or len(first) < CHUNK_ROWS:
        batches: Iterable[list[RowResult]] = (
            _check_chunk(chunk, columns, today) for chunk in _prepend(first, chunks)
        )
        for batch in batches:
            for result in batch:
                yield cross.apply(result)
        return
    import multiprocessing
    from collections import deque
    from multiprocessing.pool import AsyncResult

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    window = jobs * CHUNKS_IN_FLIGHT_PER_JOB
    with context.Pool(jobs, initializer=_init_worker, initargs=(columns, today)) as pool:
        # Pool.imap would read the whole file ahead into its task queue; a bounded
        # window of chunks in flight keeps memory flat and the order intact.
        pending: deque[AsyncResult[list[RowResult]]] = deque()
        for chunk in _prepend(first, chunks):
            pending.append(pool.apply_async(_worker_chunk, (chunk,)))
            if len(pending) >= window:
                for result in pending.popleft().get():
                    yield cross.apply(result)
        while pending:
            for result in pending.popleft().get():
                yield cross.apply(result)


def _prepend(first: list[Row], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    if first:
        yield first
    yield from rest
