"""Terminal facts shared by the human renderers: colour choice and safe symbols."""

from __future__ import annotations

import builtins
import codecs
import functools
import itertools
import os
import re
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TextIO, TypeAlias

from sapkcheck.render.styled import Styled

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class ColorMode(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class Symbols(NamedTuple):
    ok: str
    error: str
    warning: str
    info: str
    arrow: str
    space: str
    ellipsis: str

    def invisible(self, codepoint: int) -> str:
        return f"⟨U+{codepoint:04X}⟩" if self.space == "␣" else f"<U+{codepoint:04X}>"


UNICODE_SYMBOLS = Symbols(
    ok="✓", error="✗", warning="!", info="i", arrow="→", space="␣", ellipsis="…"
)
ASCII_SYMBOLS = Symbols(
    ok="OK", error="X", warning="!", info="i", arrow="->", space="[SP]", ellipsis="..."
)


def is_utf(stream: TextIO) -> bool:
    """The stream encodes all of Unicode (UTF-8, UTF-16, ...); unknown means no."""
    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name.startswith("utf")
    except LookupError:
        return False


def symbols_for(stream: TextIO) -> Symbols:
    """Unicode marks only where the stream can encode them (cp1252 consoles cannot)."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "✓✗→␣⟨⟩…".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_SYMBOLS
    return UNICODE_SYMBOLS


# Readable stand-ins for catalog punctuation a legacy code page cannot encode.
_ASCII_STAND_INS = {
    "–": "-",
    "—": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "×": "x",
    "→": "->",
    "≥": ">=",
    "≤": "<=",
    "␣": "[SP]",
    "⟨": "<",
    "⟩": ">",
}


def encodable_text(encoding: str) -> Callable[[str], str] | None:
    """A converter making any text encodable in ``encoding`` (stand-ins for punctuation,
    escapes for the rest), or None when the encoding takes all of Unicode."""
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        codec = "ascii"
    if codec.startswith("utf"):
        return None

    def convert(text: str) -> str:
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            return "".join(_convert_char(ch, codec) for ch in text)
        return text

    return convert


def _convert_char(ch: str, codec: str) -> str:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return _ASCII_STAND_INS.get(ch) or ch.encode("ascii", "backslashreplace").decode("ascii")
    return ch


def make_console(stream: TextIO | None = None, color: ColorMode = ColorMode.AUTO) -> Console:
    from rich.console import Console
    from rich.text import Text

    class SafeConsole(Console):
        """Converts what the stream cannot encode *before* rich measures and wraps it,
        so a cp1252 console gets readable, correctly wrapped lines."""

        convert: Callable[[str], str] | None = None

        def print(self, *objects: Any, **kwargs: Any) -> None:
            super().print(*(self.encodable(o) for o in objects), **kwargs)

        def encodable(self, value: Any) -> Any:
            if self.convert is None:
                return value
            if isinstance(value, Styled):
                value = value.as_text()
            if isinstance(value, str):
                return self.convert(value)
            if isinstance(value, Text):
                converted = Text(end=value.end)
                for segment in value.render(self, end=""):
                    converted.append(self.convert(segment.text), segment.style)
                return converted
            return value

    stream = stream or sys.stdout
    # NO_COLOR and --color never mean no escape codes at all (not even bold): plain text.
    plain = color is ColorMode.NEVER or (
        color is ColorMode.AUTO and bool(os.environ.get("NO_COLOR"))
    )
    console = SafeConsole(
        file=stream,
        highlight=False,
        force_terminal=True if color is ColorMode.ALWAYS else None,
        # "always" must colour even where TERM says the terminal cannot (TERM=dumb)
        color_system="standard" if color is ColorMode.ALWAYS else None if plain else "auto",
        no_color=False,  # NO_COLOR is decided above, so that --color always can override it
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    console.convert = encodable_text(getattr(stream, "encoding", None) or "ascii")
    return console


class PlainConsole:
    """What rich's ``Console`` writes to a stream that is not a terminal, has no colour
    and takes all of Unicode (a pipe, a file), without importing rich: one-column text is
    wrapped here (:func:`plain_lines`), anything else is handed to a rich console made
    for the same stream (``rich``). Made by :func:`make_screen` only where rich's own
    choices of colour and width are known (tests/render/test_plain_screen.py)."""

    color_system: str | None = None  # never colour: what is_plain_console reads
    convert: Callable[[str], str] | None = None  # a UTF stream takes every character

    def __init__(self, stream: IO[str], color: ColorMode) -> None:
        self.file = stream
        self._color = color
        self._rich: Console | None = None

    @property
    def width(self) -> int:
        return _rich_pipe_width()  # read on every call, as rich does

    def print(self, *objects: str | Styled, sep: str = " ", end: str = "\n") -> None:
        if len(objects) <= 1 and sep == " " and end == "\n":
            shown = "" if not objects else objects[0]
            lines = plain_lines(
                shown if isinstance(shown, str) else shown.plain, self.width, strip=False
            )
            if lines is not None:
                self.file.write("".join(line + "\n" for line in lines))
                return
        self.rich().print(*objects, sep=sep, end=end)

    def rich(self) -> Console:
        """The rich console this one stands for (made when first needed)."""
        if self._rich is None:
            self._rich = make_console(self.file, self._color)  # type: ignore[arg-type]
        return self._rich


# A report's console: rich's, or the plain one that stands for it without rich.
Screen: TypeAlias = "Console | PlainConsole"


def make_screen(stream: TextIO | None = None, color: ColorMode = ColorMode.AUTO) -> Screen:
    """:func:`make_console`, or a :class:`PlainConsole` where rich would write plain text
    (rich costs ~25 ms of start-up, a tenth of a single check's)."""
    stream = stream or sys.stdout
    if color is ColorMode.ALWAYS or sys.platform == "win32" or not is_utf(stream):
        return make_console(stream, color)  # colour, Windows consoles, stand-ins: rich's
    if hasattr(builtins, "get_ipython") or _rich_sees_terminal(stream):
        return make_console(stream, color)
    return PlainConsole(stream, color)


def as_rich(screen: Screen) -> Console:
    """The rich console of a report's console (for tables, panels, ...)."""
    return screen.rich() if isinstance(screen, PlainConsole) else screen


def _rich_sees_terminal(stream: TextIO) -> bool:
    """Whether ``rich.console.Console.is_terminal`` may be true for ``stream``, outside
    Jupyter: its environment variables read as every rich release allowed reads them
    (``TTY_COMPATIBLE`` is new in rich 14, and rich 13 took an empty ``FORCE_COLOR`` for a
    terminal, rich 14 not), then ``isatty``."""
    if os.environ.get("TTY_COMPATIBLE", "") or "FORCE_COLOR" in os.environ:
        return True
    isatty = getattr(stream, "isatty", None)
    try:
        return False if isatty is None else bool(isatty())
    except ValueError:  # closed
        return False


def _rich_pipe_width() -> int:
    """``rich.console.Console.width`` off Windows when the output is not a terminal:
    COLUMNS, else the first standard stream that is a terminal, else 80."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def is_plain_console(console: Screen) -> bool:
    """The console writes characters only: no colour or style codes, nothing converted."""
    return console.color_system is None and getattr(console, "convert", None) is None


# Printable characters rich gives one column each: ASCII, Latin, Greek and Cyrillic letters
# (look-alikes in emails), dashes, quotes and arrows, and the report's marks. Held equal to
# rich.cells by tests/render/test_plain_screen.py (rich is not imported for them).
_ONE_COLUMN_RANGES = (
    (0x20, 0x7F),
    (0xA0, 0x300),
    (0x370, 0x483),
    (0x2010, 0x2028),
    (0x2030, 0x205F),
    (0x2190, 0x2200),
)


@functools.cache
def _one_column_chars() -> frozenset[str]:
    candidates = [code for start, stop in _ONE_COLUMN_RANGES for code in range(start, stop)]
    marks = "".join({*UNICODE_SYMBOLS, *ASCII_SYMBOLS, "⟨⟩"})
    return frozenset(
        ch for ch in (*map(chr, candidates), *marks) if len(ch) == 1 and ch.isprintable()
    )


def plain_lines(text: str, width: int, *, strip: bool) -> list[str] | None:
    """The lines rich wraps ``text`` into at ``width`` columns (words kept whole, a word
    longer than a line folded, blanks past the width dropped; ``strip``: every trailing
    blank), for text whose every character is one column (:func:`_one_column_chars`);
    None for any other text (rich measures it). A report of thousands of rows is printed
    without rich's per-line work (tests/render/test_plain_lines.py: equal to rich)."""
    if width < 1 or not _one_column_chars().issuperset(text):
        return None  # rich decides (at a width of 0 it prints nothing)
    if len(text) <= width:
        return [text.rstrip() if strip else text]
    bounds = [0, *_divide_line(text, width), len(text)]
    lines = []
    for start, end in itertools.pairwise(bounds):
        line = text[start:end][:width]  # rich drops what a line holds past the width
        lines.append(line.rstrip() if strip else line)
    return lines


_WORD_START = re.compile(r"(?<= )[^ ]")


def _divide_line(text: str, width: int) -> list[int]:
    """``rich._wrap.divide_line(text, width, fold=True)`` for text of one-column characters
    (a character's cells are its length; the only blank is the space): the same breaks.

    rich places words (a run of non-spaces with the spaces after it) greedily: a word
    stays on the line while its last non-space falls within ``width`` of the line's
    start, else the line breaks before it; a word longer than a line is folded every
    ``width`` characters, its last piece starting the next line. Here each line's break
    is found by searching, not word by word."""
    breaks: list[int] = []
    visible = len(text.rstrip(" "))  # past this, spaces only: they never break a line
    lead = len(text) - len(text.lstrip(" "))  # the text's first word holds these spaces
    line = 0  # where the current line starts
    while visible - line > width:
        limit = line + width
        first = line or lead  # the first non-space of the line's first word
        if limit >= first and text[limit] == " ":
            # the words before the limit fit: the next word starts a line
            found = _WORD_START.search(text, limit)
            assert found is not None  # a non-space follows: visible > limit
            breaks.append(found.start())
            line = found.start()
            continue
        start = text.rfind(" ", first, limit) + 1 if limit >= first else 0
        if start > line:  # the word holding the limit starts a line
            breaks.append(start)
            line = start
            continue
        # The line's first word is longer than a line: folded every ``width`` characters
        # (its spaces after it too), its last piece starting the next line.
        word_end = text.find(" ", max(limit, first))
        word_end = len(text) if word_end < 0 else word_end
        end = len(text) - len(text[word_end:].lstrip(" "))
        pieces = range(line, end, width)
        breaks.extend(piece for piece in pieces[1:] if piece)
        line = pieces[-1]
    return breaks


def print_line(console: Screen, text: Text | Styled, columns: int | None = None) -> None:
    """``console.print(text)``: written directly when the console is plain and the text
    simple (:func:`plain_lines`). ``columns``: the console's width, when the caller knows it
    (rich reads the environment for it on every call)."""
    columns = columns or console.width
    lines = plain_lines(text.plain, columns, strip=False) if is_plain_console(console) else None
    if lines is None:
        as_rich(console).print(text)
        return
    console.file.write("".join(line + "\n" for line in lines))


def print_indented(
    console: Screen, text: Text | Styled | str, indent: int, columns: int | None = None
) -> None:
    """Word-wrap ``text`` to the console with a hanging indent and no trailing blanks.
    ``columns``: as for :func:`print_line`. A str is printed as ``Text(text)`` is (the
    text of a plain console's line is never made a Text: a report prints thousands)."""
    columns = columns or console.width
    width = max(columns - indent, 20)
    if is_plain_console(console) and columns >= width + indent:
        # plain_lines takes printable characters only: a str it takes is its Text's plain
        lines = plain_lines(text if isinstance(text, str) else text.plain, width, strip=True)
        if lines is not None:
            console.file.write("".join(" " * indent + line + "\n" for line in lines))
            return
    from rich.text import Text  # here: the module is imported before rich is needed

    console = as_rich(console)
    if isinstance(text, Styled):
        text = text.as_text()
    # Convert first: an escape such as \u0435 is 6 columns wide, not 1.
    shown: Text = getattr(console, "encodable", lambda value: value)(
        Text(text) if isinstance(text, str) else text
    )
    for line in shown.wrap(console, width):
        line.rstrip()
        console.print(" " * indent, line, sep="")


def visible_text(text: str) -> str:
    """``text`` with control characters and other invisible ones (a terminal escape
    sequence in a CSV header or an argument) shown as escapes, never sent raw."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )
