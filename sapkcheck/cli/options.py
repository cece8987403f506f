"""Options shared by the commands, and the helpers they need (profile, console, JSON)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import (
    catalog,
)
from sapkcheck.render.console import ColorMode
from sapkcheck.render.formats import OutputFormat

if TYPE_CHECKING:
    from sapkcheck.knowledge.profile import Profile


from sapkcheck.cli.session import Session

LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", case_sensitive=False),
]
ColorOption = Annotated[
    ColorMode,
    typer.Option(
        "--color",
        case_sensitive=False,
    ),
]
BriefOption = Annotated[bool, typer.Option("--brief")]
DebugOption = Annotated[bool, typer.Option("--debug")]


def value_option(name: str) -> Any:
    """An optional text value, shown without a default in --help (its help text comes from
    the catalog's help.toml, like every option's: ``cli.localize``)."""
    return typer.Option(name, show_default=False)


ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        envvar="SAPKCHECK_PROFILE",
        show_default=False,
        dir_okay=False,
    ),
]


def load_profile_option(path: Path | None) -> Profile:
    """The profile at ``path`` (validated now: a bad file is a usage error before any
    output), or the built-in one."""
    from sapkcheck.knowledge.profile import ProfileError, find_profile, load_profile

    path = find_profile(path)
    try:
        return load_profile(path)
    except ProfileError as error:
        if path is not None and not path.is_file() and path.suffix.lower() != ".toml":
            # Not a file, not named like one: maybe a password typed after --profile.
            raise UsageProblem("error-profile-missing") from None
        text = catalog(Session.lang)
        raise UsageProblem(
            "error-profile",
            path=str(path),
            setting=error.key,
            problem=text.ui(f"profile-problem-{error.problem}"),
        ) from None
