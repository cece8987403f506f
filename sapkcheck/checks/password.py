"""Password check against the policy in force. Never keeps, returns or prints the password:
findings carry counts and positions only."""

from __future__ import annotations

import unicodedata

from sapkcheck.checks.chars import blank_edges, is_invisible, labels
from sapkcheck.findings import Finding, make_finding
from sapkcheck.knowledge.policies import PasswordPolicy


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
            make_finding("password-invisible-char", count=len(hidden), names=labels(hidden))
        )
    length = len(core) - len(hidden)
    if length < policy.min_length:
        findings.append(
            make_finding("password-too-short", length=length, minimum=policy.min_length)
        )
    if policy.require_upper and not any(ch.isupper() for ch in core):
        findings.append(make_finding("password-no-uppercase"))
    if policy.require_lower and not any(ch.islower() for ch in core):
        findings.append(make_finding("password-no-lowercase"))
    if policy.require_letter and not any(ch.isalpha() for ch in core):
        findings.append(make_finding("password-no-letter"))
    # ASCII digits only: the rule says 0-9, and other scripts' digits are not typed at login.
    if policy.require_digit and not any("0" <= ch <= "9" for ch in core):
        findings.append(make_finding("password-no-digit"))
    if policy.require_symbol and not any(_is_symbol(ch) for ch in core):
        findings.append(make_finding("password-no-symbol"))
    return tuple(findings)


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"
