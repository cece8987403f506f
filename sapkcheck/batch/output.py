"""The one writer of output files (reports, fixed copies; anything that writes a profile
must use it too).

- A regular file (or a new one) is written atomically: a temp file beside the target,
  flushed to disk and renamed over it only when everything was written, so an interrupted
  run (an error, Ctrl-C, SIGTERM, SIGHUP: see ``sapkcheck.cli.app``) never leaves half a
  report, nor a temp file full of personal data. Where the OS allows (Linux ``O_TMPFILE``)
  the temp file has no name at all until it is complete: nothing of it is visible in the
  folder while it is written, and a killed process leaves nothing behind. Elsewhere it is
  a named, private temp file, removed on every way out.
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
import secrets
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


# Windows' sharing violation / lock violation: another program (Excel) holds the file open.
_WINDOWS_LOCKED = (32, 33)


def write_reason(error: OSError) -> str:
    """Why a write failed, as the suffix of a ``write-reason-*`` catalog key."""
    if getattr(error, "winerror", None) in _WINDOWS_LOCKED:
        return "locked"
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
    if target.exists():
        try:
            _probe_writable(target)
        except OSError as error:
            raise UsageProblem(
                "error-cannot-write", path=label, reason=write_reason(error)
            ) from None


def _probe_writable(target: Path) -> None:
    """Open the existing ``target`` for writing and close it again, changing nothing (no
    truncation, no byte written). On Windows this is what fails at once, with a sharing
    violation, when the file is open in Excel; the rename at the end would fail too."""
    os.close(os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0)))


def check_targets(source: Path | None, output: Path | None, fixed: Path | None) -> None:
    """Every target of a run, checked before the work starts: writable, not the input,
    not each other. ``None`` output means the report goes to stdout."""
    for option, target in (("--output", output), ("--fixed", fixed)):
        if target is not None:
            check_target(target, option, source)
    if fixed is None:
        return
    if is_stdout(fixed) and output is None:  # the report goes to stdout when not named
        raise UsageProblem("error-fixed-stdout-report")
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
    (0600 under the umask): reports hold personal data.

    On Linux the temp file is anonymous (``O_TMPFILE``): no folder entry exists until
    :meth:`commit` links the complete, synced file under a temp name and renames that over
    the target. ``path`` is then a name that opens it (``/proc/self/fd/N``) for writers
    that save by name. A file system or an OS without ``O_TMPFILE`` gets a named temp file.

    A target that is not a regular file (a device, a FIFO) or ``-`` (stdout) is written
    through instead: ``path`` is then None and nothing is replaced."""

    def __init__(self, target: Path) -> None:
        self.label = STDOUT_LABEL if is_stdout(target) else str(target)
        self.path: Path | None = None
        self.target = target
        self.fd = -1
        self._anonymous = -1  # O_TMPFILE: our own descriptor on the nameless file
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
        anonymous = _open_anonymous(self.target.parent)
        if anonymous is not None:
            self._anonymous = anonymous
            self.fd = os.dup(anonymous)
            self.path = Path(f"{_PROC_FD}/{anonymous}")
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

    @property
    def anonymous(self) -> bool:
        """The temp file has no name in the folder (``O_TMPFILE``)."""
        return self._anonymous >= 0

    def binary(self) -> io.BufferedWriter:
        """A buffered binary stream on the file; a failed write raises :class:`CannotWrite`."""
        return io.BufferedWriter(_TargetFile(self.fd, self.label))

    def commit(self) -> None:
        """Make the written temp file the target (call after closing any stream on it)."""
        if self.path is None:
            return
        try:
            mode = self.target.stat().st_mode & 0o777
        except OSError:
            mode = None  # a new file keeps the private mode it was created with
        try:
            if self.anonymous:
                self._commit_anonymous(mode)
            else:
                with open(self.path, "rb") as written:
                    os.fsync(written.fileno())
                if mode is not None:
                    os.chmod(self.path, mode)
                os.replace(self.path, self.target)
        except OSError as error:
            self.discard()
            raise CannotWrite(self.label, write_reason(error)) from None
        _LIVE.discard(self.path)
        _sync_directory(self.target.parent)

    def _commit_anonymous(self, mode: int | None) -> None:
        """Sync the nameless file, give it a temp name (complete by now) and rename that
        over the target."""
        os.fsync(self._anonymous)
        if mode is not None:
            os.fchmod(self._anonymous, mode)
        directory = os.open(self.target.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            while True:
                linked = self.target.parent / f".{self.target.name}.{secrets.token_hex(6)}.tmp"
                _LIVE.add(linked)
                try:
                    # dst_dir_fd (ignored: the name is absolute) makes CPython call linkat()
                    # with AT_SYMLINK_FOLLOW; plain link() would link the /proc symlink
                    # itself (EXDEV).
                    os.link(
                        f"{_PROC_FD}/{self._anonymous}",
                        linked,
                        dst_dir_fd=directory,
                        follow_symlinks=True,
                    )
                    break
                except FileExistsError:
                    _LIVE.discard(linked)
                except BaseException:
                    _LIVE.discard(linked)
                    raise
        finally:
            os.close(directory)
        try:
            os.replace(linked, self.target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(linked)
            raise
        finally:
            _LIVE.discard(linked)
        self._close_anonymous()

    def _close_anonymous(self) -> None:
        if self._anonymous >= 0:
            with contextlib.suppress(OSError):
                os.close(self._anonymous)
            self._anonymous = -1

    def discard(self) -> None:
        if self.path is None:
            return
        if self.anonymous:
            self._close_anonymous()  # the nameless file goes with its last descriptor
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        _LIVE.discard(self.path)


_PROC_FD = "/proc/self/fd"


def _open_anonymous(directory: Path) -> int | None:
    """A nameless, private file in ``directory`` (Linux ``O_TMPFILE``), or None where the
    OS or the file system has none (another OS; EOPNOTSUPP, EISDIR from an old kernel,
    EINVAL; or no ``/proc`` to give it a name later): the caller then uses a named temp
    file."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not os.path.isdir(_PROC_FD):
        return None
    try:
        return os.open(directory, flag | os.O_RDWR, 0o600)
    except OSError:
        return None  # the named temp file reports any real problem (permission, ...)


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
