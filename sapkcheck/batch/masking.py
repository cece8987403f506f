"""``--mask``: hide personal data (NIP, email) in every output, keeping enough to find the row.

A NIP keeps its first 2 and last 2 digits (``19**************01``); an email keeps the
first 2 characters of its local part and the domain (``el*****@gmail.com``), the way
MySAPK itself masks addresses.
"""

from __future__ import annotations

from collections.abc import Iterable

_STARS = "*****"


def mask_nip(value: str) -> str:
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * (len(value) - 4) + value[-2:]


def mask_email(value: str) -> str:
    local, at, domain = value.rpartition("@")
    if not at:
        return value[:2] + _STARS if len(value) > 2 else _STARS
    return local[:2] + _STARS + "@" + domain


def mask_value(value: str) -> str:
    if "@" in value:
        return mask_email(value)
    if sum(ch.isdigit() for ch in value) >= len(value) // 2:
        return mask_nip(value)
    return value[:2] + _STARS  # a local part or a fragment of one


_DIGIT_RUN = 8


def looks_personal(text: str) -> bool:
    """An email, or a run of digits long enough to be (part of) a NIP."""
    run = 0
    for ch in text:
        run = run + 1 if ch.isdigit() else 0
        if run >= _DIGIT_RUN:
            return True
    return "@" in text


class Masker:
    """Replaces each known personal string in free text (messages) with its mask."""

    def __init__(self, personal: Iterable[str | None]) -> None:
        values = {v.strip() for v in personal if v and v.strip()}
        # Longest first, so an address is masked whole before its parts.
        self._pairs = sorted(((v, mask_value(v)) for v in values), key=lambda p: -len(p[0]))

    def __call__(self, text: str | None) -> str | None:
        if text is None:
            return None
        for value, masked in self._pairs:
            if value in text:
                text = text.replace(value, masked)
        return text
