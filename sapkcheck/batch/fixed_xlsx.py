"""The fixed copy of an XLSX: the original workbook with only the fixed cells changed.

Every member of the zip is copied as it is (same names, order, contents: other sheets,
merged cells, styles, widths, formulas, charts, defined names) except the one worksheet the
rows came from. That worksheet's XML is copied in one streaming pass, byte for byte, except
the ``<c>`` elements of the changed cells: each is written as an inline string
(``t="inlineStr"``, ``<is><t xml:space="preserve">…</t></is>``) keeping its ``r`` and ``s``
(style) attributes, so a NIP cell is text, never a number. A cell holding a formula is never
replaced by its value: it is left as it is and reported as not changed.
"""

from __future__ import annotations

import posixpath
import re
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Final
from xml.etree import ElementTree

from sapkcheck.batch.tables.model import check_xml_text

CHUNK: Final = 1 << 20
_MAX_TAG: Final = 1 << 20  # a start tag longer than this is not a spreadsheet's
_TAG: Final = re.compile(rb"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_DATA_TAGS: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheetData(?=[\s>/])")
_ROW_TAGS: Final = re.compile(rb"</?(?:[A-Za-z_][\w.-]*:)?(?:sheetData|row)(?=[\s>/])")
_CELL_TAGS: Final = re.compile(rb"</?(?:[A-Za-z_][\w.-]*:)?(?:sheetData|row|c)(?=[\s>/])")
_NAME: Final = re.compile(rb"<(/?)(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)")
_ATTR: Final = re.compile(rb"([\w:.-]+)\s*=\s*(\"[^\"]*\"|'[^']*')")
_REF: Final = re.compile(rb"([A-Za-z]{1,3})([0-9]+)")
_RELS_NS: Final = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL_NS: Final = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN_NS: Final = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_DOCUMENT: Final = _DOC_REL_NS + "/officeDocument"
_DROPPED_ATTRIBUTES: Final = frozenset({b"t", b"cm", b"vm"})


class PatchProblem(Exception):
    """The workbook could not be patched (the part is missing or not what it should be)."""


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small package part (workbook, relationships), parsed; a DOCTYPE (entities) refused."""
    try:
        info = archive.getinfo(name)
    except KeyError as exc:
        raise PatchProblem(name) from exc
    if info.file_size > 16 << 20:
        raise PatchProblem(name)
    data = archive.read(info)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise PatchProblem(name)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise PatchProblem(name) from exc


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Id -> (type, target part name) of ``part``'s relationships."""
    folder, name = posixpath.split(part)
    rels = _small_xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    found: dict[str, tuple[str, str]] = {}
    for element in rels.iter(f"{{{_RELS_NS}}}Relationship"):
        target = element.get("Target", "")
        if element.get("TargetMode") == "External":
            continue
        resolved = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found[element.get("Id", "")] = (element.get("Type", ""), resolved)
    return found


def worksheet_part(archive: zipfile.ZipFile, title: str | None) -> str:
    """The zip member holding the worksheet called ``title`` (the first sheet when None)."""
    root_rels = _small_xml(archive, "_rels/.rels")
    workbook = next(
        (
            e.get("Target", "").lstrip("/")
            for e in root_rels.iter(f"{{{_RELS_NS}}}Relationship")
            if e.get("Type") == _OFFICE_DOCUMENT
        ),
        "xl/workbook.xml",
    )
    rels = _relationships(archive, workbook)
    book = _small_xml(archive, workbook)
    for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
        if title is not None and sheet.get("name") != title:
            continue
        kind, target = rels.get(sheet.get(f"{{{_DOC_REL_NS}}}id", ""), ("", ""))
        if kind.endswith("/worksheet") and target in archive.NameToInfo:
            return target
        if title is not None:
            break
    raise PatchProblem(title or "")


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters.upper():
        number = number * 26 + byte - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _escape(text: str) -> bytes:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return escaped.encode("utf-8")


CellChanges = Iterator[tuple[int, int, str]]  # (row, 0-based column, new text), row order


