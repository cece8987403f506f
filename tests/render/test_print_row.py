"""A listed row of the text report reads the same on a colour terminal as in a file: the
styled path (rich Text) and the plain one (strings) print the same characters."""

from __future__ import annotations

import io
import re

from rich.console import Console

from sapkcheck.findings import Severity
from sapkcheck.knowledge.i18n import catalog
from sapkcheck.render.batch import print_row
from sapkcheck.render.console import symbols_for

RECORD = {
    "row": 12,
    "nip": {"input": "19860926 201505 1 001"},
    "email": {"input": "\u200bbudi@gmial.com "},
    "findings": [
        {"code": "nip-separators", "severity": "info", "message": "NIP dibaca sebagai " * 4},
        {"code": "email-domain-typo", "severity": "warning", "message": "Domain gmial.com?"},
        {"code": "email-invisible-char", "severity": "error", "message": "Ada karakter " * 9},
    ],
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _printed(color: bool, width: int) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        color_system="truecolor" if color else None,
        force_terminal=color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
    )
    severities = frozenset(Severity)
    marks = symbols_for(io.StringIO())
    print_row(console, width, RECORD, "Budi  Santoso", marks, catalog("id"), severities)
    return _ANSI.sub("", buffer.getvalue())


def test_a_colour_terminal_prints_the_characters_a_file_gets() -> None:
    for width in (20, 40, 80, 120):
        coloured = _printed(True, width)
        assert "\x1b" not in coloured
        assert coloured == _printed(False, width), width
    assert "[email-invisible-char]" in _printed(True, 80)
