"""Rows through the checks, in worker processes with ``--jobs``, in input order; the checks
across rows and the tally run in the main process.

Nothing holds the whole file: duplicate detection keeps one small key per row.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from array import array
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import accumulate, islice
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from sapkcheck.batch.rows import (
    CleanRow,
    RegisteredEmails,
    RowResult,
    check_row,
    clean_result,
    clean_row,
    email_hash,
    email_number,
    fixed_cells,
)
from sapkcheck.batch.tables.model import CellValue, Columns, Row, TableError
from sapkcheck.limits import MAX_JOBS

if TYPE_CHECKING:
    from concurrent.futures import Future

    from sapkcheck.batch.ranges import CsvSource, Span

CHUNK_ROWS = 2000
# Rows a worker takes through one stage before the next (see process_span).
STAGE_ROWS = 512
# Chunks in flight per worker: enough to keep workers busy, few enough to bound memory.
CHUNKS_IN_FLIGHT_PER_JOB = 3


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

    @classmethod
    def of(cls, statuses: list[str], codes: list[tuple[str, ...]]) -> Tally:
        """The tally of rows with these statuses and codes (a chunk's, counted at C speed:
        a chunk repeats a few sets of codes)."""
        tally = cls(statuses.count("ok"), statuses.count("warn"), statuses.count("fail"))
        by_code = tally.by_code
        for found, rows in Counter(codes).items():
            for code in found:
                by_code[code] += rows
        return tally

    def merge(self, other: Tally) -> None:
        self.ok += other.ok
        self.warn += other.warn
        self.fail += other.fail
        self.by_code.update(other.by_code)

    @property
    def rows(self) -> int:
        return self.ok + self.warn + self.fail


class RowRenderer(Protocol):
    """A checked row as the chosen output format writes it (in the worker)."""

    def __call__(self, result: RowResult, row: Row) -> str | None: ...

    def plain(self, row: Row, clean: CleanRow) -> str | None:
        """The same for a clean row, byte for byte: here through the general result; a
        renderer that subclasses this may write it from the clean row's pieces."""
        return self(clean_result(clean), row)


@dataclass(slots=True)
class BatchSettings:
    columns: Columns
    today: date
    render: RowRenderer
    want_fixed: bool
    local_domains: tuple[str, ...] = ()  # the profile's domains, for the email typo hints
    # --registered-file: the export's emails by NIP (inherited by forked workers, pickled
    # once per spawned one)
    registered_emails: RegisteredEmails | None = None
    # How the sink strings a row's fragment into its output (before, after): a span's
    # rows travel back as one text (``SpanOutputs``)
    piece: tuple[str, str] = ("", "")
    # The sink writes UTF-8 bytes as they are (``render.batch.takes_utf8``): a span's text
    # travels as those bytes, encoded once in the worker, never decoded here
    utf8: bool = False


def row_output(row: Row, result: RowResult, settings: BatchSettings) -> RowOutput:
    return RowOutput(  # positional: the field order of RowOutput (every row's)
        result.row,
        result.status,
        tuple([f.code for f in result.findings]),
        result.nip_key,
        result.email_key,
        settings.render(result, row),
        fixed_cells(row, result, settings.columns) if settings.want_fixed else None,
    )


Chunk = tuple[list[RowOutput], Tally]


def clean_rows(rows: list[Row], settings: BatchSettings) -> list[CleanRow | None]:
    """Each row as a :class:`CleanRow` where it is one (never with ``--registered-file``:
    the email on record comes from another file)."""
    if settings.registered_emails is not None:
        return [None] * len(rows)
    columns, today, local_domains = settings.columns, settings.today, settings.local_domains
    return [clean_row(row, columns, today, local_domains) for row in rows]


