"""The human-readable, doctor-style report: one line per field, each problem with its remedy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from sapkcheck.diagnosis import CheckReport
from sapkcheck.findings import Finding, Severity, sort_findings
from sapkcheck.knowledge.i18n import Catalog
from sapkcheck.render.console import Screen, Symbols, print_indented, symbols_for
from sapkcheck.render.styled import Styled

if TYPE_CHECKING:
    from sapkcheck.checks.email.check import EmailResult
    from sapkcheck.checks.nip import NipInfo
    from sapkcheck.render.context import RemedyText

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
_FAULT_STYLE = "bold red reverse"
_MAX_SHOWN = 200


class FieldView(NamedTuple):
    """One field as the report shows it."""

    field: str
    value: str
    description: str | None
    findings: Sequence[Finding]


def visible(value: str, spans: Sequence[tuple[int, int]], marks: Symbols) -> Styled:
    """The value as typed, with whitespace and invisible characters made visible and
    the characters at fault highlighted (the highlight shows on a colour terminal)."""
    if not spans and _nothing_to_show(value):
        return Styled(value)  # nothing to show or highlight (most values of a report)
    shown = Styled()
    for piece, style in _visible_pieces(value, spans, marks):
        shown.append(piece, style)
    return shown


def visible_plain(value: str, marks: Symbols) -> str:
    """:func:`visible`'s text without styles (a plain report: a file, a pipe)."""
    if _nothing_to_show(value):
        return value
    return "".join([piece for piece, _ in _visible_pieces(value, (), marks)])


def _nothing_to_show(value: str) -> bool:
    return len(value) <= _MAX_SHOWN and value.isprintable() and " " not in value


def _visible_pieces(
    value: str, spans: Sequence[tuple[int, int]], marks: Symbols
) -> list[tuple[str, str]]:
    faulty = [False] * min(len(value), _MAX_SHOWN)
    for start, end in spans:
        for i in range(max(start, 0), min(end, len(faulty))):
            faulty[i] = True
    pieces: list[tuple[str, str]] = []
    for i, ch in enumerate(value[:_MAX_SHOWN]):
        style = _FAULT_STYLE if faulty[i] else ""
        if ch == " ":
            pieces.append((marks.space, style))
        elif not ch.isprintable() or ch.isspace():
            pieces.append((marks.invisible(ord(ch)), style or "dim"))
        else:
            pieces.append((ch, style))
    if len(value) > _MAX_SHOWN:
        pieces.append((f"{marks.ellipsis} (+{len(value) - _MAX_SHOWN})", "dim"))
    return pieces


def _mark(findings: Sequence[Finding], marks: Symbols) -> Styled:
    severities = {f.severity for f in findings}
    if Severity.ERROR in severities:
        return Styled(marks.error, _SEVERITY_STYLE[Severity.ERROR])
    if Severity.WARNING in severities:
        return Styled(marks.warning, _SEVERITY_STYLE[Severity.WARNING])
    return Styled(marks.ok, "bold green")


def describe_nip(info: NipInfo, text: Catalog) -> str | None:
    if info.normalized is None:
        return None
    if info.kind == "old":
        return text.ui("nip-decoded-old", kind=text.ui("kind-old"))
    unknown = text.ui("unknown")
    if info.kind is None:
        return text.ui("nip-decoded-partial", normalized=info.normalized)
    values = {
        "kind": text.ui(f"kind-{info.kind}"),
        "birth_date": info.birth_date.isoformat() if info.birth_date else unknown,
        "appointed": info.appointed or unknown,
        "sex": text.ui(f"sex-{info.sex}") if info.sex else unknown,
        "serial": info.serial or unknown,
        "contract": info.contract if info.contract is not None else unknown,
    }
    return text.ui(f"nip-decoded-{info.kind}", **values)


def describe_email(result: EmailResult, text: Catalog) -> str | None:
    parts: list[str] = []
    if result.cleaned and result.cleaned != result.info.input:
        parts.append(text.ui("email-read-as", address=result.cleaned))
    if result.info.suggestions:
        parts.append(text.ui("email-suggestions", suggestions=", ".join(result.info.suggestions)))
    return "; ".join(parts) or None


