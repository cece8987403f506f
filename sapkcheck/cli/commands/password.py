"""``password``: a new password against the rule in force, never taken from argv."""

from __future__ import annotations

from enum import StrEnum
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
from sapkcheck.cli.prompts import read_secret
from sapkcheck.cli.session import start_command
from sapkcheck.render.outputs import PasswordOutput, emit


class PolicyName(StrEnum):
    MYSAPK = "mysapk"
    MYASN = "myasn"
    ASN_DIGITAL = "asn-digital"


def password(
    policy: Annotated[
        PolicyName | None,
        typer.Option(
            "--policy",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    from_stdin: Annotated[
        bool,
        typer.Option("--stdin"),
    ] = False,
    refused: Annotated[
        list[str] | None,
        # Catches a password typed as an argument so that no error message repeats it.
        typer.Argument(hidden=True, show_default=False),
    ] = None,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Check a new password against the rule in force. It is asked without echo (or read
    with --stdin), never taken as an argument, and never printed, logged or stored."""
    language = start_command(lang, debug)
    if refused:
        raise UsageProblem("error-password-argument")
    region = load_profile_option(profile)
    from sapkcheck.checks.password import check_password
    from sapkcheck.knowledge.policies import POLICIES

    rule = POLICIES[policy.value] if policy is not None else region.policy
    text = catalog(language)
    secret = read_secret(from_stdin, text.ui("password-prompt") + " ")
    findings = check_password(secret, rule)
    del secret
    from sapkcheck.diagnosis import diagnose_password

    report = diagnose_password(findings, rule)
    emit(PasswordOutput(report, text, region), output_format, color)
    raise typer.Exit(errors.PROBLEMS if report.failed else errors.OK)
