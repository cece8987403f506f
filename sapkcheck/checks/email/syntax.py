"""Syntax through email-validator, with the common reasons named in our own terms.

email-validator decides; when it rejects an address, ``explain_rejection`` finds the
common cause (missing @, two @, no dot in the domain, ...) so the catalog can say it
in the user's language. Anything else is carried verbatim. No DNS unless asked.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email

from sapkcheck.checks.email.fast import fast_normalize
from sapkcheck.findings import ParamValue

MAX_ADDRESS = 254
MAX_LOCAL = 64
MAX_LABEL = 63
# Longer input is rejected without handing it to email-validator.
_VALIDATOR_LIMIT = 1024
_ATEXT = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~.")
_DOMAIN_CHARS = frozenset(string.ascii_lowercase + string.digits + "-.")


@dataclass(slots=True)
class SyntaxVerdict:
    normalized: str | None
    domain: str | None
    detail: str | None = None  # a catalog variant of email-syntax, None: carry `reason`
    params: dict[str, ParamValue] | None = None
    reason: str = ""  # email-validator's own words

    @property
    def valid(self) -> bool:
        return self.normalized is not None


def check_syntax(address: str) -> SyntaxVerdict:
    fast = fast_normalize(address)
    if fast is not None:
        # Proven identical to email-validator's verdict (tests/test_email_fast.py).
        return SyntaxVerdict(fast[0], fast[1])
    if len(address) > _VALIDATOR_LIMIT:
        detail, params = explain_rejection(address)
        return SyntaxVerdict(None, None, detail, params)
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as error:
        detail, params = explain_rejection(address)
        return SyntaxVerdict(None, None, detail, params, str(error))
    return SyntaxVerdict(valid.normalized, valid.ascii_domain or valid.domain)


def explain_rejection(address: str) -> tuple[str | None, dict[str, ParamValue]]:
    """The common reason an address is invalid, as (detail, params); (None, {}) if unsure."""
    if len(address) > MAX_ADDRESS:
        return "too-long", {"length": len(address), "maximum": MAX_ADDRESS}
    ats = address.count("@")
    if ats == 0:
        return "no-at", {}
    if ats > 1:
        return "many-at", {"count": ats}
    local, domain = address.split("@")
    if not local:
        return "empty-local", {}
    if not domain:
        return "empty-domain", {}
    if len(local) > MAX_LOCAL:
        return "local-too-long", {"length": len(local), "maximum": MAX_LOCAL}
    for part, where in ((local, "local"), (domain, "domain")):
        if ".." in part:
            return "consecutive-dots", {"part": part}
        if part.startswith(".") or part.endswith("."):
            return f"{where}-dot", {"part": part}
    lowered = domain.lower()
    if "." not in domain:
        return "no-dot-domain", {"domain": domain}
    for label in lowered.split("."):
        if len(label) > MAX_LABEL:
            return "label-too-long", {"label": label[:20] + "…", "maximum": MAX_LABEL}
        if label.startswith("-") or label.endswith("-"):
            return "domain-hyphen", {"label": label}
    if domain.isascii():
        bad = next((ch for ch in lowered if ch not in _DOMAIN_CHARS), None)
        if bad is not None:
            return "domain-chars", {"char": bad}
    if local.isascii():
        bad = next((ch for ch in local if ch not in _ATEXT), None)
        if bad is not None:
            return "local-chars", {"char": bad}
    return None, {}
