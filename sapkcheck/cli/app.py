"""The command line: parse options, call the checks, hand results to a renderer.

Kept thin on purpose; the work happens in ``checker``, ``checks`` and ``render``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from sapkcheck import __version__, errors
from sapkcheck.errors import UsageProblem
from sapkcheck.findings import has_error
from sapkcheck.knowledge.i18n import (
    DEFAULT_LANG,
    LANGS,
    Lang,
    UnknownLanguage,
    catalog,
    resolve_lang,
)
from sapkcheck.render.console import ColorMode
from sapkcheck.render.formats import BatchFormat, OutputFormat

if TYPE_CHECKING:
    from rich.console import Console

    from sapkcheck.diagnosis import CheckReport
    from sapkcheck.knowledge.profile import Profile


class _Session:
    """What the error handler needs to know about the running command."""

    lang: Lang = DEFAULT_LANG
    debug: bool = False


def _fail(key: str, **params: Any) -> NoReturn:
    text = catalog(_Session.lang)
    sys.stderr.write(f"sapkcheck: {text.ui('error-prefix')}: {text.ui(key, **params)}\n")
    sys.exit(errors.UNUSABLE)


class SapkcheckGroup(TyperGroup):
    """Adds the exit-code contract: usage problems and internal failures exit 2 with one
    sentence on stderr (a traceback only with --debug); Ctrl-C exits 130."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            # typer would exit 130 silently; say why the prompt is back.
            sys.stderr.write(f"\n{catalog(_Session.lang).ui('error-interrupted')}\n")
            raise typer.Exit(errors.INTERRUPTED) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        _make_streams_safe()
        try:
            return super().main(*args, **kwargs)
        except UsageProblem as problem:
            _fail(problem.key, **problem.params)
        except KeyboardInterrupt:
            sys.stderr.write(f"\n{catalog(_Session.lang).ui('error-interrupted')}\n")
            sys.exit(errors.INTERRUPTED)
        except Exception as error:
            if _Session.debug:
                raise
            _fail("error-internal", error=type(error).__name__)


