"""Write output files atomically: a temp file beside the target, renamed over it only
when everything was written, so an interrupted run never leaves half a report."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


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


class AtomicFile:
    """The one atomic writer: a private temp file beside the target (same file system, so
    the rename is atomic), flushed to disk and renamed over the target only by
    :meth:`commit`; :meth:`discard` removes it. A symlinked target is written through to
    the file it points at. The target keeps its permission bits; a new one is private
    (0600): reports hold personal data."""

    def __init__(self, target: Path) -> None:
        self.target = target.resolve()
        self.fd, name = tempfile.mkstemp(
            prefix=f".{self.target.name}.", suffix=".tmp", dir=self.target.parent
        )
        self.path = Path(name)

    def commit(self) -> None:
        """Make the written temp file the target (call after closing any stream on it)."""
        with open(self.path, "rb") as written:
            os.fsync(written.fileno())
        try:
            mode = self.target.stat().st_mode & 0o777
        except OSError:
            mode = 0o600
        os.chmod(self.path, mode)
        os.replace(self.path, self.target)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            os.unlink(self.path)


@contextlib.contextmanager
def atomic_text(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    """A text stream whose content replaces ``path`` only if the block ends normally."""
    output = AtomicFile(path)
    try:
        with open(output.fd, "w", encoding=encoding, newline=newline) as stream:
            yield stream
        output.commit()
    except BaseException:
        output.discard()
        raise
