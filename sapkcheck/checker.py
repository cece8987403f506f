"""Run the checks a ``check`` invocation asks for; pure (the clock can be fixed)."""

from __future__ import annotations

from datetime import date

from sapkcheck.checks.nip import check_nip
from sapkcheck.i18n import Lang
from sapkcheck.report import CheckReport


def run_check(
    *,
    lang: Lang,
    nip: str | None = None,
    email: str | None = None,
    registered: str | None = None,
    hint: str | None = None,
    online: bool = False,
    today: date | None = None,
) -> CheckReport:
    report = CheckReport(lang=lang)
    if nip is not None:
        report.nip = check_nip(nip, today=today)
    if email is not None:
        # Imported here: email-validator costs start-up time a NIP-only check need not pay.
        from sapkcheck.checks.email import check_email

        report.email = check_email(email, registered=registered, hint=hint, online=online)
    return report
