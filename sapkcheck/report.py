"""What one ``check`` run found: the results of each field's checks, in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from sapkcheck.checks.email import EmailResult
from sapkcheck.checks.nip import NipResult
from sapkcheck.findings import Finding, has_error, sort_findings
from sapkcheck.i18n import Lang


@dataclass(slots=True)
class CheckReport:
    lang: Lang
    nip: NipResult | None = None
    email: EmailResult | None = None
    extra_findings: list[Finding] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        if self.nip is not None:
            found.extend(self.nip.findings)
        if self.email is not None:
            found.extend(self.email.findings)
        found.extend(self.extra_findings)
        return sort_findings(found)

    @property
    def failed(self) -> bool:
        return has_error(self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0
