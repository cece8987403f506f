"""The machine-readable output: a documented JSON contract (``schema_version`` 1).

See README.md, "JSON output". Keys may be added in later versions; none changes meaning.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # types only: importing the email checks costs start-up time
    from sapkcheck.checks.email.check import EmailInfo
    from sapkcheck.checks.nip import CleanNip, NipInfo
    from sapkcheck.diagnosis import CheckReport
    from sapkcheck.findings import Finding
    from sapkcheck.knowledge.i18n import Catalog
    from sapkcheck.render.context import RemedyText

SCHEMA_VERSION = 1


def finding_dict(
    finding: Finding, text: Catalog, context: Mapping[str, str] | None = None
) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": str(finding.severity),
        "field": finding.field,
        "message": text.message(finding, context),
        "remedy": text.remedy(finding, context),
        "faq": finding.faq,
        "span": list(finding.span) if finding.span else None,
    }


def remedy_dict(remedy: RemedyText) -> dict[str, Any]:
    return {
        "faq": remedy.faq,
        "title": remedy.title,
        "steps": list(remedy.steps),
        "links": list(remedy.links),
    }


def nip_dict(info: NipInfo) -> dict[str, Any]:
    return {
        "input": info.input,
        "normalized": info.normalized,
        "kind": info.kind,
        "birth_date": info.birth_date.isoformat() if info.birth_date else None,
        "appointed": info.appointed,
        "sex": info.sex,
        "serial": info.serial,
        "contract": info.contract,
    }


def email_dict(info: EmailInfo) -> dict[str, Any]:
    return {
        "input": info.input,
        "normalized": info.normalized,
        "domain": info.domain,
        "suggestions": list(info.suggestions),
        "registered": info.registered,
        "hint": info.hint,
    }


def check_document(
    report: CheckReport, text: Catalog, context: Mapping[str, str]
) -> dict[str, Any]:
    from sapkcheck.render.context import remedy_texts

    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "status": "fail" if report.failed else "ok",
        "lang": text.lang,
    }
    if report.nip is not None:
        document["nip"] = nip_dict(report.nip.info)
    if report.email is not None:
        document["email"] = email_dict(report.email.info)
    if report.token is not None:
        document["token"] = {
            "input": report.token.info.input,
            "normalized": report.token.info.normalized,
            "kind": report.token.info.kind,
        }
    if report.message is not None:
        document["message"] = {
            "input": report.message.input,
            "faq": report.message.faq,
            "maybe": list(report.message.maybe),
            "quoted": report.message.quoted,
        }
    document["findings"] = [finding_dict(f, text, context) for f in report.findings]
    remedies = remedy_texts(report.remedies, text, context)
    document["remedies"] = [remedy_dict(r) for r in remedies]
    return document


# The batch formats write a JSON object per row: the functions below give the exact text of
# ``json.dumps(nip_dict(info))`` and the like (default separators) without building dicts
# or an encoder per row, which is most of a clean row's cost. Their keys follow the dict
# shapes above (tests/batch/test_record_text.py holds them equal).
Quote = Callable[[str], str]


def quote_for(ascii_only: bool) -> Quote:
    """A JSON string literal of a str, as ``json.dumps(ensure_ascii=ascii_only)`` writes it."""
    return encode_basestring_ascii if ascii_only else encode_basestring


def _text_or_null(value: str | None, quote: Quote) -> str:
    return "null" if value is None else quote(value)


def nip_json(info: NipInfo, quote: Quote) -> str:
    """``json.dumps(nip_dict(info))``, byte for byte."""
    birth = info.birth_date.isoformat() if info.birth_date else None
    normalized, kind, appointed = info.normalized, info.kind, info.appointed
    sex, serial, contract = info.sex, info.serial, info.contract
    return (
        f'{{"input": {quote(info.input)}, '
        f'"normalized": {"null" if normalized is None else quote(normalized)}, '
        f'"kind": {"null" if kind is None else quote(kind)}, '
        f'"birth_date": {"null" if birth is None else quote(birth)}, '
        f'"appointed": {"null" if appointed is None else quote(appointed)}, '
        f'"sex": {"null" if sex is None else quote(sex)}, '
        f'"serial": {"null" if serial is None else quote(serial)}, '
        f'"contract": {"null" if contract is None else int(contract)}}}'
    )


def email_json(info: EmailInfo, quote: Quote) -> str:
    """``json.dumps(email_dict(info))``, byte for byte."""
    normalized, domain, registered, hint = info.normalized, info.domain, info.registered, info.hint
    return (
        f'{{"input": {quote(info.input)}, '
        f'"normalized": {"null" if normalized is None else quote(normalized)}, '
        f'"domain": {"null" if domain is None else quote(domain)}, '
        f'"suggestions": [{", ".join(map(quote, info.suggestions))}], '
        f'"registered": {"null" if registered is None else quote(registered)}, '
        f'"hint": {"null" if hint is None else quote(hint)}}}'
    )


def clean_nip_json(digits: str, parts: CleanNip) -> str:
    """:func:`nip_json` of a NIP without a finding (18 ASCII digits, every part decoded):
    none of its values needs escaping, in either quoting."""
    contract = "null" if parts.contract is None else int(parts.contract)
    return (
        f'{{"input": "{digits}", "normalized": "{digits}", "kind": "{parts.kind}", '
        f'"birth_date": "{parts.birth_iso}", "appointed": "{parts.appointed}", '
        f'"sex": "{parts.sex}", "serial": "{digits[15:]}", "contract": {contract}}}'
    )


def clean_email_json(email: str, normalized: str, domain: str, registered: str | None) -> str:
    """:func:`email_json` of a plain address (``checks.email.check.plain_verdict``): its
    characters (letters, digits, ``_+-.@``) need no escaping, in either quoting."""
    on_record = "null" if registered is None else f'"{registered}"'
    return (
        f'{{"input": "{email}", "normalized": "{normalized}", "domain": "{domain}", '
        f'"suggestions": [], "registered": {on_record}, "hint": null}}'
    )


def finding_json(
    finding: Finding, text: Catalog, context: Mapping[str, str] | None, quote: Quote
) -> str:
    """``json.dumps(finding_dict(finding, text, context))``, byte for byte."""
    span = f"[{int(finding.span[0])}, {int(finding.span[1])}]" if finding.span else "null"
    return (
        f'{{"code": {quote(finding.code)}, "severity": {quote(str(finding.severity))}, '
        f'"field": {quote(finding.field)}, "message": {quote(text.message(finding, context))}, '
        f'"remedy": {_text_or_null(text.remedy(finding, context), quote)}, '
        f'"faq": {_text_or_null(finding.faq, quote)}, "span": {span}}}'
    )


def write_json(document: Any, stream: TextIO | None = None) -> None:
    """One JSON document and a newline; ASCII escapes where the stream is not UTF."""
    stream = stream or sys.stdout
    from sapkcheck.render.console import is_utf

    stream.write(json.dumps(document, ensure_ascii=not is_utf(stream), indent=2) + "\n")
    stream.flush()
