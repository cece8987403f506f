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


@contextlib.contextmanager
def atomic_text(
    path: Path, *, encoding: str = "utf-8", newline: str | None = None
) -> Iterator[TextIO]:
    directory = path.resolve().parent
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with open(fd, "w", encoding=encoding, newline=newline) as stream:
            yield stream
        os.chmod(name, 0o600 if not path.exists() else path.stat().st_mode & 0o777)
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise
