"""A long number kept as text in a CSV file: ``="198609262015051001"``.

Excel and LibreOffice Calc turn a bare field of digits into a number when a CSV file is
opened by double-click, and a number keeps only 15 significant digits: an 18-digit NIP
becomes ``1.98609E+17`` and its last digits are lost. A field written ``="…"`` is a formula
whose result is the text between the quotes: both keep every digit, as text. Other programs
importing the file read the field as it is (``="…"``); ``batch`` reads it back as the text
inside (:func:`unwrap`), and ``--fixed-nip plain`` writes bare digits for such programs.
"""

from __future__ import annotations

import re
from typing import Final

# Excel's General format shows a number of 12 or more digits in scientific notation (and
# saves a CSV that way); a number cell keeps only 15 significant digits in any case.
EXCEL_SCIENTIFIC_DIGITS: Final = 12
_WRAPPED: Final = re.compile(r'="([^"]*)"')


def needs_text_form(value: str) -> bool:
    """A bare field a spreadsheet would turn into a number shown (and saved) without all
    its digits: 12 or more digits (an 18-digit NIP, a NIK, an account number), or a
    leading zero (a phone number 0812…)."""
    return (
        value.isascii()
        and value.isdigit()
        and (len(value) >= EXCEL_SCIENTIFIC_DIGITS or (len(value) > 1 and value[0] == "0"))
    )


def text_form(value: str) -> str:
    """``value`` as a field a spreadsheet keeps as text (``="…"``)."""
    return '="' + value + '"'


def unwrap(value: str) -> str:
    """The text inside ``="…"`` (a field written by :func:`text_form`, or by another tool
    the same way); any other value as it is."""
    found = _WRAPPED.fullmatch(value)
    return found.group(1) if found else value
