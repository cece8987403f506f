"""Triage: from a pasted message or a WhatsApp export to one diagnosis per question.

chat (layout, messages) -> questions (one sender's consecutive messages) -> each checked as
``check --message TEXT`` would, with the NIP, email and token found in it. Streaming: one
question at a time, so a long export is read with bounded memory.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, NamedTuple

from sapkcheck.batch.tables.sniff import Replay
from sapkcheck.diagnosis import CheckReport, run_check
from sapkcheck.errors import UsageProblem, os_reason
from sapkcheck.triage.chat import (
    ChatMessage,
    ChatParse,
    Layout,
    parse_chat,
    parse_chat_text,
    read_lines,
)
from sapkcheck.triage.questions import Question, group_questions

SNIFF_BYTES = 64 * 1024


class Diagnosed(NamedTuple):
    """One question and what ``check`` found in it."""

    number: int
    question: Question
    report: CheckReport


class Triage(NamedTuple):
    """The chat layout recognized (None: not a WhatsApp export, read as one message) and
    the diagnosed questions, produced lazily."""

    layout: Layout | None
    questions: Iterator[Diagnosed]


def triage_text(
    text: str, admins: Iterable[str] = (), local_domains: tuple[str, ...] = ()
) -> Triage:
    """A pasted message (or a few pasted chat lines). ``local_domains``: the region
    profile's domains, for the email typo hints."""
    return _triage(parse_chat_text(text), admins, local_domains)


def triage_file(
    stream: BinaryIO,
    label: str,
    admins: Iterable[str] = (),
    local_domains: tuple[str, ...] = (),
) -> Triage:
    """A WhatsApp "Export chat" file: UTF-8 (with or without BOM) or UTF-16 with BOM;
    anything else, or binary data, is a usage problem (exit 2)."""
    return _triage(_parse_export(stream, label), admins, local_domains)


def _parse_export(stream: BinaryIO, label: str) -> ChatParse:
    """The export's messages, decoded as :func:`triage_file` says, read lazily."""
    head = stream.read(SNIFF_BYTES)
    encoding = _encoding(head, label)
    raw = io.BufferedReader(Replay(head, stream))
    text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
    return parse_chat(_decoded(read_lines(text), label))


MAX_SENDERS_AHEAD = 5_000
"""Senders read ahead for ``--mask``; a chat with more names the rest as they write."""


def chat_senders(path: Path) -> list[str]:
    """Every sender of the export at ``path``, in order of first message (a second, cheap
    read, so ``--mask`` can hide a name mentioned before its owner writes); nothing when
    the file cannot be read twice (a pipe) or reopened, the senders before it when a line
    is unreadable. The main read reports what is wrong with the file."""
    seen: dict[str, None] = {}
    try:
        if not path.is_file():
            return []
        with path.open("rb") as stream:
            _add_senders(_parse_export(stream, str(path)), seen)
    except (OSError, UsageProblem):
        pass
    return list(seen)


def text_senders(text: str) -> list[str]:
    """:func:`chat_senders` of pasted text."""
    seen: dict[str, None] = {}
    _add_senders(parse_chat_text(text), seen)
    return list(seen)


def _add_senders(messages: Iterable[ChatMessage], seen: dict[str, None]) -> None:
    for message in messages:
        if message.sender and message.sender not in seen:
            seen[message.sender] = None
            if len(seen) >= MAX_SENDERS_AHEAD:
                return


def _triage(parse: ChatParse, admins: Iterable[str], local_domains: tuple[str, ...]) -> Triage:
    return Triage(parse.layout, _diagnosed(group_questions(parse, admins), local_domains))


def _diagnosed(
    questions: Iterable[Question], local_domains: tuple[str, ...]
) -> Iterator[Diagnosed]:
    for number, question in enumerate(questions, start=1):
        report = run_check(
            message=question.text, values_from_message=True, local_domains=local_domains
        )
        yield Diagnosed(number, question, report)


def _encoding(head: bytes, label: str) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise UsageProblem("error-chat-binary", path=label)
    try:
        # The sample may end inside a character: only the complete ones must decode.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError as error:
        raise UsageProblem("error-chat-encoding", path=label, position=error.start) from None
    return "utf-8"


def _decoded(lines: Iterator[str], label: str) -> Iterator[str]:
    """The lines, with a bad byte further on reported as a usage problem."""
    number = 0
    try:
        for number, line in enumerate(lines, start=1):  # noqa: B007 - number after the loop
            if "\x00" in line:
                raise UsageProblem("error-chat-binary", path=label)
            yield line
    except UnicodeDecodeError:
        raise UsageProblem("error-chat-encoding-line", path=label, line=number + 1) from None


def open_chat(path: Path) -> BinaryIO:
    """The export file, opened for reading; a usage problem if it cannot be."""
    if path.is_dir():
        raise UsageProblem("error-chat-directory", path=str(path))
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise UsageProblem("error-chat-missing", path=str(path)) from None
    except OSError as error:
        raise UsageProblem(
            "error-chat-unreadable", path=str(path), reason=os_reason(error)
        ) from None
