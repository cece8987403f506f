"""Bounds of an XLSX workbook, checked before any reader (openpyxl, calamine) loads a sheet.

A reader builds each cell's text in memory: one 200 MB cell, a few hundred KB once zipped,
took 1.25 GB. :func:`check_xlsx_bounds` refuses such a file first, in bounded memory:

- the zip's declared sizes: the whole workbook unpacked past ``MAX_XLSX_UNPACKED_BYTES``,
  or a large part compressed more than ``MAX_XLSX_COMPRESSION_RATIO`` times (a zip bomb).
  Python's zipfile never unpacks more than a member declares, so these numbers bound what
  any reader can be made to unpack;
- the shared-string table and the sheet(s), streamed in small chunks and scanned as bytes
  (no XML tree, no text kept): a cell (``<c>``) or a shared text (``<si>``), rich-text runs
  and entities counted together, longer than ``MAX_CELL_CHARS`` characters is refused,
  naming its row where the sheet says it; more than ``MAX_XLSX_SHARED_STRINGS`` shared
  texts too.

Each refusal is ``TableError("too-large", ...)`` (exit 2). A damaged zip is left to the
reader, which reports it as damaged.
"""

from __future__ import annotations

import itertools
import os
import re
import zipfile
import zlib
from typing import BinaryIO

from sapkcheck import limits
from sapkcheck.batch.tables.model import TableError, too_large
from sapkcheck.batch.tables.xlsx_survey import SheetSurvey, WorkbookSurvey, survey_workbook

_CHUNK = 1 << 16  # bytes unpacked at a time
_HOLD = 64  # bytes kept back at a chunk's end, so no tag is cut in two

# Where a new cell or shared text starts (any namespace prefix): <c ...>, <si>.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|si)(?=[\s>/])")
# A row and its number: <row r="12" ...>.
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])(?:[^>]*?\sr=[\"'](\d+))?")
_CONTINUATION = bytes(range(0x80, 0xC0))  # UTF-8 bytes that do not start a character
_ENTITY = re.compile(rb"&[#\w]{1,32};")


def check_xlsx_bounds(
    source: str | os.PathLike[str] | BinaryIO | zipfile.ZipFile,
    sheet_member: str | None = None,
    *,
    label: str | None = None,
) -> WorkbookSurvey | None:
    """Refuse (``TableError("too-large")``) a workbook whose reading would be unbounded;
    else what its sheets hold (None for a damaged zip, left to the reader).

    ``source``: a path, a seekable binary stream or an open ``ZipFile``; ``sheet_member``:
    the worksheet part to scan (``xl/worksheets/sheet1.xml``), None for every worksheet.
    ``label`` names the file in the message (default: the path)."""
    if isinstance(source, zipfile.ZipFile):
        return _check_archive(label or str(source.filename), source, sheet_member)
    name = label or (str(source) if isinstance(source, (str, os.PathLike)) else "")
    position = None if isinstance(source, (str, os.PathLike)) else source.tell()
    try:
        with zipfile.ZipFile(source) as archive:
            return _check_archive(name, archive, sheet_member)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error):
        return None  # damaged: the reader says so
    finally:
        if position is not None and not isinstance(source, (str, os.PathLike)):
            source.seek(position)  # the reader starts where the caller left it


def _check_archive(
    label: str, archive: zipfile.ZipFile, sheet_member: str | None
) -> WorkbookSurvey:
    infos = archive.infolist()
    total = 0
    for info in infos:
        total += info.file_size
        if total > limits.MAX_XLSX_UNPACKED_BYTES:
            raise too_large(label, 1, "unpacked", limits.MAX_XLSX_UNPACKED_BYTES)
        if (
            info.file_size > _RATIO_FROM_BYTES
            and info.file_size > limits.MAX_XLSX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            raise too_large(label, 1, "compression", limits.MAX_XLSX_COMPRESSION_RATIO)
    by_lower = {info.filename.lower(): info.filename for info in infos}
    survey = WorkbookSurvey()
    shared = by_lower.get("xl/sharedstrings.xml")
    texts = SheetSurvey()
    head = b""
    if shared is not None:
        head = _scan(label, archive, shared, texts)
    if sheet_member is not None:
        sheets = [sheet_member] if sheet_member in archive.NameToInfo else []
    else:
        sheets = [
            info.filename
            for info in infos
            if info.filename.lower().startswith("xl/worksheets/")
            and info.filename.lower().endswith(".xml")
        ]
    for member in sheets:
        sheet = SheetSurvey()
        survey.sheets.append(sheet)
        survey.members.append(member)
        _scan(label, archive, member, sheet)
    survey.plain = texts.plain
    if survey.plain:
        survey_workbook(archive, survey, head)
    return survey


# The compression ratio is judged only for parts that unpack to more than this: small parts
# (styles, a sheet of a few rows) compress very well and are harmless.
_RATIO_FROM_BYTES = 8 << 20


def _scan(label: str, archive: zipfile.ZipFile, member: str, survey: SheetSurvey) -> bytes:
    """Scan one part (a sheet, or the shared strings when ``survey`` is ``texts``); returns
    its first bytes."""
    sheet = member.lower().startswith("xl/worksheets/")
    scanner = _Scanner(label, sheet=sheet)
    head = b""
    try:
        with archive.open(member) as stream:
            held = b""
            while chunk := stream.read(_CHUNK):
                head = head or chunk[:4096]
                block = held + chunk
                cut = block.rfind(b"<", max(0, len(block) - _HOLD))
                if cut < 0:
                    held = b""
                else:
                    block, held = block[:cut], block[cut:]
                scanner.feed(block)
                survey.feed(block, cells=sheet)
            scanner.feed(held)
            survey.feed(held, cells=sheet)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error):
        survey.plain = False
        # a damaged or unsupported part (a corrupt deflate stream): the reader reports it
    return head


