"""Streaming reader (and fixed-copy writer) for the staff tables of ``sapkcheck batch``.

Reads CSV/TXT (UTF-8 with or without BOM, UTF-16/32 with BOM, else Windows cp1252; comma,
semicolon or tab), XLSX (first or named worksheet) and CSV on stdin, one row at a time:
memory stays bounded however long the file is. Columns are found by header name using
``data/columns.toml``.

Nothing here holds prose. Unusable input raises :class:`TableError`, which carries a problem
id and string parameters for the CLI to render. Cell values are passed on raw: no stripping,
no number conversion (an XLSX number cell in the NIP column is Excel damage the caller must
report, so it stays an ``int``/``float``).

Row numbers are the ones Excel shows: the header row keeps its own physical row number
(normally 1) and a CSV record with a quoted multi-line field counts as one row.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import os
import re
import sys
import tempfile
import tomllib
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import IO, Any, BinaryIO, Final, Literal, TypeAlias

CellValue: TypeAlias = str | int | float | datetime | None

Problem: TypeAlias = Literal[
    "not-found",  # params: path
    # params: path, reason (permission|directory|io|damaged|encoding|csv)[, row, encoding]
    "unreadable",
    "encrypted",  # params: path  (password-protected xlsx: an OLE/CFB container)
    # params: path, extension, detected (xls|xlsx|zip|binary|html|pdf|text|empty)
    "wrong-format",
    "empty",  # params: path[, sheet]
    "no-nip-column",  # params: path, columns, row[, sheet]
    "no-email-column",  # params: path, columns, row, nip_column[, sheet]
    # params: path, role (nip|email|registered), column, columns, row[, sheet]
    "no-such-column",
    "no-such-sheet",  # params: path, sheet, sheets
    "stdin-xlsx",  # params: path ("-"), detected (xlsx|xls)
    "fixed-is-input",  # params: path (the destination)
    # params: path, reason (extension|directory|directory-missing|permission|io|encoding|
    # character)[, character, encoding, row]
    "unwritable",
]

Role: TypeAlias = Literal["nip", "registered", "email", "name"]

ROLE_ORDER: Final[tuple[Role, ...]] = ("nip", "registered", "email", "name")

SAMPLE_BYTES: Final = 1 << 20  # read up front: BOM, magic numbers, header, delimiter
PROBE_BYTES: Final = 64 * 1024  # of the sample: binary check, header and delimiter detection
SCAN_CHUNK: Final = 256 * 1024  # UTF-8 validation of a seekable file, chunk by chunk
HEADER_SEARCH_ROWS: Final = 10  # the header is the first of this many non-empty rows naming NIP
HEADER_SEARCH_LIMIT: Final = 1000  # ... within this many physical rows
MAX_LISTED_COLUMNS: Final = 40  # "columns" error parameter: at most this many names ...
MAX_COLUMN_NAME: Final = 60  # ... each cut to this many characters

CSV_SUFFIXES: Final = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
DELIMITERS: Final = (",", ";", "\t")

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS: Final = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BOMS: Final = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
# C0 controls that do not occur in text files (tab, LF, FF, CR and Ctrl-Z do).
_CONTROL_BYTES: Final = bytes(c for c in range(32) if c not in (9, 10, 12, 13, 26)) + b"\x7f"
_SURROGATE: Final = re.compile("[\udc80-\udcff]")
_WORD: Final = re.compile(r"[^\W\d_]+|\d+")
_SEP_LINE: Final = re.compile(r"sep=([^\r\n\"])(\r\n|\n|\r)")
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XL_ERROR_CODES: Final = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"}
)


# --------------------------------------------------------------------------- errors


class TableError(Exception):
    """The input (or the fixed-copy destination) cannot be used. No prose: the CLI renders
    ``problem`` with ``params``."""

    problem: Problem
    params: dict[str, str]

    def __init__(self, problem: Problem, params: Mapping[str, str] | None = None) -> None:
        self.problem = problem
        self.params = dict(params or {})
        super().__init__(problem, self.params)

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.problem} ({details})" if details else self.problem


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Columns:
    """0-based indexes into :attr:`Row.cells`. ``email`` is ``None`` only when the table was
    opened with ``require_email=False`` and has no email column."""

    nip: int
    email: int | None
    registered: int | None
    name: int | None
    header: tuple[str, ...]  # header cells, whitespace-trimmed, "" for an empty cell


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as Excel shows it: header = row 1 (normally), first data row = 2
    cells: tuple[CellValue, ...]  # at least as wide as the header; short rows padded with None
    ragged: int  # non-empty cells beyond the header width (kept at the end of ``cells``)

    def __reduce__(self) -> tuple[type[Row], tuple[int, tuple[CellValue, ...], int]]:
        # Rows cross to worker processes in batch mode: a plain tuple pickles ~5x faster
        # than the dataclass default.
        return (Row, (self.number, self.cells, self.ragged))


# --------------------------------------------------------------------------- column names


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def normalize_header(text: str) -> str:
    """``"E-Mail SAPK "`` -> ``"emailsapk"``: what header matching compares."""
    return "".join(_words(text))


@dataclass(frozen=True, slots=True)
class _Rule:
    exact: tuple[str, ...]  # normalized, in order of preference
    keywords: tuple[tuple[str, ...], ...]
    require: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]

    def matches_keywords(self, words: tuple[str, ...]) -> bool:
        return (
            any(_has_run(words, k) for k in self.keywords)
            and (not self.require or any(_has_run(words, r) for r in self.require))
            and not any(_has_run(words, x) for x in self.exclude)
        )


def _has_run(words: tuple[str, ...], run: tuple[str, ...]) -> bool:
    n = len(run)
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


def _str_list(table: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"columns.toml: [{where}].{key} must be a list of strings")
    return value


def parse_column_rules(text: str) -> dict[Role, _Rule]:
    """Parse (and validate) the contents of ``columns.toml``."""
    data = tomllib.loads(text)
    if data.get("schema") != 1:
        raise ValueError("columns.toml: unsupported schema")
    rules: dict[Role, _Rule] = {}
    owner: dict[str, Role] = {}
    for role in ROLE_ORDER:
        table = data.get(role)
        if not isinstance(table, dict):
            raise ValueError(f"columns.toml: missing [{role}]")
        unknown = set(table) - {"exact", "keywords", "require", "exclude"}
        if unknown:
            raise ValueError(f"columns.toml: unknown keys in [{role}]: {sorted(unknown)}")
        exact: list[str] = []
        for name in _str_list(table, "exact", role):
            norm = normalize_header(name)
            if not norm:
                raise ValueError(f"columns.toml: [{role}] exact name {name!r} has no letters")
            if owner.setdefault(norm, role) != role:
                raise ValueError(f"columns.toml: {name!r} is listed for {owner[norm]} and {role}")
            if norm not in exact:
                exact.append(norm)

        def runs(
            key: str, role: Role = role, table: Mapping[str, Any] = table
        ) -> tuple[tuple[str, ...], ...]:
            out = tuple(_words(w) for w in _str_list(table, key, role))
            if any(not run for run in out):
                raise ValueError(f"columns.toml: [{role}].{key} has an empty entry")
            return out

        rules[role] = _Rule(tuple(exact), runs("keywords"), runs("require"), runs("exclude"))
    return rules


@cache
def column_rules() -> dict[Role, _Rule]:
    text = resources.files("sapkcheck").joinpath("data/columns.toml").read_text("utf-8")
    return parse_column_rules(text)


def _detect(
    header: Sequence[str], overrides: Mapping[Role, str]
) -> tuple[dict[Role, int], dict[Role, str]]:
    """Assign columns to roles. Returns (assignments, overrides that matched no column)."""
    rules = column_rules()
    norm = [normalize_header(h) for h in header]
    assigned: dict[Role, int] = {}
    used: set[int] = set()
    missing: dict[Role, str] = {}

    def take(role: Role, index: int | None) -> bool:
        if index is None:
            return False
        assigned[role] = index
        used.add(index)
        return True

    def first(pred: Any) -> int | None:
        return next((i for i in range(len(header)) if i not in used and pred(i)), None)

    for role, name in overrides.items():
        target = normalize_header(name)
        if not take(role, first(lambda i, target=target: bool(target) and norm[i] == target)):
            missing[role] = name
    for role in ROLE_ORDER:
        if role in overrides:
            continue
        for alias in rules[role].exact:
            if take(role, first(lambda i, alias=alias: norm[i] == alias)):
                break
    words = [_words(h) for h in header]
    for role in ROLE_ORDER:
        rule = rules[role]
        if role in overrides or role in assigned or not rule.keywords:
            continue
        take(role, first(lambda i, rule=rule: rule.matches_keywords(words[i])))
    return assigned, missing


def _header_texts(cells: Sequence[CellValue]) -> tuple[str, ...]:
    """Header cells as trimmed text, cut after the last non-empty one."""
    texts = [_cell_text(c).strip() for c in cells]
    while texts and not texts[-1]:
        texts.pop()
    return tuple(texts)


def _list_columns(header: Sequence[str]) -> str:
    names = [h[:MAX_COLUMN_NAME] for h in header if h]
    more = len(names) - MAX_LISTED_COLUMNS
    listed = ", ".join(names[:MAX_LISTED_COLUMNS])
    return f"{listed}, +{more}" if more > 0 else listed


@dataclass(frozen=True, slots=True)
class _HeaderChoice:
    index: int  # 0-based physical row of the header among the rows searched
    header: tuple[str, ...]
    assigned: dict[Role, int]
    missing: dict[Role, str]


def _find_header(
    rows: Sequence[Sequence[CellValue]], overrides: Mapping[Role, str]
) -> _HeaderChoice | None:
    """The first non-empty row (of the first HEADER_SEARCH_ROWS) that names a NIP column."""
    seen = 0
    for index, cells in enumerate(rows):
        header = _header_texts(cells)
        if not any(header):
            continue
        assigned, missing = _detect(header, overrides)
        if "nip" in assigned:
            return _HeaderChoice(index, header, assigned, missing)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return None


def _best_guess_header(rows: Sequence[Sequence[CellValue]]) -> tuple[int, tuple[str, ...]]:
    """For error messages: the searched row with the most non-empty cells."""
    best: tuple[int, int, tuple[str, ...]] = (-1, 0, ())  # (count, index, header)
    seen = 0
    for index, cells in enumerate(rows):
        header = _header_texts(cells)
        count = sum(1 for h in header if h)
        if not count:
            continue
        if count > best[0]:
            best = (count, index, header)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    return best[1], best[2]


def _check_choice(
    label: str,
    choice: _HeaderChoice,
    header_row: int,
    *,
    require_email: bool,
    sheet: str | None,
) -> Columns:
    base = {"path": label, "columns": _list_columns(choice.header), "row": str(header_row)}
    if sheet is not None:
        base["sheet"] = sheet
    for role in ("nip", "email", "registered"):
        if role in choice.missing:
            raise TableError(
                "no-such-column", {**base, "role": role, "column": choice.missing[role]}
            )
    assigned = choice.assigned
    if "email" not in assigned and require_email:
        raise TableError("no-email-column", {**base, "nip_column": choice.header[assigned["nip"]]})
    return Columns(
        nip=assigned["nip"],
        email=assigned.get("email"),
        registered=assigned.get("registered"),
        name=assigned.get("name"),
        header=choice.header,
    )


def _no_header_error(
    label: str,
    rows: Sequence[Sequence[CellValue]],
    overrides: Mapping[Role, str],
    row_offset: int,
    sheet: str | None,
) -> TableError:
    index, header = _best_guess_header(rows)
    params = {"path": label, "columns": _list_columns(header), "row": str(index + row_offset)}
    if sheet is not None:
        params["sheet"] = sheet
    if "nip" in overrides:
        return TableError("no-such-column", {**params, "role": "nip", "column": overrides["nip"]})
    return TableError("no-nip-column", params)


# --------------------------------------------------------------------------- cells and rows


def _is_blank(value: CellValue) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _make_row(number: int, values: Sequence[CellValue], width: int) -> Row:
    n = len(values)
    if n == width:
        return Row(number, tuple(values), 0)
    if n < width:
        return Row(number, (*values, *((None,) * (width - n))), 0)
    end = n
    while end > width and _is_blank(values[end - 1]):
        end -= 1
    ragged = sum(1 for i in range(width, end) if not _is_blank(values[i]))
    return Row(number, tuple(values[:end]), ragged)


_PLAIN_TYPES: Final = frozenset({str, int, float, datetime, type(None)})


def _xl_value(value: object) -> CellValue:
    """openpyxl value -> CellValue (bool is an int; a date becomes midnight; a time or a
    duration becomes its ISO text)."""
    if value is None or isinstance(value, str | int | float | datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _cell_text(value: CellValue) -> str:
    """A cell as CSV text. A float NIP keeps its exponent: digits lost to Excel are never
    invented here."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if value.time() == time():
        return value.date().isoformat()
    return value.isoformat(sep=" ")


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


