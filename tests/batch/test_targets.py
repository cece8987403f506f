"""Output targets under attack (issue 14, items 3 and 9): every target checked before the
work, devices and FIFOs written through, ``-`` is stdout, no temp file left by SIGTERM or
SIGHUP, a full or closed output is one "cannot write" line (exit 2), a broken pipe is quiet.

The attacks that need a real process (stdin redirected from a file, signals, a closed or
full stdout, a pipe whose reader stops) run ``python -m sapkcheck`` in a subprocess.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sapkcheck import errors
from sapkcheck.batch import output
from sapkcheck.errors import UsageProblem
from tests.helpers import Run

CLI = Callable[..., Run]
ROOT = Path(__file__).resolve().parents[2]
STAFF = "NIP,EMAIL\n198609262015051002,eli.sari@gmail.com\n198609262015051000,budi@gmial.com\n"


def sapkcheck(
    *args: str, stdin: object = None, stdout: object = subprocess.PIPE, shell_tail: str = ""
) -> subprocess.CompletedProcess[bytes]:
    """``python -m sapkcheck`` in a real process (English messages)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAPKCHECK_")}
    command = [sys.executable, "-m", "sapkcheck", *args, "--lang", "en"]
    if shell_tail:
        import shlex

        return subprocess.run(
            " ".join(map(shlex.quote, command)) + " " + shell_tail,
            shell=True,
            stdin=stdin,  # type: ignore[arg-type]
            stdout=stdout,  # type: ignore[arg-type]
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            timeout=120,
            check=False,
        )
    return subprocess.run(
        command,
        stdin=stdin,  # type: ignore[arg-type]
        stdout=stdout,  # type: ignore[arg-type]
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def one_error_line(stderr: bytes) -> str:
    text = stderr.decode()
    assert text.count("\n") == 1, text
    assert "Internal error" not in text and "Traceback" not in text, text
    return text


@pytest.fixture
def staff(tmp_path: Path) -> Path:
    path = tmp_path / "staff.csv"
    path.write_text(STAFF, encoding="utf-8")
    return path


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- same file


@pytest.mark.parametrize("option", ["--output", "--fixed"])
def test_stdin_redirected_from_the_target_is_refused(staff: Path, option: str) -> None:
    # campaign: `batch - --output staff.csv < staff.csv` replaced the input with the report
    before = staff.read_bytes()
    with staff.open("rb") as stdin:
        done = sapkcheck("batch", "-", option, str(staff), stdin=stdin)
    assert done.returncode == errors.UNUSABLE
    assert "must not overwrite the input" in one_error_line(done.stderr)
    assert staff.read_bytes() == before


def test_stdin_from_another_file_may_write_beside_it(staff: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    with staff.open("rb") as stdin:
        done = sapkcheck("batch", "-", "--output", str(report), stdin=stdin)
    assert done.returncode == errors.PROBLEMS, done.stderr
    assert "budi" in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["same", "hard-link", "symlink"])
def test_output_and_fixed_naming_one_file_are_refused(
    cli: CLI, staff: Path, tmp_path: Path, how: str
) -> None:
    # campaign: `--output X --fixed X` kept only one of them
    first = tmp_path / "x.csv"
    second = first
    if how != "same":
        first.write_text("old", encoding="utf-8")
        second = tmp_path / "y.csv"
        if how == "hard-link":
            os.link(first, second)
        else:
            second.symlink_to(first)
    run = cli("batch", str(staff), "--output", str(first), "--fixed", str(second), "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert "must not name the same place" in run.stderr
    assert leftovers(tmp_path) == []
    if how != "same":
        assert first.read_text(encoding="utf-8") == "old"


def test_targets_are_checked_before_the_input_is_read(cli: CLI, tmp_path: Path) -> None:
    # the input does not exist either: the unwritable target is what the user hears first
    run = cli(
        "batch",
        str(tmp_path / "missing.csv"),
        "--output",
        str(tmp_path / "no-such-folder" / "r.txt"),
        "--lang",
        "en",
    )
    assert run.exit_code == errors.UNUSABLE
    assert "folder does not exist" in run.stderr and "not found" not in run.stderr


def test_a_folder_as_target_is_refused(staff: Path, tmp_path: Path) -> None:
    # (the CLI's own option type refuses it first; the writer holds without it)
    with pytest.raises(UsageProblem) as raised:
        output.check_target(tmp_path, "--fixed", staff)
    assert raised.value.params["reason"] == "directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_target_is_refused_before_the_work(
    cli: CLI, staff: Path, tmp_path: Path
) -> None:
    target = tmp_path / "report.txt"
    target.write_text("keep", encoding="utf-8")
    target.chmod(0o444)
    run = cli("batch", str(staff), "--output", str(target), "--lang", "en")
    assert run.exit_code == errors.UNUSABLE and "no permission" in run.stderr
    assert target.read_text(encoding="utf-8") == "keep"


def windows_sharing_violation(target: Path) -> None:
    """What ``open`` raises on Windows for a file Excel holds open (winerror 32)."""
    error = PermissionError(errno.EACCES, "The process cannot access the file", str(target))
    error.winerror = 32  # type: ignore[attr-defined]  # set by Windows itself there
    raise error


@pytest.mark.parametrize("option", ["--output", "--fixed"])
@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "open in another program such as Excel: close it and try again"),
        ("id", "sedang dibuka di program lain seperti Excel: tutup dulu lalu coba lagi"),
    ],
)
def test_a_target_open_in_excel_is_reported_before_any_work(
    cli: CLI,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    option: str,
    lang: str,
    sentence: str,
) -> None:
    # issue 14: on Windows a locked target was found only at the rename, after all the work
    target = tmp_path / "fixed.csv"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(output, "_probe_writable", windows_sharing_violation)
    # the input does not exist: the lock is what the user hears first (no work started)
    run = cli("batch", str(tmp_path / "missing.csv"), option, str(target), "--lang", lang)
    assert run.exit_code == errors.UNUSABLE
    assert sentence in run.stderr and str(target) in run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert target.read_text(encoding="utf-8") == "old"


