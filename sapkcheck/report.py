"""What one ``check`` run found: the results of each field's checks, in one place."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sapkcheck.findings import Finding, has_error, sort_findings
from sapkcheck.i18n import Lang

if TYPE_CHECKING:
    from sapkcheck.checks.email import EmailResult
    from sapkcheck.checks.nip import NipResult
    from sapkcheck.checks.token import TokenResult
    from sapkcheck.diagnosis import MessageInfo, Remedy
    from sapkcheck.profile import Profile


@dataclass(slots=True)
class CheckReport:
    lang: Lang
    nip: NipResult | None = None
    email: EmailResult | None = None
    token: TokenResult | None = None
    message: MessageInfo | None = None
    message_findings: list[Finding] = field(default_factory=list)
    remedies: list[Remedy] = field(default_factory=list)
    # Values for catalog placeholders that come from the region profile ({helpdesk}, ...).
    context: Mapping[str, str] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        found: list[Finding] = []
        for result in (self.nip, self.email, self.token):
            if result is not None:
                found.extend(result.findings)
        found.extend(self.message_findings)
        return sort_findings(found)

    @property
    def failed(self) -> bool:
        return has_error(self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0


class ProfileValues(Mapping[str, str]):
    """A profile's placeholder values, loaded on first use: most checks never need them,
    and a command run once per question should not parse files it does not use."""

    def __init__(self, profile: Profile | None, lang: Lang = "id") -> None:
        self._profile, self._lang = profile, lang
        self._values: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._values is None:
            from sapkcheck.profile import load_profile

            self._values = (self._profile or load_profile()).placeholders(self._lang)
        return self._values

    def __getitem__(self, key: str) -> str:
        return self._loaded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())
