"""The main process's share of a run whose workers read their own byte ranges of a CSV
file (``batch.ranges``): the order, the checks across rows, the sink. A row's cells are
read again here only for the few rows that need them (a duplicate, checked again)."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable

from sapkcheck.batch import pipeline
from sapkcheck.batch.cross_rows import CrossRowChecks, Found
from sapkcheck.batch.pipeline import (
    BatchSettings,
    RowOutput,
    SpanOutputs,
    Tally,
    process_spans,
    row_output,
    spans_here,
)
from sapkcheck.batch.ranges import CsvSource, Span, span_rows
from sapkcheck.batch.rows import RowResult
from sapkcheck.batch.tables.model import Row
from sapkcheck.render.batch import FragmentsSink


class SpanRun:
    """Hands each span's rows to the sink in file order, as the serial path would: the
    same outputs, the same duplicates, and on an unreadable row the same rows before its
    error (the serial path hands rows on in groups of ``pipeline.CHUNK_ROWS``)."""

    def __init__(
        self,
        plan: tuple[CsvSource, list[Span]],
        settings: BatchSettings,
        sink: FragmentsSink,
        tally: Tally,
        recheck: Callable[[Row], RowResult],
        duplicates: dict[int, Found],
    ) -> None:
        self.source, self.spans = plan
        # the workers string the rows' fragments as this sink writes them
        self.settings = dataclasses.replace(settings, piece=sink.PIECE, utf8=sink.utf8)
        self.sink, self.tally = sink, tally
        self.recheck, self.duplicates = recheck, duplicates
        self.start = self.spans[0].first  # the first data row: the groups count from it
        # the rows of the group not yet whole: runs of pieces (their text, how many rows
        # have one), rows with a duplicate
        self.held: list[tuple[str | memoryview, int] | tuple[RowOutput, Row]] = []
        self.group = pipeline.CHUNK_ROWS  # read now, as the serial path reads it

    def run(self, jobs: int, advance: Callable[[int], None]) -> None:
        cross: CrossRowChecks | None = None
        if jobs > 1:
            spans = process_spans(self.source, self.spans, self.settings, jobs=jobs)
        else:  # the same spans read here: the fast reader, no process to start
            spans = spans_here(self.source, self.spans, self.settings)
        outputs = contextlib.closing(spans)  # the workers end with any error here
        with outputs as results:
            # The outputs first: their generator runs to its end (the pool shut down, not
            # abandoned) before the spans run out.
            for done, span in zip(results, self.spans, strict=False):
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
        first, count = done.first, len(done.statuses)
        nips, emails = done.nips, done.emails
        self.tally.merge(done.tally)
        found_rows = cross.found_in(range(first, first + count), nips, emails)
        rows = span_rows(self.source, span, found_rows) if found_rows else {}
        # The rows between duplicates go on as runs of fragments; the rows are handed on
        # group by group (a group ends every ``group`` rows from the first data row).
        specials = list(found_rows)  # in row order
        index = 0
        while index < count:
            number = first + index
            end = min(count, index + self.group - (number - self.start) % self.group)
            while specials and specials[0] < first + end:
                special = specials.pop(0)
                self._run(done.pieces(index, special - first))
                self._duplicate(done.output(special - first), rows[special], found_rows[special])
                index = special - first + 1
            self._run(done.pieces(index, end))
            index = end
            if (first + end - self.start) % self.group == 0:
                self._flush()

    def _run(self, pieces: tuple[str | memoryview, int]) -> None:
        """Rows without duplicates: their pieces, in order (a row without one has nothing
        to write and nothing to pair: no sink looks at it)."""
        if pieces[1]:
            self.held.append(pieces)

    def _duplicate(self, output: RowOutput, row: Row, found: Found) -> None:
        """A row with a duplicate: checked again here, with its findings across rows."""
        self.duplicates[row.number] = found
        self.tally.add(output, sign=-1)
        output = row_output(row, self.recheck(row), self.settings)
        self.tally.add(output)
        self.held.append((output, row))

    def _flush(self) -> None:
        sink, duplicates = self.sink, self.duplicates
        for item in self.held:
            if isinstance(item[0], (str, memoryview)):
                text, count = item
                sink.add_pieces(text, count)
            else:
                output, row = item
                sink.add(output, row)
                duplicates.pop(row.number, None)  # the sink has shown the row by now
        self.held.clear()
