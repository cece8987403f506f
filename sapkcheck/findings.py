"""The one problem type every check returns, and the registry of finding codes.

Checks hold no prose: a finding carries a stable code and parameters; the
message catalog turns it into sentences (see ``sapkcheck.catalog``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

ParamValue = str | int | float | None


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


# Result types are plain (not frozen) slotted dataclasses: batch mode creates millions,
# and a frozen dataclass costs several times more to construct. Treat them as read-only.
@dataclass(slots=True)
class Finding:
    """One problem (or notable fact) about one field of the user's input.

    ``span`` holds (start, end) offsets into the value *as typed*, end exclusive.
    ``detail`` selects a variant sentence of the code's message in the catalog
    (e.g. why a birth date is impossible); ``params`` fill its placeholders.
    """

    code: str
    severity: Severity
    field: str
    params: Mapping[str, ParamValue] = dataclasses.field(default_factory=dict)
    span: tuple[int, int] | None = None
    faq: str | None = None
    detail: str | None = None


def has_error(findings: Iterable[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, keeping check order (field, then position) otherwise."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity])


# --- the registry of codes: stable names, default severity, field and FAQ entry.
# Codes are a public contract (JSON output, ``explain``): add new ones, never rename.
# Their prose lives in the message catalogs, keyed by the same names.

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


class CodeSpec(NamedTuple):
    code: str
    severity: Severity
    field: str
    faq: str | None = None


_SPECS = (
    # NIP
    CodeSpec("nip-missing", ERROR, "nip"),
    CodeSpec("nip-invalid-chars", ERROR, "nip"),
    CodeSpec("nip-lookalike-digits", ERROR, "nip"),
    CodeSpec("nip-separators", INFO, "nip"),
    CodeSpec("nip-old-format", ERROR, "nip", "nip-lama"),
    CodeSpec("nip-excel-damaged", ERROR, "nip", "nip-excel"),
    CodeSpec("nip-length", ERROR, "nip"),
    CodeSpec("nip-birth-date", ERROR, "nip"),
    CodeSpec("nip-appointment", ERROR, "nip"),
    CodeSpec("nip-sex", ERROR, "nip"),
    CodeSpec("nip-serial", ERROR, "nip"),
    CodeSpec("nip-age", WARNING, "nip"),
    # Email
    CodeSpec("email-missing", ERROR, "email"),
    CodeSpec("email-leading-space", ERROR, "email", "operasi-gagal"),
    CodeSpec("email-trailing-space", ERROR, "email", "operasi-gagal"),
    CodeSpec("email-inner-space", ERROR, "email", "operasi-gagal"),
    CodeSpec("email-invisible-char", ERROR, "email", "operasi-gagal"),
    CodeSpec("email-wrapper", ERROR, "email", "operasi-gagal"),
    CodeSpec("email-confusable", ERROR, "email"),
    CodeSpec("email-syntax", ERROR, "email"),
    CodeSpec("email-domain-typo", WARNING, "email"),
    CodeSpec("email-uppercase", INFO, "email"),
    CodeSpec("email-mismatch", ERROR, "email", "email-tidak-sesuai"),
    CodeSpec("email-case-differs", WARNING, "email", "email-tidak-sesuai"),
    CodeSpec("email-matches-registered", INFO, "email"),
    CodeSpec("email-hint-mismatch", ERROR, "email", "email-tidak-sesuai"),
    CodeSpec("email-hint-match", INFO, "email"),
    CodeSpec("email-undeliverable", WARNING, "email"),
    CodeSpec("email-dns-unreachable", INFO, "email"),
    # Password (sapkcheck password)
    CodeSpec("password-too-short", ERROR, "password", "syarat-password"),
    CodeSpec("password-no-uppercase", ERROR, "password", "syarat-password"),
    CodeSpec("password-no-lowercase", ERROR, "password", "syarat-password"),
    CodeSpec("password-no-letter", ERROR, "password", "syarat-password"),
    CodeSpec("password-no-digit", ERROR, "password", "syarat-password"),
    CodeSpec("password-no-symbol", ERROR, "password", "syarat-password"),
    CodeSpec("password-whitespace", ERROR, "password", "syarat-password"),
    CodeSpec("password-invisible-char", ERROR, "password", "syarat-password"),
    CodeSpec("password-inner-space", ERROR, "password", "syarat-password"),
    CodeSpec("password-non-ascii", WARNING, "password", "syarat-password"),
    # Token
    CodeSpec("token-missing", ERROR, "token", "token-tidak-diterima"),
    CodeSpec("token-whitespace", ERROR, "token", "token-salah"),
    CodeSpec("token-invisible-char", ERROR, "token", "token-salah"),
    CodeSpec("token-confusable", ERROR, "token", "token-salah"),
    CodeSpec("token-punctuation", ERROR, "token", "token-salah"),
    CodeSpec("token-authenticator-code", INFO, "token", "mfa-kode-salah"),
    CodeSpec("token-reset-code", INFO, "token", "token-salah"),
    CodeSpec("token-wrong-source", WARNING, "token", "mfa-kode-salah"),
    # Batch: across rows of an export
    CodeSpec("row-duplicate-nip", ERROR, "nip"),
    CodeSpec("row-duplicate-email", WARNING, "email", "token-tidak-diterima"),
    CodeSpec("row-empty", INFO, "row"),
    CodeSpec("row-too-many-columns", WARNING, "row"),
    CodeSpec("row-bad-encoding", ERROR, "row"),
    CodeSpec("row-not-in-registered", WARNING, "nip"),  # batch --registered-file
    # The message the user saw (check --message)
    CodeSpec("message-recognized", INFO, "message"),
    CodeSpec("message-unknown", WARNING, "message"),
    CodeSpec("message-values", INFO, "message"),
    CodeSpec("message-use-laptop", WARNING, "message", "portal-mana"),
    # hard-batch: bounded work (sapkcheck.limits): a value too long to examine, and the one
    # "and N more" finding that stands for the findings of a kind past the cap.
    CodeSpec("nip-too-long", ERROR, "nip"),
    CodeSpec("nip-more-findings", ERROR, "nip"),
    CodeSpec("email-too-long", ERROR, "email"),
    CodeSpec("email-more-findings", ERROR, "email"),
    CodeSpec("token-too-long", ERROR, "token"),
    CodeSpec("token-more-findings", ERROR, "token"),
)

CODES: dict[str, CodeSpec] = {spec.code: spec for spec in _SPECS}

# Finding parameters that quote what a person typed: ``--mask`` hides them. Every parameter
# of every code is classified here or in NON_PERSONAL_PARAMS (a test holds the catalogs to it).
PERSONAL_PARAMS: frozenset[str] = frozenset(
    {
        "chars",
        "value",
        "normalized",
        "ascii",
        "typed",
        "registered",
        "suggestion",
        "local",
        "lowered",
        "address",
        "part",
        "email",
        "nip",
        "found",
        "label",
        "domain_part",
    }
)

# Pieces of a NIP (birth date, TMT, age) and of an email (what the hint comparison quotes)
# identify a person too.
PERSONAL_PARAMS |= frozenset(
    {"appointed", "date", "day", "month", "year", "age", "first_year"}
    | {"yours", "expected", "hint"}
)
# Counts, positions, character names, the domain (a masked email keeps it too) and catalog
# values: they identify nobody.
NON_PERSONAL_PARAMS: frozenset[str] = frozenset(
    {"cells", "char", "codepoint", "count", "difference", "digits", "end", "entry", "first_row"}
    | {"domain", "typed_domain", "registered_domain", "removed"}
    | {"helpdesk", "leading", "length", "maximum", "minimum", "name", "names", "position"}
    | {"reason", "score", "title", "trailing", "fields"}
    | {"kind"}  # hard-batch: a finding code
    | {"codepoints", "positions"}  # i12c: characters as U+XXXX (named at render), positions
    | {"byte", "column"}  # i14c: row-bad-encoding (a byte's value, a header's name)
)


def more_findings(code: str, hidden: int) -> Finding:
    """The one finding that stands for ``hidden`` more findings of ``code`` past the cap
    (``sapkcheck.limits.MAX_FINDINGS_PER_KIND``): same severity and FAQ entry as ``code``."""
    spec = CODES[code]
    return make_finding(
        f"{spec.field}-more-findings",
        severity=spec.severity,
        faq=spec.faq,
        kind=code,
        count=hidden,
    )


def make_finding(
    code: str,
    *,
    span: tuple[int, int] | None = None,
    detail: str | None = None,
    severity: Severity | None = None,
    extra: Mapping[str, ParamValue] | None = None,
    faq: str | None = None,
    **params: ParamValue,
) -> Finding:
    """A finding of ``code`` with the registry's severity, field and FAQ entry;
    ``extra`` holds parameters computed elsewhere (merged with ``params``)."""
    spec = CODES[code]
    return Finding(
        code=code,
        severity=severity or spec.severity,
        field=spec.field,
        params={**extra, **params} if extra else params,
        span=span,
        faq=faq or spec.faq,
        detail=detail,
    )
