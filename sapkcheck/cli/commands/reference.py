"""``explain``, ``faq`` and ``profile``: what the codes, the FAQ and the region profile say."""

from __future__ import annotations

import sys
from pathlib import Path
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
    from sapkcheck.knowledge.i18n import Catalog


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
    code: Annotated[str | None, typer.Argument()] = None,
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
    # As a report shows it ("[nip-serial]"), or pasted with the quotes or spaces around it.
    wanted = code.strip().strip("[]\"'`").strip().lower() if code is not None else None
    if wanted is not None and wanted not in CODES:
        raise UsageProblem("error-unknown-code", code=code)
    codes = [wanted] if wanted is not None else sorted(CODES)
    emit(ExplainOutput(codes, text, listing=code is None), output_format, color)
    raise typer.Exit(errors.OK)


def faq(
    query: Annotated[
        str | None,
        typer.Argument(
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
    file: Annotated[
        Path | None,
        typer.Argument(
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    template: Annotated[
        bool,
        typer.Option("--template"),
    ] = False,
    init: Annotated[
        bool,
        typer.Option(
            "--init",
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force")] = False,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Show the region profile in use (portal, self-update URL, admin app, helpdesk, password
    rule), print a template, or write one with --init."""
    language = start_command(lang, debug)
    if template:
        from sapkcheck.knowledge.profile import PROFILE_TEMPLATE

        sys.stdout.write(PROFILE_TEMPLATE)
        raise typer.Exit(errors.OK)
    if init:
        _init_profile(file, force, catalog(language))
        raise typer.Exit(errors.OK)
    if file is not None or force:
        raise UsageProblem("error-profile-init-only")
    region = load_profile_option(profile)
    emit(ProfileOutput(region, catalog(language)), output_format, color)
    raise typer.Exit(errors.OK)


def _init_profile(file: Path | None, force: bool, text: Catalog) -> None:
    """Write the commented template to ``file`` (default: the per-user profile),
    atomically, never over an existing file without ``force``."""
    from sapkcheck.batch.output import atomic_text
    from sapkcheck.knowledge.profile import PROFILE_TEMPLATE, user_profile_path

    target = file if file is not None else user_profile_path()
    if target is None:
        raise UsageProblem("error-profile-no-folder")
    if target.exists() and not force:
        raise UsageProblem("error-profile-exists", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_text(target, encoding="utf-8", newline="\n") as stream:
            stream.write(PROFILE_TEMPLATE)
    except OSError as error:
        raise UsageProblem(
            "error-profile-unwritable", path=str(target), reason=error.strerror or ""
        ) from None
    key = "profile-written-auto" if file is None else "profile-written"
    sys.stdout.write(text.ui(key, path=str(target)) + "\n")