class _Replay(io.RawIOBase):
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
    for order, delimiter in enumerate(DELIMITERS):
        records = _head_records(text, delimiter, limit)
        choice = _find_header(records, overrides)
        if choice is None:
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
    if best is not None:
        return best[1], best[2], best[3]
    fallback = sniffed or _count_in_first_line(text)
    return fallback, _head_records(text, fallback, limit), None


# --------------------------------------------------------------------------- the table


class Table:
    """An open table: use it as a context manager and iterate it (once) for its data rows.

    Rows before the header (title rows, up to HEADER_SEARCH_ROWS non-empty ones) and the
    header itself are not yielded. Blank rows between data rows are yielded with all cells
    ``None``; blank rows after the last data row are not yielded at all (sheets often carry
    thousands of formatted but empty rows). Mid-stream failures (a damaged XLSX part, a
    malformed CSV record, a bad byte on stdin) raise :class:`TableError` with a ``row``.
    """

    kind: Literal["csv", "xlsx"]
    encoding: str | None  # utf-8 | utf-8-sig | utf-16-le | utf-16-be | utf-32-le | utf-32-be |
    #                       cp1252 (the -sig/-16/-32 ones had a BOM); None for xlsx
    delimiter: str | None  # None for xlsx
    columns: Columns
    sheet: str | None  # worksheet title for xlsx
    header_row: int  # Excel row number of the header (1 unless title rows precede it)
    source: Path | None  # None for stdin

    def __init__(
        self,
        *,
        kind: Literal["csv", "xlsx"],
        label: str,
        source: Path | None,
        columns: Columns,
        header_row: int,
        rows: Iterator[Row],
        leading: tuple[tuple[CellValue, ...], ...],
        closers: Sequence[Any],
        encoding: str | None = None,
        delimiter: str | None = None,
        sheet: str | None = None,
        lineterminator: str = "\r\n",
        sep_line: str | None = None,
    ) -> None:
        self.kind = kind
        self.encoding = encoding
        self.delimiter = delimiter
        self.columns = columns
        self.sheet = sheet
        self.header_row = header_row
        self.source = source
        self._label = label
        self._rows = rows
        self._leading = leading  # raw rows up to and including the header
        self._closers = list(closers)
        self._lineterminator = lineterminator
        self._sep_line = sep_line
        self._iterated = False

    def __iter__(self) -> Iterator[Row]:
        if self._iterated:
            raise RuntimeError("a Table can be iterated only once")
        self._iterated = True
        return self._rows

    def close(self) -> None:
        closers, self._closers = self._closers, []
        close_rows = getattr(self._rows, "close", None)
        if close_rows is not None:
            close_rows()
        for closer in reversed(closers):
            closer.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_table(
    source: Path | Literal["-"],
    *,
    stdin: BinaryIO | None = None,
    sheet: str | None = None,
    nip_column: str | None = None,
    email_column: str | None = None,
    registered_column: str | None = None,
    require_email: bool = True,
) -> Table:
    """Open a staff table for streaming.

    ``"-"`` reads CSV bytes from ``stdin`` (default ``sys.stdin.buffer``). ``sheet`` picks an
    XLSX worksheet by title (ignored for CSV). The ``*_column`` overrides are header names,
    matched like the built-in ones (case, spaces and punctuation ignored). With
    ``require_email=False`` a table without an email column is accepted
    (``columns.email is None``). Raises :class:`TableError`.
    """
    overrides: dict[Role, str] = {}
    if nip_column is not None:
        overrides["nip"] = nip_column
    if email_column is not None:
        overrides["email"] = email_column
    if registered_column is not None:
        overrides["registered"] = registered_column

    if isinstance(source, str) and source == "-":
        if stdin is None:
            stdin = sys.stdin.buffer
        try:
            return _open_csv("-", None, stdin, overrides=overrides, require_email=require_email)
        except OSError as exc:
            raise _os_error("-", exc) from exc

    path = Path(source)
    label = str(path)
    suffix = path.suffix.lower()
    try:
        stream: BinaryIO = open(path, "rb")  # noqa: SIM115 - owned by the Table
    except FileNotFoundError:
        raise TableError("not-found", {"path": label}) from None
    except OSError as exc:
        raise _os_error(label, exc, path) from None
    try:
        if suffix in CSV_SUFFIXES:
            return _open_csv(label, path, stream, overrides=overrides, require_email=require_email)
        if suffix in XLSX_SUFFIXES:
            return _open_xlsx(
                label, stream, sheet=sheet, overrides=overrides, require_email=require_email
            )
        head = _read_up_to(stream, SAMPLE_BYTES)
        detected = _detect_kind(head, stream) if head else "empty"
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    except OSError as exc:
        stream.close()
        raise _os_error(label, exc, path) from exc
    except BaseException:
        stream.close()
        raise


