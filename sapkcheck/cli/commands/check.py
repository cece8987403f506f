"""``check`` and ``guide``: one person's NIP, email, token and message, diagnosed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from sapkcheck.errors import UsageProblem
from sapkcheck.knowledge.i18n import (
    catalog,
)
from sapkcheck.render.console import ColorMode
from sapkcheck.render.formats import OutputFormat

if TYPE_CHECKING:
    from sapkcheck.diagnosis import CheckReport
    from sapkcheck.knowledge.i18n import Lang
    from sapkcheck.knowledge.profile import Profile


from sapkcheck.cli.options import (
    BriefOption,
    ColorOption,
    DebugOption,
    FormatOption,
    LangOption,
    ProfileOption,
    load_profile_option,
    value_option,
)
from sapkcheck.cli.prompts import read_stdin_values
from sapkcheck.cli.session import start_command
from sapkcheck.render.outputs import CheckOutput, emit


def check(
    nip: Annotated[str | None, value_option("--nip")] = None,
    email: Annotated[
        str | None,
        value_option("--email"),
    ] = None,
    registered: Annotated[
        str | None,
        value_option("--registered"),
    ] = None,
    hint: Annotated[
        str | None,
        value_option("--hint"),
    ] = None,
    token: Annotated[str | None, value_option("--token")] = None,
    message: Annotated[
        str | None,
        value_option("--message"),
    ] = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
        ),
    ] = False,
    brief: BriefOption = False,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Check what was typed in MySAPK's Lupa Password form and say what is wrong."""
    language = start_command(lang, debug)
    values = read_stdin_values(
        {
            "--nip": nip,
            "--email": email,
            "--registered": registered,
            "--hint": hint,
            "--token": token,
            "--message": message,
        }
    )
    asked = ("--nip", "--email", "--token", "--message")
    if all(values[name] is None for name in asked):
        raise UsageProblem("error-nothing-to-check")
    region = load_profile_option(profile)
    if values["--hint"] is not None:
        from sapkcheck.checks.email.compare import parse_hint

        parse_hint(values["--hint"])  # a malformed mask is a usage error, before any output

    from sapkcheck.diagnosis import run_check

    report = run_check(
        nip=values["--nip"],
        email=values["--email"],
        registered=values["--registered"],
        hint=values["--hint"],
        token=values["--token"],
        message=values["--message"],
        online=online,
        values_from_message=True,
        local_domains=region.domains(),
    )
    emit_check(report, region, language, output_format, color, brief)


def emit_check(
    report: CheckReport,
    region: Profile,
    language: Lang,
    output_format: OutputFormat,
    color: ColorMode,
    brief: bool = False,
) -> NoReturn:
    emit(CheckOutput(report, catalog(language), region, brief), output_format, color)
    raise typer.Exit(report.exit_code)


def guide(
    brief: BriefOption = False,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Guided mode for staff: answer a few questions, get the diagnosis.
    Questions go to stderr, so --format json keeps stdout for the result."""
    language = start_command(lang, debug)
    region = load_profile_option(profile)
    from sapkcheck.cli.guide import PortalFacts, ask_questions
    from sapkcheck.knowledge.portals import load_portals

    def used(portal: str) -> Profile:
        """The profile for the portal the person named (the profile's own otherwise)."""
        return region.with_portal(portal) if portal in load_portals() else region

    def facts(portal: str) -> PortalFacts:
        chosen = used(portal)
        return PortalFacts(laptop=chosen.portal_info.device == "laptop", policy=chosen.policy)

    answers = ask_questions(catalog(language), portal_facts=facts)
    if not any((answers.message, answers.nip, answers.email, answers.token, answers.password)):
        raise UsageProblem("error-nothing-to-check")
    portal_profile = used(answers.portal)
    from sapkcheck.diagnosis import add_answers, run_check

    report = run_check(
        message=answers.message,
        nip=answers.nip,
        email=answers.email,
        hint=answers.hint,
        token=answers.token,
        local_domains=portal_profile.domains(),
    )
    add_answers(
        report,
        code_source=answers.code_source,
        device=answers.device,
        laptop_portal=portal_profile.portal_info.device == "laptop",
        password=answers.password,
    )
    emit_check(report, portal_profile, language, output_format, color, brief)
