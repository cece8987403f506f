"""Parallel runs equal the serial reference byte for byte (issue 13).

Rows go to the workers in chunks (``pipeline.CHUNK_ROWS``, made small here so that every
file has dozens of chunk boundaries); whatever the split, ``--jobs 2`` must give the exit
code, stdout, stderr and ``--output`` file of ``--jobs 1``: every format, planted problems
of every kind, duplicates on both sides of every chunk boundary, blank and ragged rows at
boundaries, quoted fields and quoted newlines, BOM, ``;`` and tab, CRLF, cp1252, and a file
that turns unreadable part-way. Under fork and spawn.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from sapkcheck.batch import pipeline, ranges, span_run
from sapkcheck.batch import run as batch_run
from sapkcheck.limits import MAX_CELLS_PER_ROW
from tests.helpers import Run

CLI = Callable[..., Run]
FORMATS = ("text", "jsonl", "json", "csv")
HEADER = ["NO", "NAMA", "NIP", "EMAIL", "EMAIL SAPK"]
CHUNK = 37  # rows: dozens of chunk boundaries in every file
SPAN = 1500  # bytes: workers read their own spans of ~20 rows


def _nip(rng: random.Random) -> str:
    year = rng.randint(1965, 2000)
    born = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return f"{born}{year + 25}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"


def _damaged_nip(rng: random.Random, nip: str) -> str:
    return rng.choice(
        [
            f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}",
            f"{int(nip[:6]) / 10**5:.5f}E+17".replace(".", ","),
            nip[:-1],
            nip[:4] + "13" + nip[6:],
            nip[:10] + "O" + nip[11:],
            "NIP. " + nip,
            "",
        ]
    )


def _damaged_email(rng: random.Random, email: str) -> str:
    local, _, domain = email.partition("@")
    return rng.choice(
        [
            email + "  ",
            " " + email,
            "\u200b" + email,
            f"{local}@gmial.com",
            f"<{email}>",
            email.replace("u", "\u0443", 1),
            local + domain,
            email.upper(),
            f"mailto:{email}",
            f"{local} @{domain}",
            "=HYPERLINK(1)",
            "",
        ]
    )


def staff(rng: random.Random, count: int) -> list[list[str]]:
    """Rows with a problem of some kind on about one in three; the first row of every
    chunk repeats the NIP, the next one the email, of the row before the boundary; more
    duplicates (NIP and email, same and other NIP) drawn from anywhere earlier."""
    rows: list[list[str]] = []
    for number in range(1, count + 1):
        nip = _nip(rng)
        email = f"u{number:06d}@{rng.choice(['gmail.com', 'yahoo.co.id', 'bkn.go.id'])}"
        registered = email if rng.random() > 0.1 else f"x{number:06d}@gmail.com"
        roll = rng.random()
        index = number - 1  # rows[0] is the file's row 2
        if rows and index % CHUNK == 0:
            nip = rows[-1][2]
        elif len(rows) > 1 and index % CHUNK == 1:
            email = rows[-2][3]
        elif roll < 0.15:
            nip = _damaged_nip(rng, nip)
        elif roll < 0.3:
            email = _damaged_email(rng, email)
        elif roll < 0.36 and rows:
            earlier = rng.choice(rows)
            nip, email = (earlier[2], email) if roll < 0.33 else (nip, earlier[3])
        rows.append([str(number), "PEGAWAI", nip, email, registered])
    return rows


def write(
    path: Path,
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    newline: str = "\n",
    encoding: str = "utf-8",
) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture(params=["fork", "spawn"])
def method(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", CHUNK)
    monkeypatch.setattr(pipeline, "start_method", lambda: request.param)
    # spans of a few rows each, cut anywhere the file allows (they never meet CHUNK)
    monkeypatch.setattr(ranges, "SPAN_BYTES", SPAN)
    SPAN_RUNS.clear()
    monkeypatch.setattr(span_run.SpanRun, "run", _counted(span_run.SpanRun.run))
    return str(request.param)


SPAN_RUNS: list[int] = []  # the runs whose workers read their own spans


def _counted(run: Callable[..., None]) -> Callable[..., None]:
    def counted(self: span_run.SpanRun, *args: object) -> None:
        SPAN_RUNS.append(len(self.spans))
        run(self, *args)

    return counted


def _reference(cli: CLI, *args: str) -> Run:
    """The serial reference: ``--jobs 1`` with the rows read by the main process's reader,
    one after the other (no span plan)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch_run, "_span_plan", lambda *unused: None)
        run = cli(*args, "--jobs", "1")
    assert not SPAN_RUNS
    return run