def _os_error(label: str, exc: OSError, path: Path | None = None) -> TableError:
    if isinstance(exc, IsADirectoryError) or (path is not None and path.is_dir()):
        reason = "directory"
    elif isinstance(exc, PermissionError):
        reason = "permission"
    else:
        reason = "io"
    return TableError("unreadable", {"path": label, "reason": reason})


# --------------------------------------------------------------------------- CSV


def _open_csv(
    label: str,
    path: Path | None,
    stream: BinaryIO,
    *,
    overrides: Mapping[Role, str],
    require_email: bool,
) -> Table:
    seekable = path is not None and stream.seekable()  # a named pipe is not
    suffix = path.suffix.lower() if path is not None else ""
    head = _read_up_to(stream, SAMPLE_BYTES)
    at_eof = len(head) < SAMPLE_BYTES
    if head.startswith((_OLE_MAGIC, *_ZIP_MAGICS)):
        if path is None:
            raise TableError("stdin-xlsx", {"path": label, "detected": _detect_kind(head)})
        detected = _detect_kind(head, stream if seekable else None)
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    if head.startswith(b"%PDF"):
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "pdf"})

    found = _bom(head)
    if found is not None:
        bom, encoding, codec = found
        errors = "strict"
    else:
        bom = b""
        if _looks_binary(head[:PROBE_BYTES]):
            raise TableError(
                "wrong-format", {"path": label, "extension": suffix, "detected": "binary"}
            )
        if _valid_utf8(head, stream if seekable else None):
            encoding = codec = "utf-8"
            # stdin is checked on the sample only; a bad byte later is reported with its row
            errors = "strict" if seekable else "surrogateescape"
        else:
            encoding = codec = "cp1252"
            errors = _CP1252_ERRORS

    probe = head[len(bom) : len(bom) + PROBE_BYTES]
    probe_is_all = at_eof and len(bom) + PROBE_BYTES >= len(head)
    decoder = codecs.getincrementaldecoder(codec)(
        errors=_CP1252_ERRORS if codec == "cp1252" else "replace"
    )
    text = decoder.decode(probe, final=probe_is_all)

    if probe_is_all and not text.strip(' \t\r\n,;"'):
        raise TableError("empty", {"path": label})

    sep_line: str | None = None
    match = _SEP_LINE.match(text)
    if match:  # Excel's "sep=;" first line: fixes the delimiter and is not shown as a row
        sep_line = match.group(0)
        text = text[match.end() :]
        delimiter = match.group(1)
        records = _head_records(text, delimiter, HEADER_SEARCH_LIMIT)
        choice = _find_header(records, overrides)
    else:
        delimiter, records, choice = _choose_dialect(text, overrides)
    if not any(any(c.strip() for c in record) for record in records):
        raise TableError("empty", {"path": label})
    if choice is None:
        raise _no_header_error(label, records, overrides, 1, None)
    columns = _check_choice(
        label, choice, choice.index + 1, require_email=require_email, sheet=None
    )
    newline = re.search(r"\r\n|\n|\r", text)
    lineterminator = newline.group(0) if newline else "\r\n"

    # Stream from the start again: a file seeks back, stdin replays the bytes already read.
    if seekable:
        stream.seek(len(bom))
        raw: IO[bytes] = stream
    else:
        raw = io.BufferedReader(_Replay(head[len(bom) :], stream))
    del head, probe, text, records
    reader_stream = io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")
    try:
        if sep_line is not None:
            reader_stream.readline()
        # A pasted cell can be huge; it is a value to check, not an unreadable file.
        csv.field_size_limit(sys.maxsize)
        reader = csv.reader(reader_stream, delimiter=delimiter)
        leading = tuple(tuple[CellValue, ...](next(reader)) for _ in range(choice.index + 1))
    except (UnicodeDecodeError, csv.Error, StopIteration) as exc:
        reader_stream.close()
        reason = "encoding" if isinstance(exc, UnicodeDecodeError) else "csv"
        raise TableError("unreadable", {"path": label, "reason": reason}) from exc
    rows = _csv_rows(
        label,
        reader,
        first=choice.index + 2,
        width=len(columns.header),
        encoding=encoding,
        check_surrogates=errors == "surrogateescape",
    )
    return Table(
        kind="csv",
        label=label,
        source=path,
        columns=columns,
        header_row=choice.index + 1,
        rows=rows,
        leading=leading,
        closers=[reader_stream] if path is None else [stream, reader_stream],
        encoding=encoding,
        delimiter=delimiter,
        lineterminator=lineterminator,
        sep_line=sep_line,
    )


