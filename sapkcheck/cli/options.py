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
        help="Message language: id (Indonesian, default) or en. Default from SAPKCHECK_LANG.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", help="text for people, json for programs (see README).", case_sensitive=False
    ),
]
ColorOption = Annotated[
    ColorMode,
    typer.Option(
        "--color",
        help="Colour: auto (terminal only; honours NO_COLOR), always, never.",
        case_sensitive=False,
    ),
]
BriefOption = Annotated[
    bool, typer.Option("--brief", help="Only the most likely cause and the next step.")
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show a traceback on internal failures.")
]


def value_option(name: str, help: str) -> Any:
    """An optional text value, shown without a default in --help."""
    return typer.Option(name, help=help, show_default=False)


ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        envvar="SAPKCHECK_PROFILE",
        help="Region profile (TOML) for remedies; default: the per-user profile written by "
        "'sapkcheck profile --init' if there is one, else the built-in Kabupaten Sumbawa.",
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
