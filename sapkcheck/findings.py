"""The one problem type every check returns.

Checks hold no prose: a finding carries a stable code and parameters; the
message catalog turns it into sentences (see ``sapkcheck.catalog``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

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
