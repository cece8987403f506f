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
            help="Staff export: .csv/.txt (UTF-8, UTF-16 or Excel's Windows code page; "
            "',' ';' or tab) or .xlsx; '-' reads CSV from stdin.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        BatchFormat,
        typer.Option(
            "--format",
            help="text (default), json (summary and rows with findings), jsonl (a line "
            "per row), csv (a line per finding, opens in Excel).",
            case_sensitive=False,
        ),
    ] = BatchFormat.TEXT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help="Write the report here (atomically; a device or FIFO is written through, "
            "'-' is stdout); stdout then carries only the summary.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    fixed: Annotated[
        Path | None,
        typer.Option(
            "--fixed",
            help="Write a copy of the input with only the certain fixes applied (spaces, "
            "invisible characters, wrappers, NIP groups; formula starts made inert). Never "
            "overwrites the input; '-' is stdout.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None, value_option("--sheet", "XLSX sheet to read (default: the first).")
    ] = None,
    nip_column: Annotated[
        str | None, value_option("--nip-column", "Header of the NIP column, if not detected.")
    ] = None,
    email_column: Annotated[
        str | None, value_option("--email-column", "Header of the email column.")
    ] = None,
    registered_column: Annotated[
        str | None,
        value_option(
            "--registered-column", "Header of the column with the email on record in SAPK."
        ),
    ] = None,
    registered_file: Annotated[
        Path | None,
        typer.Option(
            "--registered-file",
            help="The SAPK/SIASN export with the emails on record (.csv/.txt or .xlsx): each "
            "row is compared with the email of its NIP there.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    registered_sheet: Annotated[
        str | None,
        value_option("--registered-sheet", "Sheet of the --registered-file XLSX to read."),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            min=1,
            max=MAX_JOBS,
            help=f"Worker processes, 1 to {MAX_JOBS} (default: all cores, at most {MAX_JOBS}).",
            show_default=False,
        ),
    ] = None,
    mask: Annotated[
        bool, typer.Option("--mask", help="Hide NIPs and emails in every output format.")
    ] = False,
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
        registered_file=registered_file,
        registered_sheet=registered_sheet,
    )
    raise typer.Exit(run_batch(options, catalog(language), region))
