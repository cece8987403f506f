"""Output of ``sapkcheck password``: findings only; the password itself is never shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from sapkcheck.diagnosis import build_remedies
from sapkcheck.findings import Finding, has_error, sort_findings
from sapkcheck.knowledge.i18n import Catalog, Lang
from sapkcheck.knowledge.policies import PasswordPolicy
from sapkcheck.knowledge.profile import Profile
from sapkcheck.render.console import print_indented, symbols_for
from sapkcheck.render.json_out import SCHEMA_VERSION, finding_dict


def rule_context(profile: Profile, policy: PasswordPolicy, lang: Lang) -> dict[str, str]:
    """Profile values, with the password rule of the policy actually checked."""
    return {
        **profile.placeholders(lang),
        "app_name": policy.app,
        "password_rule": policy.describe(lang),
        "password_min_length": str(policy.min_length),
    }


def _faqs(findings: Sequence[Finding]) -> list[str]:
    return list(dict.fromkeys(f.faq for f in findings if f.faq))


def password_document(
    findings: Sequence[Finding], policy: PasswordPolicy, profile: Profile, text: Catalog
) -> dict[str, Any]:
    context = rule_context(profile, policy, text.lang)
    remedies = build_remedies(_faqs(findings), text.lang, context)
    return {
        "schema_version": SCHEMA_VERSION,
        "status": "fail" if has_error(findings) else "ok",
        "lang": text.lang,
        "password": {"policy": policy.name, "rule": policy.describe(text.lang)},
        "findings": [finding_dict(f, text, context) for f in sort_findings(findings)],
        "remedies": [
            {"faq": r.faq, "title": r.title, "steps": list(r.steps), "links": list(r.links)}
            for r in remedies
        ],
    }


def render_password(
    findings: Sequence[Finding],
    policy: PasswordPolicy,
    profile: Profile,
    text: Catalog,
    console: Console,
) -> None:
    from sapkcheck.render.text import render_findings

    marks = symbols_for(console.file)  # type: ignore[arg-type]
    failed = has_error(findings)
    line = Text(f"{marks.error if failed else marks.ok} ", "bold red" if failed else "bold green")
    line.append(text.ui("field-password"), "bold")
    line.append("  " + text.ui("password-rule", app=policy.app, rule=policy.describe(text.lang)))
    print_indented(console, line, 0)
    context = rule_context(profile, policy, text.lang)
    render_findings(console, sort_findings(findings), text, marks, indent=2, context=context)
    summary = text.ui("password-fail" if failed else "password-ok")
    console.print()
    console.print(Text(f"{marks.error if failed else marks.ok} {summary}"))