def test_the_lock_probe_opens_the_existing_target_for_writing_and_changes_nothing(
    staff: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.txt"
    target.write_bytes(b"keep me\r\n")
    os.utime(target, (1_000_000_000, 1_000_000_000))
    opened: list[tuple[str, int]] = []
    real_open = os.open

    def spy(path: object, flags: int, *args: object, **kwargs: object) -> int:
        opened.append((str(path), flags))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", spy)
    output.check_targets(staff, target, None)
    probes = [flags for path, flags in opened if path == str(target)]
    assert probes, "the existing target was never opened"
    assert all(flags & os.O_ACCMODE == os.O_WRONLY for flags in probes)
    assert not any(flags & (os.O_TRUNC | os.O_APPEND | os.O_CREAT) for flags in probes)
    assert target.read_bytes() == b"keep me\r\n"
    assert target.stat().st_mtime == 1_000_000_000


def test_a_new_target_is_not_probed(
    staff: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(output, "_probe_writable", windows_sharing_violation)
    output.check_targets(staff, tmp_path / "new.txt", tmp_path / "new.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staff.csv"]


def test_a_lock_found_at_the_rename_is_named_too() -> None:
    error = PermissionError(errno.EACCES, "Access is denied")
    error.winerror = 33  # type: ignore[attr-defined]
    assert output.write_reason(error) == "locked"
    assert output.write_reason(PermissionError(errno.EACCES, "denied")) == "permission"


def test_a_symlinked_target_on_another_file_system_is_written(
    cli: CLI, staff: Path, tmp_path: Path
) -> None:
    # campaign: a symlinked --output on another file system failed (the temp file was made
    # beside the link, and a rename cannot cross file systems)
    other = Path("/dev/shm")
    if not other.is_dir() or os.stat(other).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system to link to")
    real = other / f"sapkcheck-test-{os.getpid()}-report.txt"
    real.write_text("old", encoding="utf-8")
    try:
        link = tmp_path / "report.txt"
        link.symlink_to(real)
        run = cli("batch", str(staff), "--output", str(link), "--lang", "en")
        assert run.exit_code == 1, run.stderr
        assert link.is_symlink() and "198609262015051000" in real.read_text(encoding="utf-8")
        assert not any(p.name.startswith(f".{real.name}.") for p in other.iterdir())
    finally:
        real.unlink()


# --------------------------------------------------------------------------- not regular


def test_a_device_is_written_through_never_replaced(cli: CLI, staff: Path) -> None:
    # campaign: `--output /dev/null` as root replaced the device with a world-readable file
    for option in ("--output", "--fixed"):
        run = cli("batch", str(staff), option, "/dev/null", "--lang", "en")
        assert run.exit_code == errors.PROBLEMS, run.stderr
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
        assert os.path.getsize("/dev/null") == 0


def test_a_fifo_is_written_through_never_replaced(cli: CLI, staff: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read)
    reader.start()
    run = cli("batch", str(staff), "--output", str(fifo), "--format", "jsonl", "--lang", "en")
    reader.join(timeout=30)
    assert run.exit_code == errors.PROBLEMS, run.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert b"gmial.com" in received[0]
    assert leftovers(tmp_path) == []


def test_dash_means_stdout(cli: CLI, staff: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # campaign: `--output -` created a file named '-'
    monkeypatch.chdir(tmp_path)
    run = cli("batch", str(staff), "--output", "-", "--format", "jsonl", "--lang", "en")
    assert run.exit_code == errors.PROBLEMS
    assert not (tmp_path / "-").exists()
    assert [line["row"] for line in map(__import__("json").loads, run.stdout.splitlines())] == [
        2,
        3,
    ]


def test_fixed_to_stdout_keeps_stdout_pure(staff: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    done = sapkcheck("batch", str(staff), "--fixed", "-", "--output", str(report))
    assert done.returncode == errors.PROBLEMS, done.stderr
    assert done.stdout.decode("utf-8-sig").splitlines()[0] == "NIP,EMAIL"
    assert "row(s) checked" in done.stderr.decode()
    assert not (ROOT / "-").exists()


def test_fixed_and_report_both_on_stdout_are_refused(cli: CLI, staff: Path) -> None:
    run = cli("batch", str(staff), "--fixed", "-", "--lang", "en")
    assert run.exit_code == errors.UNUSABLE and "add --output FILE" in run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("option", ["--output", "--fixed", "--fixed-log"])
def test_a_folder_as_a_target_is_named_as_a_folder(cli: CLI, staff: Path, option: str) -> None:
    folder = staff.parent / "hasil"
    folder.mkdir()
    extra = ("--fixed", str(staff.parent / "f.csv")) if option == "--fixed-log" else ()
    run = cli("batch", str(staff), option, str(folder), *extra, "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert "'hasil'" in run.stderr or str(folder) in run.stderr
    assert "folder" in run.stderr
    assert sorted(p.name for p in staff.parent.iterdir()) == sorted(["hasil", staff.name])


# --------------------------------------------------------------------------- cannot write


@pytest.mark.parametrize("option", ["--output", "--fixed"])
def test_dev_full_is_one_cannot_write_line(staff: Path, option: str) -> None:
    done = sapkcheck("batch", str(staff), option, "/dev/full")
    assert done.returncode == errors.UNUSABLE
    assert "Cannot write '/dev/full': the disk is full" in one_error_line(done.stderr)


def test_a_full_stdout_is_one_cannot_write_line(staff: Path) -> None:
    with open("/dev/full", "wb") as full:
        done = sapkcheck("batch", str(staff), stdout=full)
    assert done.returncode == errors.UNUSABLE
    assert "Cannot write 'stdout'" in one_error_line(done.stderr)


@pytest.mark.parametrize("command", [("batch", "{staff}"), ("check", "--nip", "1986")])
def test_a_closed_stdout_is_one_cannot_write_line(staff: Path, command: tuple[str, ...]) -> None:
    args = [part.format(staff=staff) for part in command]
    done = sapkcheck(*args, stdout=None, shell_tail=">&-")
    assert done.returncode == errors.UNUSABLE
    assert "the output is closed" in one_error_line(done.stderr)


def test_a_full_disk_during_the_fixed_copy_leaves_nothing(
    cli: CLI, staff: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(self: object, data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output._TargetFile, "write", full)
    target = tmp_path / "fixed.csv"
    run = cli("batch", str(staff), "--fixed", str(target), "--lang", "en")
    assert run.exit_code == errors.UNUSABLE
    assert "the disk is full" in run.stderr
    assert not target.exists() and leftovers(tmp_path) == []


def test_a_broken_pipe_is_quiet(tmp_path: Path) -> None:
    # campaign: `sapkcheck batch big.csv | head -1` exited 1 (the code for "errors found")
    big = tmp_path / "big.csv"
    rows = "".join(f"19860926201505{i % 10000:04d},user{i}@gmail.com\n" for i in range(20000))
    big.write_text("NIP,EMAIL\n" + rows, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAPKCHECK_")}
    # Several times: the worker pool ended half-way used to hang the exit about one run
    # in three (its threads blocked on pipes of ended workers).
    for _ in range(5):
        process = subprocess.Popen(
            [sys.executable, "-m", "sapkcheck", "batch", str(big), "--format", "jsonl"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # what `head -1` does
        try:
            returncode = process.wait(timeout=30)
        finally:
            process.kill()
        assert returncode == errors.BROKEN_PIPE
        assert process.stderr.read() == b""


# --------------------------------------------------------------------------- signals


# The entry point with the named temp file forced (as on a file system without O_TMPFILE).
NAMED_TEMP_FILES = (
    "import sys; from sapkcheck.batch import output; "
    "output._open_anonymous = lambda directory: None; "
    "from sapkcheck.cli import main; sys.argv[0] = 'sapkcheck'; main()"
)


def temp_files_open(pid: int, out: Path) -> int:
    """How many files in ``out`` process ``pid`` holds open (named or nameless)."""
    files = set()
    with_prefix = str(out) + os.sep
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            link = os.readlink(fd)
        except OSError:
            continue
        if link.startswith(with_prefix):
            files.add(link)  # a nameless file shows as "out/#inode (deleted)"
    return len(files)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGTERM, errors.TERMINATED), (signal.SIGHUP, errors.HANGUP)],
)
@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("temp", ["nameless", "named"])
def test_a_signal_leaves_no_temp_file(
    tmp_path: Path, signum: signal.Signals, code: int, jobs: str, temp: str
) -> None:
    # campaign: `timeout` or closing the terminal left .report.*.tmp files of 13-33 MB;
    # "named" is the fallback where O_TMPFILE is missing: it must clean up on the signal
    big = tmp_path / "big.csv"
    rows = "".join(f"19860926201505{i % 10000:04d},user{i}@gmail.com\n" for i in range(150000))
    big.write_text("NIP,EMAIL\n" + rows, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAPKCHECK_")}
    entry = ("-m", "sapkcheck") if temp == "nameless" else ("-c", NAMED_TEMP_FILES)
    process = subprocess.Popen(
        [
            *(sys.executable, *entry, "batch", str(big), "--format", "jsonl"),
            *("--output", str(out / "report.jsonl"), "--fixed", str(out / "fixed.csv")),
            *("--jobs", jobs, "--lang", "en"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while (
        temp_files_open(process.pid, out) < 2
        and process.poll() is None
        and time.monotonic() < deadline
    ):
        time.sleep(0.02)
    # the report, the fixed copy (and the fixed copy's nameless change spool)
    assert temp_files_open(process.pid, out) >= 2, "the run ended before it opened its outputs"
    assert len(leftovers(out)) == (2 if temp == "named" else 0)  # nameless: nothing to see
    time.sleep(0.3)  # well into the work
    process.send_signal(signum)
    try:
        returncode = process.wait(timeout=30)
    finally:
        process.kill()
    assert returncode == code
    assert sorted(p.name for p in out.iterdir()) == []
    assert process.stderr is not None
    assert f"Stopped by signal {signum.name}" in process.stderr.read().decode()


HANGS_AFTER_A_SIGNAL = """
import importlib, sys, time
from sapkcheck import errors
app = importlib.import_module("sapkcheck.cli.app")  # the module (the package exports the app)

app.STOP_GRACE_SECONDS = 0.5
app._install_stop_handlers()
try:
    print("ready", flush=True)  # inside the try: the signal may come as soon as it is read
    time.sleep(60)
except errors.Terminated:
    while True:  # a clean-up that never ends (the pool's bookkeeping, interrupted)
        time.sleep(0.1)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX")
def test_a_stop_signal_ends_the_process_even_when_the_clean_up_hangs() -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", HANGS_AFTER_A_SIGNAL],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    process.send_signal(signal.SIGTERM)
    try:
        returncode = process.wait(timeout=20)
    finally:
        process.kill()
    assert returncode == errors.TERMINATED
