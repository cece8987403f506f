"""Password policies of BKN's self-service apps, as data.

The rules drifted over the years (see ``domain.md`` §2): MySAPK (2019-2021, the seed FAQ),
MyASN (2024) and ASN Digital (2025) share one NIP/password account but asked for different
passwords. A region profile names the policy in force; checks read it from here, and the
renderer phrases it (``sapkcheck.render.context.describe_policy``).
"""

from __future__ import annotations

from typing import Final, NamedTuple


class PasswordPolicy(NamedTuple):
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
