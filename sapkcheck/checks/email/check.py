"""Email checks: everything wrong with the address as typed, and whether it is the one on record.

Order matters: copy-paste debris (whitespace, invisible characters, wrappers) is
located first, look-alike characters next, then email-validator judges what is left,
so its verdict is never the only explanation of a problem we can name precisely.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sapkcheck.checks.chars import ascii_lookalike, codepoints
from sapkcheck.checks.email.clean import Cleaned, clean_address, is_plain
from sapkcheck.checks.email.compare import compare_hint, compare_registered, differing
from sapkcheck.checks.email.fast import fast_normalize
from sapkcheck.checks.email.online import deliverability
from sapkcheck.checks.email.syntax import check_syntax
from sapkcheck.findings import Finding, make_finding, more_findings
from sapkcheck.limits import MAX_FINDINGS_PER_KIND, MAX_VALUE_CHARS


@dataclass(slots=True)
class EmailInfo:
    input: str
    normalized: str | None = None
    domain: str | None = None
    suggestions: tuple[str, ...] = ()
    registered: str | None = None
    hint: str | None = None


@dataclass(slots=True)
class EmailResult:
    info: EmailInfo
    findings: tuple[Finding, ...]
    cleaned: str  # the address with every certain fix applied (see email_clean)


def check_email(
    text: str,
    *,
    registered: str | None = None,
    hint: str | None = None,
    online: bool = False,
    local_domains: tuple[str, ...] = (),
) -> EmailResult:
    """Check one email address as typed. ``hint`` must already be a valid mask
    (see ``email_compare.parse_hint``). ``local_domains``: the region profile's domains
    (``Profile.domains()``), which feed the domain typo hints; the check reads no profile."""
    if hint is None and not online:
        plain = plain_address(text, registered, local_domains)
        if plain is not None:
            return plain
    return _check_email(text, registered, hint, online, local_domains)


def plain_address(
    text: str, registered: str | None, local_domains: tuple[str, ...]
) -> EmailResult | None:
    """The common case of a staff export, decided in a few steps: a plain, valid, lowercase
    address without a domain typo, and on record the same address, none, or another plain
    one (nothing to clean: compared as typed). Its result is the one :func:`_check_email`
    gives (tests/checks/test_email_plain.py); None for any other address."""
    if (
        registered is not None
        and registered != text
        and (len(registered) > MAX_VALUE_CHARS or not is_plain(registered))
    ):
        return None
    verdict = plain_verdict(text, local_domains)
    if verdict is None:
        return None
    findings: tuple[Finding, ...] = ()
    if registered is not None:
        findings = MATCHES_REGISTERED if registered == text else (differing(text, registered),)
    info = EmailInfo(text, verdict[0], verdict[1], (), registered)
    return EmailResult(info, findings, text)


def plain_verdict(text: str, local_domains: tuple[str, ...]) -> tuple[str, str] | None:
    """(normalized, domain) of a plain, valid, lowercase address without a domain typo,
    the address :func:`plain_address` decides; None for any other."""
    if not is_plain(text):
        return None
    verdict = fast_normalize(text)
    if verdict is None:
        return None
    local, _, domain = text.rpartition("@")
    if local != local.lower() or _suggest_domains(domain, local_domains):
        return None
    return verdict


# The finding of most rows of an export, made once (findings are read-only: findings.py).
MATCHES_REGISTERED = (make_finding("email-matches-registered"),)


def _check_email(
    text: str,
    registered: str | None,
    hint: str | None,
    online: bool,
    local_domains: tuple[str, ...],
) -> EmailResult:
    for value, detail in ((text, None), (registered, "registered")):
        if value is not None and len(value) > MAX_VALUE_CHARS:
            # Not an address: one finding, and no work in proportion to its length.
            finding = make_finding(
                "email-too-long", detail=detail, length=len(value), maximum=MAX_VALUE_CHARS
            )
            return EmailResult(EmailInfo(text, registered=registered, hint=hint), (finding,), "")
    cleaned = clean_address(text)
    if not cleaned.address:
        detail = "blank" if text else None
        finding = make_finding("email-missing", detail=detail, length=len(text))
        return EmailResult(
            EmailInfo(text, registered=registered, hint=hint), (finding,), cleaned.address
        )

    findings = _debris_findings(cleaned)
    plain, confusables = _replace_lookalikes(cleaned)
    findings.extend(confusables)
    suggestions: list[str] = []
    if cleaned.address != text.strip():
        suggestions.append(cleaned.address)
    if plain != cleaned.address:
        suggestions.append(plain)

    verdict = check_syntax(cleaned.address)
    if not verdict.valid:
        # Look-alikes already explain an address that is valid once they are replaced
        # (a full-width @ is "no @" to email-validator); otherwise explain the plain form.
        explained = check_syntax(plain) if plain != cleaned.address else verdict
        if not explained.valid:
            findings.append(
                make_finding(
                    "email-syntax",
                    span=cleaned.core if cleaned.core[1] > cleaned.core[0] else None,
                    detail=explained.detail,
                    reason=explained.reason,
                    address=cleaned.address,
                    extra=explained.params,
                )
            )

    typo_suggestions = _typo_suggestions(plain, local_domains)
    if typo_suggestions:
        findings.append(
            make_finding(
                "email-domain-typo",
                span=_domain_span(cleaned),
                detail="ambiguous" if len(typo_suggestions) > 1 else None,
                domain=plain.rpartition("@")[2],
                suggestion=" / ".join(typo_suggestions),
            )
        )
        suggestions.extend(typo_suggestions)

    local = plain.rpartition("@")[0] if "@" in plain else ""
    if local != local.lower():
        findings.append(make_finding("email-uppercase", local=local, lowered=local.lower()))

    if registered is not None:
        findings.extend(compare_registered(cleaned, registered, typo_suggestions))
    if hint is not None:
        findings.extend(compare_hint(cleaned.address, hint))

    if online and verdict.valid and verdict.domain:
        dns_says = deliverability(verdict.domain)
        if dns_says == "unreachable":
            findings.append(make_finding("email-dns-unreachable", domain=verdict.domain))
        elif dns_says != "ok":
            findings.append(
                make_finding("email-undeliverable", detail=dns_says, domain=verdict.domain)
            )

    # An invalid address still has a domain worth showing (the part after the last @).
    typed_domain = plain.rpartition("@")[2].lower() if "@" in plain else ""
    info = EmailInfo(
        input=text,
        normalized=verdict.normalized,
        domain=verdict.domain or typed_domain or None,
        suggestions=tuple(dict.fromkeys(suggestions)),
        registered=registered,
        hint=hint,
    )
    return EmailResult(info, tuple(findings), cleaned.address)


def _runs(offsets: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of sorted offsets as (start, end) spans."""
    runs: list[tuple[int, int]] = []
    for offset in sorted(offsets):
        if runs and runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], offset + 1)
        else:
            runs.append((offset, offset + 1))
    return runs


