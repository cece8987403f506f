"""``explain``, ``faq`` and ``profile``: what the codes, the FAQ and the region profile say."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from sapkcheck import errors
from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import (
    catalog,
)
from sapkcheck.render.console import ColorMode
from sapkcheck.render.formats import OutputFormat

if TYPE_CHECKING:
    pass


from sapkcheck.cli.options import (
    ColorOption,
    DebugOption,
    FormatOption,
    LangOption,
    ProfileOption,
    load_profile_option,
)
from sapkcheck.cli.session import from_argv, start_command
from sapkcheck.render.outputs import ExplainOutput, FaqOutput, ProfileOutput, emit


def explain(
    code: Annotated[
        str | None, typer.Argument(help="A finding code, e.g. nip-length. Omit to list every code.")
    ] = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Explain a finding code: what it means, why it matters, how to fix it."""
    language = start_command(lang, debug)
    code = from_argv(code)
    from sapkcheck.findings import CODES

    text = catalog(language)
    if code is not None and code.strip().lower() not in CODES:
        raise UsageProblem("error-unknown-code", code=code)
    codes = [code.strip().lower()] if code is not None else sorted(CODES)
    emit(ExplainOutput(codes, text, listing=code is None), output_format, color)
    raise typer.Exit(errors.OK)


def faq(
    query: Annotated[
        str | None,
        typer.Argument(
            help="An FAQ id (e.g. operasi-gagal) or the message you saw, pasted as is. "
            "Omit to list every entry.",
            show_default=False,
        ),
    ] = None,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Show the FAQ: list it, show one entry, or find the entry for a message."""
    language = start_command(lang, debug)
    region = load_profile_option(profile)
    query = from_argv(query)
    from sapkcheck.render import faq_out

    matches = faq_out.lookup(query, language)
    emit(FaqOutput(query, matches, region, catalog(language)), output_format, color)
    raise typer.Exit(errors.OK)


def profile(
    template: Annotated[
        bool,
        typer.Option("--template", help="Print a commented profile template to start from."),
    ] = False,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Show the region profile in use (self-update URL, admin app, helpdesk, password rule),
    or print a template for another region."""
    language = start_command(lang, debug)
    if template:
        from sapkcheck.knowledge.profile import PROFILE_TEMPLATE

        sys.stdout.write(PROFILE_TEMPLATE)
        raise typer.Exit(errors.OK)
    region = load_profile_option(profile)
    emit(ProfileOutput(region, catalog(language)), output_format, color)
    raise typer.Exit(errors.OK)
