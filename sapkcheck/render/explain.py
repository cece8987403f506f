"""``sapkcheck explain``: the catalog's description of finding codes, for people and programs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sapkcheck.findings import CODES
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.console import Screen, print_indented
from sapkcheck.render.json_out import SCHEMA_VERSION
from sapkcheck.render.styled import Styled


def code_dict(code: str, text: Catalog) -> dict[str, Any]:
    spec = CODES[code]
    entry = text.code(code)
    return {
        "code": code,
        "severity": str(spec.severity),
        "field": spec.field,
        "faq": spec.faq,
        "title": entry.title,
        "why": entry.why,
        "remedy": entry.remedy,
        "message": entry.message,
        "variants": dict(entry.details),
    }


def explain_document(codes: Sequence[str], text: Catalog) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "lang": text.lang,
        "codes": [code_dict(code, text) for code in codes],
    }


def render_explain(codes: Sequence[str], text: Catalog, console: Screen, *, listing: bool) -> None:
    if listing:
        console.print(Styled(text.ui("explain-list-title"), "bold"))
        width = max(len(code) for code in codes)
        for code in codes:
            line = Styled("  ")
            line.append(code.ljust(width), "bold")
            line.append(f"  {text.ui('severity-' + CODES[code].severity)}: ", "dim")
            line.append(text.code(code).title)
            console.print(line)
        return
    for code in codes:
        spec, entry = CODES[code], text.code(code)
        console.print(Styled(f"{code}: {entry.title}", "bold"))
        rows = [
            ("explain-severity", text.ui("severity-" + spec.severity)),
            ("explain-field", text.ui("field-" + spec.field)),
            ("explain-why", entry.why),
            ("explain-fix", entry.remedy),
        ]
        if spec.faq:
            rows.append(("explain-faq", spec.faq))
        for key, value in rows:
            line = Styled(f"{text.ui(key)}: ", "bold")
            line.append(value)
            print_indented(console, line, 2)
