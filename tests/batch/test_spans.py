"""A worker's span (``pipeline.process_span``), run in this process: the rows, statuses,
codes, fragments and keys the serial path gives for the same rows; an unreadable row ends
the span with the rows before it and the error."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from pathlib import Path

import pytest

from sapkcheck.batch import pipeline, ranges
from sapkcheck.batch.pipeline import STATUSES, BatchSettings, process_chunk, process_span
from sapkcheck.batch.ranges import CsvSource, Span
from sapkcheck.batch.rows import email_hash, email_number
from sapkcheck.batch.tables.reader import open_table
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.limits import MAX_CELLS_PER_ROW
from sapkcheck.render.batch import JsonRecordRenderer, RecordBuilder
from tests.batch.test_parallel_equal import staff, write


def _settings(path: Path) -> BatchSettings:
    with open_table(path) as table:
        columns = table.columns
    records = RecordBuilder(catalog("en"), {}, mask=False)
    return BatchSettings(
        columns, date(2026, 11, 29), JsonRecordRenderer(records, False, False), False
    )


def _planned(path: Path, span_bytes: int = 2000) -> tuple[CsvSource, list[Span]]:
    """The spans a run would hand its workers (the file must allow them)."""
    with open_table(path) as table:
        plan = ranges.plan_spans(table, span_bytes=span_bytes)
    assert plan is not None
    return plan


@pytest.mark.parametrize("stage_rows", [pipeline.STAGE_ROWS, 7, 1])
@pytest.mark.parametrize("span_bytes", [2000, 20000])
def test_spans_give_what_the_serial_path_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage_rows: int, span_bytes: int
) -> None:
    """Spans shorter and longer than a worker's batch of rows (``STAGE_ROWS``), and
    batches that end exactly where a span ends."""
    monkeypatch.setattr(pipeline, "STAGE_ROWS", stage_rows)
    path = write(tmp_path / "staff.csv", staff(random.Random(8), 400))
    settings = _settings(path)
    with open_table(path) as table:
        serial, tally = process_chunk(list(table), settings)
    with open_table(path) as table:
        plan = ranges.plan_spans(table, span_bytes=span_bytes)
    assert plan is not None and len(plan[1]) > 1
    source, spans = plan
    if span_bytes > 2000:
        assert max(span.lines for span in spans) > 100  # several batches of 7 rows
    for key in (email_hash, email_number):
        done = [process_span(source, span, settings, key) for span in spans]
        assert all(part.error is None for part in done)
        rows = [part.first + i for part in done for i in range(len(part.statuses))]
        assert rows == [output.row for output in serial]
        assert [STATUSES[s] for part in done for s in part.statuses] == [o.status for o in serial]
        assert [c for part in done for c in part.codes] == [o.codes for o in serial]
        assert [f for part in done for f in _fragments(part, settings.piece)] == [
            o.fragment for o in serial
        ]
        whole = [part.pieces(0, len(part.statuses)) for part in done]
        assert "".join(text for text, _ in whole) == "".join(
            o.fragment for o in serial if o.fragment is not None
        )
        assert sum(count for _, count in whole) == sum(o.fragment is not None for o in serial)
        assert [n for part in done for n in part.nips] == [
            int(o.nip_key) if o.nip_key else 0 for o in serial
        ]
        assert [e for part in done for e in part.emails] == [key(o.email_key) for o in serial]
        merged = pipeline.Tally()
        for part in done:
            merged.merge(part.tally)
        assert (merged.ok, merged.warn, merged.fail, +merged.by_code) == (
            tally.ok,
            tally.warn,
            tally.fail,
            +tally.by_code,
        )


@pytest.mark.parametrize("stage_rows", [pipeline.STAGE_ROWS, 4])
def test_an_unreadable_row_ends_its_span_with_the_rows_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stage_rows: int
) -> None:
    """Also when the row is in a later batch of its span than the first."""
    monkeypatch.setattr(pipeline, "STAGE_ROWS", stage_rows)
    path = write(tmp_path / "staff.csv", staff(random.Random(9), 300))
    lines = path.read_bytes().split(b"\n")
    lines[150] += b"," * (MAX_CELLS_PER_ROW + 1)  # row 151: too many cells
    path.write_bytes(b"\n".join(lines))
    settings = _settings(path)
    with open_table(path) as table:
        plan = ranges.plan_spans(table, span_bytes=2000)
    assert plan is not None
    source, spans = plan
    span = next(s for s in spans if s.first <= 151 < s.first + s.lines)
    assert 151 - span.first > 4  # past the first batch of 4 rows
    if stage_rows != pipeline.STAGE_ROWS:
        # and once exactly where a batch ends: the next batch is empty but for the error
        for stage in (151 - span.first, 1):
            monkeypatch.setattr(pipeline, "STAGE_ROWS", stage)
            done = process_span(source, span, settings)
            assert done.error is not None and len(done.statuses) == 151 - span.first
        monkeypatch.setattr(pipeline, "STAGE_ROWS", stage_rows)
    done = process_span(source, span, settings)
    assert done.error is not None and done.error.params["row"] == "151"
    assert len(done.statuses) == 151 - span.first == len(done.ends) == len(done.written)
    assert len(done.codes) == len(done.nips) == len(done.emails) == 151 - span.first


def test_a_worker_s_span_call_uses_what_its_initializer_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_worker_span`` (run in each worker) reads the settings, the file and the email key
    the pool's initializer left; here set directly (the initializer also ignores Ctrl-C)."""
    path = write(tmp_path / "staff.csv", staff(random.Random(10), 100))
    settings = _settings(path)
    source, spans = _planned(path)
    monkeypatch.setattr(pipeline, "_worker_settings", settings)
    monkeypatch.setattr(pipeline, "_worker_source", source)
    monkeypatch.setattr(pipeline, "_worker_email_key", email_number)
    done = pipeline._worker_span(spans[0])
    assert done == process_span(source, spans[0], settings, email_number)


