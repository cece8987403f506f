"""Workers that cannot hang or run away (issue 14, item 2): ``--jobs`` has a documented
maximum; a worker killed by SIGKILL/SIGTERM ends the run with exit 2 and one sentence
within seconds; Ctrl-C with workers prints one line; fork and spawn both work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sapkcheck.batch import pipeline
from sapkcheck.batch.pipeline import (
    CHUNK_ROWS,
    BatchSettings,
    RowRenderer,
    Tally,
    WorkerDied,
    default_jobs,
    process_rows,
)
from sapkcheck.batch.rows import RowResult
from sapkcheck.batch.tables.model import Columns, Row
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.limits import MAX_JOBS
from sapkcheck.render.batch import NoFragment
from tests.helpers import hear_ctrl_c, run_cli

POSIX = os.name == "posix"
COLUMNS = Columns(nip=0, email=1, registered=None, name=None, header=("NIP", "EMAIL"))


def staff_rows(count: int) -> Iterator[Row]:
    for i in range(count):
        nip = f"19860926201505{1 + i % 2}{i % 1000:03d}"
        yield Row(i + 2, (nip, f"user{i}@gmail.com " if i % 7 == 0 else f"user{i}@gmail.com"), 0)


def write_staff(path: Path, count: int) -> Path:
    lines = ["NIP,EMAIL"]
    for i in range(count):
        # distinct NIPs (no duplicates to re-check in the main process): workers do the work
        lines.append(
            f"{1960 + i % 40}0926{2000 + i % 20}05{1 + i % 2}{i % 999 + 1:03d},u{i}@x.com "
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class KillingRenderer(RowRenderer):
    """Renders nothing; in a worker process, the first row of the second chunk kills it."""

    def __init__(self, parent: int, how: signal.Signals) -> None:
        self.parent = parent
        self.how = how

    def __call__(self, result: RowResult, row: Row) -> str | None:
        if os.getpid() != self.parent and result.row == CHUNK_ROWS + 2:
            os.kill(os.getpid(), self.how)
            time.sleep(30)  # SIGTERM may take a moment to land
        return None


def settings(render: object) -> BatchSettings:
    return BatchSettings(COLUMNS, date(2025, 1, 1), render, want_fixed=False)  # type: ignore[arg-type]


@pytest.mark.skipif(not POSIX, reason="signals and fork")
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_killed_worker_ends_the_run_within_seconds(how: signal.Signals) -> None:
    render = KillingRenderer(os.getpid(), how)
    started = time.monotonic()
    with pytest.raises(WorkerDied):
        for _ in process_rows(staff_rows(CHUNK_ROWS * 6), settings(render), jobs=2):
            pass
    assert time.monotonic() - started < 20


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _start_batch(source: Path, *, new_session: bool = False) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "sapkcheck", "batch", str(source), "--jobs", "2", "--lang", "en"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=new_session,
        preexec_fn=hear_ctrl_c if POSIX else None,
    )


def _wait_for_workers(process: subprocess.Popen[str], count: int = 2) -> list[int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = _children(process.pid)
        if len(children) >= count:
            time.sleep(0.5)  # let them take their first chunks
            return children
        if process.poll() is not None:
            break
        time.sleep(0.05)
    process.kill()
    pytest.fail("the batch run never started its workers")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_cli_worker_killed_from_outside_exits_2_with_one_sentence(tmp_path: Path) -> None:
    """The campaign case: the OOM killer SIGKILLs one worker; the parent used to wait for
    ever. Now: exit 2 and one sentence, within seconds."""
    source = write_staff(tmp_path / "staff.csv", 200_000)
    process = _start_batch(source)
    workers = _wait_for_workers(process)
    os.kill(workers[0], signal.SIGKILL)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the parent still waits for a dead worker")
    assert process.returncode == 2
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and catalog("en").ui("error-batch-worker-died") in lines[0]
    assert "Traceback" not in stderr


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_with_two_jobs_prints_one_line(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: workers ignore it, the parent says it once."""
    source = write_staff(tmp_path / "staff.csv", 200_000)
    process = _start_batch(source, new_session=True)
    workers = _wait_for_workers(process)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, stderr = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("Ctrl-C did not end the run")
    assert process.returncode == 130
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and catalog("en").ui("error-interrupted") in lines[0]
    time.sleep(0.5)
    for worker in workers:  # no worker left behind
        assert not Path(f"/proc/{worker}").exists() or "Z" in _state(worker)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].split()[0]
    except (OSError, IndexError):
        return "Z"


