"""What an XLSX workbook really holds, in two passes of bytes and regexes (C speed):

1. while the guard streams it (before any load): each sheet's extent (the last row and
   column its cells name, not the ``<dimension>`` it claims) and the shared-string count it
   declares. calamine loads a sheet whole and dense (rows x columns):
   :data:`CALAMINE_MAX_CELLS` bounds that load;
2. while calamine's child loads the sheet (:func:`inspect_workbook`, on another core):
   whether every value reads the same in calamine as in openpyxl.

Anything either reader would read differently (an error cell, a whitespace-only text,
``1.0`` written for a whole number, a date serial out of range, ...) sends the file to
openpyxl's streaming reader instead, which is never wrong, only slower.
"""

from __future__ import annotations

import functools
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO, Final

from sapkcheck.limits import MAX_XLSX_EMPTY_ROWS

# Cells (rows x columns, from A1 to the last cell named) calamine may load: ~100 bytes a
# cell measured (1.2 M cells: 140 MB peak), so at most ~160 MB, well under the 250 MB a
# 1 M-row batch may take. Past it openpyxl streams the sheet (~60 MB at any size).
CALAMINE_MAX_CELLS: Final = 1_500_000

_COLUMN = re.compile(rb'<c r="([A-Z]{1,3})')
_ROW_NUMBER = re.compile(rb'<row r="([0-9]{1,7})"')
_LAST_ROW = re.compile(rb'<(?:row|c) r="[A-Z]{0,3}([0-9]{1,7})"')
# Values calamine reads otherwise than openpyxl, each kind found by one search over a whole
# block (C speed): an error (calamine: empty) or ISO-date cell; an _x000D_ escape (calamine
# decodes it, openpyxl keeps it); a <t> text empty or with whitespace at either end
# (calamine trims it unless xml:space="preserve"); a cell without its reference (calamine
# places it itself, and the extent is not measured); a number with a dot, an exponent or
# 16 digits (looked at closer: openpyxl keeps 1.0 a float, calamine reads every number as
# a float, past 15 digits inexactly); a negative or 7-digit number (a date format reads
# it otherwise: a negative or past-9999 serial).
_TYPED = re.compile(rb't="[ed]"')
_ESCAPE = re.compile(rb"_x[0-9A-Fa-f]{4}_")
_LOOSE_TEXT = re.compile(rb"<t>(?:\s|</t>|[^<]*\s</)")
_NO_REFERENCE = re.compile(rb'<c(?:>| (?!r="))')
_NUMBER = re.compile(rb"<v>([-+0-9]*[.eE][^<]*|-[^<]*|[0-9]{7,}[^<]*)")


@functools.cache
def _past(letters: bytes) -> re.Pattern[bytes]:
    """A cell reference whose column is past ``letters`` (``F``: ``G1``, ``AA7``, ...)."""
    longer = [rb"[A-Z]{%d,3}" % (len(letters) + 1)] if len(letters) < 3 else []
    same = [
        letters[:i] + b"[" + bytes([letter + 1]) + b"-Z]" + b"[A-Z]" * (len(letters) - i - 1)
        for i, letter in enumerate(letters)
        if letter < ord("Z")
    ]
    return re.compile(rb'<c r="(?:' + b"|".join(longer + same) + rb")[0-9]")


@dataclass
class SheetSurvey:
    """One worksheet part (or the shared-string table, ``cells=False``), measured."""

    rows: int = 0  # the last row a cell names
    columns: int = 0  # the last column a cell names
    value_rows: int = 0  # the last row with a value in a cell
    plain: bool = True  # every value reads the same in both readers
    date_sensitive: bool = False  # a negative or huge number: a date format reads it otherwise
    _letters: bytes = b"@"  # the last column's letters ("@": none yet, before "A")
    _blocks: int = 0
    _row_tag: int = 0  # the last <row r> the second pass saw

    def feed(self, block: bytes, *, cells: bool = True) -> None:
        """The guard's pass (before any load): the extent calamine would load."""
        if not self.plain or not cells:
            return
        self._blocks += 1
        if self._blocks == 1 and b"<worksheet" not in block:
            self.plain = False  # prefixed tags (<x:c>): cells this survey would not see
            return
        if _NO_REFERENCE.search(block):
            self.plain = False
            return
        self._measure(block)

    def inspect(self, block: bytes, *, cells: bool = True) -> None:
        """The second pass (while the child loads): values the readers read otherwise."""
        if not self.plain:
            return
        if (
            _ESCAPE.search(block)
            or _LOOSE_TEXT.search(block)
            or b"<t/>" in block
            or b"<v></v>" in block
        ):
            self.plain = False
            return
        if not cells:
            return
        if _TYPED.search(block) or not self._rows_in_order(block):
            self.plain = False
            return
        for match in _NUMBER.finditer(block):
            verdict = _number(match.group(1))
            if verdict is None:
                self.plain = False
                return
            self.date_sensitive |= verdict

    def _measure(self, block: bytes) -> None:
        """The extent so far: the last row named in the block (rows come in order; rows out
        of order only cost the child memory, within its bound), the widest column, and the
        last row holding a value (openpyxl also reads the empty rows after it, calamine
        does not: past MAX_XLSX_EMPTY_ROWS of them only openpyxl's reading is refused)."""
        tail = max(block.rfind(b"<row r="), block.rfind(b"<c r="))
        last = _LAST_ROW.match(block, tail) if tail >= 0 else None
        if last is not None:
            self.rows = max(self.rows, int(last.group(1)))
        value = max(block.rfind(b"<v>"), block.rfind(b"<is>"))
        cell = block.rfind(b"<c r=", 0, value) if value >= 0 else -1
        held = _LAST_ROW.match(block, cell) if cell >= 0 else None
        if held is not None:
            self.value_rows = max(self.value_rows, int(held.group(1)))
        if _past(self._letters).search(block):
            letters = max(set(_COLUMN.findall(block)), key=lambda c: (len(c), c))
            self._letters = max(self._letters, letters, key=lambda c: (len(c), c))
            self.columns = _column_number(self._letters)

    def _rows_in_order(self, block: bytes) -> bool:
        """Rows numbered in increasing order (openpyxl drops a row numbered below the one
        before it; calamine places it)."""
        numbers = list(map(int, _ROW_NUMBER.findall(block)))
        if not numbers:
            return True
        if numbers[0] <= self._row_tag or numbers != sorted(set(numbers)):
            return False
        self._row_tag = numbers[-1]
        return True

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _number(text: bytes) -> bool | None:
    """None: a number the readers build differently (openpyxl keeps ``1.0`` and ``1E3``
    floats, ``20`` an int; calamine reads floats, past 15 digits inexactly). Else whether a
    date format would read it otherwise (a negative or past-9999 serial)."""
    try:
        value = float(text)
    except ValueError:
        return False  # not a number: a formula's text, read as text by both
    if value != value or value in (float("inf"), float("-inf")):
        return None
    if b"." in text or b"e" in text or b"E" in text:
        if value.is_integer():  # 1.0, 1E3, or digits past a double's: openpyxl's float
            return None
    elif len(text.lstrip(b"+-")) > 15 or text.startswith(b"+"):
        return None
    return value < 0 or value >= 2_958_466