def field_views(report: CheckReport, text: Catalog) -> list[FieldView]:
    views: list[FieldView] = []
    if report.nip is not None:
        info = report.nip.info
        views.append(FieldView("nip", info.input, describe_nip(info, text), report.nip.findings))
    if report.email is not None:
        result = report.email
        views.append(
            FieldView("email", result.info.input, describe_email(result, text), result.findings)
        )
    if report.token is not None:
        views.append(FieldView("token", report.token.info.input, None, report.token.findings))
    if report.message is not None:
        views.append(FieldView("message", report.message.input, None, report.message_findings))
    # What the guide's answers added: under their field; the password typed is never shown.
    added: dict[str, list[Finding]] = {}
    for finding in report.answer_findings:
        added.setdefault(finding.field, []).append(finding)
    views = [
        view._replace(findings=[*view.findings, *added.pop(view.field)])
        if view.field in added
        else view
        for view in views
    ]
    views.extend(FieldView(name, "", None, found) for name, found in added.items())
    return views


def render_findings(
    console: Screen,
    findings: Sequence[Finding],
    text: Catalog,
    marks: Symbols,
    indent: int,
    context: Mapping[str, str] | None = None,
) -> None:
    for finding in findings:
        style = _SEVERITY_STYLE[finding.severity]
        mark = {Severity.ERROR: marks.error, Severity.WARNING: marks.warning}.get(
            finding.severity, marks.info
        )
        line = Styled()
        line.append(f"{mark} ", style)
        line.append(f"[{finding.code}] ", style)
        line.append(text.message(finding, context))
        print_indented(console, line, indent)
        # Info findings are one line; their remedy stays in JSON (a clean check is short).
        remedy = text.remedy(finding, context) if finding.severity is not Severity.INFO else None
        if remedy:
            hint = Styled()
            hint.append(f"{marks.arrow} ", "green")
            hint.append(remedy)
            if finding.faq:
                hint.append(f" ({text.ui('faq-prefix')}: {finding.faq})", "dim")
            print_indented(console, hint, indent + 2)


def render_remedies(
    remedies: Sequence[RemedyText], text: Catalog, console: Screen, note: str = ""
) -> None:
    """The most relevant FAQ remedy with its steps (region values filled in); the next
    likely ones by title only, with the command that shows their steps (JSON has all);
    ``note`` (the built-in profile's line) after them."""
    if not remedies:
        return
    first, others = remedies[0], remedies[1:]
    console.print()
    heading = Styled(text.ui("remedies-title"), "bold")
    heading.append(f" {first.title} ", "bold")
    heading.append(f"({text.ui('faq-prefix')}: {first.faq})", "dim")
    console.print(heading)
    for number, step in enumerate(first.steps, start=1):
        print_indented(console, Styled(f"{number}. {step}"), 2)
    for link in first.links:
        print_indented(console, Styled(link, "underline"), 2)
    if others:
        console.print()
        console.print(Styled(text.ui("remedies-also"), "bold"))
        for remedy in others:
            line = Styled(f"- {remedy.title} ")
            line.append(f"({text.ui('faq-prefix')}: {remedy.faq})", "dim")
            print_indented(console, line, 2)
        print_indented(console, Styled(text.ui("remedies-more", faq=others[0].faq), "dim"), 2)
    if note:
        print_indented(console, Styled(note, "dim"), 2)


def render_maybe(faq_ids: Sequence[str], text: Catalog, console: Screen) -> None:
    """The nearest FAQ entries when the message named none: titles only, to choose from."""
    from sapkcheck.knowledge.faq import get_entry

    console.print()
    console.print(Styled(text.ui("maybe-title"), "bold"))
    for faq_id in faq_ids:
        line = Styled(f"- {get_entry(faq_id).text(text.lang).title} ")
        line.append(f"({text.ui('faq-prefix')}: {faq_id})", "dim")
        print_indented(console, line, 2)


