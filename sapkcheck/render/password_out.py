"""Output of ``sapkcheck password``: findings and remedies; the password itself is never shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.text import Text

from sapkcheck.diagnosis import PasswordReport
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.console import print_indented, symbols_for
from sapkcheck.render.context import describe_policy, remedy_texts
from sapkcheck.render.json_out import SCHEMA_VERSION, finding_dict, remedy_dict


def password_document(
    report: PasswordReport, text: Catalog, context: Mapping[str, str]
) -> dict[str, Any]:
    policy = report.policy
    return {
        "schema_version": SCHEMA_VERSION,
        "status": "fail" if report.failed else "ok",
        "lang": text.lang,
        "password": {"policy": policy.name, "rule": describe_policy(policy, text)},
        "findings": [finding_dict(f, text, context) for f in report.findings],
        "remedies": [remedy_dict(r) for r in remedy_texts(report.remedies, text, context)],
    }


def render_password(
    report: PasswordReport, text: Catalog, context: Mapping[str, str], console: Console
) -> None:
    from sapkcheck.render.text import render_findings, render_remedies

    marks = symbols_for(console.file)  # type: ignore[arg-type]
    failed, policy = report.failed, report.policy
    line = Text(f"{marks.error if failed else marks.ok} ", "bold red" if failed else "bold green")
    line.append(text.ui("field-password"), "bold")
    line.append("  " + text.ui("password-rule", app=policy.app, rule=describe_policy(policy, text)))
    print_indented(console, line, 0)
    render_findings(console, report.findings, text, marks, indent=2, context=context)
    render_remedies(
        remedy_texts(report.remedies, text, context),
        text,
        console,
        context.get("profile_note", ""),
    )
    summary = text.ui("password-fail" if failed else "password-ok")
    console.print()
    console.print(Text(f"{marks.error if failed else marks.ok} {summary}"))
