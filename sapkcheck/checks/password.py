"""Password check against the policy in force. Never keeps, returns or prints the password:
findings carry counts and positions only."""

from __future__ import annotations

import unicodedata

from sapkcheck.checks.chars import blank_edges, codepoints, is_invisible, is_space
from sapkcheck.findings import Finding, make_finding
from sapkcheck.knowledge.policies import PasswordPolicy

_MAX_POSITIONS = 5


def check_password(password: str, policy: PasswordPolicy) -> tuple[Finding, ...]:
    findings: list[Finding] = []
    start, end = blank_edges(password)
    around = start + (len(password) - end)
    if around:
        findings.append(
            make_finding(
                "password-whitespace", count=around, leading=start, trailing=len(password) - end
            )
        )
    core = password[start:end]
    hidden = [ch for ch in core if is_invisible(ch)]
    if hidden:
        findings.append(
            make_finding(
                "password-invisible-char", count=len(hidden), codepoints=codepoints(hidden)
            )
        )
    # Spaces inside: allowed by no portal's rule as written, but the FAQ says to avoid them
    # (a double space or a no-break space from a phone keyboard is not typed again alike).
    inner = [start + i for i, ch in enumerate(core) if is_space(ch)]
    if inner:
        findings.append(
            make_finding(
                "password-inner-space",
                detail="one" if len(inner) == 1 else None,
                count=len(inner),
                position=inner[0] + 1,
                positions=", ".join(str(i + 1) for i in inner[:_MAX_POSITIONS])
                + (", …" if len(inner) > _MAX_POSITIONS else ""),
                codepoints=codepoints(password[i] for i in inner),
            )
        )
    length = len(core) - len(hidden)
    if length < policy.min_length:
        findings.append(
            make_finding("password-too-short", length=length, minimum=policy.min_length)
        )
    # The rules count A-Z, a-z, 0-9 and the keyboard's symbols: a Cyrillic, accented or
    # full-width letter looks like one but is no such character to the portal.
    foreign = sum(
        1 for ch in core if not ch.isascii() and not is_invisible(ch) and not is_space(ch)
    )
    if foreign:
        findings.append(make_finding("password-non-ascii", count=foreign))
    if policy.require_upper and not any("A" <= ch <= "Z" for ch in core):
        findings.append(make_finding("password-no-uppercase"))
    if policy.require_lower and not any("a" <= ch <= "z" for ch in core):
        findings.append(make_finding("password-no-lowercase"))
    if policy.require_letter and not any(ch.isascii() and ch.isalpha() for ch in core):
        findings.append(make_finding("password-no-letter"))
    # ASCII digits only: the rule says 0-9, and other scripts' digits are not typed at login.
    if policy.require_digit and not any("0" <= ch <= "9" for ch in core):
        findings.append(make_finding("password-no-digit"))
    if policy.require_symbol and not any(_is_symbol(ch) for ch in core):
        findings.append(make_finding("password-no-symbol"))
    return tuple(findings)


def _is_symbol(ch: str) -> bool:
    # Any punctuation or symbol, € too: rules define a symbol as "not a letter or digit"
    # (password-non-ascii still warns that another keyboard may not type it again).
    return unicodedata.category(ch)[0] in "PS"
