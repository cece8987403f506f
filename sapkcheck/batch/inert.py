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

from sapkcheck.batch.excel_text import needs_text_form, text_form

FORMULA_STARTS = frozenset("=+-@\t\r\0\uff1d\uff0b\uff0d\uff20")
_NUMBER = re.compile(r"[+-]?[0-9][0-9 .,]*")


def needs_quote(text: str) -> bool:
    """``text`` would start a formula in a spreadsheet."""
    return text[:1] in FORMULA_STARTS and _NUMBER.fullmatch(text) is None


def inert(text: str) -> str:
    """``text`` as a spreadsheet reads it as text: a leading apostrophe where needed."""
    return "'" + text if needs_quote(text) else text


def text_cell(text: str) -> str:
    """``text`` as a CSV cell that Excel and LibreOffice Calc both open as that very text:
    a fragile digit string (an 18-digit NIP, a NIK, a phone number with its leading 0) as
    the formula ``="…"`` (Excel evaluates it to the text; Calc, formulas evaluated or not,
    keeps every digit as text), anything else through :func:`inert`. The formula form is
    only ever built around ASCII digits, so it cannot carry anything that would run."""
    if text[:1] not in FORMULA_STARTS and not text.isdigit():
        return text  # most cells: neither a formula's start nor digits (a CSV report's hot path)
    if needs_text_form(text):
        return text_form(text)
    return inert(text)
