"""Parse a WhatsApp "Export chat" .txt into messages, streaming and with bounded memory.

Layouts (the phone's locale decides date order, separators and the clock):

- Android ``02/12/26 09.15 - Nama: teks``, ``12/2/26, 9:15 AM - Name: text``
- iOS ``[02/12/26 09.15.32] Nama: teks``, ``[2/12/26, 9:15:32 AM] Name: text``

iOS puts a LEFT-TO-RIGHT MARK (U+200E) before some lines, before attachments and before
system text; English phones put a NARROW NO-BREAK SPACE (U+202F) before AM/PM. Message
text is kept exactly as exported (trailing spaces included: they are evidence for the
email checks); only WhatsApp's own additions (the leading mark, "<This message was
edited>") are removed. Times are kept as written: D/M versus M/D is only guessed
(``ChatParse.date_order``), never used to rewrite anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, TextIO

from sapkcheck.triage.bounded import BoundedLines
from sapkcheck.triage.markers import LRM, Kind, Marked, classify

Layout = Literal["android", "ios"]
DateOrder = Literal["dmy", "mdy", "ymd"]

MAX_MESSAGE_CHARS = 20_000
"""One message's text is cut here: a pasted novel must not hold the memory."""
MAX_LINE_CHARS = 50_000
"""``read_lines`` keeps this much of one physical line and skips the rest."""
DETECT_LINES = 20
"""Non-empty lines looked at to recognise the layout before giving up."""

_LEADING_MARKS = "\ufeff\u200e\u200f"
_DATE = r"(?P<date>\d{1,4}(?P<ds>[/.\-])\d{1,2}(?P=ds)\d{1,4})"
_TIME = r"(?P<time>\d{1,2}[.:]\d{2}(?:[.:]\d{2})?(?:[ \u202f\u00a0]?[AaPp]\.?[Mm]\.?)?)"
_ANDROID = re.compile(rf"{_DATE},? {_TIME} [-\u2013] (?P<rest>.*)", re.DOTALL)
_IOS = re.compile(rf"\[{_DATE},? {_TIME}\] (?P<rest>.*)", re.DOTALL)
_LAYOUTS: tuple[tuple[Layout, re.Pattern[str]], ...] = (("android", _ANDROID), ("ios", _IOS))

