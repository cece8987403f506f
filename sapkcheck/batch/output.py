"""The one writer of output files (reports, fixed copies; anything that writes a profile
must use it too).

- A regular file (or a new one) is written atomically: a temp file beside the target,
  flushed to disk and renamed over it only when everything was written, so an interrupted
  run (an error, Ctrl-C, SIGTERM, SIGHUP: see ``sapkcheck.cli.app``) never leaves half a
  report, nor a temp file full of personal data.
- A target that is not a regular file (``/dev/null``, a FIFO, a terminal) is written
  through, never replaced; ``-`` is stdout.
- :func:`check_targets` refuses, before any work, a target that cannot be written, that is
  the input (named, or redirected to stdin) or the other output.
- A failed write (full disk, ``/dev/full``, closed stream) is :class:`CannotWrite`, a usage
  problem naming the target (exit 2), never an internal failure.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sapkcheck.errors import UsageProblem

if TYPE_CHECKING:
    from typing_extensions import Buffer

STDOUT = "-"  # as a target: the standard output
STDOUT_LABEL = "stdout"

# Temp files being written right now (removed on commit or discard); a last resort for a
# handler that cannot unwind the stack (see ``discard_all``).
_LIVE: set[Path] = set()


def write_reason(error: OSError) -> str:
    """Why a write failed, as the suffix of a ``write-reason-*`` catalog key."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "full"
    if isinstance(error, PermissionError) or error.errno == errno.EROFS:
        return "permission"
    if error.errno == errno.EBADF:
        return "closed"
    return "io"


class CannotWrite(UsageProblem):
    """Writing ``path`` failed part-way (exit 2, one sentence)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__("error-cannot-write", path=path, reason=reason)
        self.path = path
        self.reason = reason


def same_file(a: Path, b: Path) -> bool:
    """``a`` and ``b`` name one file: the same path once resolved, or a hard link."""
    try:
        if a.resolve() == b.resolve():
            return True
    except OSError:
        pass
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def is_stdout(target: Path | str) -> bool:
    return str(target) == STDOUT


def _is_special(target: Path) -> bool:
    """An existing target that is not a regular file (device, FIFO, socket): written
    through, never replaced."""
    try:
        mode = os.stat(target).st_mode
        return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)
    except (OSError, ValueError):
        return False


def _stdin_is(target: Path) -> bool:
    """Standard input is redirected from ``target`` (same device and inode)."""
    try:
        held = os.fstat(0)
        there = os.stat(target)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(held.st_mode) and (held.st_dev, held.st_ino) == (
        there.st_dev,
        there.st_ino,
    )


def check_target(target: Path, option: str, source: Path | None) -> None:
    """Refuse now, before any work, a target that will not be writable or that is the
    input. ``source`` None means the input is stdin."""
    if is_stdout(target):
        return
    label = str(target)
    if (source is not None and same_file(source, target)) or (source is None and _stdin_is(target)):
        raise UsageProblem("error-target-is-input", option=option, path=label)
    if _is_special(target):
        if not os.access(target, os.W_OK):
            raise UsageProblem("error-cannot-write", path=label, reason="permission")
        return
    if target.is_dir():
        raise UsageProblem("error-cannot-write", path=label, reason="directory")
    parent = target.resolve().parent
    if not parent.is_dir():
        raise UsageProblem("error-cannot-write", path=label, reason="directory-missing")
    if not os.access(parent, os.W_OK | os.X_OK) or (
        target.exists() and not os.access(target, os.W_OK)
    ):
        raise UsageProblem("error-cannot-write", path=label, reason="permission")


def check_targets(source: Path | None, output: Path | None, fixed: Path | None) -> None:
    """Every target of a run, checked before the work starts: writable, not the input,
    not each other. ``None`` output means the report goes to stdout."""
    for option, target in (("--output", output), ("--fixed", fixed)):
        if target is not None:
            check_target(target, option, source)
    if fixed is None:
        return
    both_stdout = is_stdout(fixed) and (output is None or is_stdout(output))
    if both_stdout or (
        output is not None
        and not is_stdout(output)
        and not is_stdout(fixed)
        and not _is_special(output)
        and same_file(output, fixed)
    ):
        raise UsageProblem("error-output-is-fixed", path=STDOUT if both_stdout else str(fixed))


class _TargetFile(io.FileIO):
    """The raw file under a target's stream: a failed write names the target."""

    def __init__(self, fd: int, label: str) -> None:
        super().__init__(fd, "wb", closefd=True)
        self.label = label

    def write(self, data: Buffer, /) -> int:
        try:
            return super().write(data)
        except BrokenPipeError:
            raise  # a reader that stopped (| head): the caller ends quietly
        except OSError as error:
            raise CannotWrite(self.label, write_reason(error)) from None


