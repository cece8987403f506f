"""The one atomic writer: nothing at the target until commit, never a temp file left."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sapkcheck.batch.output import (
    AtomicFile,
    CannotWrite,
    atomic_text,
    check_targets,
    discard_all,
    same_file,
)
from sapkcheck.errors import UsageProblem


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_commit_replaces_the_target_and_a_new_file_is_private(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    with atomic_text(target) as stream:
        stream.write("{}\n")
        assert not target.exists()  # nothing visible before the end
    assert target.read_text() == "{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert leftovers(tmp_path) == []


def test_an_existing_target_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old")
    target.chmod(0o640)
    with atomic_text(target) as stream:
        stream.write("new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failure_leaves_the_old_target_and_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "report.csv"
    target.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_text(target) as stream:
        stream.write("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert leftovers(tmp_path) == []


def test_a_symlinked_target_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with atomic_text(link) as stream:
        stream.write("new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_discard(tmp_path: Path) -> None:
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


def test_an_interrupted_write_discards_every_live_temp_file(tmp_path: Path) -> None:
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
