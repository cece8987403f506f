"""Diagnosis: run the checks a ``check`` asks for, then go from "what I see" and "what the
checks found" to the remedies that apply, best first.

The message the user saw is matched against the FAQ; the findings point to FAQ entries
through their codes. When the email is shown to be clean and to match the address on
record, email remedies are dropped: the email is not the cause, so the next likely
causes are offered instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from sapkcheck.checks.nip import NipResult, check_nip
from sapkcheck.findings import Finding, Severity, has_error, make_finding, sort_findings

if TYPE_CHECKING:
    from sapkcheck.checks.email.check import EmailResult
    from sapkcheck.checks.token import TokenResult
    from sapkcheck.knowledge.policies import PasswordPolicy
    from sapkcheck.triage.extract import Found


EMAIL_FAQS = frozenset({"operasi-gagal", "email-tidak-sesuai"})
# When the email is ruled out: what usually goes wrong next (seed FAQ 2, domain.md §2).
NEXT_LIKELY = ("reset-tidak-merespon", "token-salah", "syarat-password", "data-not-found-auth")
_EMAIL_CONFIRMED = frozenset({"email-matches-registered", "email-hint-match"})


class MessageInfo(NamedTuple):
    """The message the user saw or sent: the FAQ entry recognized in it (None: none), the
    nearest entries offered as "maybe" when none is, and the portal message it quotes."""

    input: str
    faq: str | None
    maybe: tuple[str, ...] = ()
    quoted: str | None = None


def recognize_message(message: str) -> tuple[MessageInfo, Finding]:
    """The FAQ entry the message names, as a finding (ids, no prose); see
    ``knowledge.recognize`` for how a chat message is read."""
    from sapkcheck.knowledge.recognize import recognize

    found = recognize(message)
    if found.entry is not None:
        finding = make_finding(
            "message-recognized", faq=found.entry, entry=found.entry, score=found.score
        )
        return MessageInfo(message, found.entry, quoted=found.quoted), finding
    maybe = tuple(entry for entry, _ in found.nearest)
    return MessageInfo(message, None, maybe), make_finding("message-unknown", detail=found.topic)


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


@dataclass(slots=True)
class CheckReport:
    """What ``check`` found: per-field results, and the FAQ entries to offer, best first."""

    nip: NipResult | None = None
    email: EmailResult | None = None
    token: TokenResult | None = None
    message: MessageInfo | None = None
    message_findings: list[Finding] = field(default_factory=list)
    answer_findings: list[Finding] = field(default_factory=list)  # from the guide's answers
    remedies: list[str] = field(default_factory=list)  # FAQ entry ids
    found: Found | None = None  # values read from the message (values_from_message)

    @property
    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for result in (self.nip, self.email, self.token):
            if result is not None:
                found.extend(result.findings)
        found.extend(self.message_findings)
        found.extend(self.answer_findings)
        return sort_findings(found)

    @property
    def failed(self) -> bool:
        return has_error(self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


def run_check(
    *,
    nip: str | None = None,
    email: str | None = None,
    registered: str | None = None,
    hint: str | None = None,
    token: str | None = None,
    message: str | None = None,
    online: bool = False,
    today: date | None = None,
    values_from_message: bool = False,
    local_domains: tuple[str, ...] = (),
) -> CheckReport:
    """Check what was given. With ``values_from_message``, a NIP, email or token written
    inside ``message`` is checked too when it was not given on its own (the first of each;
    a masked email the portal showed is the hint), and a finding says so.
    ``local_domains``: the region profile's domains for the email typo hints
    (``Profile.domains()``, passed by the command)."""
    report = CheckReport()
    quoted: list[str] = []
    if values_from_message and message is not None:
        from sapkcheck.triage.extract import extract

        report.found = found = extract(message)
        if nip is None and found.nip:
            nip = found.nip[0]
            quoted.append("NIP")
        if email is None and found.email:
            email = found.email[0]
            quoted.append("email")
        if hint is None and found.masked and email is not None:
            hint = _usable_hint(found.masked[0])
        if token is None and found.token:
            token = found.token[0]
            quoted.append("token")
    if nip is not None:
        report.nip = check_nip(nip, today=today)
    if email is not None:
        # Imported here: email checks cost start-up time a NIP-only check need not pay.
        from sapkcheck.checks.email.check import check_email

        report.email = check_email(
            email, registered=registered, hint=hint, online=online, local_domains=local_domains
        )
    if token is not None:
        from sapkcheck.checks.token import check_token

        report.token = check_token(token)
    message_faq = None
    if message is not None:
        report.message, recognized = recognize_message(message)
        report.message_findings.append(recognized)
        if quoted:
            report.message_findings.append(make_finding("message-values", fields=", ".join(quoted)))
        message_faq = report.message.faq
    ranked = rank_remedies(report.findings, message_faq)
    if message_faq is not None and message_faq not in ranked:
        # The message names a cause the checks have ruled out: say so.
        report.message_findings[0] = replace(
            report.message_findings[0], detail="not-the-cause", faq=None
        )
    report.remedies = ranked
    return report


def _usable_hint(text: str) -> str | None:
    """A masked email read from a chat, if it is one the hint comparison can use."""
    from sapkcheck.checks.email.compare import parse_hint
    from sapkcheck.errors import UsageProblem

    try:
        parse_hint(text)
    except UsageProblem:
        return None
    return text


@dataclass(slots=True)
class PasswordReport:
    """What ``password`` found, with the FAQ entries for it: text and JSON show the same."""

    findings: list[Finding]
    policy: PasswordPolicy
    remedies: list[str]  # FAQ entry ids

    @property
    def failed(self) -> bool:
        return has_error(self.findings)


def diagnose_password(findings: Iterable[Finding], policy: PasswordPolicy) -> PasswordReport:
    found = sort_findings(findings)
    faqs = list(dict.fromkeys(f.faq for f in found if f.faq))
    return PasswordReport(found, policy, faqs)


# Messages where a login (MFA) code is typed, and where the emailed reset code is.
LOGIN_CODE_ENTRIES = frozenset({"mfa-kode-salah", "mfa-aktivasi", "mfa-reset"})
RESET_CODE_ENTRIES = frozenset({"token-salah", "kode-kedaluwarsa", "token-tidak-diterima"})


def add_answers(
    report: CheckReport,
    *,
    code_source: str | None = None,
    device: str | None = None,
    laptop_portal: bool = False,
    password: Iterable[Finding] = (),
) -> None:
    """What the guide's answers add to a report: a code taken from the wrong place
    (``code_source`` "app" or "email" against the message or the code's kind), a phone used
    where the portal wants a laptop browser (``device`` "phone", ``laptop_portal``), and
    the findings of the password the person typed (never the password). Remedies re-ranked."""
    faq = report.message.faq if report.message is not None else None
    kind = report.token.info.kind if report.token is not None else None
    found = list(password)
    if code_source == "email" and (faq in LOGIN_CODE_ENTRIES or kind == "authenticator"):
        found.append(make_finding("token-wrong-source"))
    elif code_source == "app" and (faq in RESET_CODE_ENTRIES or kind == "reset"):
        found.append(make_finding("token-wrong-source", detail="app-for-reset", faq="token-salah"))
    if device == "phone" and laptop_portal:
        found.append(make_finding("message-use-laptop"))
    if not found:
        return
    report.answer_findings.extend(found)
    # The message's entry stays in (or out of) the remedies as run_check decided.
    report.remedies = rank_remedies(report.findings, faq if faq in report.remedies else None)
    for finding in found:  # message findings are not ranked by rank_remedies
        if finding.field == "message" and finding.faq and finding.faq not in report.remedies:
            report.remedies.insert(0, finding.faq)
