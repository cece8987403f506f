"""NIP checks: read what people type, decode PNS / PPPK numbers, name every fault.

Layouts (Perka BKN 22/2007 and 43/2007, see ``shared/domain.md`` §1):

- PNS  ``YYYYMMDD YYYYMM S NNN``  birth date, TMT CPNS year-month, sex, serial
- PPPK ``YYYYMMDD YYYY 2C S NNN`` birth date, appointment year, PPPK marker + contract, sex, serial
- the 9-digit old NIP, replaced from 2009

Pure: no I/O, no prose. Every span is an offset range into the text *as typed*.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from sapkcheck.checks.chars import blank_edges, codepoints, is_blank
from sapkcheck.findings import Finding, ParamValue, Severity, make_finding, more_findings
from sapkcheck.limits import MAX_FINDINGS_PER_KIND, MAX_VALUE_CHARS

NipKind = Literal["pns", "pppk", "old"]

NIP_LENGTH = 18
OLD_NIP_LENGTH = 9
# Age at appointment outside these bounds is unusual, not impossible (domain.md §1).
PNS_AGE_RANGE = (18, 40)
PPPK_AGE_RANGE = (20, 64)
# Active staff older than this are almost certainly retired.
MAX_ACTIVE_AGE = 70
# NIPs are sometimes issued shortly before the TMT; allow a year of lead time.
APPOINTMENT_LEAD_MONTHS = 12
FIRST_PPPK_YEAR = 2019
EARLIEST_YEAR = 1900

_LABEL = re.compile(r"(?:NIP|NI\s?PPPK)\s?[.:]?", re.IGNORECASE)
# Excel's display of a number it could not hold: 1.98501E+17, 1,98501E+17, 1.98501e17.
_EXCEL_SCIENTIFIC = re.compile(r"[0-9][.,][0-9]{1,17}\s?[eE]\s?\+?\s?[0-9]{1,3}")
_APOSTROPHES = "'\u2018\u2019`"
_SEPARATORS = frozenset(" .-_/\t\u00a0\u2007\u202f\u2009\u200a\u3000")
# Letters people type for digits: worth a concrete suggestion.
_LETTER_AS_DIGIT = {"O": "0", "o": "0", "D": "0", "I": "1", "l": "1", "i": "1", "|": "1"}
_MAX_REPORTED_RUNS = MAX_FINDINGS_PER_KIND
_IDENTITY_POSITIONS = list(range(NIP_LENGTH))


class _Fault(Protocol):
    """Records a fault at NIP digit positions ``first``..``last`` (1-based)."""

    def __call__(
        self,
        code: str,
        first: int,
        last: int,
        detail: str | None = None,
        severity: Severity | None = None,
        **params: ParamValue,
    ) -> None: ...


_SpanOf = Callable[[int, int], tuple[int, int]]


@dataclass(slots=True)
class NipInfo:
    input: str
    normalized: str | None = None
    kind: NipKind | None = None
    birth_date: date | None = None
    appointed: str | None = None
    sex: Literal["male", "female"] | None = None
    serial: str | None = None
    contract: int | None = None


@dataclass(slots=True)
class NipResult:
    info: NipInfo
    findings: tuple[Finding, ...]


@dataclass(slots=True)
class _Scan:
    """The digits found in the input and where each one stood."""

    digits: str
    positions: list[int]
    removed: list[str]
    findings: list[Finding]
    unreadable: bool


def _shown(ch: str) -> str:
    """A character as it can be safely quoted in a message."""
    return ch if ch.isprintable() and not ch.isspace() else f"U+{ord(ch):04X}"


def _quoted(chars: str, limit: int = 12) -> str:
    return "".join(_shown(c) for c in chars[:limit]) + ("…" if len(chars) > limit else "")


def _scan(text: str) -> _Scan:
    removed: list[str] = []
    findings: list[Finding] = []
    start, end = blank_edges(text)
    if start > 0 or end < len(text):
        removed.append("␣")
    if start < end and text[start] in _APOSTROPHES:
        removed.append(text[start])
        start += 1
    label = _LABEL.match(text, start, end)
    if label:
        removed.append(label.group().strip())
        start = label.end()
        while start < end and is_blank(text[start]):
            start += 1

    digits: list[str] = []
    positions: list[int] = []
    runs = 0
    hidden: dict[str, int] = {}  # runs past the cap, per code: one "and N more" each
    unreadable = False
    i = start
    while i < end:
        ch = text[i]
        if "0" <= ch <= "9":
            digits.append(ch)
            positions.append(i)
            i += 1
            continue
        if unicodedata.decimal(ch, None) is not None:
            # Digits of another script (Arabic-Indic, full-width...): readable, but
            # MySAPK compares ASCII digits only. One finding per run of them.
            run_start = i
            while i < end and not ("0" <= text[i] <= "9") and _is_digitlike(text[i]):
                digits.append(str(unicodedata.decimal(text[i])))
                positions.append(i)
                i += 1
            if runs < _MAX_REPORTED_RUNS:
                findings.append(
                    make_finding(
                        "nip-lookalike-digits",
                        span=(run_start, i),
                        chars=_quoted(text[run_start:i]),
                        codepoints=codepoints(ch),
                        position=run_start + 1,
                        ascii="".join(digits[len(digits) - (i - run_start) :]),
                    )
                )
            else:
                hidden["nip-lookalike-digits"] = hidden.get("nip-lookalike-digits", 0) + 1
            runs += 1
            continue
        if ch in _SEPARATORS:
            if ch not in removed and not (ch == " " and "␣" in removed):
                removed.append("␣" if ch.isspace() else ch)
            i += 1
            continue
        run_start = i
        while i < end and not _is_digitlike(text[i]) and text[i] not in _SEPARATORS:
            i += 1
        unreadable = True
        if runs < _MAX_REPORTED_RUNS:
            bad = text[run_start:i]
            suggestion = "".join(_LETTER_AS_DIGIT.get(c, "") for c in bad)
            findings.append(
                make_finding(
                    "nip-invalid-chars",
                    span=(run_start, i),
                    detail="letter-digit" if len(suggestion) == len(bad) else None,
                    chars=_quoted(bad),
                    position=run_start + 1,
                    suggestion=suggestion,
                )
            )
        else:
            hidden["nip-invalid-chars"] = hidden.get("nip-invalid-chars", 0) + 1
        runs += 1
    for code, count in hidden.items():
        findings.append(more_findings(code, count))
    return _Scan("".join(digits), positions, removed, findings, unreadable)


def _is_digitlike(ch: str) -> bool:
    return ("0" <= ch <= "9") or unicodedata.decimal(ch, None) is not None


def check_nip(text: str, today: date | None = None) -> NipResult:
    """Check one NIP as typed; ``today`` fixes the clock for tests."""
    today = today or date.today()
    if len(text) == NIP_LENGTH and text.isascii() and text.isdigit():
        # The common case in admins' exports: skip the scanner.
        info, decoded = _decode(text, text, _IDENTITY_POSITIONS, today)
        return NipResult(info, tuple(decoded))
    start, end = blank_edges(text)
    if start == end:
        return NipResult(NipInfo(text), (make_finding("nip-missing"),))

    excel = _EXCEL_SCIENTIFIC.fullmatch(text, start, end)
    if excel:
        return NipResult(
            NipInfo(text),
            (make_finding("nip-excel-damaged", span=(start, end), value=text[start:end]),),
        )

    if len(text) > MAX_VALUE_CHARS:
        # Not a NIP: one finding, and no work in proportion to its length.
        finding = make_finding("nip-too-long", length=len(text), maximum=MAX_VALUE_CHARS)
        return NipResult(NipInfo(text), (finding,))
    scan = _scan(text)
    findings = list(scan.findings)
    if scan.unreadable:
        return NipResult(NipInfo(text), tuple(findings))
    digits = scan.digits
    if not digits:
        findings.append(make_finding("nip-missing"))
        return NipResult(NipInfo(text), tuple(findings))
    if scan.removed:
        findings.append(
            make_finding("nip-separators", removed=" ".join(scan.removed), normalized=digits)
        )
    whole = (scan.positions[0], scan.positions[-1] + 1)
    if len(digits) == OLD_NIP_LENGTH:
        findings.append(make_finding("nip-old-format", span=whole, value=digits))
        return NipResult(NipInfo(text, normalized=digits, kind="old"), tuple(findings))
    if len(digits) != NIP_LENGTH:
        findings.append(
            make_finding(
                "nip-length",
                span=whole,
                detail="short" if len(digits) < NIP_LENGTH else "long",
                count=len(digits),
                expected=NIP_LENGTH,
                difference=abs(len(digits) - NIP_LENGTH),
            )
        )
        return NipResult(NipInfo(text), tuple(findings))
    info, decoded = _decode(text, digits, scan.positions, today)
    findings.extend(decoded)
    return NipResult(info, tuple(findings))


def _decode(
    text: str, digits: str, positions: list[int], today: date
) -> tuple[NipInfo, list[Finding]]:
    findings: list[Finding] = []

    def span(first: int, last: int) -> tuple[int, int]:
        """Input offsets of NIP digits first..last (1-based, inclusive)."""
        return (positions[first - 1], positions[last - 1] + 1)

    def fault(
        code: str,
        first: int,
        last: int,
        detail: str | None = None,
        severity: Severity | None = None,
        **params: ParamValue,
    ) -> None:
        findings.append(
            make_finding(
                code,
                span=span(first, last),
                detail=detail,
                severity=severity,
                digits=f"{first}-{last}" if first != last else str(first),
                value=digits[first - 1 : last],
                extra=params,
            )
        )

    birth = _birth_date(digits, today, fault)

    kind: NipKind | None = None
    appointed: str | None = None
    appointed_month: tuple[int, int] | None = None  # (year, month); month 1 for PPPK
    contract: int | None = None
    code = int(digits[12:14])
    year = int(digits[8:12])
    if 1 <= code <= 12:
        kind = "pns"
        appointed_month = (year, code)
        appointed = f"{year:04d}-{code:02d}"
    elif 21 <= code <= 29:
        kind = "pppk"
        contract = code - 20
        appointed_month = (year, 1)
        appointed = f"{year:04d}"
    else:
        fault("nip-appointment", 13, 14, "code")

    if appointed_month is not None:
        last_digit = 14 if kind == "pns" else 12
        latest = _add_months(today.year, today.month, APPOINTMENT_LEAD_MONTHS)
        if year < EARLIEST_YEAR:
            fault("nip-appointment", 9, 12, "year", year=year)
            appointed = appointed_month = None
        elif appointed_month > latest:
            fault("nip-appointment", 9, last_digit, "future", appointed=appointed)
            appointed = appointed_month = None
        elif birth is not None and appointed_month < (birth.year, birth.month):
            fault("nip-appointment", 9, last_digit, "before-birth", appointed=appointed)
            appointed = appointed_month = None
        elif kind == "pppk" and year < FIRST_PPPK_YEAR:
            fault(
                "nip-appointment",
                9,
                12,
                "pppk-early",
                severity=Severity.WARNING,
                year=year,
                first_year=FIRST_PPPK_YEAR,
            )

    sex_digit = digits[14]
    sex: Literal["male", "female"] | None = None
    if sex_digit == "1":
        sex = "male"
    elif sex_digit == "2":
        sex = "female"
    else:
        fault("nip-sex", 15, 15)

    serial: str | None = digits[15:18]
    if serial == "000":
        fault("nip-serial", 16, 18)
        serial = None

    if birth is not None and appointed_month is not None and kind is not None:
        _check_age(birth, appointed_month, kind, today, findings, span)

    info = NipInfo(
        input=text,
        normalized=digits,
        kind=kind,
        birth_date=birth,
        appointed=appointed,
        sex=sex,
        serial=serial,
        contract=contract,
    )
    return info, findings


def _birth_date(digits: str, today: date, fault: _Fault) -> date | None:
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    if not 1 <= month <= 12:
        fault("nip-birth-date", 5, 6, "month", month=month)
        return None
    if not 1 <= day <= _days_in_month(year, month):
        fault("nip-birth-date", 7, 8, "day", day=day, month=month)
        return None
    if year < EARLIEST_YEAR:
        fault("nip-birth-date", 1, 4, "year", year=year)
        return None
    born = date(year, month, day)
    if born > today:
        fault("nip-birth-date", 1, 8, "future", date=born.isoformat())
        return None
    return born


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if calendar.isleap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _age(born: date, year: int, month: int) -> int:
    """Whole years of age on the first day of (year, month)."""
    return year - born.year - ((month, 1) < (born.month, born.day))


def _check_age(
    born: date,
    appointed: tuple[int, int],
    kind: NipKind,
    today: date,
    findings: list[Finding],
    span: _SpanOf,
) -> None:
    low, high = PNS_AGE_RANGE if kind == "pns" else PPPK_AGE_RANGE
    at_appointment = _age(born, *appointed)
    last = 14 if kind == "pns" else 12
    if at_appointment < low:
        findings.append(
            make_finding(
                "nip-age", span=span(1, last), detail="young", age=at_appointment, minimum=low
            )
        )
    elif at_appointment > high:
        findings.append(
            make_finding(
                "nip-age", span=span(1, last), detail="old", age=at_appointment, maximum=high
            )
        )
    now = _age(born, today.year, today.month)
    if now > MAX_ACTIVE_AGE:
        findings.append(
            make_finding(
                "nip-age", span=span(1, 8), detail="retired", age=now, maximum=MAX_ACTIVE_AGE
            )
        )
