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
            help="Staff export: .csv/.txt (UTF-8, UTF-16 or Excel's Windows code page; "
            "',' ';' or tab) or .xlsx; '-' reads CSV from stdin.",
            show_default=False,
        ),
    ],
    output_format: Annotated[
        BatchFormat | None,
        typer.Option(
            "--format",
            help="text (default), json (summary and rows with findings), jsonl (a line "
            "per row), csv (a line per finding, opens in Excel), xlsx (a workbook: every "
            "row, a summary, the codes; needs --output; a .xlsx --output implies it).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
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
    fixed_nip: Annotated[
        FixedNip,
        typer.Option(
            "--fixed-nip",
            help='How a CSV fixed copy writes a NIP it changed: text (="…", default: Excel '
            "and LibreOffice keep all 18 digits, as text) or plain (bare digits, for systems "
            "that import the file; a spreadsheet opening it turns them into numbers).",
            case_sensitive=False,
        ),
    ] = FixedNip.TEXT,
    fixed_log: Annotated[
        Path | None,
        typer.Option(
            "--fixed-log",
            help="With --fixed: list every change of the fixed copy (row, column, before, "
            "after) in this CSV file (UTF-8 with BOM, opens in Excel; masked with --mask).",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    show: Annotated[
        Show,
        typer.Option(
            "--show",
            help="Rows the text report lists: errors, warnings (errors and warnings, default) "
            "or all. Every one with --output; the first 50 on a terminal.",
            case_sensitive=False,
        ),
    ] = Show.WARNINGS,
    sheet: Annotated[
        str | None, value_option("--sheet", "XLSX sheet to read (default: the first).")
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row",
            min=1,
            help="Row number of the header (as Excel numbers it), if not detected; a row of "
            "sub-labels under it is read with it.",
            show_default=False,
        ),
    ] = None,
    nip_column: Annotated[
        str | None,
        value_option(
            "--nip-column",
            "Header of the NIP column, if not detected (under a two-row header: the sub-label "
            "or 'Parent / Child').",
        ),
    ] = None,
    email_column: Annotated[
        str | None,
        value_option(
            "--email-column",
            "Header of the email column to check (the sub-label or 'Parent / Child').",
        ),
    ] = None,
    registered_column: Annotated[
        str | None,
        value_option(
            "--registered-column",
            "Header of the column with the email on record in SAPK (the sub-label or "
            "'Parent / Child').",
        ),
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
        bool,
        typer.Option(
            "--mask",
            help="Hide NIPs, emails, names and the messages for staff in every output format.",
        ),
    ] = False,
    carry: Annotated[
        str | None,
        value_option(
            "--carry",
            "Columns the csv/xlsx report carries beside the findings: header names, "
            "comma-separated (default: the name and the other identifying columns).",
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        value_option(
            "--delimiter",
            "Delimiter of the csv report: ';' ',' 'tab' or '|' (default: the input's; for "
            "an .xlsx input ';' in Indonesian, ',' in English).",
        ),
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
    )
    raise typer.Exit(run_batch(options, catalog(language), region))