def assert_same(cli: CLI, path: Path, tmp_path: Path, *extra: str, spans: bool = True) -> list[Run]:
    """Every format, to stdout and to --output: ``--jobs 1`` (spans read in this process)
    and ``--jobs 2`` (spans read by the workers) give what the serial reference gives;
    ``spans``: whether they read spans (a file with a quoted line break is read by the
    main process)."""
    runs: list[Run] = []
    for fmt in FORMATS:
        serial = _reference(cli, "batch", str(path), "--format", fmt, *extra)
        for jobs in ("1", "2"):
            pipeline.POOL_ABANDONED.clear()
            other = cli("batch", str(path), "--format", fmt, "--jobs", jobs, *extra)
            # Every span handed back or an error drained: the pool is shut down, never
            # abandoned (the program would leave with os._exit, leaking its semaphores).
            assert not pipeline.POOL_ABANDONED, (fmt, jobs)
            assert bool(SPAN_RUNS) == spans and all(count > 10 for count in SPAN_RUNS), fmt
            SPAN_RUNS.clear()
            assert (other.exit_code, other.stderr) == (serial.exit_code, serial.stderr), fmt
            assert other.stdout == serial.stdout, (fmt, jobs)
        written = []
        for jobs in ("reference", "1", "2"):
            target = tmp_path / f"out-{fmt}-{jobs}"
            args = ("batch", str(path), "--format", fmt, "--output", str(target), *extra)
            run = _reference(cli, *args) if jobs == "reference" else cli(*args, "--jobs", jobs)
            written.append((run.exit_code, target.read_bytes() if target.exists() else None))
            SPAN_RUNS.clear()
        assert written[0] == written[1] == written[2], fmt
        runs.append(serial)
    return runs


@pytest.mark.parametrize(
    "style",
    [
        {"delimiter": ",", "newline": "\n", "encoding": "utf-8"},
        {"delimiter": ";", "newline": "\r\n", "encoding": "utf-8-sig"},
        {"delimiter": "\t", "newline": "\r\n", "encoding": "cp1252"},
    ],
    ids=["utf8-comma-lf", "bom-semicolon-crlf", "cp1252-tab-crlf"],
)
def test_parallel_equals_serial_with_problems_of_every_kind(
    cli: CLI, tmp_path: Path, method: str, style: dict[str, str]
) -> None:
    rows = staff(random.Random(13), 1200)
    if style["encoding"] == "cp1252":
        for row in rows:
            row[3] = row[3].encode("cp1252", "replace").decode("cp1252")
    path = write(tmp_path / "staff.csv", rows, **style)
    runs = assert_same(cli, path, tmp_path)
    by_code = runs[0].stdout  # the text report counts every code
    assert "row-duplicate-nip" in by_code and "row-duplicate-email" in by_code
    masked = assert_same(cli, path, tmp_path, "--mask", "--lang", "en", "--show", "all")
    assert masked[0].exit_code == 1


@pytest.mark.parametrize("line_breaks", [False, True], ids=["spans", "quoted-line-breaks"])
def test_blank_ragged_and_quoted_rows_at_boundaries(
    cli: CLI, tmp_path: Path, method: str, line_breaks: bool
) -> None:
    rows = staff(random.Random(5), 900)
    for index in range(len(rows)):
        if index % 20 >= 17:  # runs of blank rows: some end a chunk (held back, then shown)
            rows[index] = ["", "", "", "", ""]
        elif index % 7 == 0:
            rows[index] = [*rows[index], "extra", ""]
    for index in range(3, len(rows), 11):
        rows[index][1] = 'Dra. "Sari", S.Pd; M.Si'  # quoted: a delimiter and quotes inside
    for index in range(5, len(rows), 29) if line_breaks else ():
        rows[index][1] = "Sari\nDewi"  # a quoted line break: one row, two lines
    path = write(tmp_path / "staff.csv", rows)
    assert_same(cli, path, tmp_path, spans=not line_breaks)
    text = cli("batch", str(path), "--format", "jsonl", "--jobs", "2").stdout
    assert '"row-empty"' in text and '"row-too-many-columns"' in text