def process_chunk(chunk: list[Row], settings: BatchSettings) -> Chunk:
    columns, today = settings.columns, settings.today
    local_domains, registered = settings.local_domains, settings.registered_emails
    # every row checked, then every row rendered: see process_span
    cleans = clean_rows(chunk, settings)
    plain = settings.render.plain
    outputs = [
        row_output(row, check_row(row, columns, today, local_domains, registered), settings)
        if clean is None
        else RowOutput(  # nothing to fix in a clean row: no fixed cells
            clean.number, "ok", clean.codes, clean.nip, clean.email_key, plain(row, clean), None
        )
        for row, clean in zip(chunk, cleans, strict=True)
    ]
    return outputs, Tally.of([output.status for output in outputs], [o.codes for o in outputs])


STATUSES = ("ok", "warn", "fail")
_STATUS_BYTE = {status: index for index, status in enumerate(STATUSES)}


class SpanOutputs(NamedTuple):
    """A span's rows as a worker hands them back: a few objects per span, not per row.

    Row ``first + i`` has status ``STATUSES[statuses[i]]``, ``codes[i]`` and the keys the
    checks across rows compare, ``nips[i]`` (the NIP key as an integer) and ``emails[i]``
    (``email_hash``), 0 where the row has none. Its fragment, strung as the sink writes it
    (``BatchSettings.piece``), is ``text[ends[i - 1]:ends[i]]`` (from 0 for the first row),
    empty where it has none: ``text`` is UTF-8 bytes where the sink takes them
    (``BatchSettings.utf8``) and the text encodes, else a str. ``error``: the input turned
    unreadable at the row after the last one here."""

    first: int
    statuses: bytes
    codes: list[tuple[str, ...]]
    text: str | bytes
    ends: array[int]
    written: bytes  # 1 for a row with a fragment, 0 for one without
    nips: array[int]
    emails: array[int]
    tally: Tally
    error: TableError | None

    def output(self, index: int) -> RowOutput:
        """Row ``index`` as a :class:`RowOutput`, for its status and codes (its keys travel
        compactly and its fragment in ``text``: None here)."""
        return RowOutput(
            self.first + index,
            STATUSES[self.statuses[index]],
            self.codes[index],
            None,
            None,
            None,
            None,
        )

    def pieces(self, start: int, stop: int) -> tuple[str | memoryview, int]:
        """The text of rows ``start`` to ``stop`` (indexes, ``stop`` excluded) as the sink
        writes it (bytes: a view of ``text``, not a copy), and how many of them have a
        fragment in it."""
        text, ends = self.text, self.ends
        begin = ends[start - 1] if start else 0
        end = ends[stop - 1] if start < stop else begin
        count = self.written.count(1, start, stop) if start < stop else 0
        if isinstance(text, bytes):
            return memoryview(text)[begin:end], count
        return text[begin:end], count


def strung(
    fragments: list[str | None], piece: tuple[str, str], utf8: bool = False
) -> tuple[str | bytes, array[int], bytes]:
    """The fragments strung as the sink writes them (``BatchSettings.piece``), as one text,
    the end of each row's piece in it, and which rows have one (1) or not (0). With
    ``utf8`` the text is its UTF-8 bytes and the ends count bytes (a text that does not
    encode, a lone surrogate from an undecodable byte, stays a str: the sink's own encoder
    decides what it writes)."""
    before, after = piece
    if before or after:
        pieces = [before + f + after if f is not None else "" for f in fragments]
    else:
        pieces = [f or "" for f in fragments]
    written = bytes([fragment is not None for fragment in fragments])
    if utf8:
        # Each piece encoded alone: most are ASCII (a copy), and one piece beyond Latin-1
        # (a look-alike, a quote mark in a message) would make the joined text two bytes
        # a character, and its encoding the slow path, for the whole span.
        with contextlib.suppress(UnicodeEncodeError):
            encoded = [p.encode() for p in pieces]
            return b"".join(encoded), array("q", accumulate(map(len, encoded))), written
    return "".join(pieces), array("q", accumulate(map(len, pieces))), written


