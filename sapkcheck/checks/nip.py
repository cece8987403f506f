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
from typing import Literal, NamedTuple, TypeVar

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
    start, end = _unwrapped(text, start, end, removed)
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


# WhatsApp's formatting marks, kept when a message is copied: *bold*, _italic_,
# ~strikethrough~, ```monospace``` and `code`, nested at most a few deep (*_…_*).
_CHAT_MARKS = ("```", "*", "_", "~", "`")
_MAX_WRAPS = 3


def _unwrapped(text: str, start: int, end: int, removed: list[str]) -> tuple[int, int]:
    """``text[start:end]`` without chat formatting around the whole value (each wrapper
    recorded in ``removed`` as ``*…*``); blanks inside a wrapper are trimmed too."""
    for _ in range(_MAX_WRAPS):
        mark = next(
            (
                m
                for m in _CHAT_MARKS
                if end - start > 2 * len(m)
                and text.startswith(m, start)
                and text.endswith(m, 0, end)
            ),
            None,
        )
        if mark is None:
            break
        removed.append(f"{mark}…{mark}")
        start, end = start + len(mark), end - len(mark)
        while start < end and is_blank(text[start]):
            start += 1
        while end > start and is_blank(text[end - 1]):
            end -= 1
    return start, end


def _is_digitlike(ch: str) -> bool:
    return ("0" <= ch <= "9") or unicodedata.decimal(ch, None) is not None


def check_nip(text: str, today: date | None = None) -> NipResult:
    """Check one NIP as typed; ``today`` fixes the clock for tests."""
    today = today or date.today()
    if len(text) == NIP_LENGTH and text.isascii() and text.isdigit():
        # The common case in admins' exports: skip the scanner.
        info, decoded = plain_nip(text, today)
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


def plain_nip(digits: str, today: date) -> tuple[NipInfo, list[Finding]]:
    """:func:`check_nip` of 18 ASCII digits (the caller has looked): the decoded NIP and
    its findings, without the result object (a batch row's hot path)."""
    return _decode(digits, digits, _IDENTITY_POSITIONS, today)


class CleanNip(NamedTuple):
    """The decoded parts of a NIP of 18 ASCII digits with no finding at all: what
    :func:`check_nip` reads in it (its ``NipInfo`` fields), without a result object."""

    kind: NipKind
    birth_date: date
    appointed: str
    sex: Literal["male", "female"]
    contract: int | None
    birth_iso: str  # birth_date.isoformat(), made once a birth date (a report's form)


_SEXES: dict[str, Literal["male", "female"]] = {"1": "male", "2": "female"}


def clean_nip(digits: str, today: date) -> CleanNip | None:
    """The parts of 18 ASCII digits (the caller has looked) when :func:`check_nip` finds
    nothing in them; None for any finding. The batch's commonest row, decided from the
    cached parts in a few comparisons (tests/checks/test_clean_nip.py holds it equal to
    :func:`_decode`)."""
    births, appointments = _PARTS if _PARTS_DAY[0] == today else _new_day(today)
    birth = (births.get(digits[:8]) or _remember(births, digits[:8], _birth_part, today)).clean
    if birth is None:
        return None
    part = (
        appointments.get(digits[8:14])
        or _remember(appointments, digits[8:14], _appointment_part, today)
    ).clean
    if part is None:
        return None
    sex = _SEXES.get(digits[14])
    if sex is None or digits[15:] == "000":
        return None
    born, born_month, born_day, born_iso = birth
    kind, appointed, month, low, high, contract = part
    at_appointment = month[0] - born_month[0] - ((month[1], 1) < born_day)  # _age's
    if month < born_month or at_appointment < low or at_appointment > high:
        return None
    # tuple.__new__: the named tuple without its Python-level __new__ (~0.1 us a row)
    return tuple.__new__(CleanNip, (kind, born, appointed, sex, contract, born_iso))


class _FaultAt(NamedTuple):
    """A fault at NIP digit positions ``first``..``last`` (1-based), before it is placed
    in the text as typed: the decoded parts are cached and shared by every row."""

    code: str
    first: int
    last: int
    detail: str | None = None
    severity: Severity | None = None
    params: tuple[tuple[str, ParamValue], ...] = ()