def _debris_findings(cleaned: Cleaned) -> list[Finding]:
    if cleaned.address == cleaned.text:
        return []
    text = cleaned.text
    findings: list[Finding] = []
    for code, offsets in (
        ("email-leading-space", cleaned.leading),
        ("email-trailing-space", cleaned.trailing),
    ):
        if not offsets:
            continue
        first, last = min(offsets), max(offsets)
        findings.append(
            make_finding(
                code,
                span=(first, last + 1),
                detail="one" if len(offsets) == 1 else None,
                count=len(offsets),
                codepoints=codepoints(text[i] for i in sorted(offsets)),
                position=first + 1,
                end=last + 1,
            )
        )
    for wrapper in cleaned.wrappers[:MAX_FINDINGS_PER_KIND]:
        findings.append(
            make_finding(
                "email-wrapper",
                span=wrapper.span,
                detail=wrapper.kind,
                found=wrapper.text,
                suggestion=cleaned.address,
            )
        )
    if len(cleaned.wrappers) > MAX_FINDINGS_PER_KIND:
        findings.append(
            more_findings("email-wrapper", len(cleaned.wrappers) - MAX_FINDINGS_PER_KIND)
        )
    for code, offsets in (
        ("email-inner-space", cleaned.inner_spaces),
        ("email-invisible-char", cleaned.inner_invisible),
    ):
        runs = _runs(offsets)
        for start, end in runs[:MAX_FINDINGS_PER_KIND]:
            findings.append(
                make_finding(
                    code,
                    span=(start, end),
                    count=end - start,
                    codepoints=codepoints(text[start:end]),
                    position=start + 1,
                    suggestion=cleaned.address,
                )
            )
        if len(runs) > MAX_FINDINGS_PER_KIND:
            findings.append(more_findings(code, len(runs) - MAX_FINDINGS_PER_KIND))
    return findings


def _replace_lookalikes(cleaned: Cleaned) -> tuple[str, list[Finding]]:
    """The address with look-alike characters replaced by plain ASCII, and one finding
    per replaced character (at most a few)."""
    address = cleaned.address
    if address.isascii():
        return address, []
    removed = set(cleaned.inner_spaces) | set(cleaned.inner_invisible)
    offsets = [i for i in range(cleaned.core[0], cleaned.core[1]) if i not in removed]
    plain_chars: list[str] = []
    replaced: list[tuple[int, str, str]] = []
    for offset, ch in zip(offsets, address, strict=True):
        ascii_char = ascii_lookalike(ch) if not ch.isascii() else None
        if ascii_char is None:
            plain_chars.append(ch)
        else:
            plain_chars.append(ascii_char)
            replaced.append((offset, ch, ascii_char))
    plain = "".join(plain_chars)
    findings: list[Finding] = []
    runs = _runs([offset for offset, _, _ in replaced])
    for start, end in runs[:MAX_FINDINGS_PER_KIND]:
        chars = cleaned.text[start:end]
        findings.append(
            make_finding(
                "email-confusable",
                span=(start, end),
                chars=chars,
                codepoints=codepoints(chars),
                ascii="".join(ascii_lookalike(ch) or ch for ch in chars),
                position=start + 1,
                end=end,
                suggestion=plain,
            )
        )
    if len(runs) > MAX_FINDINGS_PER_KIND:
        findings.append(more_findings("email-confusable", len(runs) - MAX_FINDINGS_PER_KIND))
    return plain, findings


@lru_cache(maxsize=2048)
def _typo_suggestions(address: str, own: tuple[str, ...] = ()) -> tuple[str, ...]:
    if "@" not in address:
        return ()
    local, _, domain = address.rpartition("@")
    if not domain or not domain.isascii():
        return ()
    candidates = _suggest_domains(domain, own)
    return tuple(f"{local}@{candidate}" for candidate in candidates) if candidates else ()


@lru_cache(maxsize=8192)
def _suggest_domains(domain: str, local: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Cached: an export repeats the same few domains thousands of times."""
    from sapkcheck.checks.email.typos import suggest_domains

    return suggest_domains(domain, local)


def _domain_span(cleaned: Cleaned) -> tuple[int, int] | None:
    start, end = cleaned.core
    at = cleaned.text.rfind("@", start, end)
    return (at + 1, end) if 0 <= at < end - 1 else None
