"""Password policies of BKN's self-service apps, as data.

The rules drifted over the years (see ``domain.md`` §2): MySAPK (2019-2021, the seed FAQ),
MyASN (2024) and ASN Digital (2025) share one NIP/password account but asked for different
passwords. A region profile names the policy in force; checks and FAQ text read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Lang = Literal["id", "en"]


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """What a new password must contain under one app's rules.

    ``require_letter`` means "at least one letter of either case" (MyASN's "letters and
    digits"); ``require_upper``/``require_lower`` ask for a specific case. ``year`` is the
    year the rule is documented for (the seed FAQ is dated July 2021).
    """

    name: str
    app: str
    year: int
    min_length: int
    require_upper: bool = False
    require_lower: bool = False
    require_letter: bool = False
    require_digit: bool = False
    require_symbol: bool = False
    mfa: bool = False

    def describe(self, lang: Lang = "id") -> str:
        """The rule as one short phrase, e.g. "minimal 6 karakter, dengan minimal ..."."""
        if lang == "id":
            parts = _parts(self, "1 huruf besar", "1 huruf kecil", "1 huruf", "1 angka", "1 simbol")
            text = f"minimal {self.min_length} karakter"
            if parts:
                text += ", dengan minimal " + _join(parts, "dan")
            if self.mfa:
                text += "; login juga memakai verifikasi dua langkah (MFA)"
            return text
        if lang == "en":
            parts = _parts(
                self, "1 capital letter", "1 lower-case letter", "1 letter", "1 digit", "1 symbol"
            )
            text = f"at least {self.min_length} characters"
            if parts:
                text += ", including at least " + _join(parts, "and")
            if self.mfa:
                text += "; signing in also needs two-step verification (MFA)"
            return text
        raise ValueError(f"unknown language: {lang!r}")


def _parts(
    policy: PasswordPolicy, upper: str, lower: str, letter: str, digit: str, symbol: str
) -> list[str]:
    flags = (
        (policy.require_upper, upper),
        (policy.require_lower, lower),
        (policy.require_letter and not (policy.require_upper or policy.require_lower), letter),
        (policy.require_digit, digit),
        (policy.require_symbol, symbol),
    )
    return [word for wanted, word in flags if wanted]


def _join(parts: list[str], conjunction: str) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + f" {conjunction} " + parts[-1]


MYSAPK: Final = PasswordPolicy(
    name="mysapk",
    app="MySAPK",
    year=2021,
    min_length=6,
    require_upper=True,
    require_digit=True,
)
MYASN: Final = PasswordPolicy(
    name="myasn",
    app="MyASN",
    year=2024,
    min_length=8,
    require_letter=True,
    require_digit=True,
)
ASN_DIGITAL: Final = PasswordPolicy(
    name="asn-digital",
    app="ASN Digital",
    year=2025,
    min_length=12,
    require_upper=True,
    require_lower=True,
    require_digit=True,
    require_symbol=True,
    mfa=True,
)

POLICIES: Final[dict[str, PasswordPolicy]] = {p.name: p for p in (MYSAPK, MYASN, ASN_DIGITAL)}
"""All known policies by name: ``mysapk``, ``myasn``, ``asn-digital``."""