def _make_streams_safe() -> None:
    """Never crash on a character the console cannot encode (cp1252, lone surrogates)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"sapkcheck {__version__}\n")
        raise typer.Exit(errors.OK)


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
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show a traceback on internal failures.")
]


def _value_option(name: str, help: str) -> Any:
    """An optional text value, shown without a default in --help."""
    return typer.Option(name, help=help, show_default=False)


ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        envvar="SAPKCHECK_PROFILE",
        help="Region profile (TOML) for remedies; default: Kabupaten Sumbawa, as in the FAQ.",
        show_default=False,
        dir_okay=False,
    ),
]


def _load_profile(path: Path | None) -> Profile:
    """The profile at ``path`` (validated now: a bad file is a usage error before any
    output), or the built-in one."""
    from sapkcheck.knowledge.profile import ProfileError, load_profile

    try:
        return load_profile(path)
    except ProfileError as error:
        text = catalog(_Session.lang)
        raise UsageProblem(
            "error-profile",
            path=str(path),
            setting=error.key,
            problem=text.ui(f"profile-problem-{error.problem}"),
        ) from None


def _console(color: ColorMode) -> Console:
    from sapkcheck.render.console import make_console

    return make_console(color=color)


def _write_json(document: Any) -> None:
    from sapkcheck.render.json_out import write_json

    write_json(document)


def root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """sapkcheck: diagnose MySAPK activation and password-reset failures.

    Without a command on a terminal it starts the guided mode (sapkcheck guide);
    without a terminal it prints this help and exits 2."""
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        ctx.invoke(guide)
        return
    typer.echo(ctx.get_help())
    raise typer.Exit(errors.UNUSABLE)


def _start(lang: str | None, debug: bool) -> Lang:
    _Session.debug = debug
    try:
        _Session.lang = resolve_lang(_from_argv(lang))
    except UnknownLanguage as unknown:
        _Session.lang = DEFAULT_LANG
        both = " / ".join(
            catalog(code).ui("error-unknown-lang", value=unknown.value) for code in LANGS
        )
        sys.stderr.write(f"sapkcheck: {both}\n")
        sys.exit(errors.UNUSABLE)
    return _Session.lang


def _from_argv(value: str | None) -> str | None:
    """Bytes the locale could not decode arrive as lone surrogates: a UTF-8 terminal
    under an ASCII locale. Read them as the UTF-8 they almost always are."""
    if value is None or value.isascii():
        return value
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:
        return value


def _read_stdin_values(options: dict[str, str | None]) -> dict[str, str | None]:
    """Replace the one option whose value is ``-`` with stdin, minus one final line ending."""
    options = {name: _from_argv(value) for name, value in options.items()}
    from_stdin = [name for name, value in options.items() if value == "-"]
    if len(from_stdin) > 1:
        raise UsageProblem("error-stdin-twice", options=", ".join(from_stdin))
    if not from_stdin:
        return options
    raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageProblem("error-stdin-unreadable", reason=error.reason) from None
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith(("\n", "\r")):
        value = value[:-1]
    return {**options, from_stdin[0]: value}


def check(
    nip: Annotated[
        str | None, _value_option("--nip", "The NIP exactly as typed (18 digits; '-' reads stdin).")
    ] = None,
    email: Annotated[
        str | None,
        _value_option("--email", "The email exactly as typed, spaces included ('-' reads stdin)."),
    ] = None,
    registered: Annotated[
        str | None,
        _value_option(
            "--registered",
            "The email on record in SAPK (e.g. from an admin's export), to compare with.",
        ),
    ] = None,
    hint: Annotated[
        str | None,
        _value_option("--hint", "The masked email MySAPK shows, e.g. 'eli*****@gmail.com'."),
    ] = None,
    token: Annotated[
        str | None, _value_option("--token", "The reset token as pasted ('-' reads stdin).")
    ] = None,
    message: Annotated[
        str | None,
        _value_option(
            "--message", "The message MySAPK showed, e.g. 'Operasi Gagal' ('-' reads stdin)."
        ),
    ] = None,
    online: Annotated[
        bool,
        typer.Option(
            "--online",
            help="Also ask DNS whether the email domain can receive mail (network access).",
        ),
    ] = False,
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Check what was typed in MySAPK's Lupa Password form and say what is wrong."""
    language = _start(lang, debug)
    values = _read_stdin_values(
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
    region = _load_profile(profile) if profile is not None else None  # built-in: lazily
    if values["--hint"] is not None:
        from sapkcheck.checks.email.compare import parse_hint

        parse_hint(values["--hint"])  # a malformed mask is a usage error, before any output

    from sapkcheck.diagnosis import run_check

    report = run_check(
        lang=language,
        nip=values["--nip"],
        email=values["--email"],
        registered=values["--registered"],
        hint=values["--hint"],
        token=values["--token"],
        message=values["--message"],
        online=online,
        profile=region,
    )
    _emit_check(report, output_format, color)


def _emit_check(report: CheckReport, output_format: OutputFormat, color: ColorMode) -> NoReturn:
    text = catalog(report.lang)
    if output_format is OutputFormat.JSON:
        from sapkcheck.render.json_out import check_document

        _write_json(check_document(report, text))
    else:
        from sapkcheck.render.text import render_check

        render_check(report, text, _console(color))
    raise typer.Exit(report.exit_code)


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
    language = _start(lang, debug)
    code = _from_argv(code)
    from sapkcheck.findings import CODES
    from sapkcheck.render import explain as explain_render

    text = catalog(language)
    if code is not None and code.strip().lower() not in CODES:
        raise UsageProblem("error-unknown-code", code=code)
    codes = [code.strip().lower()] if code is not None else sorted(CODES)
    if output_format is OutputFormat.JSON:
        _write_json(explain_render.explain_document(codes, text))
    else:
        explain_render.render_explain(codes, text, _console(color), listing=code is None)
    raise typer.Exit(errors.OK)


class PolicyName(StrEnum):
    MYSAPK = "mysapk"
    MYASN = "myasn"
    ASN_DIGITAL = "asn-digital"


def _read_secret(from_stdin: bool, prompt: str) -> str:
    """One password line: from stdin with --stdin, else a no-echo prompt on a terminal."""
    if from_stdin:
        stream = getattr(sys.stdin, "buffer", None)
        raw = stream.readline() if stream is not None else sys.stdin.readline().encode()
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UsageProblem("error-stdin-unreadable", reason=error.reason) from None
        return line.removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise UsageProblem("error-password-no-terminal")
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageProblem("error-input-closed") from None


def password(
    policy: Annotated[
        PolicyName | None,
        typer.Option(
            "--policy",
            help="Password rule: mysapk (>= 6, a capital, a digit), myasn, asn-digital. "
            "Default: the profile's.",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    from_stdin: Annotated[
        bool,
        typer.Option("--stdin", help="Read the password from one line of standard input."),
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
    language = _start(lang, debug)
    if refused:
        raise UsageProblem("error-password-argument")
    region = _load_profile(profile)
    from sapkcheck.checks.password import check_password
    from sapkcheck.knowledge.policies import POLICIES

    rule = POLICIES[policy.value] if policy is not None else region.policy
    text = catalog(language)
    secret = _read_secret(from_stdin, text.ui("password-prompt") + " ")
    findings = check_password(secret, rule)
    del secret
    from sapkcheck.render import password_out

    if output_format is OutputFormat.JSON:
        _write_json(password_out.password_document(findings, rule, region, text))
    else:
        password_out.render_password(findings, rule, region, text, _console(color))
    raise typer.Exit(errors.PROBLEMS if has_error(findings) else errors.OK)


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
    language = _start(lang, debug)
    region = _load_profile(profile)
    query = _from_argv(query)
    from sapkcheck.render import faq_out

    matches = faq_out.lookup(query, language)
    if output_format is OutputFormat.JSON:
        _write_json(faq_out.faq_document(query, matches, language))
    else:
        faq_out.render_faq(query, matches, language, region, catalog(language), _console(color))
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
    language = _start(lang, debug)
    if template:
        from sapkcheck.knowledge.profile import PROFILE_TEMPLATE

        sys.stdout.write(PROFILE_TEMPLATE)
        raise typer.Exit(errors.OK)
    region = _load_profile(profile)
    from sapkcheck.render import profile_out

    if output_format is OutputFormat.JSON:
        _write_json(profile_out.profile_document(region, language))
    else:
        profile_out.render_profile(region, catalog(language), _console(color))
    raise typer.Exit(errors.OK)


def guide(
    profile: ProfileOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    lang: LangOption = None,
    color: ColorOption = ColorMode.AUTO,
    debug: DebugOption = False,
) -> None:
    """Guided mode for staff: answer a few questions, get the diagnosis.
    Questions go to stderr, so --format json keeps stdout for the result."""
    language = _start(lang, debug)
    region = _load_profile(profile)
    from sapkcheck.cli.guide import ask_questions

    answers = ask_questions(catalog(language))
    if not any((answers.message, answers.nip, answers.email)):
        raise UsageProblem("error-nothing-to-check")
    from sapkcheck.diagnosis import run_check

    report = run_check(
        lang=language,
        profile=region,
        message=answers.message,
        nip=answers.nip,
        email=answers.email,
        hint=answers.hint,
    )
    _emit_check(report, output_format, color)


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
            help="Write the report here (atomically); stdout then carries only the summary.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    fixed: Annotated[
        Path | None,
        typer.Option(
            "--fixed",
            help="Write a copy of the input with only the certain fixes applied (spaces, "
            "invisible characters, wrappers, NIP groups). Never overwrites the input.",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None, _value_option("--sheet", "XLSX sheet to read (default: the first).")
    ] = None,
    nip_column: Annotated[
        str | None, _value_option("--nip-column", "Header of the NIP column, if not detected.")
    ] = None,
    email_column: Annotated[
        str | None, _value_option("--email-column", "Header of the email column.")
    ] = None,
    registered_column: Annotated[
        str | None,
        _value_option(
            "--registered-column", "Header of the column with the email on record in SAPK."
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", min=1, help="Worker processes (default: all cores).", show_default=False
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
    language = _start(lang, debug)
    region = _load_profile(profile)
    from sapkcheck.batch.pipeline import default_jobs
    from sapkcheck.batch.run import BatchOptions, run_batch

    options = BatchOptions(
        source=None if file == "-" else Path(file),
        output_format=output_format,
        output=output,
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


COMMANDS: dict[str, Callable[..., None]] = {
    "check": check,
    "explain": explain,
    "password": password,
    "faq": faq,
    "profile": profile,
    "guide": guide,
    "batch": batch,
}


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI; with ``only``, just that command (Typer builds every command's options at
    start-up, which a single question should not pay for)."""
    cli = typer.Typer(
        cls=SapkcheckGroup,
        name="sapkcheck",
        help="Why did a MySAPK activation or password reset fail, and what to do? Checks "
        "what was typed (NIP, email, token, password) and prints the FAQ remedy.",
        epilog=errors.HELP,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    cli.callback(invoke_without_command=True)(root)
    for name, command in COMMANDS.items():
        if only is None or name == only:
            # password: an unknown "--option" may be a password typed on the command line;
            # it is collected and refused without repeating it.
            settings = {"ignore_unknown_options": True} if name == "password" else None
            cli.command(name, epilog=errors.HELP, context_settings=settings)(command)
    return cli


app = build_app()


def main() -> None:
    wanted = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in COMMANDS else None
    typer.main.get_command(build_app(wanted))(prog_name="sapkcheck")