# What :func:`clean_nip` reads of a part with nothing to report, unpacked in one step:
# (born, (year, month), (month, day), ISO text) and (kind, appointed, (year, month), the
# youngest and oldest age at appointment, contract).
_CleanBirth = tuple[date, tuple[int, int], tuple[int, int], str]
_CleanAppointment = tuple[NipKind, str, tuple[int, int], int, int, int | None]


class _Birth(NamedTuple):
    born: date | None
    fault: _FaultAt | None
    age_now: int  # whole years today (0 without a birth date)
    clean: _CleanBirth | None = None  # a birth date of an active ASN


class _Appointment(NamedTuple):
    kind: NipKind | None
    appointed: str | None
    month: tuple[int, int] | None  # (year, month); month 1 for PPPK
    contract: int | None
    fault: _FaultAt | None  # a fault that voids the appointment (code, year, future)
    pppk_early: _FaultAt | None  # a warning, when no other fault voids it
    clean: _CleanAppointment | None = None  # an appointment without fault or warning


# Digits 1-8 and 9-14 repeat across an export (birth dates, TMT months): each part is
# decoded once per day of checking (dict lookups: the batch's hot path). Bounded: a file of
# random digits empties a table now and then, it never grows memory.
_PART_CACHE = 1 << 16
_PARTS: tuple[dict[str, _Birth], dict[str, _Appointment]] = ({}, {})
_PARTS_DAY: list[date | None] = [None]


def _new_day(today: date) -> tuple[dict[str, _Birth], dict[str, _Appointment]]:
    for table in _PARTS:
        table.clear()
    _PARTS_DAY[0] = today
    return _PARTS


_Part = TypeVar("_Part", _Birth, _Appointment)


def _remember(
    table: dict[str, _Part], digits: str, decode: Callable[[str, date], _Part], today: date
) -> _Part:
    if len(table) >= _PART_CACHE:
        table.clear()
    part = table[digits] = decode(digits, today)
    return part


def _decode(
    text: str, digits: str, positions: list[int], today: date
) -> tuple[NipInfo, list[Finding]]:
    faults: list[_FaultAt] = []
    births, appointments = _PARTS if _PARTS_DAY[0] == today else _new_day(today)
    birth = births.get(digits[:8]) or _remember(births, digits[:8], _birth_part, today)
    born = birth.born
    if birth.fault is not None:
        faults.append(birth.fault)
    part = appointments.get(digits[8:14]) or _remember(
        appointments, digits[8:14], _appointment_part, today
    )
    kind, appointed, month = part.kind, part.appointed, part.month
    if part.fault is not None:
        faults.append(part.fault)
        if month is not None:  # the code was read, the date is impossible
            appointed = month = None
    elif month is not None:
        if born is not None and month < (born.year, born.month):
            last = 14 if kind == "pns" else 12
            params = (("appointed", appointed),)
            faults.append(_FaultAt("nip-appointment", 9, last, "before-birth", params=params))
            appointed = month = None
        elif part.pppk_early is not None:
            faults.append(part.pppk_early)

    sex_digit = digits[14]
    sex: Literal["male", "female"] | None = None
    if sex_digit == "1":
        sex = "male"
    elif sex_digit == "2":
        sex = "female"
    else:
        faults.append(_FaultAt("nip-sex", 15, 15))

    serial: str | None = digits[15:18]
    if serial == "000":
        faults.append(_FaultAt("nip-serial", 16, 18))
        serial = None

    findings = [_placed(fault, digits, positions) for fault in faults] if faults else []
    if born is not None and month is not None and kind is not None:
        _check_age(born, month, kind, birth.age_now, findings, positions)
    # positional: the field order of NipInfo (a row's hot path)
    info = NipInfo(text, digits, kind, born, appointed, sex, serial, part.contract)
    return info, findings


def _span(positions: list[int], first: int, last: int) -> tuple[int, int]:
    """Input offsets of NIP digits first..last (1-based, inclusive)."""
    return (positions[first - 1], positions[last - 1] + 1)


