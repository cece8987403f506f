"""``--mask``: hide personal data (NIP, email) in every output, keeping enough to find the row.

Masks have a fixed shape, so their length tells nothing either: a NIP keeps its first 2 and
last 2 characters around 14 stars whatever its length (``19**************01``); an email
keeps the first 2 characters of its local part and the domain (``el*****@gmail.com``), the
way MySAPK itself masks addresses; any other piece a message quotes (a birth date, a TMT, an
age, digits of the serial) becomes ``***``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping

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
# (0812-3456-7890, (0812) 34567890, +62 812 3456 7890), an account number.
_DIGIT_RUN_TEXT = re.compile(r"(?<![\w*])\+?\(?\d(?:[\s.()\-]{0,2}\d){7,}")
# An address spelled out to dodge spam filters: budi(at)gmail.com, budi [at] gmail [dot] com.
_SPELLED_ADDRESS = re.compile(
    r"([^\s@()\[\]]{1,64})\s?[(\[]\s?at\s?[)\]]\s?([^\s@()\[\]]{1,63}"
    r"(?:(?:\s?[(\[]\s?dot\s?[)\]]\s?|\.)[^\s@()\[\]]{1,63}){1,4})",
    re.IGNORECASE,
)
_DOT_WORD = re.compile(r"\s?[(\[]\s?dot\s?[)\]]\s?", re.IGNORECASE)
# A password quoted after the word for it: "pw sy Rahasia123!", "password: Qz7w!abc".
_QUOTED_PASSWORD = re.compile(
    r"\b(password|passwd|pwd|pw|pass|sandi)\b((?:\s{0,3}(?:saya|sy|ku|aku|nya|baru|lama|adalah"
    r"|yaitu|yg|yang|[:=]))*\s{0,3})(\S{1,128})",
    re.IGNORECASE,
)


# Quotes and brackets around a quoted password are not part of it.
_PASSWORD_WRAPPING = "\"'`\u201c\u201d\u2018\u2019()[]<>"


def _password_in(word: str) -> str | None:
    """The password in the word after "password"/"sandi", when it looks like one: six
    characters or more mixing letters with digits, symbols or capitals after the first
    (``Rahasia123!``, ``"Qz7w!abc"``, ``(Merdeka45)``), not ``salah``, ``lupa``, ``diganti``
    or an aside opening a bracket (``(minimal 8 karakter``)."""
    closing = {"(": ")", "[": "]"}.get(word[:1])
    if closing and not word.rstrip(".,!?;:").endswith(closing):
        return None  # an aside opening, not a password in brackets
    core = word.strip(_PASSWORD_WRAPPING)
    if len(core) < 6:
        return None
    kinds = (
        any(ch.isdigit() for ch in core),
        any(not ch.isalnum() for ch in core.rstrip(".,!?")),
        any(ch.isupper() for ch in core[1:]),
    )
    return core if any(kinds) and any(ch.isalpha() for ch in core) else None


def free_text_personal(text: str) -> dict[str, str]:
    """What identifies a person in free text besides the values the checks found, each
    piece with its mask: runs of 8 digits or more (NIK, phone numbers, in any grouping),
    addresses spelled with (at), and a password quoted after the word for it. Only the
    user's own text is searched; the pieces are then hidden wherever they are quoted
    (a catalog sentence's own numbers and brackets are left alone)."""
    pieces: dict[str, str] = {}
    for match in _SPELLED_ADDRESS.finditer(text):
        address = f"{match.group(1)}@{_DOT_WORD.sub('.', match.group(2))}"
        pieces[match.group()] = mask_email(address)
    for match in _QUOTED_PASSWORD.finditer(text):
        password = _password_in(match.group(3))
        if password is not None:
            pieces[password] = PIECE
    for match in _DIGIT_RUN_TEXT.finditer(text):
        pieces[match.group()] = mask_nip(re.sub(r"\D", "", match.group()))
    return pieces
