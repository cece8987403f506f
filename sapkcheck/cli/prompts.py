"""Reading what the user gives on stdin: ``-`` values, a password line (never echoed)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from sapkcheck.errors import UsageProblem

if TYPE_CHECKING:
    pass


from sapkcheck.cli.session import from_argv


def read_stdin_values(options: dict[str, str | None]) -> dict[str, str | None]:
    """Replace the one option whose value is ``-`` with stdin, minus one final line ending."""
    options = {name: from_argv(value) for name, value in options.items()}
    from_stdin = [name for name, value in options.items() if value == "-"]
    if len(from_stdin) > 1:
        raise UsageProblem("error-stdin-twice", options=", ".join(from_stdin))
    if not from_stdin:
        return options
    raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageProblem("error-stdin-unreadable", reason=error.reason) from None
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith(("\n", "\r")):
        value = value[:-1]
    return {**options, from_stdin[0]: value}


def read_secret(from_stdin: bool, prompt: str) -> str:
    """One password line: from stdin with --stdin, else a no-echo prompt on a terminal."""
    if from_stdin:
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.readline() if stream is not None else sys.stdin.readline().encode()
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UsageProblem("error-stdin-unreadable", reason=error.reason) from None
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UsageProblem("error-password-no-terminal")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageProblem("error-input-closed") from None