def test_the_child_s_address_space_is_measured() -> None:
    from sapkcheck.batch.tables.sheet_child import PROBE_MEMORY, _address_space

    assert 0 < _address_space() < PROBE_MEMORY


def test_a_forked_pool_reads_the_check_data_once_before_its_workers_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Forked workers inherit the data read here (each would read it again); spawned
    ones start afresh, so nothing is read for them."""
    path = write(tmp_path / "staff.csv", staff(random.Random(11), 60))
    settings = _settings(path)
    source, spans = _planned(path)
    calls: list[str] = []
    monkeypatch.setattr(pipeline, "_load_check_data", lambda: calls.append("loaded"))
    done = list(pipeline.process_spans(source, spans, settings, jobs=2, method="fork"))
    assert calls == ["loaded"] and len(done) == len(spans)
    with open_table(path) as table:
        list(pipeline.process_rows(table, settings, jobs=1))
    assert calls == ["loaded"]  # one process: the data is read on first use, if at all


def test_the_check_data_can_be_read_ahead() -> None:
    import sys

    from sapkcheck.checks.chars import load_lookalikes
    from sapkcheck.checks.email import typos

    typos._data.cache_clear()
    pipeline._load_check_data()
    assert typos._data.cache_info().currsize == 1
    load_lookalikes()
    assert "confusable_homoglyphs.confusables" in sys.modules


def _fragments(part: pipeline.SpanOutputs, piece: tuple[str, str]) -> list[str | None]:
    """Each row's fragment, read back from the span's text (None: the row has none)."""
    before, after = piece
    found: list[str | None] = []
    for index in range(len(part.statuses)):
        text, count = part.pieces(index, index + 1)
        if isinstance(text, memoryview):  # BatchSettings.utf8: a view of the row's bytes
            text = bytes(text).decode()
        assert text.startswith(before) and text.endswith(after)
        found.append(text[len(before) : len(text) - len(after)] if count else None)
        assert count or not text
    return found


def _serial_and_spans(
    path: Path, settings: BatchSettings
) -> tuple[list[pipeline.RowOutput], list[pipeline.SpanOutputs]]:
    """The serial path's outputs of the file's rows, and its spans' (of ~2,000 bytes)."""
    with open_table(path) as table:
        serial, _ = process_chunk(list(table), settings)
        plan = ranges.plan_spans(table, span_bytes=2000)
    assert plan is not None
    source, spans = plan
    return serial, [process_span(source, span, settings) for span in spans]


def test_the_rows_travel_strung_as_the_sink_writes_them(tmp_path: Path) -> None:
    path = write(tmp_path / "staff.csv", staff(random.Random(9), 300))
    settings = dataclasses.replace(_settings(path), piece=(",\n  ", "!"))
    serial, done = _serial_and_spans(path, settings)
    assert [f for part in done for f in _fragments(part, settings.piece)] == [
        o.fragment for o in serial
    ]
    assert "".join(part.pieces(0, len(part.statuses))[0] for part in done) == "".join(
        f",\n  {o.fragment}!" for o in serial if o.fragment is not None
    )


@pytest.mark.parametrize("start", [0, 1, 6, 7])
def test_a_span_s_text_is_written_whole_a_slice_at_a_time(
    monkeypatch: pytest.MonkeyPatch, start: int
) -> None:
    import io

    from sapkcheck.render import batch as render_batch

    monkeypatch.setattr(render_batch, "WRITE_SLICE", 3)
    text = ',\n  {"row": 2}é\u2423' * 5
    stream = io.StringIO()
    render_batch.write_slices(stream, text, start)
    assert stream.getvalue() == text[start:]


