"""``batch``: a whole staff export, row by row."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sapkcheck.knowledge.i18n import (
    catalog,
)
from sapkcheck.limits import MAX_JOBS
from sapkcheck.render.batch_show import FixedNip, Show
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
        BatchFormat | None,
        typer.Option(
            "--format",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            show_default=False,
        ),
    ] = None,
    fixed: Annotated[
        Path | None,
        typer.Option(
            "--fixed",
            show_default=False,
        ),
    ] = None,
    fixed_nip: Annotated[
        FixedNip,
        typer.Option(
            "--fixed-nip",
            case_sensitive=False,
        ),
    ] = FixedNip.TEXT,
    fixed_log: Annotated[
        Path | None,
        typer.Option(
            "--fixed-log",
            show_default=False,
        ),
    ] = None,
    show: Annotated[
        Show,
        typer.Option(
            "--show",
            case_sensitive=False,
        ),
    ] = Show.WARNINGS,
    sheet: Annotated[str | None, value_option("--sheet")] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row",
            min=1,
            show_default=False,
        ),
    ] = None,
    nip_column: Annotated[
        str | None,
        value_option("--nip-column"),
    ] = None,
    email_column: Annotated[
        str | None,
        value_option("--email-column"),
    ] = None,
    registered_column: Annotated[
        str | None,
        value_option("--registered-column"),
    ] = None,
    registered_file: Annotated[
        Path | None,
        typer.Option(
            "--registered-file",
            show_default=False,
        ),
    ] = None,
    registered_sheet: Annotated[
        str | None,
        value_option("--registered-sheet"),
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
    mask: Annotated[
        bool,
        typer.Option(
            "--mask",
        ),
    ] = False,
    carry: Annotated[
        str | None,
        value_option("--carry"),
    ] = None,
    delimiter: Annotated[
        str | None,
        value_option("--delimiter"),
    ] = None,
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
    from sapkcheck.render.formats import batch_format

    options = BatchOptions(
        source=None if file == "-" else Path(file),
        output_format=batch_format(output_format, None if output is None else str(output)),
        output=None if output is not None and str(output) == "-" else output,
        fixed=fixed,
        sheet=sheet,
        nip_column=nip_column,
        email_column=email_column,
        registered_column=registered_column,
        header_row=header_row,
        jobs=jobs or default_jobs(),
        mask=mask,
        color=color,
        carry=carry,
        delimiter=delimiter,
        fixed_nip=fixed_nip.value,
        fixed_log=fixed_log,
        show=show,
        registered_file=registered_file,
        registered_sheet=registered_sheet,
    )
    raise typer.Exit(run_batch(options, catalog(language), region))
