"""The one atomic writer: nothing at the target until commit, never a temp file left."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sapkcheck.batch import output as output_module
from sapkcheck.batch.output import (
    AtomicFile,
    CannotWrite,
    atomic_text,
    check_targets,
    discard_all,
    same_file,
)
from sapkcheck.errors import UsageProblem
from sapkcheck.render.formats import BatchFormat, batch_format
from tests.helpers import Run

CLI = Callable[..., Run]


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


HAS_TMPFILE = hasattr(os, "O_TMPFILE") and Path("/proc/self/fd").is_dir()


@pytest.fixture
def named(monkeypatch: pytest.MonkeyPatch) -> None:
    """The named temp file, as where O_TMPFILE is missing (another OS, file system)."""
    monkeypatch.setattr(output_module, "_open_anonymous", lambda directory: None)


@pytest.fixture(params=["nameless", "named"])
def temp_kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test run with the nameless temp file (where the OS has one) and the named one."""
    kind: str = request.param
    if kind == "nameless" and not HAS_TMPFILE:
        pytest.skip("no O_TMPFILE here")
    if kind == "named":
        monkeypatch.setattr(output_module, "_open_anonymous", lambda directory: None)
    return kind


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    os.umask(old)
    yield
    os.umask(old)


def test_commit_replaces_the_target_and_a_new_file_is_private(
    tmp_path: Path, temp_kind: str
) -> None:
    target = tmp_path / "report.json"
    with atomic_text(target) as stream:
        stream.write("{}\n")
        assert not target.exists()  # nothing visible before the end
    assert target.read_text() == "{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_an_existing_target_keeps_its_mode(tmp_path: Path, temp_kind: str) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_text(target) as stream:
        stream.write("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failure_leaves_the_old_target_and_no_temp_file(tmp_path: Path, temp_kind: str) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_text(target) as stream:
        stream.write("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_symlinked_target_is_written_through(tmp_path: Path, temp_kind: str) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with atomic_text(link) as stream:
        stream.write("new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_discard(tmp_path: Path, named: None) -> None:
    output = AtomicFile(tmp_path / "x.xlsx")
    os.close(output.fd)
    assert leftovers(tmp_path)
    output.discard()
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "x.xlsx").exists()


def test_same_file(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    a.write_text("x")
    os.link(a, tmp_path / "b.csv")
    assert same_file(a, tmp_path / "b.csv")
    assert same_file(a, tmp_path / "." / "a.csv")
    assert not same_file(a, tmp_path / "c.csv")


def test_a_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    with atomic_text(Path("/dev/null")) as stream:
        stream.write("report")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_full_device_is_cannot_write(tmp_path: Path) -> None:
    with pytest.raises(CannotWrite) as raised, atomic_text(Path("/dev/full")) as stream:
        stream.write("x" * 100_000)
    assert raised.value.reason == "full"


def test_an_interrupted_write_discards_every_live_temp_file(tmp_path: Path, named: None) -> None:
    first, second = AtomicFile(tmp_path / "a.csv"), AtomicFile(tmp_path / "b.csv")
    os.close(first.fd)
    os.close(second.fd)
    assert len(leftovers(tmp_path)) == 2
    discard_all()
    assert leftovers(tmp_path) == []


def test_check_targets_refuses_the_input_and_each_other(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("x")
    with pytest.raises(UsageProblem) as raised:
        check_targets(source, source, None)
    assert raised.value.key == "error-target-is-input"
    with pytest.raises(UsageProblem) as raised:
        check_targets(source, tmp_path / "x.csv", tmp_path / "x.csv")
    assert raised.value.key == "error-output-is-fixed"
    check_targets(source, tmp_path / "r.txt", tmp_path / "f.csv")
    check_targets(source, Path("/dev/null"), Path("/dev/null"))  # devices may be shared


# --------------------------------------------------------------------------- O_TMPFILE


@pytest.mark.skipif(not HAS_TMPFILE, reason="no O_TMPFILE here")
def test_nothing_appears_in_the_folder_while_writing(tmp_path: Path) -> None:
    # issue 14: the temp file (personal data) is never visible before it is complete
    (tmp_path / "other.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    target = tmp_path / "report.csv"
    output = AtomicFile(target)
    assert output.anonymous
    with output.binary() as stream:
        for _ in range(200):
            stream.write(b"198609262015051002,eli@gmail.com\n" * 100)
            stream.flush()
            assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    output.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*before, "report.csv"])
    assert target.stat().st_size == 200 * 100 * len(b"198609262015051002,eli@gmail.com\n")


@pytest.mark.skipif(not HAS_TMPFILE, reason="no O_TMPFILE here")
def test_a_nameless_file_can_be_saved_by_name_and_discarded(tmp_path: Path) -> None:
    # the fixed XLSX copy saves by name (openpyxl): ``path`` opens the nameless file
    target = tmp_path / "fixed.xlsx"
    output = AtomicFile(target)
    os.close(output.fd)
    assert output.path is not None
    output.path.write_bytes(b"PK whole workbook")
    assert leftovers(tmp_path) == [] and not target.exists()
    output.commit()
    assert target.read_bytes() == b"PK whole workbook"
    second = AtomicFile(target)
    assert second.path is not None
    second.path.write_bytes(b"half")
    second.discard()
    assert not second.anonymous and not os.path.exists(second.path)  # descriptor closed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed.xlsx"]
    assert target.read_bytes() == b"PK whole workbook"


@pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="no O_TMPFILE here")
@pytest.mark.parametrize("code", [errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL])
def test_a_file_system_without_o_tmpfile_falls_back_to_a_named_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_open = os.open

    def no_tmpfile(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(code, os.strerror(code))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_tmpfile)
    target = tmp_path / "report.csv"
    with atomic_text(target) as stream:
        stream.write("done\n")
        assert len(leftovers(tmp_path)) == 1  # the fallback: a named, private temp file
        assert not target.exists()
    assert target.read_text() == "done\n"
    assert leftovers(tmp_path) == []
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o600), (0o077, 0o600), (0o277, 0o400)])
def test_a_new_file_is_private_under_the_umask_never_mode_0(
    tmp_path: Path, temp_kind: str, umask: None, mask: int, mode: int
) -> None:
    # a file made from O_TMPFILE by linkat keeps the mode it was created with: never 0o000
    os.umask(mask)
    target = tmp_path / "report.txt"
    with atomic_text(target) as stream:
        stream.write("x")
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_the_file_is_synced_to_disk_before_it_replaces_the_target(
    tmp_path: Path, temp_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # campaign: "no fsync before rename" (a power cut could leave an empty report)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            events.append(f"fsync:{os.fstat(fd).st_size}")
        real_fsync(fd)

    def replace(src: object, dst: object, **kwargs: object) -> None:
        events.append("replace")
        real_replace(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    with atomic_text(tmp_path / "report.csv") as stream:
        stream.write("x" * 5000)
    assert events[:2] == ["fsync:5000", "replace"], events


@pytest.mark.parametrize(
    ("name", "requested", "expected"),
    [
        ("laporan.csv", None, BatchFormat.CSV),
        ("LAPORAN.CSV", None, BatchFormat.CSV),
        ("r.json", None, BatchFormat.JSON),
        ("r.jsonl", None, BatchFormat.JSONL),
        ("r.ndjson", None, BatchFormat.JSONL),
        ("r.txt", None, BatchFormat.TEXT),
        ("r.log", None, BatchFormat.TEXT),
        ("r.xlsx", None, BatchFormat.XLSX),
        ("r.csv", BatchFormat.JSONL, BatchFormat.JSONL),  # an explicit --format wins
        (None, None, BatchFormat.TEXT),
    ],
)
def test_the_output_suffix_chooses_the_format_when_none_is_given(
    name: str | None, requested: BatchFormat | None, expected: BatchFormat
) -> None:
    assert batch_format(requested, name) is expected


def test_a_csv_output_holds_the_csv_report(cli: CLI, tmp_path: Path) -> None:
    source = tmp_path / "staf.csv"
    source.write_text("NIP;EMAIL\n198609262015051001;eli@gmial.com\n", encoding="utf-8")
    run = cli("batch", str(source), "--output", str(tmp_path / "laporan.csv"), "--lang", "en")
    assert run.exit_code in (0, 1), run.stderr
    head = (tmp_path / "laporan.csv").read_text("utf-8-sig").splitlines()[0]
    assert head.startswith("Row,") or head.startswith("Row;")
