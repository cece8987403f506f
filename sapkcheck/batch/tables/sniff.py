"""Byte-level facts about an input: BOMs, encodings (UTF-8 or Excel's cp1252), file kind by
magic number, CSV delimiter."""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Mapping
from typing import IO, Any, BinaryIO, Final

from sapkcheck.batch.tables.headers import _find_header, _HeaderChoice, _search_head
from sapkcheck.batch.tables.model import (
    _BOMS,
    _CONTROL_BYTES,
    _OLE_MAGIC,
    _ZIP_MAGICS,
    DELIMITERS,
    HEADER_SEARCH_LIMIT,
    PROBE_BYTES,
    SAMPLE_BYTES,
    SCAN_CHUNK,
    Role,
)

# --------------------------------------------------------------------------- cp1252


def _cp1252_errors(exc: UnicodeError) -> tuple[str | bytes, int]:
    """cp1252 leaves 0x81 0x8D 0x8F 0x90 0x9D undefined; map them to the C1 controls of the
    same value (as Windows and WHATWG do) so any byte string decodes and re-encodes exactly."""
    if isinstance(exc, UnicodeDecodeError):
        return chr(exc.object[exc.start]), exc.start + 1
    if isinstance(exc, UnicodeEncodeError):
        bad = exc.object[exc.start : exc.end]
        if all(ord(ch) in (0x81, 0x8D, 0x8F, 0x90, 0x9D) for ch in bad):
            return bytes(ord(ch) for ch in bad), exc.end
    raise exc


_CP1252_ERRORS: Final = "sapkcheck-cp1252"
codecs.register_error(_CP1252_ERRORS, _cp1252_errors)


# --------------------------------------------------------------------------- byte sniffing


def _read_up_to(stream: BinaryIO, size: int) -> bytes:
    chunks: list[bytes] = []
    got = 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _bom(head: bytes) -> tuple[bytes, str, str] | None:
    for bom, name, codec in _BOMS:
        if head.startswith(bom):
            return bom, name, codec
    return None


def _detect_kind(head: bytes, stream: IO[bytes] | None = None) -> str:
    """What a file really is, for ``wrong-format``/``stdin-xlsx`` parameters."""
    if head.startswith(_OLE_MAGIC):
        return "xls"
    if head.startswith(_ZIP_MAGICS):
        if stream is not None:
            try:
                stream.seek(0)
                with zipfile.ZipFile(stream) as archive:
                    names = set(archive.namelist())
            except (zipfile.BadZipFile, OSError, ValueError):
                return "zip"
            return "xlsx" if "xl/workbook.xml" in names else "zip"
        return "xlsx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if _bom(head) is None and _looks_binary(head[:PROBE_BYTES]):
        return "binary"
    start = head.lstrip()[:256].lower()
    for bom, _, _ in _BOMS:
        start = start.removeprefix(bom)
    if start.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "html"
    return "text"


def _looks_binary(probe: bytes) -> bool:
    if not probe:
        return False
    if b"\x00" in probe:
        return True
    controls = len(probe) - len(probe.translate(None, _CONTROL_BYTES))
    return controls * 100 > len(probe)


def _ole_is_encrypted_ooxml(stream: BinaryIO) -> bool:
    """An OLE container named .xlsx is what Excel writes for a password-protected workbook
    (streams EncryptionInfo + EncryptedPackage). A legacy .xls renamed to .xlsx has a
    Workbook stream instead. Defaults to encrypted when neither name is found nearby."""
    stream.seek(0)
    head = stream.read(SAMPLE_BYTES)
    if "EncryptionInfo".encode("utf-16-le") in head:
        return True
    return "Workbook".encode("utf-16-le") not in head and "Book".encode("utf-16-le") not in head


