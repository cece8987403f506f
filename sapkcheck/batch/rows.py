"""One row of a staff export, checked exactly as ``check`` checks one person; the checks
across rows (duplicates) and the certain fixes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import NamedTuple, Protocol

from sapkcheck.batch.excel_text import unwrap
from sapkcheck.batch.tables.model import _SURROGATE, CellValue, Columns, Row
from sapkcheck.checks.email.check import (
    MATCHES_REGISTERED,
    EmailInfo,
    EmailResult,
    check_email,
    plain_address,
    plain_verdict,
)
from sapkcheck.checks.email.clean import clean_address, is_plain
from sapkcheck.checks.nip import NIP_LENGTH, CleanNip, NipInfo, check_nip, clean_nip, plain_nip
from sapkcheck.findings import ERROR, WARNING, Finding, make_finding, sort_findings
from sapkcheck.limits import MAX_VALUE_CHARS

_EXCEL_EXACT_DIGITS = 15  # Excel keeps 15 significant digits in a number cell
_EXCEL_SCIENTIFIC = Decimal(10) ** 21  # from here Excel shows any number as 1.23457E+21


@dataclass(slots=True)
class RowResult:
    row: int
    nip: NipInfo | None
    email: EmailInfo | None
    findings: tuple[Finding, ...]
    # What the checks across rows compare, and the certain fixes for --fixed:
    nip_key: str | None = None
    email_key: str | None = None
    fixed_nip: str | None = None
    fixed_email: str | None = None
    fixed_registered: str | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple([finding.code for finding in self.findings])

    @property
    def status(self) -> str:
        status = "ok"
        for finding in self.findings:
            severity = finding.severity
            # the module's constants: an enum member looked up on its class costs more
            # than the whole comparison, twice a row
            if severity == ERROR:
                return "fail"
            if severity == WARNING:
                status = "warn"
        return status


def _text(cell: CellValue) -> str | None:
    """A cell as the text a person would have typed (a date, a boolean as a spreadsheet
    shows them: ``2020-01-02``, ``TRUE``); None when empty."""
    if cell is None:
        return None
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == time() else cell.isoformat(sep=" ")
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, int) and abs(cell) >= 10**MAX_VALUE_CHARS:
        return f"{Decimal(cell):.5E}"  # str() refuses ints past 4300 digits
    return str(cell) if not isinstance(cell, str) else (cell if cell != "" else None)


def excel_shows(number: int | float) -> str:
    """A number cell as Excel shows it (formula bar, or a column formatted ``0``): 15
    significant digits, the rest zeros (``198609262015051000`` for 1.98609262015051E+17),
    never a Python repr; past 21 digits, Excel's own scientific form (``1.23457E+25``)."""
    exact = Decimal(number)
    if abs(exact) >= _EXCEL_SCIENTIFIC:
        return f"{exact:.5E}"
    kept = Decimal(f"{exact:.{_EXCEL_EXACT_DIGITS}g}")
    if kept == kept.to_integral_value():
        return str(int(kept))
    return format(kept.normalize(), "f")


def _nip_cell(cell: CellValue, today: date) -> tuple[NipInfo, tuple[Finding, ...]]:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        # Never float() an int: a 400-digit number cell would overflow (and lose the file).
        if isinstance(cell, int):
            damaged = abs(cell) >= 10**_EXCEL_EXACT_DIGITS
        else:
            damaged = not cell.is_integer() or abs(cell) >= 10**_EXCEL_EXACT_DIGITS
        if damaged:
            # A number cell cannot hold an 18-digit NIP: its last digits are gone.
            shown = excel_shows(cell)
            finding = make_finding("nip-excel-damaged", value=shown, detail="cell")
            return NipInfo(shown), (finding,)
    # ="…": the form a CSV keeps a long number as text in (a fixed copy writes it)
    result = check_nip(unwrap(_text(cell) or ""), today=today)
    return result.info, result.findings


def _is_empty(cells: tuple[CellValue, ...]) -> bool:
    for cell in cells:
        if cell is not None and (not isinstance(cell, str) or cell.strip()):
            return False
    return True


def _bad_byte(cells: tuple[CellValue, ...], columns: Columns) -> Finding | None:
    """``row-bad-encoding`` for the first byte of a UTF-8 CSV that is not UTF-8 (the reader
    keeps it as a lone surrogate, so the fixed copy writes it back unchanged)."""
    for index, cell in enumerate(cells):
        if type(cell) is str and not cell.isascii():
            found = _SURROGATE.search(cell)
            if found is not None:
                header = columns.header[index] if index < len(columns.header) else ""
                return make_finding(
                    "row-bad-encoding",
                    byte=f"0x{ord(found.group()) - 0xDC00:02X}",
                    column=header or str(index + 1),
                    position=found.start() + 1,
                )
    return None


