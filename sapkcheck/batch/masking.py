"""``--mask``: hide personal data (NIP, email) in every output, keeping enough to find the row.

Masks have a fixed shape, so their length tells nothing either: a NIP keeps its first 2 and
last 2 characters around 14 stars whatever its length (``19**************01``); an email
keeps the first 2 characters of its local part and the domain (``el*****@gmail.com``), the
way MySAPK itself masks addresses; any other piece a message quotes (a birth date, a TMT, an
age, digits of the serial) becomes ``***``.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Mapping

from sapkcheck.findings import PERSONAL_PARAMS, Finding

_STARS = "*****"
_NIP_STARS = "*" * 14
PIECE = "***"


def mask_nip(value: str) -> str:
    if len(value) <= 6:
        return PIECE
    return value[:2] + _NIP_STARS + value[-2:]


def mask_email(value: str) -> str:
    local, at, domain = value.rpartition("@")
    if not at:
        return value[:2] + _STARS if len(value) > 2 else _STARS
    return local[:2] + _STARS + "@" + domain


def mask_name(value: str) -> str:
    """A person's name: a fixed ``***`` (even initials narrow a unit of thirty down to one
    person); an empty cell stays empty."""
    return "***" if value.strip() else value


def mask_value(value: str) -> str:
    if "@" in value:
        return mask_email(value)
    if sum(ch.isdigit() for ch in value) >= len(value) // 2:
        return mask_nip(value)
    return value[:2] + _STARS  # a local part or a fragment of one


_DIGIT_RUN = 8


def _has_at(text: str) -> bool:
    """An at sign, or a form of it a spreadsheet or a phone may produce (U+FF20, U+FE6B)."""
    return "@" in text or "@" in unicodedata.normalize("NFKC", text)


def looks_personal(text: str) -> bool:
    """An email, or enough digits to be (part of) a NIP, whatever separates them
    (``19860926.201505.1.002``, full-width digits)."""
    return sum(ch.isdigit() for ch in text) >= _DIGIT_RUN or _has_at(text)


def mask_piece(value: object) -> str:
    """A value a message quotes, masked: an email or a NIP keeps its fixed-shape mask (so
    the row can still be found), any other piece (date, TMT, age, serial) is ``***``."""
    text = str(value)
    if _has_at(text):
        return mask_email(unicodedata.normalize("NFKC", text))
    if sum(ch.isdigit() for ch in text) >= _DIGIT_RUN:
        return mask_nip(text)
    return PIECE


def personal_param(name: str, value: object) -> bool:
    """A finding parameter that quotes what a person typed (``PERSONAL_PARAMS``)."""
    # "expected" is the email a hint expects (personal) or, as a number, the NIP length.
    return name in PERSONAL_PARAMS and not (name == "expected" and isinstance(value, int))


def masked_finding(finding: Finding) -> Finding:
    """``finding`` with every parameter that quotes what a person typed (NIP, email, birth
    date, TMT, age, …) masked before its sentence is built, so no substring search can
    miss a piece (the first digits of a full-width NIP) or hit a position."""
    if not finding.params:
        return finding
    params = {
        name: mask_piece(value) if personal_param(name, value) else value
        for name, value in finding.params.items()
    }
    return dataclasses.replace(finding, params=params)


class Masker:
    """Replaces each known personal string in free text (messages) with its mask;
    ``masks`` adds pieces whose mask is already chosen (see :func:`free_text_personal`)."""

    def __init__(
        self, personal: Iterable[str | None], masks: Mapping[str, str] | None = None
    ) -> None:
        pairs = {v.strip(): mask_value(v.strip()) for v in personal if v and v.strip()}
        pairs.update(masks or {})
        # Longest first, so an address is masked whole before its parts.
        self._pairs = sorted(pairs.items(), key=lambda p: -len(p[0]))

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        for value, masked in self._pairs:
            if value in text:
                text = text.replace(value, masked)
        return text


# Free text (a chat message) under --mask: what identifies a person without being a value
# the checks found. Each pattern is bounded (no nested repeats over one character class).
# 8 digits or more in one run, whatever separates them: a NIK, a NIP, a phone number
# (0812-3456-7890, (0812) 34567890, +62 812 3456 7890, 0812 - 3456 - 7890, 0812/3456/7890),
# an account number, a date; glued to a word too (NIK3201…, hp0812…).
# WhatsApp's *bold* and _italic_ marks around it do not protect it.
# Any dash a phone or a word processor puts between groups (iOS: U+2011), and commas.
_DIGIT_RUN_TEXT = re.compile(r"(?<!\d)\+?\(?\d(?:[\s.,()\-/\u2010-\u2015\u2212]{0,3}\d){7,}")
# Office hours are not a person's number: "08.00 - 12.00", "07:30-16:00".
_CLOCK = r"(?:[01]?\d|2[0-4])[.:][0-5]\d"
_TIME_RANGE = re.compile(rf"{_CLOCK}(?:\s{{0,3}}[\-\u2013\u2014]\s{{0,3}}{_CLOCK})+")
# Any word holding an at sign, or an address with spaces around it (a phone's autocorrect):
# budi.santoso@@gmail.com, budi @ gmail.com, @budi.
_AT_WORD = re.compile(r"[^\s@\uff20]{0,64} ?[@\uff20]+ ?[^\s@\uff20]{0,255}")
# An address spelled out to dodge spam filters: budi(at)gmail.com, budi [at] gmail [dot] com,
# budi (at) gmail dot com, budi(at)gmail.
_DOT = r"(?:\s?[(\[]\s?dot\s?[)\]]\s?|\s+dot\s+|\.)"
_SPELLED_ADDRESS = re.compile(
    r"([^\s@()\[\]]{1,64})\s?[(\[]\s?at\s?[)\]]\s?([^\s@()\[\]]{1,63})"
    rf"((?:{_DOT}[^\s@()\[\]]{{1,63}}){{0,4}})",
    re.IGNORECASE,
)
# The same without brackets, as a phone dictates it: "budi at gmail dot com",
# "budi at gmail.com" (taken only with a spelled "dot" or a mail provider's dotted domain:
# "login at asn.bkn.go.id" names a site, "arrives at gmail" is a sentence).
_BARE_ADDRESS = re.compile(
    r"([^\s@()\[\]]{1,64})\s+at\s+([^\s@()\[\]]{1,63})"
    rf"((?:{_DOT}[^\s@()\[\]]{{1,63}}){{0,4}})",
    re.IGNORECASE,
)
_SPELLED_DOT = re.compile(r"\s?[(\[]\s?dot\s?[)\]]\s?|\s+dot\s+", re.IGNORECASE)
_DOT_WORD = re.compile(_DOT, re.IGNORECASE)
# A mail provider's name, enough to make "budi(at)gmail" an address ("salam (at) all" is not).
_PROVIDERS = frozenset(
    {"gmail", "yahoo", "ymail", "hotmail", "outlook", "live", "icloud", "belajar", "proton"}
)
# A password quoted after the word for it: "pw sy Rahasia123!", "password: Qz7w!abc",
# "passwordnya Merdeka45", 'sandi: "Rahasia 123"' (in quotes, spaces and all), "password
# yang saya pakai \u2018Rahasia 1\u2019" (a phone's curly quotes). The words between are skipped
# whole ("yg" is not the start of "yg123abc"); a colon, "=", "adalah" or "yaitu" marks what
# follows as the password even in plain lowercase.
_PASSWORD_FILLERS = (
    "saya|sy|ku|aku|nya|ny|anda|kamu|baru|lama|yg|yang|pakai|pake|dipakai|dipake|sekarang|"
    "skrg|sdh|sudah|udah|dah|jadi|jd|menjadi|diganti|diubah|ganti|ubah|ke|ini|itu|tadi|td|di|"
    "masukin|masukan|masukkan|dimasukkan|dimasukin|isi|diisi|ketik|diketik|my|new|old|is|was|"
    "adalah|yaitu|yakni"
)
_QUOTED_PASSWORD = re.compile(
    r"\b(password|pasword|passwod|paswd|passwd|pswd|pwd|pw|pass\s?word|pass|sandi|katasandi)"
    r"(?:-?nya|ku|mu)?\b"
    rf"((?:\s{{0,3}}(?:(?:{_PASSWORD_FILLERS})\b|[:=]))*\s{{0,3}})"
    r"(\"[^\"\n]{1,128}\"|\u201c[^\u201d\n]{1,128}\u201d|\u2018[^\u2019\n]{1,128}\u2019"
    r"|'[^'\n]{1,128}'|`[^`\n]{1,128}`|\S{1,128})",
    re.IGNORECASE,
)
_DECLARED = re.compile(r"[:=]|\b(?:adalah|yaitu|yakni|is)\b", re.IGNORECASE)
# Words that follow "password" in a complaint without being one: the apps' names and what
# happened to it ("password MySAPK saya lupa", "password: kadaluarsa").
_NOT_A_PASSWORD = frozenset(
    {
        "mysapk",
        "myasn",
        "siasn",
        "sapk",
        "simpeg",
        "asndigital",
        "diganti",
        "berubah",
        "expired",
        "kadaluarsa",
        "kadaluwarsa",
        "terkunci",
        "ditolak",
        "berhasil",
        "invalid",
        "minimal",
        "maksimal",
        "karakter",
        "kosong",
        "direset",
        "reset",
        "default",
        "lupa",
        "salah",
        "benar",
        "tidak",
        "belum",
        "bisa",
        "masih",
        "sudah",
    }
)


# "reset password di asndigital.bkn.go.id": a site, not a password.
_WEB_ADDRESS = re.compile(
    r"://|^www\.|\.(?:go\.id|co\.id|ac\.id|sch\.id|com|id|net|org)(?:/|$)", re.I
)
# Quotes and brackets around a quoted password are not part of it.
_PASSWORD_WRAPPING = "\"'`\u201c\u201d\u2018\u2019()[]<>"


def _password_in(word: str, declared: bool = False) -> str | None:
    """The password in the word after "password"/"sandi", when it looks like one: six
    characters or more mixing letters with digits, symbols or capitals after the first
    (``Rahasia123!``, ``"Qz7w!abc"``, ``(Merdeka45)``), or, when ``declared``, any word of
    six letters or more ("password: rahasiaku", but also "password is locked": the caller
    hides those in the chat's own words only); never ``salah``, ``lupa``, ``MySAPK`` or an
    aside opening a bracket (``(minimal 8 karakter``)."""
    closing = {"(": ")", "[": "]"}.get(word[:1])
    if closing and not word.rstrip(".,!?;:").endswith(closing):
        return None  # an aside opening, not a password in brackets
    # a sentence's comma or period after it is the sentence's ("pw sy Rahasia123, tp…"),
    # and so is a quote closing around it ("… password salah'.")
    core = word.strip(_PASSWORD_WRAPPING).rstrip(",.").rstrip(_PASSWORD_WRAPPING).rstrip(",.")
    if len(core) < 6 or core.casefold() in _NOT_A_PASSWORD or _WEB_ADDRESS.search(core):
        return None
    kinds = (
        declared,
        any(ch.isdigit() for ch in core),
        any(not ch.isalnum() for ch in core.rstrip(".,!?")),
        any(ch.isupper() for ch in core[1:]),
    )
    return core if any(kinds) and any(ch.isalpha() for ch in core) else None


def stated_passwords(text: str) -> set[str]:
    """The passwords a chat states after the word for it: the ones that look like one
    (``Rahasia123!``) and the plain words stated as one ("password: rahasiaku", but also
    "password is locked"). Hidden only where the chat's own words are shown, as whole
    words: a reply's "The account is locked" or its portal link keeps its words."""
    words: set[str] = set()
    for match in _QUOTED_PASSWORD.finditer(text):
        declared = _DECLARED.search(match.group(2)) is not None
        password = _password_in(match.group(3), declared)
        if password is not None:
            words.add(password)
    return words


def free_text_personal(text: str) -> dict[str, str]:
    """What identifies a person in free text besides the values the checks found, each
    piece with its mask: runs of 8 digits or more (NIK, phone numbers, in any grouping),
    and addresses spelled with (at) (:func:`stated_passwords` has the passwords). Only
    the user's own text is searched; the pieces are then hidden wherever they are quoted
    (a catalog sentence's own numbers and brackets are left alone)."""
    pieces: dict[str, str] = {}
    for match in _SPELLED_ADDRESS.finditer(text):
        local, domain, rest = match.groups()
        if rest or "." in domain or domain.casefold() in _PROVIDERS:
            pieces[match.group()] = mask_email(f"{local}@{domain}{_DOT_WORD.sub('.', rest)}")
    for match in _BARE_ADDRESS.finditer(text):
        local, domain, rest = match.groups()
        spelled = _SPELLED_DOT.search(rest) is not None
        if spelled or ("." in domain and domain.split(".")[0].casefold() in _PROVIDERS):
            pieces[match.group()] = mask_email(f"{local}@{domain}{_DOT_WORD.sub('.', rest)}")
    for match in _AT_WORD.finditer(text):
        word = match.group().strip()
        if len(word) > 1:
            at = unicodedata.normalize("NFKC", word).replace(" ", "")
            pieces[word] = mask_email(at)
    for match in _DIGIT_RUN_TEXT.finditer(text):
        if _TIME_RANGE.fullmatch(match.group()):
            continue
        pieces[match.group()] = mask_nip(re.sub(r"\D", "", match.group()))
    return pieces
