"""Find the NIPs, emails and tokens a question quotes, exactly as typed.

Values are substrings of the text, separators and debris included, so that
``check_nip`` / ``check_email`` / ``check_token`` can name what is wrong with them
(``19860926 201505 1 001``, ``eli.sari@gmail.com `` with its trailing space). Order
matters: emails first (their digits are not NIPs), then NIPs (their 6-digit groups are
not codes), then tokens; each value masks its span for the next stage. Emails and tokens
keep blanks that run to the line's end (``check_email``/``check_token`` name them); a NIP
is its digits and the separators between them only. ``remainder`` is
the text without the values, for ``sapkcheck.knowledge.faq.search`` to recognise the
portal message. Bounded: the first ``MAX_SCAN_CHARS`` are read, at most ``MAX_VALUES``
distinct values per kind are kept (first seen first; an exact repeat counts once).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sapkcheck.triage.emails import MASK, find_emails, widen_debris

MAX_SCAN_CHARS = 20_000
MAX_VALUES = 20
NIP_LENGTH = 18

# --- NIP -----------------------------------------------------------------------------------
_SEP = r"[ .\-_\u00a0\u2007\u2009\u202f]"
_DIGIT_RUN = re.compile(rf"(?<!\d)\d+(?:{_SEP}{{1,3}}\d+)*(?!\d)")
_GROUP = re.compile(r"\d+")
# Excel's scientific form of an 18-digit number (1.98609E+17, 1,98609E+17).
_EXCEL = re.compile(r"(?<![\d.,])\d[.,]\d{1,14} ?[eE] ?\+? ?1[4-9](?!\d)")
# "19860926201505100l": a letter typed for a digit inside an otherwise plain NIP.
_LETTERED = re.compile(r"(?<![^\W_])[12][0-9OoIlD]{17}(?![^\W_])")
_AS_DIGIT = str.maketrans("OoDIl", "00011")
_FILLER = r"(?:\s+(?:baru|lama|saya|sy|sya|aku|ku|ane|yaitu|yakni|adalah|ini|pak|bu|min|asn))*"
_NIP_LABEL = re.compile(
    rf"(?:\bnip|\bn\.i\.p|\bni\s?pppk|\bnomor induk pegawai)(?:nya)?{_FILLER}\s*[.:=\-]*\s*\Z",
    re.IGNORECASE,
)
_OTHER_LABEL = re.compile(
    r"\b(?:nik|kk|npwp|ktp|hp|wa|telp|telepon|tlp|rek|rekening|nuptk|nrg|bpjs|rp|no)\b"
    r"[^\d\n]{0,12}\Z",
    re.IGNORECASE,
)
_NIP_NEARBY = re.compile(r"\bnip\b", re.IGNORECASE)
OLD_NIP_LENGTH = 9
_LABEL_WINDOW = 60
_MIN_LABELLED, _MAX_LABELLED = 9, 24  # "NIP 131110468": the old 9-digit NIP, or a typo
_MIN_GUESS, _MAX_GUESS = 15, 20  # unlabelled runs this long are probably a mistyped NIP

# --- tokens ----------------------------------------------------------------------------------
_TOKEN_LABEL = re.compile(
    r"\b(?:token|kode|code|otp)(?:nya)?"
    r"(?:\s+(?:otp|verifikasi|token|reset|mfa|authenticator|nya|saya|sy|yg|yang|adalah|yaitu"
    r"|ini|dari\s+email|di\s+email))*\s*[.:=\-]*\s*",
    re.IGNORECASE,
)
_LABELLED_TOKEN = re.compile(r"\d{3} \d{3}(?!\d)|[^\W_]{4,64}(?![^\W_])")
_ALNUM_RUN = re.compile(r"(?<![^\W_])[^\W_]{6,64}(?![^\W_])")
_WORD_AND_NUMBER = re.compile(r"[^\W\d_]+\d+|\d+[^\W\d_]+|\d+[xX]\d+(?:[^\W\d_]+)?")
_TIMES = re.compile(r"\d+[xX]\d+(?:jam)?|\d{1,3}|\d{11,}")  # "1x24", "2", a phone: no code
_NUMBER_CONTEXT = re.compile(r"(?:rp\.?|\d[ .,\-]|[+#])\s?\Z", re.IGNORECASE)


@dataclass(slots=True)
class Found:
    """What a question quotes. ``masked``: a registered email as the portal shows it
    (``eli*****@gmail.com``), a hint for ``check_email(hint=...)``, not an address."""

    nip: list[str] = field(default_factory=list)
    email: list[str] = field(default_factory=list)
    token: list[str] = field(default_factory=list)
    remainder: str = ""
    masked: list[str] = field(default_factory=list)


class _Taken:
    """The spans found so far, the text with them masked, and the values per kind."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.work = text
        self.spans: list[tuple[int, int]] = []
        self.found = Found()

    def add(self, kind: str, start: int, end: int, *, keep: bool = True) -> None:
        """Mask text[start:end]; record it as a value of ``kind`` unless ``keep`` is False
        (the span stays in ``remainder``: a no-reply sender address is part of the message)."""
        self.work = self.work[:start] + MASK * (end - start) + self.work[end:]
        if not keep:
            return
        self.spans.append((start, end))
        values: list[str] = getattr(self.found, kind)
        value = self.text[start:end]
        if len(values) < MAX_VALUES and value not in values:
            values.append(value)

    def full(self, kind: str) -> bool:
        return len(getattr(self.found, kind)) >= MAX_VALUES

    def remainder(self) -> str:
        parts: list[str] = []
        last = 0
        for start, end in sorted(self.spans):
            parts.append(self.text[last:start])
            parts.append(" ")
            last = end
        parts.append(self.text[last:])
        return "".join(parts)