class AtomicFile:
    """The one atomic writer: a private temp file beside the target (same file system, so
    the rename is atomic), flushed to disk and renamed over the target only by
    :meth:`commit`; :meth:`discard` removes it. A symlinked target is written through to
    the file it points at. The target keeps its permission bits; a new one is private
    (0600): reports hold personal data.

    A target that is not a regular file (a device, a FIFO) or ``-`` (stdout) is written
    through instead: ``path`` is then None and nothing is replaced."""

    def __init__(self, target: Path) -> None:
        self.label = STDOUT_LABEL if is_stdout(target) else str(target)
        self.path: Path | None = None
        self.target = target
        self.fd = -1
        try:
            self._open(target)
        except OSError as error:
            raise CannotWrite(self.label, write_reason(error)) from None

    def _open(self, target: Path) -> None:
        if is_stdout(target):
            with contextlib.suppress(AttributeError, ValueError, OSError):
                sys.stdout.flush()
            self.target = target
            self.fd = os.dup(1)
            return
        self.target = target.resolve()
        if _is_special(self.target):
            self.fd = os.open(self.target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
            return
        self.fd, name = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
        )
        self.path = Path(name)
        _LIVE.add(self.path)

    @property
    def through(self) -> bool:
        """Written through (device, FIFO, stdout), not replaced."""
        return self.path is None

    def binary(self) -> io.BufferedWriter:
        """A buffered binary stream on the file; a failed write raises :class:`CannotWrite`."""
        return io.BufferedWriter(_TargetFile(self.fd, self.label))

    def commit(self) -> None:
        """Make the written temp file the target (call after closing any stream on it)."""
        if self.path is None:
            return
        try:
            with open(self.path, "rb") as written:
                os.fsync(written.fileno())
            try:
                mode = self.target.stat().st_mode & 0o777
            except OSError:
                mode = 0o600
            os.chmod(self.path, mode)
            os.replace(self.path, self.target)
        except OSError as error:
            self.discard()
            raise CannotWrite(self.label, write_reason(error)) from None
        _LIVE.discard(self.path)
        _sync_directory(self.target.parent)

    def discard(self) -> None:
        if self.path is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        _LIVE.discard(self.path)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX; best effort)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def discard_all() -> None:
    """Remove every temp file still being written (a signal handler's last resort)."""
    for path in list(_LIVE):
        with contextlib.suppress(OSError):
            os.unlink(path)
        _LIVE.discard(path)


@contextlib.contextmanager
def atomic_text(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` only if the block ends normally
    (written through for a device, a FIFO or ``-``)."""
    output = AtomicFile(path)
    try:
        with io.TextIOWrapper(output.binary(), encoding=encoding, newline=newline) as stream:
            yield stream
        output.commit()
    except BaseException:
        output.discard()
        raise


@contextlib.contextmanager
def atomic_binary(path: Path) -> Iterator[io.BufferedWriter]:
    """A binary stream (an XLSX report) whose content replaces ``path`` only if the block
    ends normally (written through for a device or a FIFO)."""
    output = AtomicFile(path)
    try:
        with output.binary() as stream:
            yield stream
        output.commit()
    except BaseException:
        output.discard()
        raise
