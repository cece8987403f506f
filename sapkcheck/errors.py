"""Exit codes (a documented contract: README, ``--help``) and the problems with the
invocation or input as a whole (exit code 2), as catalog keys."""

from __future__ import annotations

import errno
from typing import Any


class UsageProblem(Exception):
    """Unusable invocation or input. ``key`` names a ``[ui]`` sentence of the catalog."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class Terminated(BaseException):
    """SIGTERM or SIGHUP arrived (``timeout``, a closed terminal): unwinds like Ctrl-C so
    every ``finally`` runs and no temp file is left (a BaseException: nothing swallows it)."""

    def __init__(self, signum: int, name: str) -> None:
        super().__init__(name)
        self.signum = signum
        self.name = name


OK = 0  # no finding of severity error
PROBLEMS = 1  # at least one finding of severity error
UNUSABLE = 2  # unusable invocation or input, or an unexpected internal failure
INTERRUPTED = 130  # Ctrl-C
HANGUP = 129  # SIGHUP: the terminal was closed (128 + 1)
BROKEN_PIPE = 141  # the reader of stdout stopped (| head): quiet, as if killed by SIGPIPE
TERMINATED = 143  # SIGTERM (timeout, kill): 128 + 15

HELP = (
    "Exit codes: 0 no error found; 1 at least one error found; "
    "2 unusable invocation or input, or an output that cannot be written (or internal "
    "failure); 130 interrupted (Ctrl-C); 129/143 stopped by SIGHUP/SIGTERM; 141 stdout's "
    "reader stopped (broken pipe)."
)


# OS error numbers -> the reason keys the catalogs translate (``reason-<key>`` in [ui]):
# a sentence never carries the operating system's own (English) text.
_ERRNO_REASONS = {
    errno.ENOENT: "not-found",
    errno.EACCES: "permission",
    errno.EPERM: "permission",
    errno.EISDIR: "directory",
    errno.ENOTDIR: "directory-missing",
    errno.ENOSPC: "disk-full",
    errno.EROFS: "read-only",
    errno.ENAMETOOLONG: "name-too-long",
}


def os_reason(error: OSError) -> str:
    """The reason key of an OS error (``io`` when it is none of the usual ones)."""
    if isinstance(error, PermissionError):
        return "permission"
    return _ERRNO_REASONS.get(error.errno or 0, "io")