class SheetPatcher:
    """One streaming pass over a worksheet's XML: the cells in ``changes`` (row order, then
    column order) rewritten as inline strings, every other byte copied."""

    def __init__(self, changes: CellChanges, label: str) -> None:
        self._changes = changes
        self._label = label
        self._next = next(changes, None)
        self.applied = 0
        self.formulas: set[tuple[int, int]] = set()  # left as they are: formula cells
        self.missing: set[tuple[int, int]] = set()  # not found in the sheet (never expected)
        self._row = 0
        self._column = 0
        self._in_data = False

    def _wanted(self) -> str | None:
        """The new text of the current cell, if it is to change (a change whose cell was
        passed without being met is noted in ``missing``)."""
        here = (self._row, self._column - 1)
        while self._next is not None and (self._next[0], self._next[1]) < here:
            self.missing.add((self._next[0], self._next[1]))
            self._next = next(self._changes, None)
        if self._next is not None and (self._next[0], self._next[1]) == here:
            text = self._next[2]
            self._next = next(self._changes, None)
            return text
        return None

    def _rest_missing(self) -> None:
        while self._next is not None:
            self.missing.add((self._next[0], self._next[1]))
            self._next = next(self._changes, None)

    def run(self, source: IO[bytes], out: IO[bytes]) -> None:
        buffer = b""
        position = 0
        eof = False
        while True:
            # Only the tags that matter are looked at: sheetData, rows and, in a row with a
            # change, its cells; everything between them is copied as it is.
            if not self._in_data:
                wanted = _DATA_TAGS
            elif self._next is not None and self._next[0] == self._row:
                wanted = _CELL_TAGS
            else:
                wanted = _ROW_TAGS
            found = wanted.search(buffer, position)
            if found is None:
                # keep a "<" near the end: it may start a tag the next chunk completes
                keep = buffer.rfind(b"<", max(position, len(buffer) - 64))
                end = keep if keep >= 0 and not eof else len(buffer)
                out.write(buffer[position:end])
                if eof:
                    self._rest_missing()
                    return
                chunk = source.read(CHUNK)
                eof = not chunk
                buffer, position = buffer[end:] + chunk, 0
                continue
            start = found.start()
            match = _TAG.match(buffer, start)
            if match is None:
                if eof:
                    raise PatchProblem("unterminated tag")
                if len(buffer) - start > _MAX_TAG:
                    raise PatchProblem("tag too long")
                out.write(buffer[position:start])
                chunk = source.read(CHUNK)
                eof = not chunk
                buffer, position = buffer[start:] + chunk, 0
                continue
            out.write(buffer[position:start])
            tag = match.group(0)
            position = match.end()
            replacement = self._tag(tag)
            if replacement is None:
                out.write(tag)
                continue
            # A cell to change: read up to its end tag, then decide.
            closing = tag.endswith(b"/>")
            body = b""
            if not closing:
                end_tag = b"</" + (self._prefix + b":" if self._prefix else b"") + b"c>"
                while True:
                    end = buffer.find(end_tag, position)
                    if end >= 0:
                        body = buffer[position:end]
                        position = end + len(end_tag)
                        break
                    if eof:
                        raise PatchProblem("unterminated cell")
                    if len(buffer) - position > _MAX_TAG:
                        raise PatchProblem("cell too long")
                    chunk = source.read(CHUNK)
                    eof = not chunk
                    buffer, position = buffer[position:] + chunk, 0
                original = tag + body + end_tag
            else:
                original = tag
            key = (self._row, self._column - 1)
            if re.search(rb"<(?:\w+:)?f[\s>/]", body):
                self.formulas.add(key)
                out.write(original)
            else:
                self.applied += 1
                out.write(replacement)

    _prefix: bytes = b""

    def _tag(self, tag: bytes) -> bytes | None:
        """Track rows and cells; for a cell to change, its new XML (else None)."""
        name = _NAME.match(tag)
        if name is None or tag.startswith((b"<?", b"<!")):
            return None
        closing, prefix, local = name.group(1), name.group(2) or b"", name.group(3)
        if local == b"sheetData":
            self._in_data = not closing and not tag.endswith(b"/>")
            return None
        if not self._in_data or closing:
            return None
        if local == b"row":
            attributes = dict(_ATTR.findall(tag))
            number = attributes.get(b"r")
            digits = number[1:-1] if number else b""
            # (a row number of thousands of digits is not one int() takes: count it instead)
            self._row = int(digits) if digits.isdigit() and len(digits) <= 9 else self._row + 1
            self._column = 0
            while self._next is not None and self._next[0] < self._row:  # rows never met
                self.missing.add((self._next[0], self._next[1]))
                self._next = next(self._changes, None)
            return None
        if local != b"c":
            return None
        attributes_list = _ATTR.findall(tag)
        ref = dict(attributes_list).get(b"r")
        found = _REF.fullmatch(ref[1:-1]) if ref else None
        self._column = _column_number(found.group(1)) if found else self._column + 1
        text = self._wanted()
        if text is None:
            return None
        check_xml_text(self._label, self._row, text)
        self._prefix = prefix
        p = prefix + b":" if prefix else b""
        kept = b"".join(
            b" " + key + b"=" + value
            for key, value in attributes_list
            if key not in _DROPPED_ATTRIBUTES
        )
        return (
            b"<" + p + b"c" + kept + b' t="inlineStr"><' + p + b"is><" + p
            + b't xml:space="preserve">' + _escape(text) + b"</" + p + b"t></" + p
            + b"is></" + p + b"c>"
        )  # fmt: skip


def patch_workbook(
    source: Path, dest: IO[bytes], sheet: str | None, changes: CellChanges, label: str
) -> SheetPatcher:
    """Write ``source`` to ``dest`` with the cells of ``changes`` replaced (see module doc)."""
    try:
        with zipfile.ZipFile(source) as archive:
            part = worksheet_part(archive, sheet)
            patcher = SheetPatcher(changes, label)
            with zipfile.ZipFile(dest, "w", allowZip64=True) as out:
                for info in archive.infolist():
                    copy = zipfile.ZipInfo(info.filename, info.date_time)
                    copy.compress_type = info.compress_type
                    copy.external_attr = info.external_attr
                    copy.create_system = info.create_system
                    copy.comment = info.comment
                    if info.is_dir():
                        out.writestr(copy, b"")
                        continue
                    large = info.file_size > (1 << 30)
                    with (
                        archive.open(info) as member,
                        out.open(copy, "w", force_zip64=large) as target,
                    ):
                        if info.filename == part:
                            patcher.run(member, target)
                        else:
                            shutil.copyfileobj(member, target, CHUNK)
                out.comment = archive.comment
            return patcher
    except (zipfile.BadZipFile, EOFError, ValueError, KeyError, zlib.error) as exc:
        raise PatchProblem(str(exc)) from exc


def cell_reference(row: int, column: int) -> str:
    """``B7`` for row 7, 0-based column 1."""
    return f"{_column_letters(column + 1)}{row}"
