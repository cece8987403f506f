"""Compare the typed address with the one on record: an admin's export or MySAPK's mask.

MySAPK's reset screen shows the registered address masked, e.g. ``eli*****@gmail.com``:
the first characters of the local part, a fixed run of stars (not one per hidden
character), then the domain. Each run of ``*`` stands for one or more unknown
characters; visible parts compare case-insensitively (shared/domain.md §2).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sapkcheck.checks.chars import is_blank
from sapkcheck.checks.email.clean import Cleaned, clean_address
from sapkcheck.errors import UsageProblem
from sapkcheck.findings import Finding, make_finding

_STARS = re.compile(r"\*+")


def _split(address: str) -> tuple[str, str]:
    local, at, domain = address.rpartition("@")
    return (local, domain) if at else (address, "")


def compare_registered(
    typed: Cleaned, registered: str, typo_suggestions: Sequence[str] = ()
) -> list[Finding]:
    """email-mismatch / email-case-differs / email-matches-registered."""
    mine = typed.address
    on_record = registered if registered == mine else clean_address(registered).address
    if mine == on_record:
        return [make_finding("email-matches-registered", detail=_fixes_needed(typed))]
    return [differing(mine, on_record, typo_suggestions)]


def differing(mine: str, on_record: str, typo_suggestions: Sequence[str] = ()) -> Finding:
    """email-case-differs / email-mismatch of two cleaned addresses that differ."""
    if mine.casefold() == on_record.casefold():
        return make_finding("email-case-differs", typed=mine, registered=on_record)
    my_local, my_domain = _split(mine)
    their_local, their_domain = _split(on_record)
    if any(s.casefold() == on_record.casefold() for s in typo_suggestions):
        detail = "typo"
    elif my_local.casefold() == their_local.casefold():
        detail = "domain"
    elif my_domain.casefold() == their_domain.casefold():
        detail = "local"
    else:
        detail = "both"
    return make_finding(
        "email-mismatch",
        detail=detail,
        typed=mine,
        registered=on_record,
        typed_domain=my_domain,
        registered_domain=their_domain,
    )


def _fixes_needed(typed: Cleaned) -> str | None:
    """Which certain fix made the typed address equal to the one on record."""
    if typed.address == typed.text:
        return None
    if typed.trailing and not (typed.leading or typed.wrappers or typed.inner_spaces):
        return "trailing-space"
    return "cleaned"


@dataclass(frozen=True, slots=True)
class Hint:
    mask: str
    local: list[str]  # visible pieces of the local part, split at each run of stars
    domain: list[str]


def parse_hint(mask: str) -> Hint:
    """A mask such as ``eli*****@gmail.com``; a malformed one is a usage error."""
    text = mask.strip()
    if not text or any(is_blank(ch) for ch in text):
        raise UsageProblem("error-hint-blank", hint=mask)
    if text.count("@") != 1:
        raise UsageProblem("error-hint-at", hint=mask)
    local, domain = text.split("@")
    if not local or not domain:
        raise UsageProblem("error-hint-empty", hint=mask)
    return Hint(text, _STARS.split(local.casefold()), _STARS.split(domain.casefold()))


def _fits(value: str, pieces: list[str]) -> tuple[bool, str]:
    """Does ``value`` match visible ``pieces`` with one-or-more characters per star?
    Returns (fits, which part failed: prefix | suffix | middle | length)."""
    if len(pieces) == 1:
        return (value == pieces[0], "whole")
    first, *middle, last = pieces
    if not value.startswith(first):
        return False, "prefix"
    if not value.endswith(last):
        return False, "suffix"
    position = len(first)
    limit = len(value) - len(last)
    for piece in middle:
        found = value.find(piece, position + 1, limit)
        if found < 0:
            return False, "middle"
        position = found + len(piece)
    # every star needs at least one character of its own
    if limit - position < 1:
        return False, "length"
    return True, ""


def compare_hint(address: str, mask: str) -> list[Finding]:
    hint = parse_hint(mask)
    local, domain = _split(address.casefold())
    visible_local = next((p for p in hint.local if p), "")
    ok, part = _fits(domain, hint.domain)
    if not ok:
        shown = "*".join(hint.domain) if len(hint.domain) > 1 else hint.domain[0]
        return [
            make_finding(
                "email-hint-mismatch",
                detail="domain",
                hint=hint.mask,
                expected=shown,
                yours=domain,
            )
        ]
    ok, part = _fits(local, hint.local)
    if ok:
        return [make_finding("email-hint-match", hint=hint.mask)]
    expected = {
        "prefix": hint.local[0],
        "suffix": hint.local[-1],
        "whole": hint.local[0],
        "middle": visible_local,
        "length": hint.mask.split("@")[0],
    }[part]
    yours = {
        "prefix": local[: len(hint.local[0])],
        "suffix": local[len(local) - len(hint.local[-1]) :],
    }.get(part, local)
    return [
        make_finding(
            "email-hint-mismatch", detail=part, hint=hint.mask, expected=expected, yours=yours
        )
    ]