def _valid_utf8(head: bytes, stream: BinaryIO | None) -> bool:
    """Strict UTF-8 check of ``head``; with ``stream`` (positioned right after ``head``) the
    rest of the file is checked too, chunk by chunk."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(head)
    try:
        for start in range(0, len(view), SCAN_CHUNK):
            decoder.decode(view[start : start + SCAN_CHUNK])
        if stream is not None:
            while chunk := stream.read(SCAN_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        elif len(head) < SAMPLE_BYTES:  # the sample is the whole input
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


# A well-formed multi-byte UTF-8 sequence: cp1252 text almost never contains one.
_UTF8_MULTIBYTE: Final = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def _has_utf8_multibyte(head: bytes, stream: BinaryIO | None) -> bool:
    """Does the input hold UTF-8 letters (é as C3 A9)? A file that does and also fails
    strict UTF-8 is a UTF-8 file with stray bytes (mixed), not a cp1252 file. With
    ``stream`` (seekable) the whole file is scanned, chunk by chunk."""
    if _UTF8_MULTIBYTE.search(head):
        return True
    if stream is None:
        return False
    stream.seek(0)
    tail = b""
    while chunk := stream.read(SCAN_CHUNK):
        if _UTF8_MULTIBYTE.search(tail + chunk):
            return True
        tail = chunk[-3:]
    return False


class Replay(io.RawIOBase):
    """Bytes already read from a non-seekable stream, then the rest of that stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        target = memoryview(buffer).cast("B")
        if self._prefix:
            n = min(len(target), len(self._prefix))
            target[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(target))
        target[: len(data)] = data
        return len(data)


# --------------------------------------------------------------------------- CSV dialect


def _head_records(text: str, delimiter: str, limit: int) -> list[list[str]]:
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            records.append(record)
            if len(records) >= limit:
                break
    except csv.Error:
        pass  # the probe may end inside a quoted field
    return records


def _sniff(text: str) -> str | None:
    sample = text[: 32 * 1024]
    cut = max(sample.rfind("\n"), sample.rfind("\r"))
    if cut > 0:
        sample = sample[:cut]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return None
    return delimiter if delimiter in DELIMITERS else None


def _count_in_first_line(text: str) -> str:
    """Fallback: the delimiter occurring most often, outside quotes, in the first line."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    started = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            if started:
                break
            continue
        elif not quoted and ch in counts:
            counts[ch] += 1
        started = True
    best = max(DELIMITERS, key=lambda d: counts[d])  # ties: the earlier in DELIMITERS
    return best


def _choose_dialect(
    text: str, overrides: Mapping[Role, str]
) -> tuple[str, list[list[str]], _HeaderChoice | None]:
    """Pick the delimiter under which a header naming the needed columns appears (most roles
    found, then most header cells, then earliest header, then csv.Sniffer's choice)."""
    sniffed = _sniff(text)
    limit = HEADER_SEARCH_LIMIT
    best: tuple[tuple[int, int, int, int, int], str, list[list[str]], _HeaderChoice] | None = None
    person: tuple[str, list[list[str]]] | None = None  # data from the first row: no header
    for order, delimiter in enumerate(DELIMITERS):
        records = _head_records(text, delimiter, limit)
        choice = _find_header(records, overrides)
        if choice is None:
            first_person = _search_head(records, overrides)[1]
            if first_person is not None and (person is None or delimiter == sniffed):
                person = (delimiter, records)
            continue
        score = (
            int("email" in choice.assigned) - len(choice.missing),
            len(choice.assigned),
            sum(1 for h in choice.header if h),
            -choice.index,
            (1 if delimiter == sniffed else 0) * 10 - order,
        )
        if best is None or score > best[0]:
            best = (score, delimiter, records, choice)
    # A person's NIP in a cell of its own, with no header before it, beats a "header"
    # found only by a column letter that another split of the same line satisfies.
    if best is not None and (person is None or not best[3].missing):
        return best[1], best[2], best[3]
    if person is not None:
        return person[0], person[1], None
    fallback = sniffed or _count_in_first_line(text)
    return fallback, _head_records(text, fallback, limit), None