def _csv_rows(
    label: str,
    reader: Iterator[list[str]],
    *,
    first: int,
    width: int,
    encoding: str,
    check_surrogates: bool,
) -> Iterator[Row]:
    number = first - 1
    blank_run = 0  # blank rows are held back (as a count) until a non-blank row follows
    blank = (None,) * width
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as exc:
            raise TableError(
                "unreadable",
                {"path": label, "reason": "encoding", "encoding": encoding, "row": str(number + 1)},
            ) from exc
        except csv.Error as exc:
            raise TableError(
                "unreadable", {"path": label, "reason": "csv", "row": str(number + 1)}
            ) from exc
        except OSError as exc:
            raise TableError(
                "unreadable", {"path": label, "reason": "io", "row": str(number + 1)}
            ) from exc
        number += 1
        if not any(cell and not cell.isspace() for cell in record):
            blank_run += 1
            continue
        if (
            check_surrogates
            and not all(cell.isascii() for cell in record)
            and any(_SURROGATE.search(cell) for cell in record)
        ):
            raise TableError(
                "unreadable",
                {"path": label, "reason": "encoding", "encoding": encoding, "row": str(number)},
            )
        for blank_number in range(number - blank_run, number):
            yield Row(blank_number, blank, 0)
        blank_run = 0
        yield _make_row(number, record, width)


