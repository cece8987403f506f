"""From "what I see" and "what the checks found" to the remedies that apply, best first.

The message the user saw is matched against the FAQ; the findings point to FAQ entries
through their codes. When the email is shown to be clean and to match the address on
record, email remedies are dropped: the email is not the cause, so the next likely
causes are offered instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sapkcheck.codes import make_finding
from sapkcheck.findings import Finding, Severity
from sapkcheck.i18n import Lang

RECOGNIZED_SCORE = 70.0
MIN_QUERY_CHARS = 4
MAX_QUERY_CHARS = 500  # a pasted screen, not a novel: keeps fuzzy matching fast
EMAIL_FAQS = frozenset({"operasi-gagal", "email-tidak-sesuai"})
# When the email is ruled out: what usually goes wrong next (seed FAQ 2, domain.md §2).
NEXT_LIKELY = ("reset-tidak-merespon", "token-salah", "syarat-password", "data-not-found-auth")
_EMAIL_CONFIRMED = frozenset({"email-matches-registered", "email-hint-match"})


@dataclass(frozen=True, slots=True)
class MessageInfo:
    input: str
    faq: str | None


@dataclass(frozen=True, slots=True)
class Remedy:
    faq: str
    title: str
    steps: tuple[str, ...]
    links: tuple[str, ...]


def recognize_message(message: str, lang: Lang) -> tuple[MessageInfo, Finding]:
    from sapkcheck.faq import search

    query = message[:MAX_QUERY_CHARS]
    best = search(query, lang, limit=1) if len(query.strip()) >= MIN_QUERY_CHARS else []
    if best and best[0][1] >= RECOGNIZED_SCORE:
        entry, score = best[0]
        title = entry.text(lang).title
        finding = make_finding(
            "message-recognized", faq=entry.id, entry=entry.id, title=title, score=round(score)
        )
        return MessageInfo(message, entry.id), finding
    return MessageInfo(message, None), make_finding("message-unknown")


def email_ruled_out(findings: Iterable[Finding]) -> bool:
    """The email is clean (no error or warning about it) and matches the record or hint."""
    email = [f for f in findings if f.field == "email"]
    confirmed = any(f.code in _EMAIL_CONFIRMED for f in email)
    troubled = any(f.severity is not Severity.INFO for f in email)
    return confirmed and not troubled


def rank_remedies(findings: Iterable[Finding], message_faq: str | None) -> list[str]:
    """FAQ ids, most relevant first: the message's entry when a finding confirms it,
    then the entries of errors, of warnings, the message's entry, and, when the email
    is ruled out, the next likely causes."""
    findings = [f for f in findings if f.field != "message"]
    ruled_out = email_ruled_out(findings)
    ranked: list[str] = []

    def add(faq: str | None) -> None:
        if faq and faq not in ranked and not (ruled_out and faq in EMAIL_FAQS):
            ranked.append(faq)

    if any(f.faq == message_faq and f.severity is not Severity.INFO for f in findings):
        add(message_faq)
    for severity in (Severity.ERROR, Severity.WARNING):
        for finding in findings:
            if finding.severity is severity:
                add(finding.faq)
    add(message_faq)
    if ruled_out:
        for faq in NEXT_LIKELY:
            add(faq)
    return ranked


def build_remedies(faq_ids: Iterable[str], lang: Lang, values: Mapping[str, str]) -> list[Remedy]:
    remedies: list[Remedy] = []
    for faq_id in faq_ids:
        from sapkcheck.faq import get_entry  # only when there is a remedy to show

        entry = get_entry(faq_id)
        text = entry.text(lang, values)
        remedies.append(
            Remedy(
                faq=entry.id,
                title=text.title,
                steps=tuple(text.steps),
                links=tuple(url for url, _ in text.links),
            )
        )
    return remedies