def extract(text: str) -> Found:
    """The values quoted in ``text`` (a question or a plain paste)."""
    taken = _Taken(text[:MAX_SCAN_CHARS])
    for run in find_emails(taken.work):
        kind = "email" if run.kind == "email" else "masked"
        taken.add(kind, run.start, run.end, keep=run.kind != "sender")
    _find_nips(taken)
    _find_tokens(taken)
    taken.found.remainder = taken.remainder()
    return taken.found


def _digits(value: str) -> str:
    return "".join(
        str(unicodedata.decimal(ch)) for ch in value if unicodedata.decimal(ch, None) is not None
    )


def _plausible_start(digits: str) -> bool:
    """Birth year 1940-2012 and a month: how a NIP (and no phone, NIK or amount) begins."""
    return 1940 <= int(digits[:4]) <= 2012 and 1 <= int(digits[4:6]) <= 12


def _find_nips(taken: _Taken) -> None:
    for match in _EXCEL.finditer(taken.work):
        if not taken.full("nip"):
            taken.add("nip", match.start(), match.end())
    for match in list(_LETTERED.finditer(taken.work)):
        value = match.group()
        readable = value.translate(_AS_DIGIT)
        lettered = not value.isdigit() and sum(ch.isdigit() for ch in value) >= 14
        if lettered and _plausible_start(readable) and not taken.full("nip"):
            taken.add("nip", match.start(), match.end())
    for match in list(_DIGIT_RUN.finditer(taken.work)):
        offset = match.start()
        groups = [(g.start() + offset, g.end() + offset) for g in _GROUP.finditer(match.group())]
        _segment(taken, groups)


def _segment(taken: _Taken, groups: list[tuple[int, int]]) -> None:
    """Split one run of digit groups into NIPs: the shortest prefix of exactly 18 digits,
    else the longest one of plausible length; a run too short or too long is skipped."""
    i = 0
    while i < len(groups) and not taken.full("nip"):
        before = taken.work[max(0, groups[i][0] - _LABEL_WINDOW) : groups[i][0]]
        labelled = bool(_NIP_LABEL.search(before))
        if not labelled and i == 0 and sum(b - a for a, b in groups) == OLD_NIP_LENGTH:
            # "nip sy cuma 9 digit pak, 131110468": the old NIP, named earlier in the line.
            line = before.rpartition("\n")[2]
            labelled = bool(_NIP_NEARBY.search(line)) and not _OTHER_LABEL.search(line)
        low, high = (_MIN_LABELLED, _MAX_LABELLED) if labelled else (_MIN_GUESS, _MAX_GUESS)
        best: int | None = None
        total = 0
        for j in range(i, len(groups)):
            total += groups[j][1] - groups[j][0]
            if total > high:
                break
            if total >= low:
                best = j
            if total == NIP_LENGTH:
                break
        if best is not None:
            start, end = groups[i][0], groups[best][1]
            digits = _digits(taken.text[start:end])
            exact = len(digits) == NIP_LENGTH and digits[:2] in ("19", "20")
            other = bool(_OTHER_LABEL.search(before)) and not labelled
            if labelled or exact or (not other and _plausible_start(digits)):
                taken.add("nip", start, end)
                i = best + 1
                continue
        i += 1


def _find_tokens(taken: _Taken) -> None:
    for label in list(_TOKEN_LABEL.finditer(taken.work)):
        match = _LABELLED_TOKEN.match(taken.work, label.end())
        value = match.group() if match else ""
        if (
            match
            and any(ch.isdigit() for ch in value)
            and not _TIMES.fullmatch(value)
            and not taken.full("token")
        ):
            taken.add("token", *widen_debris(taken.work, match.start(), match.end()))
    for match in list(_ALNUM_RUN.finditer(taken.work)):
        if taken.full("token"):
            return
        if _is_token(
            match.group(),
            taken.work[max(0, match.start() - 4) : match.start()],
            taken.work[match.end() : match.end() + 2],
        ):
            taken.add("token", *widen_debris(taken.work, match.start(), match.end()))


def _is_token(value: str, before: str, after: str) -> bool:
    """A 6-digit code standing alone, or a mix of letters and digits that is no chat word
    ("masuk2", "tpp2025", "1x24", "Windows10")."""
    if value.isdigit():
        return (
            len(value) == 6
            and not _NUMBER_CONTEXT.search(before)
            and not re.match(r"[ .,\-]\d", after)
        )
    digits = sum(ch.isdigit() for ch in value)
    if digits == 0 or _WORD_AND_NUMBER.fullmatch(value):
        return False
    letters = [ch for ch in value if not ch.isdigit()]
    return not (digits == 1 and all(ch.islower() for ch in letters))