class RegisteredEmails(Protocol):
    """The emails on record by NIP key (``batch --registered-file``): None when the NIP is
    not there, "" when its row has no email."""

    def get(self, nip: str) -> str | None: ...


def cell_text(cell: CellValue) -> str | None:
    """A cell as the text a person would have typed; None when empty."""
    return _text(cell)


def nip_key(info: NipInfo) -> str | None:
    """The key rows are compared and joined by (duplicates, ``--registered-file``): the 18
    digits of a NIP read as PNS or PPPK."""
    return info.normalized if info.kind in ("pns", "pppk") else None


def nip_cell_key(cell: CellValue, today: date) -> str | None:
    """:func:`nip_key` of a NIP cell of any table (number cells included)."""
    return nip_key(_nip_cell(cell, today)[0])


def check_row(
    row: Row,
    columns: Columns,
    today: date,
    local_domains: tuple[str, ...] = (),
    registered_emails: RegisteredEmails | None = None,
) -> RowResult:
    """One row, checked as ``sapkcheck check --nip … --email … --registered …`` would.
    ``local_domains``: the region profile's domains, for the email typo hints; with
    ``registered_emails`` the email on record is the export's for the row's NIP."""
    cells = row.cells
    if registered_emails is None and not row.ragged:
        plain = _plain_row(row, columns, today, local_domains)
        if plain is not None:
            return plain
    if _is_empty(cells):
        return RowResult(row.number, None, None, (make_finding("row-empty"),))
    bad = _bad_byte(cells, columns)
    if bad is not None:  # a cell pasted from another encoding: this row only, not checked
        return RowResult(row.number, None, None, (bad,))
    findings: list[Finding] = []
    if row.ragged:
        findings.append(make_finding("row-too-many-columns", cells=row.ragged))

    nip_info, nip_findings = _nip_cell(cells[columns.nip], today)
    findings.extend(nip_findings)

    key = nip_key(nip_info)
    if registered_emails is not None:
        registered = registered_emails.get(key) if key is not None else None
        if key is not None and registered is None:
            findings.append(make_finding("row-not-in-registered", nip=key))
        registered = registered or None  # a row without email on record: nothing to compare
    else:
        registered = _text(cells[columns.registered]) if columns.registered is not None else None
    email_result: EmailResult | None = None
    email_key = fixed_email = None
    if columns.email is not None:
        email_result = check_email(
            _text(cells[columns.email]) or "", registered=registered, local_domains=local_domains
        )
        findings.extend(email_result.findings)
        if email_result.cleaned:
            fixed_email = email_result.cleaned
            email_key = (email_result.info.normalized or email_result.cleaned).casefold()
    fixed_registered = None
    if registered is not None:
        fixed_registered = registered if is_plain(registered) else clean_address(registered).address
    return RowResult(
        row=row.number,
        nip=nip_info,
        email=email_result.info if email_result else None,
        findings=tuple(findings),
        nip_key=key,
        email_key=email_key,
        fixed_nip=_certain_nip(nip_info, nip_findings),
        fixed_email=fixed_email,
        fixed_registered=fixed_registered,
    )


def _plain_cells(row: Row, columns: Columns) -> tuple[str, str, str | None] | None:
    """(NIP, email, the email on record or None) of a row of the common shape: 18 ASCII
    digits, an address as text, an address as text or no cell on record, no ragged cells
    and no cell from another encoding; None for any other row."""
    cells = row.cells
    email_column, registered_column = columns.email, columns.registered
    if row.ragged or email_column is None:
        return None
    nip, email = cells[columns.nip], cells[email_column]
    on_record = cells[registered_column] if registered_column is not None else None
    if (
        type(nip) is not str
        or len(nip) != NIP_LENGTH
        or not nip.isascii()
        or not nip.isdigit()
        or type(email) is not str
        or (on_record is not None and type(on_record) is not str)
    ):
        return None
    for cell in cells:
        if type(cell) is str and not cell.isascii() and _SURROGATE.search(cell):
            return None
    return nip, email, on_record


def _plain_row(
    row: Row, columns: Columns, today: date, local_domains: tuple[str, ...]
) -> RowResult | None:
    """The common row of a staff export, decided in a few steps: 18 plain digits, a plain
    address, on record the same, another plain one or none, no cell from another
    encoding. Its result is the one the full path gives (tests/batch/test_plain_row.py);
    None for any other row."""
    plain = _plain_cells(row, columns)
    if plain is None:
        return None
    nip, email, registered = plain
    email_result = plain_address(email, registered, local_domains)
    if email_result is None:
        return None
    nip_info, nip_findings = plain_nip(nip, today)
    key = nip_info.normalized if nip_info.kind is not None else None
    return RowResult(
        row.number,
        nip_info,
        email_result.info,
        (*nip_findings, *email_result.findings),
        key,
        (email_result.info.normalized or email).casefold(),
        nip_info.normalized,
        email,
        registered,
    )


