"""The registry of finding codes: stable names, default severity, field and FAQ entry.

Codes are a public contract (JSON output, ``explain``): add new ones, never rename.
Their prose lives in the message catalogs, keyed by the same names.
"""

from __future__ import annotations

from dataclasses import dataclass

from sapkcheck.findings import Finding, ParamValue, Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True, slots=True)
class CodeSpec:
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
)

CODES: dict[str, CodeSpec] = {spec.code: spec for spec in _SPECS}


def make_finding(
    code: str,
    *,
    span: tuple[int, int] | None = None,
    detail: str | None = None,
    severity: Severity | None = None,
    **params: ParamValue,
) -> Finding:
    spec = CODES[code]
    return Finding(
        code=code,
        severity=severity or spec.severity,
        field=spec.field,
        params=params,
        span=span,
        faq=spec.faq,
        detail=detail,
    )