# --------------------------------------------------------------------------- XLSX


def _open_xlsx(
    label: str,
    stream: BinaryIO,
    *,
    sheet: str | None,
    overrides: Mapping[Role, str],
    require_email: bool,
) -> Table:
    suffix = Path(label).suffix.lower()
    head = _read_up_to(stream, 8)
    if not head:
        raise TableError("empty", {"path": label})
    if head.startswith(_OLE_MAGIC):
        if _ole_is_encrypted_ooxml(stream):
            raise TableError("encrypted", {"path": label})
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "xls"})
    if not head.startswith(_ZIP_MAGICS):
        stream.seek(0)
        detected = _detect_kind(_read_up_to(stream, SAMPLE_BYTES))
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": detected})
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise TableError("wrong-format", {"path": label, "extension": suffix, "detected": "zip"})
    stream.seek(0)

    import openpyxl  # type: ignore[import-untyped,unused-ignore]

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's "unsupported extension" chatter
            workbook = openpyxl.load_workbook(
                stream, read_only=True, data_only=True, keep_links=False
            )
    except OSError:
        raise
    except Exception as exc:
        raise TableError("unreadable", {"path": label, "reason": "damaged"}) from exc
    try:
        return _open_worksheet(
            label,
            stream,
            workbook,
            sheet=sheet,
            overrides=overrides,
            require_email=require_email,
        )
    except BaseException:
        workbook.close()
        raise


