"""A reply an admin can paste into WhatsApp: the most likely cause first, then what to do.

WhatsApp formatting (``*bold*``, numbered steps), at most ``MAX_LINES`` lines, in the
reader's language. Personal data only where its owner needs it (the email as it must be
typed), and none with ``--mask``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from sapkcheck.findings import Severity

if TYPE_CHECKING:
    from sapkcheck.diagnosis import CheckReport
    from sapkcheck.findings import Finding
    from sapkcheck.knowledge.i18n import Catalog

MAX_LINES = 10
MAX_STEPS = 5
# When nothing in the message names a cause: what usually goes wrong (seed FAQ, domain.md).
COMMON_CAUSES = ("operasi-gagal", "token-tidak-diterima", "data-not-found-auth")


def build_reply(
    report: CheckReport,
    text: Catalog,
    context: Mapping[str, str],
    *,
    hide: Callable[[str], str] | None = None,
) -> str:
    """The reply; ``hide`` (``--mask``) masks personal data in every line, and the email
    as it must be typed is then left out."""
    from sapkcheck.render.context import remedy_texts

    lines: list[str] = []
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    warnings = [
        f for f in report.findings if f.severity is Severity.WARNING and f.field != "message"
    ]
    remedies = remedy_texts(report.remedies[:1], text, context)
    fix = _email_fix(report, text) if hide is None else None
    # An error is the cause to name first; a warning about a value (a likely domain typo)
    # only when the message names no cause, else it comes after the steps.
    first: Finding | None = None
    if errors:
        first = errors[0]
    elif warnings and not remedies:
        first = warnings[0]
    aside: list[str] = []
    if first is not None:
        lines += _problem(first, text, context)
        lines += [fix] if fix else []
    elif warnings:
        aside = _problem(warnings[0], text, context)[:2] + ([fix] if fix else [])
    elif fix:
        lines.append(fix)
    if remedies:
        remedy = remedies[0]
        if first is None:
            lines.append(text.ui("reply-cause", title=remedy.title))
        lines.append(text.ui("reply-steps"))
        room = max(1, MAX_LINES - len(lines) - len(aside))
        lines += [f"{n}. {step}" for n, step in enumerate(remedy.steps[:MAX_STEPS], 1)][:room]
        lines += aside
    elif first is None:
        lines += _no_cause(report, text, context)
    lines = lines[:MAX_LINES]
    return "\n".join(hide(line) for line in lines) if hide else "\n".join(lines)


def _problem(finding: Finding, text: Catalog, context: Mapping[str, str]) -> list[str]:
    """The first error: its title in bold, what exactly is wrong, what to do about it."""
    lines = [f"*{text.code(finding.code).title}*", text.message(finding, context)]
    remedy = text.remedy(finding, context)
    if remedy:
        lines.append(remedy)
    return lines


def _email_fix(report: CheckReport, text: Catalog) -> str | None:
    """The email exactly as it must be typed, when the typed one only had debris around it."""
    email = report.email
    if email is None or not email.cleaned or email.cleaned == email.info.input:
        return None
    if any(f.severity is Severity.ERROR for f in email.findings if f.code == "email-syntax"):
        return None
    return text.ui("reply-email-fix", email=email.cleaned)


def _no_cause(report: CheckReport, text: Catalog, context: Mapping[str, str]) -> list[str]:
    message = report.message
    detail = next((f.detail for f in report.message_findings if f.code == "message-unknown"), None)
    if detail == "other":
        return [text.ui("reply-other")]
    if detail == "elsewhere":
        return [text.ui("reply-elsewhere", **context)]
    lines = [text.ui("reply-no-cause")]
    maybe = list(message.maybe) if message is not None else []
    if maybe:
        lines.append(text.ui("reply-maybe", titles=_titles(maybe, text)))
    else:
        lines.append(text.ui("reply-common", titles=_titles(COMMON_CAUSES, text)))
    # What was sent is not asked for again: only the screen's message is missing then.
    sent = report.nip is not None and report.email is not None
    lines.append(text.ui("reply-ask-message" if sent else "reply-ask"))
    return lines


def _titles(faq_ids: Sequence[str], text: Catalog) -> str:
    from sapkcheck.knowledge.faq import get_entry

    return "; ".join(f"{get_entry(faq_id).text(text.lang).title}" for faq_id in faq_ids)


def staff_body(findings: Sequence[Finding], text: Catalog, context: Mapping[str, str]) -> str:
    """What one row of a batch report tells that staff member (the greeting apart: it needs
    the name, see :func:`staff_message`): the main problem with what to do, as a reply
    states it, or that nothing needs to change. ``findings`` most severe first."""
    problems = [f for f in findings if f.severity in (Severity.ERROR, Severity.WARNING)]
    if not problems:
        return text.ui("staff-ok")
    lines = [text.ui("staff-intro"), *_problem(problems[0], text, context)]
    if len(problems) > 1:
        lines.append(text.ui("staff-more", count=text.number(len(problems) - 1)))
    return "\n".join(lines)


def staff_message(body: str, name: str | None, text: Catalog) -> str:
    """:func:`staff_body` after a greeting, with the person's name when there is one."""
    greeting = text.ui("staff-greeting", name=name) if name else text.ui("staff-greeting-plain")
    return f"{greeting} {body}"