@pytest.mark.parametrize("method", ["spawn", *(["fork"] if POSIX else [])])
def test_start_methods_give_the_same_rows_in_order(method: str) -> None:
    """Windows (and frozen builds) start workers with spawn: settings must pickle and the
    results come back in input order, the same as in one process."""
    count = CHUNK_ROWS * 2 + 17
    alone = [
        (row.number, output)
        for rows, outputs, _ in process_rows(staff_rows(count), settings(NoFragment()), jobs=1)
        for row, output in zip(rows, outputs, strict=True)
    ]
    pooled = [
        (row.number, output)
        for rows, outputs, _ in process_rows(
            staff_rows(count), settings(NoFragment()), jobs=2, method=method
        )
        for row, output in zip(rows, outputs, strict=True)
    ]
    assert pooled == alone
    assert [number for number, _ in pooled] == list(range(2, count + 2))


def test_jobs_1_starts_no_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where processes cannot start (a locked-down PC, a sandbox), --jobs 1 still works."""
    import multiprocessing

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(multiprocessing, "get_context", refuse)
    results = list(process_rows(staff_rows(CHUNK_ROWS * 2), settings(NoFragment()), jobs=1))
    assert sum(len(rows) for rows, _, _ in results) == CHUNK_ROWS * 2


@pytest.mark.parametrize("jobs", ["99999999999999999999", "400", str(MAX_JOBS + 1), "0"])
def test_jobs_past_the_maximum_is_a_usage_error(tmp_path: Path, jobs: str) -> None:
    source = write_staff(tmp_path / "staff.csv", 3)
    run = run_cli("batch", str(source), f"--jobs={jobs}")
    assert run.exit_code == 2
    assert "--jobs" in run.stderr


def test_default_jobs_is_capped() -> None:
    assert 1 <= default_jobs() <= MAX_JOBS


def test_jobs_at_the_maximum_is_accepted(tmp_path: Path) -> None:
    source = write_staff(tmp_path / "staff.csv", 3)
    assert run_cli("batch", str(source), f"--jobs={MAX_JOBS}").exit_code in (0, 1)


@pytest.mark.skipif(not POSIX, reason="SIGINT semantics")
def test_workers_ignore_ctrl_c() -> None:
    """The parent alone answers Ctrl-C; a worker that took it would print its traceback."""
    from sapkcheck.batch import pipeline

    before = signal.getsignal(signal.SIGINT)
    try:
        pipeline._init_worker(settings(NoFragment()))
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, before)
        pipeline._worker_settings = None


def test_a_dead_worker_is_noticed_even_if_its_result_never_arrives() -> None:
    # A worker killed while sending a result leaves the pool's manager thread reading the
    # rest of that message for ever: the pool never learns of the death and the future
    # never completes. The wait itself must look at the workers.
    from concurrent.futures import Future
    from types import SimpleNamespace

    never: Future[Any] = Future()
    alive = SimpleNamespace(exitcode=None)
    dead = SimpleNamespace(exitcode=-signal.SIGKILL)
    raised: list[BaseException] = []

    def wait() -> None:
        try:
            pipeline._result(never, SimpleNamespace(_processes={1: alive, 2: dead}))
        except BaseException as error:
            raised.append(error)

    waiter = threading.Thread(target=wait, daemon=True)  # a daemon: a hang fails, not blocks
    waiter.start()
    waiter.join(timeout=10 * pipeline.HEALTH_CHECK_SECONDS)
    assert not waiter.is_alive(), "the wait never noticed the dead worker"
    assert len(raised) == 1 and isinstance(raised[0], WorkerDied)
    done: Future[Any] = Future()
    done.set_result(([], Tally()))
    assert pipeline._result(done, SimpleNamespace(_processes={1: alive}))[0] == []