def _pick_sheet(label: str, workbook: Any, sheet: str | None) -> Any:
    worksheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
    if sheet is None:
        if not worksheets:
            raise TableError("empty", {"path": label})
        return worksheets[0]
    by_title = {ws.title: ws for ws in worksheets}
    if sheet in by_title:
        return by_title[sheet]
    wanted = sheet.strip().casefold()
    loose = [ws for title, ws in by_title.items() if title.strip().casefold() == wanted]
    if len(loose) == 1:
        return loose[0]
    raise TableError(
        "no-such-sheet",
        {"path": label, "sheet": sheet, "sheets": ", ".join(workbook.sheetnames)},
    )


def _open_worksheet(
    label: str,
    stream: BinaryIO,
    workbook: Any,
    *,
    sheet: str | None,
    overrides: Mapping[Role, str],
    require_email: bool,
) -> Table:
    worksheet = _pick_sheet(label, workbook, sheet)
    title = str(worksheet.title)
    # A stale <dimension> would make openpyxl drop rows and columns beyond it: ignore it.
    worksheet.reset_dimensions()
    source = worksheet.iter_rows(values_only=True)

    def pull(number: int) -> tuple[CellValue, ...] | None:
        try:
            values = next(source)
        except StopIteration:
            return None
        except Exception as exc:  # anything from a damaged part of the zip/XML
            raise TableError(
                "unreadable", {"path": label, "reason": "damaged", "row": str(number)}
            ) from exc
        if _PLAIN_TYPES.issuperset(map(type, values)):
            return tuple(values)
        return tuple(map(_xl_value, values))

    buffered: list[tuple[CellValue, ...]] = []
    nonempty = 0
    exhausted = False
    while nonempty < HEADER_SEARCH_ROWS and len(buffered) < HEADER_SEARCH_LIMIT:
        cells = pull(len(buffered) + 1)
        if cells is None:
            exhausted = True
            break
        buffered.append(cells)
        if any(not _is_blank(c) for c in cells):
            nonempty += 1
            if "nip" in _detect(_header_texts(cells), overrides)[0]:
                break
    if nonempty == 0 and exhausted:
        raise TableError("empty", {"path": label, "sheet": title})
    choice = _find_header(buffered, overrides)
    if choice is None:
        raise _no_header_error(label, buffered, overrides, 1, title)
    columns = _check_choice(
        label, choice, choice.index + 1, require_email=require_email, sheet=title
    )
    rows = _xlsx_rows(
        pending=buffered[choice.index + 1 :],
        pull=pull,
        first=choice.index + 2,
        width=len(columns.header),
    )
    return Table(
        kind="xlsx",
        label=label,
        source=Path(label),
        columns=columns,
        header_row=choice.index + 1,
        rows=rows,
        leading=tuple(buffered[: choice.index + 1]),
        closers=[stream, workbook, source],
        sheet=title,
    )