def render_check(
    report: CheckReport, text: Catalog, context: Mapping[str, str], console: Screen
) -> None:
    from sapkcheck.render.context import remedy_texts

    marks = symbols_for(console.file)  # type: ignore[arg-type]
    views = field_views(report, text)
    width = max((len(text.ui(f"field-{v.field}")) for v in views), default=0)
    for view in views:
        line = Styled()
        line.append_text(_mark(view.findings, marks))
        line.append(" " + text.ui(f"field-{view.field}").ljust(width) + "  ", "bold")
        spans = [f.span for f in view.findings if f.span and f.severity is not Severity.INFO]
        line.append_text(visible(view.value, spans, marks))
        console.print(line)
        if view.description:
            print_indented(console, Styled(view.description, "dim"), width + 4)
        render_findings(
            console, sort_findings(view.findings), text, marks, indent=2, context=context
        )
    legend = marks_legend([v.value for v in views], text, marks)
    if legend:
        console.print(Styled(legend, "dim"))
    remedies = remedy_texts(report.remedies, text, context)
    render_remedies(remedies, text, console, context.get("profile_note", ""))
    if report.message is not None and report.message.maybe:
        render_maybe(report.message.maybe, text, console)
    console.print()
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    params = {"errors": counts[Severity.ERROR], "warnings": counts[Severity.WARNING]}
    params["infos"] = counts[Severity.INFO]
    summary = Styled()
    if report.failed:
        summary.append(f"{marks.error} ", "bold red")
        summary.append(text.ui("summary-fail", **params))
    else:
        summary.append(f"{marks.ok} ", "bold green")
        summary.append(text.ui(summary_ok_key(report), **params))
    console.print(summary)


def summary_ok_key(report: CheckReport) -> str:
    """A clean check after a reported failure says the cause is likely elsewhere."""
    if report.message is None:
        return "summary-ok"
    return "summary-ok-reported" if report.remedies else "summary-ok-reported-no-remedy"


def marks_legend(values: Sequence[str], text: Catalog, marks: Symbols) -> str | None:
    """One line saying what the marks shown for spaces and invisible characters mean,
    only when the shown values hold such characters."""
    shown = [ch for value in values for ch in value[:_MAX_SHOWN]]
    parts: list[str] = []
    if " " in shown:
        parts.append(text.ui("legend-space", mark=marks.space))
    if any(ch != " " and (not ch.isprintable() or ch.isspace()) for ch in shown):
        parts.append(text.ui("legend-invisible", mark=marks.invisible(0x200B)))
    return text.ui("legend", marks=", ".join(parts)) if parts else None


def render_brief(
    report: CheckReport, text: Catalog, context: Mapping[str, str], console: Screen
) -> None:
    """For staff: the most likely cause and the next step only (the first error and its
    remedy, or the first FAQ remedy's title and first two steps)."""
    from sapkcheck.render.context import remedy_texts

    marks = symbols_for(console.file)  # type: ignore[arg-type]
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    cause: str | None = None
    steps: list[str] = []
    if errors:
        cause = text.message(errors[0], context)
        remedy = text.remedy(errors[0], context)
        steps = [remedy] if remedy else []
    else:
        remedies = remedy_texts(report.remedies[:1], text, context)
        if remedies:
            cause, steps = remedies[0].title, list(remedies[0].steps[:2])
    lines: list[str] = []
    if cause is None:
        console.print(Styled(f"{marks.ok} {text.ui('brief-ok')}", "bold green"))
    else:
        lines.append(text.ui("brief-cause", cause=cause))
        console.print(Styled(lines[0], "bold"))
        if steps:
            console.print(Styled(text.ui("brief-next"), "bold"))
        for number, step in enumerate(steps, start=1):
            lines.append(step)
            print_indented(console, Styled(f"{number}. {step}"), 2)
    shown = "".join(lines)
    parts: list[str] = []
    if marks.space in shown:
        parts.append(text.ui("legend-space", mark=marks.space))
    if marks.invisible(0)[:3] in shown:
        parts.append(text.ui("legend-invisible", mark=marks.invisible(0x200B)))
    if parts:
        console.print(Styled(text.ui("legend", marks=", ".join(parts)), "dim"))
    console.print(Styled(text.ui("brief-more"), "dim"))
