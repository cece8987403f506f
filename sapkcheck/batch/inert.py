"""Cells that stay inert: the one rule every CSV output (the ``--format csv`` report, a CSV
fixed copy) applies before writing a cell, so a spreadsheet never runs what a person typed.

Excel, LibreOffice and Google Sheets read a cell starting with ``= + - @`` as a formula
(``=HYPERLINK(…)``, ``+cmd|…``, ``@SUM(…)``); a leading TAB, CR or NUL can hide such a start
from a naive check, and Excel may fold the full-width forms (U+FF1D, U+FF0B, U+FF0D,
U+FF20) into the ASCII ones.
Such a cell gets a leading apostrophe (``'=…``), the usual way to mark spreadsheet text; a
plain number (``-5``, ``+62 812 345``) is left alone. The rule is applied to the value as
written, so a certain fix that unwraps ``mailto:=HYPERLINK(…)`` cannot make it live.
"""

from __future__ import annotations

import re

FORMULA_STARTS = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"[+-]?[0-9][0-9 .,]*")


def needs_quote(text: str) -> bool:
    """``text`` would start a formula in a spreadsheet."""
    return text[:1] in FORMULA_STARTS and _NUMBER.fullmatch(text) is None


def inert(text: str) -> str:
    """``text`` as a spreadsheet reads it as text: a leading apostrophe where needed."""
    return "'" + text if needs_quote(text) else text