@pytest.mark.parametrize("piece", [("", ""), ("", "\n"), (",\n  ", "")])
def test_the_rows_travel_as_utf8_bytes_where_the_sink_takes_them(
    tmp_path: Path, piece: tuple[str, str]
) -> None:
    """Names and emails beyond ASCII (the rows' ends count bytes, not characters), each
    row's bytes its own fragment."""
    rows = staff(random.Random(10), 300)
    for number, row in enumerate(rows):
        if number % 3 == 0:
            row[1] = f"Siti Nur\u2019aini {number} \U0001f600"
        if number % 5 == 0:
            row[3] = row[3].replace("@", "\u00e9@", 1)
    path = write(tmp_path / "staff.csv", rows)
    settings = dataclasses.replace(_settings(path), piece=piece, utf8=True)
    serial, done = _serial_and_spans(path, settings)
    assert all(isinstance(part.text, bytes) for part in done)
    assert any(len(part.text) != len(part.text.decode()) for part in done)
    assert [f for part in done for f in _fragments(part, piece)] == [o.fragment for o in serial]
    before, after = piece
    views = [part.pieces(0, len(part.statuses))[0] for part in done]
    assert all(isinstance(view, memoryview) for view in views)  # no copy of the bytes
    expected = "".join(f"{before}{o.fragment}{after}" for o in serial if o.fragment is not None)
    assert b"".join(views) == expected.encode()  # type: ignore[arg-type]


def test_a_text_that_does_not_encode_travels_as_text() -> None:
    """A lone surrogate (a byte the input's encoding could not read) is the sink's
    encoder's to write (escaped on a terminal, an error elsewhere), as on the serial path."""
    fragments = ["ok", None, "bad \udc80 byte", "caf\u00e9"]
    text, ends, written = pipeline.strung(fragments, ("", "\n"), utf8=True)
    assert text == "ok\nbad \udc80 byte\ncaf\u00e9\n"
    assert list(ends) == [3, 3, 14, 19] and written == b"\x01\x00\x01\x01"
    data, ends, _ = pipeline.strung(["ok", None, "caf\u00e9 \u2423"], ("", "\n"), utf8=True)
    assert data == "ok\ncaf\u00e9 \u2423\n".encode()
    assert list(ends) == [3, 3, len(data)] and data[3:].decode() == "caf\u00e9 \u2423\n"
    assert pipeline.strung(["caf\u00e9"], ("", ""))[0] == "caf\u00e9"  # not asked: a str


def test_which_streams_take_utf8_bytes(tmp_path: Path) -> None:
    import io

    from sapkcheck.render.batch import takes_utf8

    def wrapper(encoding: str, newline: str | None = None) -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(), encoding=encoding, newline=newline)

    assert takes_utf8(wrapper("utf-8")) and takes_utf8(wrapper("UTF8", newline=""))
    assert not takes_utf8(wrapper("utf-8-sig"))  # its writer adds a BOM
    assert not takes_utf8(wrapper("cp1252")) and not takes_utf8(wrapper("ascii"))
    assert not takes_utf8(io.StringIO())  # no bytes under it


def test_bytes_follow_the_text_written_before_them() -> None:
    import io

    from sapkcheck.render import batch as render_batch

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    stream.write("{\u00e9 head")
    render_batch.write_slices(stream, memoryview(",\n  caf\u00e9".encode()), 1)
    stream.write(" tail}")
    stream.flush()
    assert raw.getvalue().decode() == "{\u00e9 head\n  caf\u00e9 tail}"


def test_bytes_are_written_whole_when_the_stream_takes_part_of_them() -> None:
    """Under ``python -u`` the binary stream is raw: a write may take a few bytes, or none
    for now (None: a non-blocking descriptor that is full, waited on with select)."""
    import os

    from sapkcheck.render import batch as render_batch

    reading, writing = os.pipe()  # an empty pipe: select finds its write end writable

    class Raw:
        def __init__(self) -> None:
            self.taken = bytearray()
            self.calls = 0

        def write(self, data: memoryview) -> int | None:
            self.calls += 1
            if self.calls % 3 == 0:
                return None
            chunk = bytes(data[:5])
            self.taken += chunk
            return len(chunk)

        def fileno(self) -> int:
            return writing

    class Text:
        buffer = Raw()

        def flush(self) -> None:
            pass

    stream = Text()
    data = ',\n  {"row": 2, "name": "Nur\u2019aini"}'.encode() * 7
    try:
        render_batch.write_slices(stream, memoryview(data), 1)  # type: ignore[arg-type]
    finally:
        os.close(reading)
        os.close(writing)
    assert bytes(stream.buffer.taken) == data[1:]
    assert stream.buffer.calls > len(data) // 5
