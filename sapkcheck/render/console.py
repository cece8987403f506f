"""Terminal facts shared by the human renderers: colour choice and safe symbols."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class ColorMode(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class Symbols:
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


def symbols_for(stream: TextIO) -> Symbols:
    """Unicode marks only where the stream can encode them (cp1252 consoles cannot)."""
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        "✓✗→␣⟨⟩…".encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return ASCII_SYMBOLS
    return UNICODE_SYMBOLS


def make_console(stream: TextIO | None = None, color: ColorMode = ColorMode.AUTO) -> Console:
    from rich.console import Console

    stream = stream or sys.stdout
    force: bool | None = None
    no_color = bool(os.environ.get("NO_COLOR"))
    if color is ColorMode.ALWAYS:
        force, no_color = True, False
    elif color is ColorMode.NEVER:
        no_color = True
    return Console(
        file=stream,
        highlight=False,
        force_terminal=force,
        no_color=no_color,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def print_indented(console: Console, text: Text, indent: int) -> None:
    """Word-wrap ``text`` to the console with a hanging indent and no trailing blanks."""
    width = max(console.width - indent, 20)
    for line in text.wrap(console, width):
        line.rstrip()
        console.print(" " * indent, line, sep="")
