"""``batch``: a whole staff export, row by row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sapkcheck.knowledge.i18n import (
    catalog,
)
from sapkcheck.limits import MAX_JOBS
from sapkcheck.render.console import ColorMode
from sapkcheck.render.formats import BatchFormat

if TYPE_CHECKING:
    pass


from sapkcheck.cli.options import (
    ColorOption,
    DebugOption,
    LangOption,
    ProfileOption,
    load_profile_option,
    value_option,
)
from sapkcheck.cli.session import start_command


def batch(
    file: Annotated[
        str,
        typer.Argument(
            show_default=False,
        ),
    ],
    output_format: Annotated[
        BatchFormat,
        typer.Option(
            "--format",
            case_sensitive=False,
        ),
    ] = BatchFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    fixed: Annotated[
        Path | None,
        typer.Option(
            "--fixed",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    sheet: Annotated[str | None, value_option("--sheet")] = None,
    nip_column: Annotated[str | None, value_option("--nip-column")] = None,
    email_column: Annotated[str | None, value_option("--email-column")] = None,
    registered_column: Annotated[
        str | None,
        value_option("--registered-column"),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            max=MAX_JOBS,
            show_default=False,
        ),
    ] = None,
    mask: Annotated[bool, typer.Option("--mask")] = False,
    profile: ProfileOption = None,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Check a whole staff export (CSV/XLSX) row by row, as 'check' checks one person."""
    language = start_command(lang, debug)
    region = load_profile_option(profile)
    from sapkcheck.batch.pipeline import default_jobs
    from sapkcheck.batch.run import BatchOptions, run_batch

    options = BatchOptions(
        source=None if file == "-" else Path(file),
        output_format=output_format,
        output=None if output is not None and str(output) == "-" else output,
        fixed=fixed,
        sheet=sheet,
        nip_column=nip_column,
        email_column=email_column,
        registered_column=registered_column,
        jobs=jobs or default_jobs(),
        mask=mask,
        color=color,
    )
    raise typer.Exit(run_batch(options, catalog(language), region))
