"""Token check: the reset token is pasted from an email, so it carries the same debris as
emails do. Letter O vs digit 0 cannot be known from the text; only non-ASCII look-alikes
are flagged. The kind of code is told apart: 6 digits are an authenticator app's login
code (MFA), anything else the reset code (token) from the email."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from sapkcheck.checks.chars import (
    ascii_lookalike,
    codepoints,
    is_blank,
    is_invisible,
    is_space,
)
from sapkcheck.findings import Finding, make_finding, more_findings
from sapkcheck.limits import MAX_FINDINGS_PER_KIND, MAX_VALUE_CHARS

TokenKind = Literal["authenticator", "reset"]
AUTHENTICATOR_DIGITS: Final = 6  # TOTP codes of Google/Microsoft Authenticator, FreeOTP


@dataclass(frozen=True, slots=True)
class TokenInfo:
    input: str
    normalized: str | None
    kind: TokenKind | None = None


@dataclass(frozen=True, slots=True)
class TokenResult:
    info: TokenInfo
    findings: tuple[Finding, ...]


def check_token(text: str) -> TokenResult:
    if len(text) > MAX_VALUE_CHARS:
        # Not a token: one finding, and no work in proportion to its length.
        finding = make_finding("token-too-long", length=len(text), maximum=MAX_VALUE_CHARS)
        return TokenResult(TokenInfo(text, None), (finding,))
    findings: list[Finding] = []
    spaces = [i for i, ch in enumerate(text) if is_space(ch)]
    hidden = [i for i, ch in enumerate(text) if is_invisible(ch)]
    kept = [ch for ch in text if not is_blank(ch)]
    if not kept:
        return TokenResult(TokenInfo(text, None), (make_finding("token-missing"),))
    for code, offsets in (("token-whitespace", spaces), ("token-invisible-char", hidden)):
        if offsets:
            findings.append(
                make_finding(
                    code,
                    span=(offsets[0], offsets[-1] + 1),
                    count=len(offsets),
                    codepoints=codepoints(text[i] for i in offsets),
                    position=offsets[0] + 1,
                )
            )
    plain: list[str] = []
    confusables = 0
    for i, ch in enumerate(text):
        if is_blank(ch):
            continue
        replacement = None if ch.isascii() else ascii_lookalike(ch)
        if replacement is not None:
            confusables += 1
        if replacement is not None and confusables <= MAX_FINDINGS_PER_KIND:
            findings.append(
                make_finding(
                    "token-confusable",
                    span=(i, i + 1),
                    char=ch,
                    codepoints=codepoints(ch),
                    ascii=replacement,
                    position=i + 1,
                )
            )
        plain.append(replacement or ch)
    if confusables > MAX_FINDINGS_PER_KIND:
        findings.append(more_findings("token-confusable", confusables - MAX_FINDINGS_PER_KIND))
    normalized = "".join(plain)
    normalized, around = _without_punctuation(normalized)
    if around:
        findings.append(make_finding("token-punctuation", chars=around))
    kind = token_kind(normalized)
    if kind == "authenticator":
        findings.append(make_finding("token-authenticator-code", digits=len(normalized)))
    elif kind == "reset":
        findings.append(make_finding("token-reset-code", length=len(normalized)))
    return TokenResult(TokenInfo(text, normalized, kind), tuple(findings))


# Copied with the code from the sentence around it: "tokennya AFM4TK1." or "(AFM4TK1)".
_SENTENCE_MARKS: Final = ".,;:!?'\"()[]<>*"


def _without_punctuation(code: str) -> tuple[str, str]:
    """The code without the sentence's marks at its ends, and those marks (start, end)."""
    core = code.strip(_SENTENCE_MARKS)
    if not core or core == code:
        return code, ""
    start = code.index(core)
    return core, code[:start] + code[start + len(core) :]


def token_kind(normalized: str) -> TokenKind | None:
    """``authenticator`` for exactly 6 ASCII digits (a TOTP login code), ``reset`` for any
    other run of ASCII letters and digits (the emailed reset code, e.g. AFM4TK1), None for
    anything else (it cannot be told)."""
    if not normalized.isascii() or not normalized.isalnum():
        return None
    if normalized.isdigit() and len(normalized) == AUTHENTICATOR_DIGITS:
        return "authenticator"
    return "reset"
