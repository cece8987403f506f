"""A fast path for email syntax: plain ASCII addresses decided without email-validator.

``fast_normalize`` returns what ``email_validator.validate_email(address,
check_deliverability=False)`` would return as ``(normalized, ascii_domain)``, but only
for addresses it can be certain about; for anything else it returns None and the caller
asks email-validator. It never accepts an address email-validator would reject, and never
normalizes one differently (tests/test_email_fast.py checks this property).

What it decides (mirrors email-validator 2.4.0 with default options, syntax only):

* the whole address is at most 254 characters (EMAIL_MAX_LENGTH);
* local part: dot-atom of ``A-Z a-z 0-9 _ + -`` (no leading, trailing or doubled dot),
  at most 64 characters; the case is kept, except the RFC 2142 role names
  (``info``, ``postmaster``, ...) that email-validator lowercases;
* domain: at least two labels; each label 1-63 of ``A-Z a-z 0-9 -``, not starting or
  ending with a hyphen, without hyphens at its 3rd and 4th characters (this also excludes
  every ``xn--`` Punycode label); the last label (TLD) is 2-63 letters and not a
  special-use or reserved name; the domain is lowercased, as UTS-46 mapping does for ASCII.

Deliberately left to email-validator (None): non-ASCII anywhere, quoted local parts,
display names, domain literals, other ATEXT characters (``! # $ % & ' * / = ? ^ ` { | }
~``), local parts over 64 characters (valid there unless ``strict``), single-letter or
non-alphabetic TLDs, Punycode, R-LDH labels (``ab--c``), special-use TLDs plus the
reserved ``example``, ``alt`` and ``internal`` (email-validator accepts those three today;
sending them to the slow path keeps us right if a later version rejects them), and every
invalid address (email-validator's message is the one we explain).

It assumes email-validator's module-level defaults (``ALLOW_SMTPUTF8``, ``STRICT``,
``GLOBALLY_DELIVERABLE``, ``TEST_ENVIRONMENT``, ``SPECIAL_USE_DOMAIN_NAMES``, ...) are
left as shipped; it does not import email-validator, so the CLI starts fast.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["fast_normalize"]

EMAIL_MAX_LENGTH = 254

# email_validator.SPECIAL_USE_DOMAIN_NAMES (arpa, invalid, local, localhost, onion, test)
# plus reserved names it accepts today. Matched against the TLD: the domain has at
# least one dot, so "domain == d" can only happen as a TLD match too.
SLOW_PATH_TLDS = frozenset(
    {"arpa", "invalid", "local", "localhost", "onion", "test", "example", "alt", "internal"}
)

# email_validator.rfc_constants.CASE_INSENSITIVE_MAILBOX_NAMES (RFC 2142): lowercased.
CASE_INSENSITIVE_MAILBOX_NAMES = frozenset(
    {
        "info",
        "marketing",
        "sales",
        "support",
        "abuse",
        "noc",
        "security",
        "postmaster",
        "hostmaster",
        "usenet",
        "news",
        "webmaster",
        "www",
        "uucp",
        "ftp",
    }
)
_LONGEST_MAILBOX_NAME = max(map(len, CASE_INSENSITIVE_MAILBOX_NAMES))

_TLD_ALTERNATION = "|".join(sorted(SLOW_PATH_TLDS, key=lambda tld: (-len(tld), tld)))

# Dots delimit the local atoms and the domain labels, the "@" the two parts, and the TLD
# (letters, no trailing dot) cannot be taken by the label group, so every split is forced;
# backtracking only retries a label's last character (at most 62 steps per label), and
# the input is at most 254 characters when this runs. The local part length (<= 64) is
# checked after the match. fullmatch, not "$": "$" would accept a trailing newline.
# Neither part can hold an "@": an address matches if and only if its parts, split at its
# first "@", match theirs.
_LOCAL = re.compile(r"[A-Za-z0-9_+\-]+(?:\.[A-Za-z0-9_+\-]+)*")
_DOMAIN = re.compile(
    r"(?:(?!..--)[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?!(?i:{_TLD_ALTERNATION})\Z)"
    r"[A-Za-z]{2,63}"
)


@lru_cache(maxsize=4096)
def _fast_domain(domain: str) -> str | None:
    """The domain lowercased where ``_DOMAIN`` takes it whole; None otherwise. Cached: an
    export repeats a few domains thousands of times (and the domain's pattern, the TLD
    list above all, is most of an address's matching time)."""
    return domain.lower() if _DOMAIN.fullmatch(domain) else None


def fast_normalize(address: str) -> tuple[str, str] | None:
    """(normalized, ascii_domain) exactly as email-validator would return for `address`
    (validate_email(address, check_deliverability=False) -> .normalized, .ascii_domain),
    when this function can be CERTAIN the address is valid; None otherwise (caller falls back
    to email-validator). Never returns a verdict email-validator would disagree with."""
    if len(address) > EMAIL_MAX_LENGTH:
        return None
    local, at, rest = address.partition("@")
    if not at or len(local) > 64 or _LOCAL.fullmatch(local) is None:
        return None
    domain = _fast_domain(rest)
    if domain is None:
        return None
    if len(local) <= _LONGEST_MAILBOX_NAME and local.lower() in CASE_INSENSITIVE_MAILBOX_NAMES:
        local = local.lower()
    return f"{local}@{domain}", domain
