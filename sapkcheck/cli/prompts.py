"""Reading what the user gives on stdin: the one UTF-8 reader for ``-`` values, a password
line (never echoed) and the guide's answers."""

from __future__ import annotations

import sys
from typing import IO

from sapkcheck.cli.session import from_argv
from sapkcheck.errors import UsageProblem

# A pasted value, a password or an answer is a line, not a file: past this many bytes the
# input is refused instead of read into memory.
MAX_LINE_BYTES = 1 << 20


def _binary(stream: IO[str] | None) -> IO[bytes] | None:
    stream = stream if stream is not None else sys.stdin
    return getattr(stream, "buffer", None)


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageProblem("error-stdin-unreadable", position=error.start + 1) from None


def _without_line_end(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith(("\n", "\r")):
        return text[:-1]
    return text


def read_line(stream: IO[str] | None = None) -> str | None:
    """One line of UTF-8 text without its line ending; None at end of input."""
    binary = _binary(stream)
    if binary is not None:
        raw = binary.readline(MAX_LINE_BYTES + 1)
    else:
        raw = (stream or sys.stdin).readline(MAX_LINE_BYTES + 1).encode("utf-8", "surrogateescape")
    if not raw:
        return None
    if len(raw) > MAX_LINE_BYTES:
        raise UsageProblem("error-stdin-too-long", limit=MAX_LINE_BYTES // 1024)
    return _without_line_end(_decode(raw))


def read_all(stream: IO[str] | None = None) -> str:
    """All of stdin as UTF-8 text, minus one final line ending."""
    binary = _binary(stream)
    if binary is not None:
        raw = binary.read(MAX_LINE_BYTES + 1)
    else:
        raw = (stream or sys.stdin).read(MAX_LINE_BYTES + 1).encode("utf-8", "surrogateescape")
    if len(raw) > MAX_LINE_BYTES:
        raise UsageProblem("error-stdin-too-long", limit=MAX_LINE_BYTES // 1024)
    return _without_line_end(_decode(raw))


def read_stdin_values(options: dict[str, str | None]) -> dict[str, str | None]:
    """Replace the one option whose value is ``-`` with stdin, minus one final line ending."""
    options = {name: from_argv(value) for name, value in options.items()}
    from_stdin = [name for name, value in options.items() if value == "-"]
    if len(from_stdin) > 1:
        raise UsageProblem("error-stdin-twice", options=", ".join(from_stdin))
    if not from_stdin:
        return options
    return {**options, from_stdin[0]: read_all()}


def read_secret(from_stdin: bool, prompt: str) -> str:
    """One password line: from stdin with --stdin, else a no-echo prompt on a terminal."""
    if from_stdin:
        return read_line() or ""
    if not sys.stdin.isatty():
        raise UsageProblem("error-password-no-terminal")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageProblem("error-input-closed") from None
