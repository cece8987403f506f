"""Run the checks a ``check`` invocation asks for, then diagnose; pure (the clock can be fixed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from sapkcheck.checks.nip import check_nip
from sapkcheck.i18n import Lang
from sapkcheck.report import CheckReport, ProfileValues

if TYPE_CHECKING:
    from sapkcheck.profile import Profile


def run_check(
    *,
    lang: Lang,
    nip: str | None = None,
    email: str | None = None,
    registered: str | None = None,
    hint: str | None = None,
    token: str | None = None,
    message: str | None = None,
    online: bool = False,
    profile: Profile | None = None,
    today: date | None = None,
) -> CheckReport:
    report = CheckReport(lang=lang, context=ProfileValues(profile, lang))
    if nip is not None:
        report.nip = check_nip(nip, today=today)
    if email is not None:
        # Imported here: email checks cost start-up time a NIP-only check need not pay.
        from sapkcheck.checks.email import check_email

        report.email = check_email(email, registered=registered, hint=hint, online=online)
    if token is not None:
        from sapkcheck.checks.token import check_token

        report.token = check_token(token)
    from sapkcheck.diagnosis import build_remedies, rank_remedies, recognize_message

    message_faq = None
    if message is not None:
        report.message, recognized = recognize_message(message, lang)
        report.message_findings.append(recognized)
        message_faq = report.message.faq
    ranked = rank_remedies(report.findings, message_faq)
    if message_faq is not None and message_faq not in ranked:
        # The message names a cause the checks have ruled out: say so.
        report.message_findings[-1] = replace(
            report.message_findings[-1], detail="not-the-cause", faq=None
        )
    report.remedies = build_remedies(ranked, lang, report.context)
    return report