class CleanRow(NamedTuple):
    """A row with nothing to report, bar the match with the email on record: 18 plain
    digits that decode without a finding, a plain address (:func:`plain_verdict`), the
    same as the one on record or none on record. Most rows of an export; the batch checks
    and writes them without the general result (:func:`clean_result` is that result)."""

    number: int
    nip: str  # as typed: 18 ASCII digits
    parts: CleanNip
    email: str  # as typed: printable ASCII, nothing a JSON or CSV writer escapes
    normalized: str
    domain: str
    registered: str | None  # the email on record: the same address, or None
    # as RowResult names them (fields, not properties: read for every row)
    codes: tuple[str, ...]
    nip_key: str
    email_key: str

    @property
    def findings(self) -> tuple[Finding, ...]:
        return MATCHES_REGISTERED if self.registered is not None else ()

    @property
    def status(self) -> str:
        return "ok"


_MATCHES_CODES = tuple([finding.code for finding in MATCHES_REGISTERED])


def clean_row(
    row: Row, columns: Columns, today: date, local_domains: tuple[str, ...] = ()
) -> CleanRow | None:
    """The row as a :class:`CleanRow`, or None: any other row (a finding, another shape,
    ``--registered-file``'s rows are the caller's) goes through :func:`check_row`."""
    plain = _plain_cells(row, columns)
    if plain is None:
        return None
    nip, email, on_record = plain
    if on_record is not None and on_record != email:
        return None
    verdict = plain_verdict(email, local_domains)
    if verdict is None:
        return None
    parts = clean_nip(nip, today)
    if parts is None:
        return None
    normalized, domain = verdict
    codes = _MATCHES_CODES if on_record is not None else ()
    key = normalized.casefold()
    # tuple.__new__: the named tuple without its Python-level __new__ (~0.2 us a row)
    return tuple.__new__(
        CleanRow, (row.number, nip, parts, email, normalized, domain, on_record, codes, nip, key)
    )


def clean_result(clean: CleanRow) -> RowResult:
    """The :func:`check_row` result of a clean row (tests/batch/test_clean_row.py)."""
    parts, nip, email = clean.parts, clean.nip, clean.email
    nip_info = NipInfo(
        nip, nip, parts.kind, parts.birth_date, parts.appointed, parts.sex, nip[15:], parts.contract
    )
    email_info = EmailInfo(email, clean.normalized, clean.domain, (), clean.registered)
    return RowResult(
        clean.number,
        nip_info,
        email_info,
        clean.findings,
        clean.nip_key,
        clean.email_key,
        nip,
        email,
        clean.registered,
    )


def _certain_nip(info: NipInfo, findings: Iterable[Finding]) -> str | None:
    """The NIP with display groups and labels removed; None when that is not certain
    (digits of another script are a guess at what was meant)."""
    if info.normalized is None or any([f.code == "nip-lookalike-digits" for f in findings]):
        return None
    return info.normalized


def nip_key_number(nip_key: str | None) -> int:
    """A NIP key as the integer the checks across rows compare (0: none); 18 digits fit
    an int64."""
    return int(nip_key) if nip_key else 0


def email_number(email_key: str | None) -> int:
    """An email key as this process compares it (``hash()``: fast, salted per process;
    0: none)."""
    return (hash(email_key) or 1) if email_key else 0


def email_hash(email_key: str | None) -> int:
    """An email key as a 64-bit hash, the same in every process and run (``hash()`` of a
    str is salted per process: a spawned worker would disagree); 0: none."""
    if not email_key:
        return 0
    digest = hashlib.blake2b(email_key.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "little", signed=True) or 1


def duplicate_findings(
    result: RowResult, nip_first: int | None, email_first: int | None
) -> list[Finding]:
    found: list[Finding] = []
    if nip_first is not None:
        found.append(make_finding("row-duplicate-nip", nip=result.nip_key, first_row=nip_first))
    if email_first is not None:
        found.append(
            make_finding("row-duplicate-email", email=result.email_key, first_row=email_first)
        )
    return found


def with_findings(result: RowResult, extra: Iterable[Finding]) -> RowResult:
    return replace(result, findings=tuple(sort_findings((*result.findings, *extra))))


def fixed_cells(row: Row, result: RowResult, columns: Columns) -> tuple[CellValue, ...] | None:
    """The row with the certain fixes applied; None when nothing changes."""
    cells = list(row.cells)
    for index, value in (
        (columns.nip, result.fixed_nip),
        (columns.email, result.fixed_email),
        (columns.registered, result.fixed_registered),
    ):
        if index is not None and value is not None and isinstance(cells[index], str):
            cells[index] = value
    fixed = tuple(cells)
    return fixed if fixed != row.cells else None