@dataclass
class WorkbookSurvey:
    """Every worksheet of a workbook, and what the workbook itself says."""

    sheets: list[SheetSurvey] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # each sheet's part in the zip
    plain: bool = True  # workbook-wide: shared strings, styles, the date system

    def calamine_safe(self) -> bool:
        """calamine may load any sheet of this workbook: bounded (the guard's pass), and
        after :func:`inspect_workbook`, read the same."""
        return (
            self.plain
            and bool(self.sheets)
            and all(sheet.plain for sheet in self.sheets)
            and max(sheet.cells for sheet in self.sheets) <= CALAMINE_MAX_CELLS
            and all(s.rows - s.value_rows <= MAX_XLSX_EMPTY_ROWS for s in self.sheets)
        )


_CHUNK = 1 << 16


def inspect_workbook(stream: BinaryIO, survey: WorkbookSurvey) -> bool:
    """The second pass over the shared strings and every sheet the guard measured: whether
    calamine reads every value as openpyxl does."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = {info.filename.lower(): info.filename for info in archive.infolist()}
            parts = [(names.get("xl/sharedstrings.xml"), SheetSurvey(), False)]
            parts += [
                (name, sheet, True)
                for name, sheet in zip(survey.members, survey.sheets, strict=True)
            ]
            for member, sheet, cells in parts:
                if member is not None:
                    _inspect_part(archive, member, sheet, cells=cells)
                if not sheet.plain:
                    return False
            if any(s.date_sensitive for s in survey.sheets):
                return not _has_date_styles(archive, set(archive.namelist()))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error):
        return False
    finally:
        stream.seek(0)
    return True


def _inspect_part(
    archive: zipfile.ZipFile, member: str, sheet: SheetSurvey, *, cells: bool
) -> None:
    with archive.open(member) as part:
        held = b""
        while sheet.plain and (chunk := part.read(_CHUNK)):
            block = held + chunk
            cut = block.rfind(b"<")  # no tag or text cut in two
            block, held = (block[:cut], block[cut:]) if cut > 0 else (block, b"")
            sheet.inspect(block, cells=cells)
        sheet.inspect(held, cells=cells)


_SST_TAG = re.compile(rb"<sst\b[^>]*>")
_SST_COUNT = re.compile(rb'\b(?:uniqueCount|count)="([0-9]*)"')
_DATE_BUILTINS: Final = frozenset({*range(14, 23), 45, 46, 47})
_NUMFMT = re.compile(rb'<numFmt\b[^>]*?numFmtId="([0-9]+)"[^>]*?formatCode="([^"]*)"')
_QUOTED = re.compile(rb'"[^"]*"|\[[^\]]*\]|\\.')


def survey_workbook(archive: zipfile.ZipFile, survey: WorkbookSurvey, shared_head: bytes) -> None:
    """The workbook-wide part: calamine reserves room for the shared-string count the file
    declares (4,294,967,295 aborted the process), and dates need styles both readers agree
    on. ``shared_head``: the first bytes of the shared-string table."""
    tag = _SST_TAG.search(shared_head)
    for count in _SST_COUNT.findall(tag.group(0) if tag else b""):
        if not count or int(count) > 2_000_000:
            survey.plain = False
    names = set(archive.namelist())
    workbook = _read_small(archive, "xl/workbook.xml", names)
    if workbook is None or re.search(rb'date1904="(?:1|true)"', workbook):
        survey.plain = False
        return


def _has_date_styles(archive: zipfile.ZipFile, names: set[str]) -> bool:
    styles = _read_small(archive, "xl/styles.xml", names)
    if styles is None:
        return True
    custom = {int(number): code for number, code in _NUMFMT.findall(styles)}
    used = {int(n) for n in re.findall(rb'<xf\b[^>]*?numFmtId="([0-9]+)"', styles)}
    for number in used:
        if number in _DATE_BUILTINS:
            return True
        code = _QUOTED.sub(b"", custom.get(number, b"")).lower()
        if re.search(rb"[dmyhs]", code):
            return True
    return False


def _read_small(archive: zipfile.ZipFile, name: str, names: set[str]) -> bytes | None:
    if name not in names:
        return None
    with archive.open(name) as part:
        data = part.read(8 << 20)
    return data if len(data) < 8 << 20 else None