@pytest.mark.parametrize("where", ["late", "boundary"])
def test_a_file_unreadable_part_way_fails_the_same(
    cli: CLI, tmp_path: Path, method: str, where: str
) -> None:
    rows = staff(random.Random(21), 900)
    path = write(tmp_path / "staff.csv", rows)
    row = CHUNK * 12 + 2 if where == "boundary" else 800  # the file's row numbers
    lines = path.read_bytes().split(b"\n")
    lines[row - 1] += b"," * (MAX_CELLS_PER_ROW + 10)  # too many cells: exit 2 at that row
    path.write_bytes(b"\n".join(lines))
    runs = assert_same(cli, path, tmp_path)
    for run in runs:
        assert run.exit_code == 2
        assert str(row) in run.stderr
    for fmt in FORMATS:
        assert not (tmp_path / f"out-{fmt}-2").exists()
        assert not (tmp_path / f"out-{fmt}-1").exists()
        assert not (tmp_path / f"out-{fmt}-reference").exists()


def test_a_row_gone_when_read_again_is_a_clear_error(tmp_path: Path) -> None:
    """The main process reads a duplicate's line again: a file cut short meanwhile (being
    edited) is exit 2 naming the row, never an internal error."""
    rows = staff(random.Random(3), 200)
    path = write(tmp_path / "staff.csv", rows)
    from sapkcheck.batch.tables.model import TableError
    from sapkcheck.batch.tables.reader import open_table

    with open_table(path) as table:
        plan = ranges.plan_spans(table, span_bytes=1500)
    assert plan is not None
    source, spans = plan
    last = spans[-1]
    assert ranges.span_rows(source, last, [last.first])[last.first].number == last.first
    path.write_bytes(path.read_bytes()[: last.start + 5])  # the span's first line cut
    with pytest.raises(TableError) as raised:
        ranges.span_rows(source, last, [last.first + 1])
    assert raised.value.params["reason"] == "changed"
    assert raised.value.params["row"] == str(last.first + 1)


@pytest.mark.parametrize("ending", ["", "\x1a"], ids=["plain", "ctrl-z"])
def test_title_rows_and_a_two_row_header_before_the_spans(
    cli: CLI, tmp_path: Path, method: str, ending: str
) -> None:
    """Spans number their rows from the first data row: after a title row and a header of
    two rows (a parent label over sub-labels), and a file that ends in Ctrl-Z."""
    rows = staff(random.Random(17), 600)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(
        [["DAFTAR PEGAWAI", "", "", "", ""], [*HEADER[:4], "EMAIL"], ["", "", "", "AKTIF", "SAPK"]]
    )
    writer.writerows(rows)
    path = tmp_path / "staff.csv"
    path.write_bytes((buffer.getvalue() + ending).encode("utf-8"))
    runs = assert_same(cli, path, tmp_path)
    assert "baris 2-3" in runs[0].stdout  # the header's rows, as the report says


def test_files_the_spans_refuse(tmp_path: Path) -> None:
    """UTF-16, a header whose line holds a quoted line break, stdin: the main process reads."""
    rows = [HEADER, *staff(random.Random(2), 50)]
    text = "".join(",".join(row) + "\r\n" for row in rows)
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(text.encode("utf-16"))
    broken = tmp_path / "header.csv"
    broken.write_text('NO,"NA\nMA",NIP,EMAIL,EMAIL SAPK\r\n' + text.split("\r\n", 1)[1])
    from sapkcheck.batch.tables.reader import open_table

    for path in (utf16, broken):
        with open_table(path) as table:
            assert ranges.plan_spans(table, span_bytes=500) is None, path.name
    with open_table("-", stdin=io.BytesIO(text.encode())) as table:
        assert ranges.plan_spans(table, span_bytes=500) is None
