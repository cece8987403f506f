"""The main process's share of a run whose workers read their own byte ranges of a CSV
file (``batch.ranges``): the order, the checks across rows, the sink. A row's cells are
read again here only for the few rows that need them (a duplicate, checked again)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from sapkcheck.batch import pipeline
from sapkcheck.batch.pipeline import (
    BatchSettings,
    RowOutput,
    SpanOutputs,
    Tally,
    process_spans,
    row_output,
)
from sapkcheck.batch.ranges import CsvSource, Span, span_rows
from sapkcheck.batch.rows import CrossRowChecks, RowResult
from sapkcheck.batch.tables.model import Row
from sapkcheck.render.batch import Sink

Found = tuple[int | None, int | None]


class SpanRun:
    """Hands each span's rows to the sink in file order, as the serial path would: the
    same outputs, the same duplicates, and on an unreadable row the same rows before its
    error (the serial path hands rows on in groups of ``pipeline.CHUNK_ROWS``)."""

    def __init__(
        self,
        plan: tuple[CsvSource, list[Span]],
        settings: BatchSettings,
        sink: Sink,
        tally: Tally,
        recheck: Callable[[Row], RowResult],
        duplicates: dict[int, Found],
    ) -> None:
        self.source, self.spans = plan
        self.settings, self.sink, self.tally = settings, sink, tally
        self.recheck, self.duplicates = recheck, duplicates
        self.start = self.spans[0].first  # the first data row: the groups count from it
        self.held: list[tuple[RowOutput, Row]] = []  # the rows of the group not yet whole
        self.group = pipeline.CHUNK_ROWS  # read now, as the serial path reads it

    def run(self, jobs: int, advance: Callable[[int], None]) -> None:
        cross: CrossRowChecks | None = None
        spans = process_spans(self.source, self.spans, self.settings, jobs=jobs)
        outputs = contextlib.closing(spans)  # the workers end with any error here
        with outputs as results:
            for span, done in zip(self.spans, results, strict=False):
                if cross is None:
                    # Made only now: forked workers (started with the first span) need not
                    # inherit arrays sized for the whole file.
                    cross = CrossRowChecks(expected_rows=sum(s.lines for s in self.spans))
                self._take(span, done, cross)
                advance(len(done.statuses))
                if done.error is not None:
                    # The serial path hands on whole groups only: the rows held since the
                    # last group boundary are dropped with the error.
                    raise done.error
        self._flush()

    def _take(self, span: Span, done: SpanOutputs, cross: CrossRowChecks) -> None:
        tally, first, count = self.tally, done.first, len(done.statuses)
        nips, emails, fragments = done.nips, done.emails, done.fragments
        tally.merge(done.tally)
        duplicate_keys = cross.duplicate_keys
        found_rows: dict[int, Found] = {}
        for index in range(count):
            found = duplicate_keys(first + index, nips[index], emails[index])
            if found != (None, None):
                found_rows[first + index] = found
        rows = span_rows(self.source, span, found_rows) if found_rows else {}
        held, settings, start, group = self.held, self.settings, self.start, self.group
        for index in range(count):
            number = first + index
            if number in found_rows:
                row = rows[number]
                self.duplicates[number] = found_rows[number]
                tally.add(done.output(index), sign=-1)
                output = row_output(row, self.recheck(row), settings)
                tally.add(output)
                held.append((output, row))
            elif fragments[index] is not None:
                held.append((done.output(index), Row(number, (), 0)))
            # else: nothing to write, nothing to pair: no sink looks at the row
            if (number - start + 1) % group == 0:
                self._flush()

    def _flush(self) -> None:
        sink, duplicates = self.sink, self.duplicates
        for output, row in self.held:
            sink.add(output, row)
            duplicates.pop(output.row, None)  # the sink has shown the row by now
        self.held.clear()
