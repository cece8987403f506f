"""Run the checks a ``check`` invocation asks for; pure (the clock can be fixed)."""

from __future__ import annotations

from datetime import date

from sapkcheck.checks.nip import check_nip
from sapkcheck.i18n import Lang
from sapkcheck.report import CheckReport


def run_check(*, lang: Lang, nip: str | None = None, today: date | None = None) -> CheckReport:
    report = CheckReport(lang=lang)
    if nip is not None:
        report.nip = check_nip(nip, today=today)
    return report