def _placed(fault: _FaultAt, digits: str, positions: list[int]) -> Finding:
    first, last = fault.first, fault.last
    return make_finding(
        fault.code,
        span=_span(positions, first, last),
        detail=fault.detail,
        severity=fault.severity,
        digits=f"{first}-{last}" if first != last else str(first),
        value=digits[first - 1 : last],
        extra=dict(fault.params),
    )


def _birth_part(digits: str, today: date) -> _Birth:
    """Digits 1-8: the birth date, or the fault that makes it impossible."""
    year, month, day = int(digits[0:4]), int(digits[4:6]), int(digits[6:8])
    if not 1 <= month <= 12:
        return _Birth(
            None, _FaultAt("nip-birth-date", 5, 6, "month", params=(("month", month),)), 0
        )
    if not 1 <= day <= _days_in_month(year, month):
        params: tuple[tuple[str, ParamValue], ...] = (("day", day), ("month", month))
        return _Birth(None, _FaultAt("nip-birth-date", 7, 8, "day", params=params), 0)
    if year < EARLIEST_YEAR:
        return _Birth(None, _FaultAt("nip-birth-date", 1, 4, "year", params=(("year", year),)), 0)
    born = date(year, month, day)
    if born > today:
        params = (("date", born.isoformat()),)
        return _Birth(None, _FaultAt("nip-birth-date", 1, 8, "future", params=params), 0)
    age_now = _age(born, today.year, today.month)
    clean = (
        (born, (year, month), (month, day), born.isoformat()) if age_now <= MAX_ACTIVE_AGE else None
    )
    return _Birth(born, None, age_now, clean)


def _appointment_part(digits: str, today: date) -> _Appointment:
    """Digits 9-14: PNS (TMT year and month) or PPPK (year, marker, contract), and the
    faults that need no birth date."""
    code = int(digits[4:6])
    year = int(digits[0:4])
    kind: NipKind
    if 1 <= code <= 12:
        kind, month, appointed, contract = "pns", (year, code), f"{year:04d}-{code:02d}", None
    elif 21 <= code <= 29:
        kind, month, appointed, contract = "pppk", (year, 1), f"{year:04d}", code - 20
    else:
        return _Appointment(
            None, None, None, None, _FaultAt("nip-appointment", 13, 14, "code"), None
        )
    last_digit = 14 if kind == "pns" else 12
    latest = _add_months(today.year, today.month, APPOINTMENT_LEAD_MONTHS)
    fault = early = None
    if year < EARLIEST_YEAR:
        fault = _FaultAt("nip-appointment", 9, 12, "year", params=(("year", year),))
    elif month > latest:
        params = (("appointed", appointed),)
        fault = _FaultAt("nip-appointment", 9, last_digit, "future", params=params)
    elif kind == "pppk" and year < FIRST_PPPK_YEAR:
        early = _FaultAt(
            "nip-appointment",
            9,
            12,
            "pppk-early",
            Severity.WARNING,
            (("year", year), ("first_year", FIRST_PPPK_YEAR)),
        )
    clean: _CleanAppointment | None = None
    if fault is None and early is None:
        low, high = PNS_AGE_RANGE if kind == "pns" else PPPK_AGE_RANGE
        clean = (kind, appointed, month, low, high, contract)
    return _Appointment(kind, appointed, month, contract, fault, early, clean)


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
    now: int,
    findings: list[Finding],
    positions: list[int],
) -> None:
    low, high = PNS_AGE_RANGE if kind == "pns" else PPPK_AGE_RANGE
    year, month = appointed
    at_appointment = year - born.year - ((month, 1) < (born.month, born.day))  # _age's
    if at_appointment < low or at_appointment > high:
        span = _span(positions, 1, 14 if kind == "pns" else 12)
        if at_appointment < low:
            finding = make_finding(
                "nip-age", span=span, detail="young", age=at_appointment, minimum=low
            )
        else:
            finding = make_finding(
                "nip-age", span=span, detail="old", age=at_appointment, maximum=high
            )
        findings.append(finding)
    if now > MAX_ACTIVE_AGE:
        findings.append(
            make_finding(
                "nip-age",
                span=_span(positions, 1, 8),
                detail="retired",
                age=now,
                maximum=MAX_ACTIVE_AGE,
            )
        )