_MAX_SENDER_CHARS = 100


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message. ``time`` is the whole timestamp as written (date and clock), ``line``
    the 1-based line of its header. ``attachment``: media with a caption (kind "text")."""

    sender: str | None
    time: str | None
    text: str
    kind: Kind
    line: int
    edited: bool = False
    attachment: bool = False
    truncated: bool = False


@dataclass(slots=True)
class _Pending:
    sender: str | None
    time: str | None
    line: int
    system: bool = False
    plain: bool = False  # not from a header: kept as one text message, never classified
    ios: bool = False
    body: BoundedLines = field(default_factory=lambda: BoundedLines(MAX_MESSAGE_CHARS))

    def add(self, text: str) -> None:
        self.body.add(text)


@dataclass(slots=True)
class _Evidence:
    """What the timestamps seen so far say about the date order."""

    first_over_12: bool = False
    second_over_12: bool = False
    year_first: bool = False
    twelve_hour: bool = False

    def see(self, date: str, sep: str, time: str) -> None:
        first, second, _ = date.split(sep)
        self.year_first |= len(first) == 4
        self.first_over_12 |= len(first) <= 2 and int(first) > 12
        self.second_over_12 |= int(second) > 12
        self.twelve_hour |= time[-1:] in "mM"


class ChatParse:
    """The layout found (None: not a WhatsApp export) and the messages, read lazily once."""

    def __init__(self, layout: Layout | None, messages: Iterator[ChatMessage]) -> None:
        self.layout = layout
        self._messages = messages
        self._evidence = _Evidence()

    def __iter__(self) -> Iterator[ChatMessage]:
        return self._messages

    @property
    def date_order(self) -> DateOrder | None:
        """The date order the timestamps read so far point to: a day over 12 decides; else
        12-hour clocks suggest an English (M/D) phone and 24-hour ones D/M (Indonesian).
        None before any timestamp or when the evidence contradicts itself."""
        seen = self._evidence
        if seen.year_first:
            return "ymd"
        if seen.first_over_12 and seen.second_over_12:
            return None
        if seen.first_over_12:
            return "dmy"
        if seen.second_over_12:
            return "mdy"
        if self.layout is None:
            return None
        return "mdy" if seen.twelve_hour else "dmy"


def read_lines(stream: TextIO, limit: int = MAX_LINE_CHARS) -> Iterator[str]:
    """The stream's lines, each cut at ``limit`` characters (the rest of an overlong line
    is read and dropped, never held)."""
    while True:
        line = stream.readline(limit)
        if not line:
            return
        if len(line) == limit and line[-1] not in "\r\n":
            while True:
                rest = stream.readline(limit)
                if not rest or rest[-1] in "\r\n" or len(rest) < limit:
                    break
        yield line


def parse_chat(lines: Iterable[str]) -> ChatParse:
    """Recognise the layout from the first non-empty lines and parse lazily.

    Text before the first header becomes a message with sender None. When none of the
    first ``DETECT_LINES`` non-empty lines is a header, the layout is None and the whole
    text is one message with sender None (say so to the user: it may be a plain paste).
    """
    source = iter(lines)
    head: list[tuple[int, str]] = []
    layout: Layout | None = None
    number = 0
    non_empty = 0
    for raw in source:
        number += 1
        line = _chomp(raw, first=number == 1)
        head.append((number, line))
        if not line.strip():
            continue
        non_empty += 1
        layout = _layout_of(line)
        if layout is not None or non_empty >= DETECT_LINES:
            break
    parse = ChatParse(layout, iter(()))
    rest = ((n, _chomp(raw, first=n == 1)) for n, raw in enumerate(source, number + 1))
    if layout is None:
        parse._messages = _whole(head, rest)
    else:
        parse._messages = _messages(layout, head, rest, parse._evidence)
    return parse


def parse_chat_text(text: str) -> ChatParse:
    """``parse_chat`` over a string (lines split at LF, CR LF or CR)."""
    return parse_chat(_split_lines(text))


def _split_lines(text: str) -> Iterator[str]:
    for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text):
        yield match.group()


def _chomp(raw: str, *, first: bool) -> str:
    line = raw[:-1] if raw.endswith("\n") else raw
    line = line[:-1] if line.endswith("\r") else line
    return line[1:] if first and line.startswith("\ufeff") else line


def _layout_of(line: str) -> Layout | None:
    stripped = line.lstrip(_LEADING_MARKS)
    for layout, pattern in _LAYOUTS:
        if pattern.match(stripped):
            return layout
    return None


def _whole(head: list[tuple[int, str]], rest: Iterator[tuple[int, str]]) -> Iterator[ChatMessage]:
    pending: _Pending | None = None
    for number, line in _chain(head, rest):
        if pending is None:
            if not line.strip():
                continue
            pending = _Pending(None, None, number, plain=True)
        pending.add(line)
    if pending is not None:
        yield _finish(pending)


def _chain(
    head: list[tuple[int, str]], rest: Iterator[tuple[int, str]]
) -> Iterator[tuple[int, str]]:
    yield from head
    yield from rest


def _messages(
    layout: Layout,
    head: list[tuple[int, str]],
    rest: Iterator[tuple[int, str]],
    evidence: _Evidence,
) -> Iterator[ChatMessage]:
    pattern = _ANDROID if layout == "android" else _IOS
    pending: _Pending | None = None
    for number, line in _chain(head, rest):
        stripped = line.lstrip(_LEADING_MARKS)
        match = pattern.match(stripped)
        if match is None:
            if pending is None:
                if not line.strip():
                    continue
                pending = _Pending(None, None, number, plain=True)
            pending.add(line)
            continue
        if pending is not None:
            yield _finish(pending)
        evidence.see(match["date"], match["ds"], match["time"])
        stamp = stripped[match.start("date") : match.end("time")]
        pending = _start(stamp, match["rest"], number)
        pending.ios = layout == "ios"
    if pending is not None:
        yield _finish(pending)


def _start(stamp: str, rest: str, number: int) -> _Pending:
    """A new message from the part after the timestamp: "Name: text" or a system line."""
    sender, colon, text = rest.partition(": ")
    if not colon or len(sender) > _MAX_SENDER_CHARS or any(q in sender for q in '"“”'):
        pending = _Pending(None, stamp, number, system=True)
        pending.add(rest)
        return pending
    pending = _Pending(sender.strip(LRM).strip(), stamp, number)
    pending.add(text)
    return pending


def _finish(pending: _Pending) -> ChatMessage:
    parts = pending.body.parts
    while len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    text = "\n".join(parts)
    if pending.plain or pending.system:
        marked = Marked("text" if pending.plain else "system", text)
    else:
        marked = classify(text, ios=pending.ios)
    return ChatMessage(
        pending.sender,
        pending.time,
        marked.text,
        marked.kind,
        pending.line,
        edited=marked.edited,
        attachment=marked.attachment,
        truncated=pending.body.truncated,
    )