def process_span(
    source: CsvSource,
    span: Span,
    settings: BatchSettings,
    email_key: Callable[[str | None], int] = email_hash,
) -> SpanOutputs:
    """A span read, checked and rendered (in a worker). An unreadable row ends the span:
    the rows before it are handed back with the error. ``email_key``: the hash every
    worker of the run takes of an email (``email_hash``; ``email_number`` where all share
    this process's ``hash()``, forked from it)."""
    from sapkcheck.batch.ranges import read_span

    columns, today, render = settings.columns, settings.today, settings.render
    local_domains, registered = settings.local_domains, settings.registered_emails
    plain = render.plain
    statuses = bytearray()
    codes: list[tuple[str, ...]] = []
    fragments: list[str | None] = []
    nips: array[int] = array("q")
    emails: array[int] = array("q")
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one object per set of codes
    error = None
    rows = read_span(source, span)
    while True:
        # A stage at a time over a batch of rows (read, check, render, keys), not a row
        # at a time through every stage: each stage's code stays in the CPU's caches
        # (measured: a fifth less time a row). Batches bound the memory a span holds.
        batch: list[Row] = []
        try:
            for row in rows:
                batch.append(row)
                if len(batch) == STAGE_ROWS:
                    break
        except TableError as exc:
            error = exc
        if not batch:
            break
        # Clean rows (most of them) are decided and written from their pieces.
        cleans = clean_rows(batch, settings)
        results = [
            check_row(row, columns, today, local_domains, registered) if clean is None else clean
            for row, clean in zip(batch, cleans, strict=True)
        ]
        fragments += [
            render(result, row) if isinstance(result, RowResult) else plain(row, result)
            for result, row in zip(results, batch, strict=True)
        ]
        statuses += bytes([_STATUS_BYTE[result.status] for result in results])
        codes += [shared.setdefault(found, found) for found in [r.codes for r in results]]
        nips.extend([int(result.nip_key) if result.nip_key else 0 for result in results])
        emails.extend([email_key(result.email_key) for result in results])
        if error is not None or len(batch) < STAGE_ROWS:
            break
    tally = Tally.of([STATUSES[status] for status in statuses], codes)
    text, ends, written = strung(fragments, settings.piece, settings.utf8)
    return SpanOutputs(
        span.first, bytes(statuses), codes, text, ends, written, nips, emails, tally, error
    )


_worker_settings: BatchSettings | None = None
_worker_source: CsvSource | None = None
_worker_email_key: Callable[[str | None], int] = email_hash


class WorkerDied(Exception):
    """A worker process ended without handing back its chunk (killed by SIGKILL/SIGTERM,
    e.g. by the out-of-memory killer): the run cannot be completed."""


def _init_worker(settings: BatchSettings) -> None:
    global _worker_settings
    _worker_settings = settings
    # Ctrl-C reaches every process of the terminal's group: the parent alone reports it
    # (one line), the workers are ended by the parent.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _init_span_worker(settings: BatchSettings, source: CsvSource, forked: bool) -> None:
    global _worker_source, _worker_email_key
    _worker_source = source
    # Forked workers share the main process's salt of hash(): cheaper than a digest.
    _worker_email_key = email_number if forked else email_hash
    _init_worker(settings)


def _worker_span(span: Span) -> SpanOutputs:
    assert _worker_settings is not None and _worker_source is not None
    return process_span(_worker_source, span, _worker_settings, _worker_email_key)


