"""Group chat messages into questions: what one person wrote before someone else spoke.

People split one complaint over several messages (greeting, error, NIP, email), so
consecutive text messages of one sender form one question. Admins' messages are answers,
not questions, and end the run. Media and deleted messages add no text; another sender's
media or deleted message still ends the run (someone else spoke), while system lines
("X bergabung") do not. Streaming: one question is held at a time, its text capped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sapkcheck.triage.bounded import BoundedLines
from sapkcheck.triage.chat import MAX_MESSAGE_CHARS, ChatMessage

MAX_QUESTION_CHARS = MAX_MESSAGE_CHARS
"""A question's text is cut here, like a single message's."""
MAX_QUESTION_LINES = 200
"""Header lines kept per question (the first ones): enough to point the admin at it."""

_PHONE_CHARS = re.compile(r"[+\d][\d\s\-().\u00a0\u202f]{6,}")


@dataclass(frozen=True, slots=True)
class Question:
    """``time`` is the first message's timestamp as written; ``lines`` the header line of
    each message joined (``text`` joins their texts with newlines)."""

    sender: str | None
    time: str | None
    text: str
    lines: tuple[int, ...]
    truncated: bool = False


def sender_key(name: str) -> str:
    """How two spellings of a sender compare: case, spacing, bidi marks and the ``~`` that
    WhatsApp puts before names not in the contacts are ignored; phone numbers compare by
    digits with a leading national ``0`` read as ``62`` (``0812…`` = ``+62 812…``)."""
    text = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    text = " ".join(text.replace("~", " ").split()).casefold()
    if _PHONE_CHARS.fullmatch(text):
        digits = "".join(ch for ch in text if ch.isdigit())
        return "62" + digits[1:] if digits.startswith("0") else digits
    return text


def group_questions(
    messages: Iterable[ChatMessage], admins: Iterable[str] = ()
) -> Iterator[Question]:
    """Questions in chat order. ``admins``: sender names whose messages are answers."""
    admin_keys = frozenset(sender_key(name) for name in admins)
    current: _Open | None = None
    for message in messages:
        if message.kind == "system":
            continue
        key = None if message.sender is None else sender_key(message.sender)
        is_admin = key is not None and key in admin_keys
        if current is not None and (is_admin or key != current.key or message.sender is None):
            yield from current.close()
            current = None
        if is_admin or message.kind != "text":
            continue
        if current is None:
            current = _Open(key, message.sender, message.time)
        current.add(message)
    if current is not None:
        yield from current.close()


class _Open:
    """The question being collected."""

    def __init__(self, key: str | None, sender: str | None, time: str | None) -> None:
        self.key = key
        self.sender = sender
        self.time = time
        self.body = BoundedLines(MAX_QUESTION_CHARS)
        self.lines: list[int] = []
        self.truncated = False

    def add(self, message: ChatMessage) -> None:
        if len(self.lines) < MAX_QUESTION_LINES:
            self.lines.append(message.line)
        self.truncated |= message.truncated
        self.body.add(message.text)
        self.truncated |= self.body.truncated

    def close(self) -> Iterator[Question]:
        text = "\n".join(self.body.parts)
        if text.strip():
            yield Question(self.sender, self.time, text, tuple(self.lines), self.truncated)