def _xlsx_rows(
    *,
    pending: list[tuple[CellValue, ...]],
    pull: Any,
    first: int,
    width: int,
) -> Iterator[Row]:
    number = first - 1
    blank_run = 0  # trailing blank (e.g. formatted but empty) rows are never yielded
    blank = (None,) * width
    pending.reverse()
    while True:
        cells: tuple[CellValue, ...] | None = pending.pop() if pending else pull(number + 1)
        if cells is None:
            return
        number += 1
        if all(_is_blank(c) for c in cells):
            blank_run += 1
            continue
        for blank_number in range(number - blank_run, number):
            yield Row(blank_number, blank, 0)
        blank_run = 0
        yield _make_row(number, cells, width)


# --------------------------------------------------------------------------- fixed copy


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
    except OSError:
        pass
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


class FixedWriter:
    """Writes a corrected copy of ``table`` to ``dest``, atomically.

    The format follows ``dest``'s extension (``.csv``/``.txt``/``.tsv`` or ``.xlsx``; any
    other extension: the input's format). A CSV copy of a CSV keeps its encoding (and BOM),
    delimiter, line ending and ``sep=`` line; a CSV copy of a workbook is UTF-8 with BOM,
    comma-separated (tab for ``.tsv``). An XLSX copy is a new workbook whose NIP and email
    cells are text formatted as Text (``@``), never numbers; other cells keep their type.
    The rows before the data (title rows, header) are written on entry; then call
    :meth:`write` once per row. Nothing appears at ``dest`` unless the ``with`` block ends
    without an exception (temp file in the same directory, then ``os.replace``).
    """

    def __init__(self, table: Table, dest: Path) -> None:
        self._table = table
        self._dest = Path(dest)
        label = str(self._dest)
        self._label = label
        suffix = self._dest.suffix.lower()
        if suffix in CSV_SUFFIXES:
            self.kind: Literal["csv", "xlsx"] = "csv"
        elif suffix == ".xlsx":
            self.kind = "xlsx"
        elif suffix in {".xls", ".xlsm", ".xlsb", ".ods"}:
            raise TableError("unwritable", {"path": label, "reason": "extension"})
        else:
            self.kind = table.kind
        if table.source is not None and _same_file(table.source, self._dest):
            raise TableError("fixed-is-input", {"path": label})
        if self._dest.is_dir():
            raise TableError("unwritable", {"path": label, "reason": "directory"})
        if not self._dest.parent.is_dir():
            raise TableError("unwritable", {"path": label, "reason": "directory-missing"})
        if table.kind == "csv" and self.kind == "csv":
            self.encoding = table.encoding or "utf-8-sig"
            self.delimiter = table.delimiter or ","
            self._lineterminator = table._lineterminator
            self._sep_line = table._sep_line
        else:
            self.encoding = "utf-8-sig"
            self.delimiter = "\t" if suffix == ".tsv" else ","
            self._lineterminator = "\r\n"
            self._sep_line = None
        columns = table.columns
        self._text_columns = frozenset(
            i for i in (columns.nip, columns.email, columns.registered) if i is not None
        )
        self._tmp: Path | None = None
        self._file: IO[str] | None = None
        self._csv: Any = None
        self._workbook: Any = None
        self._sheet: Any = None
        self._row = table.header_row  # output row number of the last row written

    # -- context

    def __enter__(self) -> FixedWriter:
        try:
            fd, name = tempfile.mkstemp(
                dir=self._dest.parent, prefix=f".{self._dest.name}.", suffix=".tmp"
            )
        except OSError as exc:
            raise self._error(exc) from exc
        self._tmp = Path(name)
        try:
            if self._dest.exists():
                with contextlib.suppress(OSError):
                    os.chmod(self._tmp, os.stat(self._dest).st_mode & 0o7777)
            if self.kind == "csv":
                self._start_csv(fd)
            else:
                os.close(fd)
                self._start_xlsx()
            for cells in self._table._leading:
                self._write(cells)
        except BaseException:
            self._abort()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is not None:
            self._abort()
            return
        try:
            self._finish()
        except BaseException as error:
            self._abort()
            if isinstance(error, OSError):
                raise self._error(error) from error
            raise

    def write(self, cells: Sequence[CellValue]) -> None:
        """Write one row (normally the corrected cells of the next input row)."""
        if self._tmp is None:
            raise RuntimeError("FixedWriter.write() outside its with-block")
        self._row += 1
        self._write(cells)

    # -- internals

    def _error(self, exc: OSError) -> TableError:
        reason = "permission" if isinstance(exc, PermissionError) else "io"
        return TableError("unwritable", {"path": self._label, "reason": reason})

    def _start_csv(self, fd: int) -> None:
        binary = os.fdopen(fd, "wb")
        bom = next((b for b, name, _ in _BOMS if name == self.encoding), b"")
        codec = next((c for _, name, c in _BOMS if name == self.encoding), self.encoding)
        binary.write(bom)
        errors = _CP1252_ERRORS if codec == "cp1252" else "strict"
        self._file = io.TextIOWrapper(binary, encoding=codec, errors=errors, newline="")
        if self._sep_line is not None:
            self._file.write(self._sep_line)
        self._csv = csv.writer(
            self._file, delimiter=self.delimiter, lineterminator=self._lineterminator
        )

    def _start_xlsx(self) -> None:
        import openpyxl  # type: ignore[import-untyped,unused-ignore]
        from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]

        # openpyxl streams the rows (personal data) to a temp file of its own; keep it in
        # the target's directory, like our own temp file, not in the system temp folder.
        self._old_tempdir = tempfile.tempdir
        tempfile.tempdir = str(self._dest.resolve().parent)
        self._workbook = openpyxl.Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(
            title=self._table.sheet if self._table.kind == "xlsx" else "Sheet1"
        )
        for index in self._text_columns:
            width = 24 if index == self._table.columns.nip else 36
            self._sheet.column_dimensions[get_column_letter(index + 1)].width = width

    def _write(self, cells: Sequence[CellValue]) -> None:
        if self.kind == "csv":
            self._write_csv(cells)
        else:
            self._write_xlsx(cells)

    def _write_csv(self, cells: Sequence[CellValue]) -> None:
        end = len(cells)
        while end and cells[end - 1] is None:  # padding added when reading
            end -= 1
        try:
            self._csv.writerow([_cell_text(cells[i]) for i in range(end)])
        except UnicodeEncodeError as exc:
            character = exc.object[exc.start : exc.start + 1]
            raise TableError(
                "unwritable",
                {
                    "path": self._label,
                    "reason": "encoding",
                    "encoding": self.encoding,
                    "character": f"U+{ord(character):04X}",
                    "row": str(self._row),
                },
            ) from exc

    def _write_xlsx(self, cells: Sequence[CellValue]) -> None:
        from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]

        out: list[Any] = []
        for index, value in enumerate(cells):
            if value is None:
                out.append(None)
                continue
            as_text = index in self._text_columns
            if isinstance(value, str) or as_text:
                text = value if isinstance(value, str) else _cell_text(value)
                bad = _XML_ILLEGAL.search(text)
                if bad:
                    raise TableError(
                        "unwritable",
                        {
                            "path": self._label,
                            "reason": "character",
                            "character": f"U+{ord(bad.group(0)):04X}",
                            "row": str(self._row),
                        },
                    )
                literal = (len(text) > 1 and text.startswith("=")) or text in _XL_ERROR_CODES
                if as_text or literal:
                    cell = WriteOnlyCell(self._sheet, value=text)
                    cell.data_type = "s"  # never a formula or an error value
                    if as_text:
                        cell.number_format = "@"
                    out.append(cell)
                else:
                    out.append(text)
            else:
                out.append(value)
        self._sheet.append(out)

    def _restore_tempdir(self) -> None:
        if hasattr(self, "_old_tempdir"):
            tempfile.tempdir = self._old_tempdir
            del self._old_tempdir

    def _finish(self) -> None:
        assert self._tmp is not None
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()
            self._file = None
        if self._workbook is not None:
            self._workbook.save(self._tmp)
            self._workbook = None
            with open(self._tmp, "rb") as saved:
                os.fsync(saved.fileno())
        self._restore_tempdir()
        os.replace(self._tmp, self._dest)
        self._tmp = None

    def _abort(self) -> None:
        self._restore_tempdir()
        if self._file is not None:
            with contextlib.suppress(OSError, ValueError, UnicodeError):
                self._file.close()
            self._file = None
        if self._sheet is not None:
            writer = getattr(self._sheet, "_writer", None)
            if writer is not None:
                # best effort: finish and delete openpyxl's own temp file of streamed rows
                with contextlib.suppress(Exception):
                    self._sheet.close()
                with contextlib.suppress(Exception):
                    writer.cleanup()
            self._sheet = None
            self._workbook = None
        if self._tmp is not None:
            with contextlib.suppress(OSError):
                self._tmp.unlink()
            self._tmp = None