def process_spans(
    source: CsvSource,
    spans: list[Span],
    settings: BatchSettings,
    *,
    jobs: int,
    method: str | None = None,
) -> Generator[SpanOutputs, None, None]:
    """The spans' outputs in file order, each read and checked by one of ``jobs`` worker
    processes (at most ``MAX_JOBS``): the main process hands out byte ranges only. Errors
    as :func:`process_rows`: a dead worker raises ``WorkerDied``, any exception ends the
    workers at once; an unreadable row travels in its span's ``error``."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    jobs = max(1, min(jobs, MAX_JOBS))
    method = method or start_method()
    if method == "fork":
        _load_check_data()
    context = multiprocessing.get_context(method)
    executor = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_init_span_worker,
        initargs=(settings, source, method == "fork"),
    )
    window = jobs * CHUNKS_IN_FLIGHT_PER_JOB
    with _Pool(executor) as pool:
        pending: deque[Future[SpanOutputs]] = deque()
        waiting = iter(spans)
        while True:
            while len(pending) < window and (span := next(waiting, None)) is not None:
                pending.append(executor.submit(_worker_span, span))
            if not pending:
                break
            done = _result(pending.popleft(), executor)
            if done.error is not None:
                # The run ends with this span: the spans in flight are finished (a few) and
                # the pool shut down cleanly before the caller raises the error (a pool
                # ended with workers busy can leave its threads blocked at exit).
                for future in pending:
                    future.cancel()
                for future in pending:
                    if not future.cancelled():
                        _result(future, executor)
                pool.finished = True
            yield done
            if pool.finished:
                return
        pool.finished = True


def spans_here(
    source: CsvSource, spans: list[Span], settings: BatchSettings
) -> Generator[SpanOutputs, None, None]:
    """:func:`process_spans` without worker processes (``--jobs 1``): the spans read and
    checked in this process, in file order, the keys taken with its own ``hash()``; the
    span with an unreadable row is the last."""
    for span in spans:
        done = process_span(source, span, settings, email_number)
        yield done
        if done.error is not None:
            return


def _load_check_data() -> None:
    """The data the checks read on first use, read once here before the workers are
    forked: each of them would read it again (~90 ms of CPU a worker)."""
    from sapkcheck.checks.chars import load_lookalikes
    from sapkcheck.checks.email.typos import load_tables

    load_lookalikes()
    load_tables()


def _worker_chunk(chunk: list[Row]) -> Chunk:
    assert _worker_settings is not None
    return process_chunk(chunk, _worker_settings)


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def default_jobs() -> int:
    """All usable cores, never more than ``MAX_JOBS``."""
    cores = (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )
    return max(1, min(cores, MAX_JOBS))


def start_method() -> str:
    """fork on POSIX (fast start, no re-import); spawn elsewhere (Windows)."""
    return "fork" if os.name == "posix" else "spawn"


def process_rows(
    rows: Iterable[Row],
    settings: BatchSettings,
    *,
    jobs: int = 1,
    method: str | None = None,
) -> Iterator[tuple[list[Row], list[RowOutput], Tally]]:
    """Chunks of rows with their outputs and tallies, in input order. The checks across
    rows are the caller's (they need every earlier row); rows are handed back for
    re-checking the few that need it (duplicates, the rows a text report shows).

    With ``jobs`` > 1 the chunks go to at most ``MAX_JOBS`` worker processes; a worker
    that dies raises ``WorkerDied`` (never a wait for ever); any exception (Ctrl-C, an
    unreadable file) ends the workers at once."""
    chunks = _chunks(rows, CHUNK_ROWS)
    first = next(chunks, [])
    jobs = min(jobs, MAX_JOBS)
    if jobs <= 1 or len(first) < CHUNK_ROWS:
        for chunk in _prepend(first, chunks):
            yield (chunk, *process_chunk(chunk, settings))
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    method = method or start_method()
    if method == "fork":
        _load_check_data()
    context = multiprocessing.get_context(method)
    executor = ProcessPoolExecutor(
        jobs, mp_context=context, initializer=_init_worker, initargs=(settings,)
    )
    window = jobs * CHUNKS_IN_FLIGHT_PER_JOB
    with _Pool(executor) as pool:
        # Executor.map would read the whole file ahead into its queue; a bounded window
        # of chunks in flight keeps memory flat and the order intact.
        pending: deque[tuple[list[Row], Future[Chunk]]] = deque()
        read = _prepend(first, chunks)
        while True:
            try:
                chunk = next(read)
            except StopIteration:
                break
            except Exception:
                # The input turned unreadable: the chunks read before it are handed on
                # first, so every report shows the rows --jobs 1 shows before it stops.
                while pending:
                    done, future = pending.popleft()
                    yield (done, *_result(future, executor))
                raise
            pending.append((chunk, executor.submit(_worker_chunk, chunk)))
            if len(pending) >= window:
                done, future = pending.popleft()
                yield (done, *_result(future, executor))
        while pending:
            done, future = pending.popleft()
            yield (done, *_result(future, executor))
        pool.finished = True


class _Pool:
    """A run's worker pool: shut down cleanly once the run has ``finished`` (every chunk
    handed back), ended at once otherwise (Ctrl-C, an unreadable file, a closed stdout);
    a worker that died is ``WorkerDied``."""

    def __init__(self, executor: Any) -> None:
        self.executor = executor
        self.finished = False

    def __enter__(self) -> _Pool:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: Any
    ) -> None:
        from concurrent.futures.process import BrokenProcessPool

        if self.finished:
            self.executor.shutdown(wait=True)
        else:
            _stop_now(self.executor)
        if isinstance(error, BrokenProcessPool):
            raise WorkerDied() from error


# How often a wait for a chunk looks whether every worker is still alive.
HEALTH_CHECK_SECONDS = 1.0


_Done = TypeVar("_Done")


def _result(future: Future[_Done], executor: Any) -> _Done:
    """The chunk's outputs. A worker killed while it was sending a result leaves the
    pool's manager thread blocked reading the rest of that message for ever, so the pool
    never learns of the death (a CPython limitation): the wait looks at the workers itself
    and a dead one is ``WorkerDied`` within about a second."""
    while True:
        try:
            return future.result(timeout=HEALTH_CHECK_SECONDS)
        except TimeoutError:
            try:
                workers = list((getattr(executor, "_processes", None) or {}).values())
            except RuntimeError:  # the pool's thread changed the table meanwhile: next time
                continue
            if any(worker.exitcode is not None for worker in workers):
                raise WorkerDied() from None


# Set when a pool was ended half-way: its threads may stay blocked on pipes of ended
# workers (a result half-sent, a chunk half-written), and the interpreter's exit joins
# them. The program's entry point then leaves with os._exit (sapkcheck.cli.app.main).
POOL_ABANDONED: list[bool] = []


def _stop_now(executor: Any) -> None:
    """End the workers without waiting for the chunks they hold (Ctrl-C, a dead worker,
    an unreadable file part-way, a closed stdout)."""
    POOL_ABANDONED.append(True)
    workers = dict(getattr(executor, "_processes", None) or {})
    # The queue's feeder thread may be blocked writing a chunk to a worker that is about
    # to be ended; joining it (the pool's clean-up, the interpreter's exit) would wait
    # for ever. The chunks are abandoned anyway.
    call_queue = getattr(executor, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    executor.shutdown(wait=False, cancel_futures=True)
    for process in workers.values():
        if process.is_alive():
            process.terminate()
    for process in workers.values():
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
    # The pool's manager thread may be blocked reading a result an ended worker half-sent:
    # this process holds the pipe's write end too, so the read would wait for ever (and the
    # interpreter's exit joins that thread). Closed here, the read ends and the thread too.
    result_queue = getattr(executor, "_result_queue", None)
    writer = getattr(result_queue, "_writer", None)
    if writer is not None:
        with contextlib.suppress(OSError):
            writer.close()


def _prepend(first: list[Row], rest: Iterator[list[Row]]) -> Iterator[list[Row]]:
    if first:
        yield first
    yield from rest