class _Scanner:
    """Counts the characters of the current cell (or shared text) across chunks."""

    def __init__(self, label: str, *, sheet: bool) -> None:
        self.label = label
        self.sheet = sheet
        self.row = 0  # the current row's number (sheets), 0 before the first
        self.cells = 0  # shared texts begun
        self.pending = bytearray()  # the current cell's bytes, while they may be short
        self.chars = 0  # characters counted exactly, once the cell is long
        self.in_tag = False
        self.exact = False

    def feed(self, block: bytes) -> None:
        first = _CELL.search(block)
        if first is None:
            self._more(block)
            return
        self._more(block[: first.start()])
        self._count(block, first.start())
        if len(block) > limits.MAX_CELL_CHARS:
            # (only under a small cap: a block is far shorter than a cell may be)
            starts = [match.start() for match in _CELL.finditer(block)]
            for start, end in itertools.pairwise(starts):
                self._begin(block, start)
                self._more(block[start:end])
            last_start = starts[-1]
        else:
            last_start = _last(_CELL, b"<", block, first.start(), len(block))
        self._begin(block, last_start)
        self._more(block[last_start:])

    def _count(self, block: bytes, start: int) -> None:
        """Count the shared texts begun in ``block`` from ``start``: capped in number."""
        if self.sheet:
            return
        self.cells += sum(1 for _ in _CELL.finditer(block, start))
        if self.cells > limits.MAX_XLSX_SHARED_STRINGS:
            raise too_large(self.label, 1, "shared-strings", limits.MAX_XLSX_SHARED_STRINGS)

    def _begin(self, block: bytes, start: int) -> None:
        """A new cell starts at ``block[start]``: note its row, forget the last cell."""
        if self.sheet:
            row = _last(_ROW, b"row", block, 0, start)
            if row >= 0:
                number = _ROW.match(block, row)
                found = number.group(1) if number else None
                self.row = int(found) if found else self.row + 1
        self.pending.clear()
        self.chars = 0
        self.in_tag = False
        self.exact = False

    def _more(self, piece: bytes) -> None:
        """``piece`` continues the current cell."""
        if not piece:
            return
        if not self.exact:
            if len(self.pending) + len(piece) <= limits.MAX_CELL_CHARS:
                self.pending += piece  # bytes bound characters: cannot be too long yet
                return
            piece = bytes(self.pending) + piece
            self.pending.clear()
            self.exact = True
        counted, self.in_tag = _text_chars(piece, self.in_tag)
        self.chars += counted
        if self.chars > limits.MAX_CELL_CHARS:
            if self.sheet:
                raise too_large(self.label, max(self.row, 1), "cell", limits.MAX_CELL_CHARS)
            raise too_large(self.label, 1, "shared-text", limits.MAX_CELL_CHARS)


def _last(pattern: re.Pattern[bytes], hint: bytes, block: bytes, start: int, end: int) -> int:
    """Where the last match of ``pattern`` (a tag, containing ``hint``) starts in
    ``block[start:end]``, -1 if none: searched backwards, the last tag is near the end."""
    position = end
    while (position := block.rfind(hint, start, position)) >= 0:
        tag = block.rfind(b"<", start, position + 1)
        if tag < 0:
            return -1
        match = pattern.match(block, tag)
        if match is not None and match.start() == tag and tag < end:
            return tag
        position = min(position, tag)
    return -1


def _text_chars(piece: bytes, in_tag: bool) -> tuple[int, bool]:
    """Characters of text (outside tags) in ``piece``, and whether it ends inside a tag.
    UTF-8 continuation bytes are not counted and an entity (``&amp;``, ``&#x1F600;``) is
    one character, as a reader will build it (an entity cut by the end of a chunk may count
    a few characters more)."""
    count = 0
    position = 0
    size = len(piece)
    while position < size:
        if in_tag:
            end = piece.find(b">", position)
            if end < 0:
                return count, True
            position = end + 1
            in_tag = False
            continue
        start = piece.find(b"<", position)
        stop = size if start < 0 else start
        text = piece[position:stop]
        if b"&" in text:
            text = _ENTITY.sub(b"&", text)  # one character each
        count += len(text.translate(None, _CONTINUATION))
        if start < 0:
            return count, False
        position = start + 1
        in_tag = True
    return count, in_tag


__all__ = ["TableError", "check_xlsx_bounds"]
